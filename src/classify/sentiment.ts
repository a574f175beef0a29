/**
 * Lexicon-and-rules sentiment in the manner of VADER, over our own ru/en lexicons and two curated
 * base lists (VADER's for English, nlp.js's Russian stems); every word, weight and constant lives in
 * the JSON files under lexicons/ (see docs/lexicons.md).
 *
 * Cues, in order of precedence: authored patterns (en.json, ru.json, emoji.json, profanity.json and
 * the modifiers) through one phrase matcher; then, for a word no pattern matched, the English base
 * list by word and the Russian base list by Snowball stem; then the same with stretched letters
 * squeezed ("soooo goood"); then parts of run-together hashtags ("#unitedfails").
 *
 * Each valence hit is adjusted by what stands before it in its clause: a booster multiplies it; a
 * negator within `negationScope` words flips a positive word and weakens a negative one ("not bad"),
 * and a negated intensified word is a weak opposite ("не очень хорошо"); a swear word right before it
 * intensifies it ("fucking amazing"); capitals add weight; an irrealis marker ("would", "если бы")
 * damps it. A negator that negates no sentiment word ("still can't get through", "нет связи") counts
 * as a mild complaint. Within a sentence, a contrast word ("but", "но") lets the clause after it
 * outweigh the one before, and a concession ("although", "хотя") weighs less than its main clause.
 * Politeness ("thanks", "спасибо") weighs little beside a complaint; a sarcasm marker turns praise
 * negative; valence in a question is asked, not asserted (positive damped more than negative); lone
 * brackets are Russian smileys; exclamation marks amplify the total. The total is squashed into
 * [-1, 1] by x/√(x²+α), and |score| below `neutralBand` is neutral.
 */
import emojiLexicon from './lexicons/emoji.json' with { type: 'json' };
import enVaderLexicon from './lexicons/en-vader.json' with { type: 'json' };
import enLexicon from './lexicons/en.json' with { type: 'json' };
import modifiers from './lexicons/modifiers.json' with { type: 'json' };
import profanityList from './lexicons/profanity.json' with { type: 'json' };
import ruStemLexicon from './lexicons/ru-nlpjs.json' with { type: 'json' };
import ruLexicon from './lexicons/ru.json' with { type: 'json' };
import { PhraseMatcher, parsePatternWords } from './patterns.js';
import type { Continuations, PhraseEntry } from './patterns.js';
import { stemOf } from './stem.js';
import { K_EMOTICON, K_PUNCT, K_URL, K_WORD, TokenStream, isNameMark, isShoutingAt, normAt, scanTokens, tokenize } from './tokenize.js';
import { wordMemo } from './vocabulary.js';
import type { Token } from './tokenize.js';
import { NONE } from './types.js';
import type { Evidence, Sentiment, SentimentResult } from './types.js';

type ValenceSource = 'lexicon' | 'emoji' | 'profanity' | 'hashtag' | 'user-rule';

type Cue =
  | {
      kind: 'valence';
      weight: number;
      source: ValenceSource;
      /** The entry starts with a negator ("не работает", "no one answers"): a negator before it does not flip it again. */
      selfNegated: boolean;
      /** The entry ends with a negator ("до сих пор не"): it negates what follows, as the negator alone would. */
      endsNegated: boolean;
      /** A politeness formula ("thanks", "спасибо"): it weighs little beside a complaint. */
      polite: boolean;
      /** For a user rule: which rule, shown in the evidence. */
      label?: string;
    }
  | { kind: 'negator' }
  | { kind: 'booster'; factor: number }
  | { kind: 'irrealis' }
  | { kind: 'sarcasm' }
  | { kind: 'contrast'; concessive: boolean };

const NEGATION_SCOPE = modifiers.negationScope;
const NEGATION_FACTOR = modifiers.negationFactor;
const BOOSTER_SCOPE = modifiers.boosterScope;
const NEGATOR_SUFFIXES: readonly string[] = modifiers.negatorSuffixes;
const NEGATED_NEGATIVE_FACTOR = modifiers.negatedNegativeFactor;
const DIMINISHED_NEGATION = modifiers.diminishedNegationFactor;
const DANGLING_NEGATION = modifiers.danglingNegation;
const IRREALIS_FACTOR = modifiers.irrealisFactor;
const POLITENESS_IN_COMPLAINT = modifiers.politenessInComplaint;
const CONTRAST_BEFORE = modifiers.contrastBefore;
const CONTRAST_AFTER = modifiers.contrastAfter;
const BRACKET_SMILE = modifiers.bracketSmile;
const BRACKET_FROWN = modifiers.bracketFrown;
const POLITENESS: ReadonlySet<string> = new Set(modifiers.politeness);
const SARCASM_FACTOR = modifiers.sarcasmFactor;
const QUESTION_FACTOR = modifiers.questionFactor;
const QUESTION_FACTOR_NEGATIVE = modifiers.questionFactorNegative;
const NEUTRAL_BAND = modifiers.neutralBand;
const NORMALISATION_ALPHA = modifiers.normalisationAlpha;
const SHOUTING_BOOST = modifiers.shoutingBoost;
const EXCLAMATION_MAX = modifiers.exclamationMax;
const EXCLAMATION_BOOST = modifiers.exclamationBoost;
/** Swear words that, right before a sentiment word, intensify it instead of counting on their own. */
const PROFANE_INTENSIFIERS: ReadonlyMap<string, number> = new Map(Object.entries(modifiers.profaneIntensifiers));
for (const [word, factor] of PROFANE_INTENSIFIERS) {
  // 0 stands for "not an intensifier" in WordFacts.
  if (!(factor > 0)) throw new Error(`modifiers.json: profaneIntensifiers "${word}" needs a factor above 0`);
}
const HAS_LOWER_CASE = /\p{Ll}/u;

// Bit filters over short keys (64 kbit each), used to skip lookups that cannot succeed.
const prefixKey = (word: string, length: number) => {
  let key = 0;
  for (let k = 0; k < length; k++) key = (key * 31 + word.charCodeAt(k)) | 0;
  return key & 0xffff;
};
const setBit = (filter: Uint8Array, key: number) => {
  filter[key >> 3]! |= 1 << (key & 7);
};
const hasBit = (filter: Uint8Array, key: number) => (filter[key >> 3]! & (1 << (key & 7))) !== 0;

function buildCues(): PhraseMatcher<Cue> {
  const bySource = new Map<string, { cue: Cue; file: string }>();
  const add = (source: string, cue: Cue, file: string) => {
    const existing = bySource.get(source);
    // One pattern with two meanings would silently depend on load order.
    if (existing) throw new Error(`sentiment pattern "${source}" is defined in both ${existing.file} and ${file}`);
    bySource.set(source, { cue, file });
  };
  const negatorWords = new Set(modifiers.negators.map((source) => parsePatternWords(source)[0]!.text));
  const isNegatorWord = (word: string) => negatorWords.has(word) || NEGATOR_SUFFIXES.some((suffix) => word.endsWith(suffix));
  const addValence = (entries: Record<string, number>, source: ValenceSource, file: string) => {
    for (const [pattern, weight] of Object.entries(entries)) {
      if (pattern.startsWith('_')) continue;
      const words = parsePatternWords(pattern);
      const selfNegated = isNegatorWord(words[0]!.text);
      const endsNegated = words.length > 1 && isNegatorWord(words[words.length - 1]!.text);
      add(pattern, { kind: 'valence', weight, source, selfNegated, endsNegated, polite: POLITENESS.has(pattern) }, file);
    }
  };
  addValence(enLexicon.entries, 'lexicon', 'en.json');
  addValence(ruLexicon.entries, 'lexicon', 'ru.json');
  addValence(emojiLexicon.entries, 'emoji', 'emoji.json');
  for (const pattern of profanityList.entries) {
    add(pattern, { kind: 'valence', weight: profanityList.weight, source: 'profanity', selfNegated: false, endsNegated: false, polite: false }, 'profanity.json');
  }
  for (const pattern of modifiers.negators) add(pattern, { kind: 'negator' }, 'modifiers.json');
  for (const [pattern, factor] of Object.entries(modifiers.boosters)) add(pattern, { kind: 'booster', factor }, 'modifiers.json');
  for (const pattern of modifiers.contrast) add(pattern, { kind: 'contrast', concessive: false }, 'modifiers.json');
  for (const pattern of modifiers.concessive) add(pattern, { kind: 'contrast', concessive: true }, 'modifiers.json');
  for (const pattern of modifiers.irrealis) add(pattern, { kind: 'irrealis' }, 'modifiers.json');
  for (const pattern of modifiers.sarcasm) add(pattern, { kind: 'sarcasm' }, 'modifiers.json');
  // Phrases of the base lists join the matcher unless an authored pattern already covers them;
  // their single words are looked up in BASE_WORDS only where no authored pattern matched.
  const authored = PhraseMatcher.fromSources([...bySource.keys()].map((source) => [source, true] as const));
  for (const [pattern, weight] of Object.entries(enVaderLexicon.entries)) {
    const words = parsePatternWords(pattern);
    if (words.length === 1 || bySource.has(pattern)) continue;
    const covering = authored.longestAt(tokenize(pattern), 0);
    if (covering && covering.words.length >= words.length) continue;
    add(pattern, { kind: 'valence', weight, source: 'lexicon', selfNegated: isNegatorWord(words[0]!.text), endsNegated: false, polite: false }, 'en-vader.json');
  }
  const entries: PhraseEntry<Cue>[] = [];
  for (const [source, { cue }] of bySource) {
    const words = parsePatternWords(source);
    entries.push({ source, words, value: cue });
    const first = words[0]!;
    if (first.stem !== null) throw new Error(`sentiment pattern "${source}": stemmed patterns would defeat the prefix filter`);
    const length = first.text.length;
    if (length === 2 && first.prefix) setBit(CUE_PREFIX2, prefixKey(first.text, 2));
    else if (length === 3) setBit(first.prefix ? CUE_PREFIX3 : CUE_WORD3, prefixKey(first.text, 3));
    else if (length >= 4) setBit(CUE_START4, prefixKey(first.text, 4));
  }
  return new PhraseMatcher(entries);
}

/**
 * Every pattern's first word, by its first four letters (first words of four letters or more), by
 * all three letters (three-letter words, and three-letter prefixes such as "туп*"), or by two (a
 * two-letter prefix): a word of three letters or more that misses the filters that apply to its
 * length cannot start a match, and skips the walk through the matcher's trie, the most expensive
 * step for long Russian words.
 */
const CUE_START4 = new Uint8Array(1 << 13);
const CUE_WORD3 = new Uint8Array(1 << 13);
const CUE_PREFIX3 = new Uint8Array(1 << 13);
const CUE_PREFIX2 = new Uint8Array(1 << 13);

const CUES = buildCues();

function mayStartCue(word: string): boolean {
  const length = word.length;
  if (length < 3) return true;
  const key2 = (word.charCodeAt(0) * 31 + word.charCodeAt(1)) | 0;
  if (hasBit(CUE_PREFIX2, key2 & 0xffff)) return true;
  const key3 = (key2 * 31 + word.charCodeAt(2)) | 0;
  if (length === 3) return hasBit(CUE_WORD3, key3 & 0xffff) || hasBit(CUE_PREFIX3, key3 & 0xffff);
  if (hasBit(CUE_PREFIX3, key3 & 0xffff)) return true;
  return hasBit(CUE_START4, ((key3 * 31 + word.charCodeAt(3)) | 0) & 0xffff);
}

const baseCue = (weight: number): Cue => ({ kind: 'valence', weight, source: 'lexicon', selfNegated: false, endsNegated: false, polite: false });

/**
 * Single words of the English base list (VADER), by their folded form: one hash lookup for a word
 * no authored pattern matched, instead of thousands more entries in the matcher's trie.
 */
const BASE_WORDS: ReadonlyMap<string, Cue> = new Map(
  Object.entries(enVaderLexicon.entries)
    .filter(([pattern]) => pattern.indexOf(' ') === -1)
    .map(([pattern, weight]) => [parsePatternWords(pattern)[0]!.text, baseCue(weight)]),
);
// The shortest word in BASE_WORDS: shorter tokens ("a", "to", "my") skip the lookup.
const BASE_MIN_LENGTH = Math.min(...[...BASE_WORDS.keys()].map((word) => word.length));

/**
 * A 64-kbit filter over BASE_WORDS keyed by a word's first two letters, last letter and length:
 * most tokens ("the", "flight", "my") miss it and skip hashing the whole word for the map.
 */
const baseFilterKey = (word: string) =>
  (word.charCodeAt(0) * 7919 + word.charCodeAt(1) * 131 + word.charCodeAt(word.length - 1) * 17 + word.length) & 0xffff;
const BASE_FILTER = new Uint8Array(1 << 13);
for (const word of BASE_WORDS.keys()) setBit(BASE_FILTER, baseFilterKey(word));

function baseWordCue(word: string): Cue | undefined {
  if (word.length < BASE_MIN_LENGTH || !hasBit(BASE_FILTER, baseFilterKey(word))) return undefined;
  return BASE_WORDS.get(word);
}

/**
 * Russian base list keyed by Snowball stem: a word no pattern matches is looked up by its stem,
 * so one entry covers every inflection ("плох" → плохой, плохо, плохая, плохие).
 */
const STEM_CUES: ReadonlyMap<string, Cue> = new Map(Object.entries(ruStemLexicon.entries).map(([stem, weight]) => [stem, baseCue(weight)]));

/**
 * A Snowball stem is a prefix of its word, and every stem in the list has at least four letters.
 * Three 64-kbit filters (stems of four letters, of five, and the first six letters of longer ones)
 * spare stemming the great majority of words ("банк", "карту", "интернет"), which cannot match.
 */
const STEM_FILTERS: readonly Uint8Array[] = [new Uint8Array(1 << 13), new Uint8Array(1 << 13), new Uint8Array(1 << 13)];
for (const stem of STEM_CUES.keys()) {
  if (stem.length < 4) throw new Error(`ru-nlpjs.json: stem "${stem}" is shorter than four letters`);
  const length = stem.length < 6 ? stem.length : 6;
  setBit(STEM_FILTERS[length - 4]!, prefixKey(stem, length));
}

function mayHaveListedStem(word: string): boolean {
  // The keys of the first four, five and six letters, computed in one pass.
  let key = 0;
  const end = word.length < 6 ? word.length : 6;
  for (let k = 0; k < end; k++) {
    key = (key * 31 + word.charCodeAt(k)) | 0;
    if (k >= 3 && hasBit(STEM_FILTERS[k - 3]!, key & 0xffff)) return true;
  }
  return false;
}

/** The stem-list cue of a Russian word, or undefined. */
function stemCue(word: string): Cue | undefined {
  if (word.length < 4 || !isCyrillic(word.charCodeAt(0)) || !mayHaveListedStem(word)) return undefined;
  return STEM_CUES.get(stemOf(word));
}

function isCyrillic(code: number): boolean {
  return code >= 0x430 && code <= 0x44f;
}

/** A cheap test before isShoutingAt: the first two letters are not lower case (Latin or Cyrillic). */
function startsUpperCase(text: string, start: number): boolean {
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  if ((first >= 0x61 && first <= 0x7a) || (first >= 0x430 && first <= 0x44f)) return false;
  return !((second >= 0x61 && second <= 0x7a) || (second >= 0x430 && second <= 0x44f));
}

/** True when a letter repeats three times in a row ("sooo", "ужжжас"). */
function isStretched(word: string): boolean {
  let previous = word.charCodeAt(0);
  let run = 1;
  for (let k = 1; k < word.length; k++) {
    const code = word.charCodeAt(k);
    if (code !== previous) {
      previous = code;
      run = 1;
    } else if (++run === 3 && code > 0x40) return true;
  }
  return false;
}

// One reusable token for looking up a squeezed word (rare: only stretched words get here).
const probe: Token[] = [{ text: '', start: 0, end: 0, kind: 'word', pos: 0 }];

function squeezedCue(word: string, keep: number, name: boolean): Cue | undefined {
  let squeezed = '';
  let run = 0;
  for (let k = 0; k < word.length; k++) {
    run = k > 0 && word.charCodeAt(k) === word.charCodeAt(k - 1) ? run + 1 : 1;
    if (run <= keep) squeezed += word.charAt(k);
  }
  probe[0]!.text = squeezed;
  const entry = mayStartCue(squeezed) ? CUES.longestAt(probe, 0) : null;
  if (entry && entry.words.length === 1) return entry.value;
  return baseWordCue(squeezed) ?? (name ? undefined : stemCue(squeezed));
}

/** Parts of run-together hashtags ("#unitedfails", "#notcool"), most specific first, with their cues. */
const HASHTAG_PARTS: ReadonlyArray<readonly [string, Cue]> = Object.entries(modifiers.hashtagParts).map(
  ([part, weight]) => [part, { kind: 'valence', weight, source: 'hashtag', selfNegated: false, endsNegated: false, polite: false }] as const,
);

// The first three letters of every hashtag part, hashed into a 64-kbit filter: a hashtag none of
// whose three-letter windows is there ("#новости", "#travel") contains no part.
const trigramKey = (word: string, at: number) => (word.charCodeAt(at) * 961 + word.charCodeAt(at + 1) * 31 + word.charCodeAt(at + 2)) & 0xffff;
const HASHTAG_FILTER = new Uint8Array(1 << 13);
for (const [part] of HASHTAG_PARTS) {
  if (part.length < 3) throw new Error(`modifiers.json: hashtag part "${part}" is shorter than three letters`);
  setBit(HASHTAG_FILTER, trigramKey(part, 0));
}

/** The first listed part a hashtag contains, with its cue. */
function hashtagCue(word: string): readonly [string, Cue] | undefined {
  let candidate = false;
  for (let at = 0; at + 2 < word.length && !candidate; at++) candidate = hasBit(HASHTAG_FILTER, trigramKey(word, at));
  if (!candidate) return undefined;
  for (const entry of HASHTAG_PARTS) if (word.includes(entry[0])) return entry;
  return undefined;
}

/** "Безруков" inside a sentence: most likely a name, which the stem list must not read as a word. */
function isCapitalised(text: string, start: number): boolean {
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  return ((first >= 0x410 && first <= 0x42f) || first === 0x401) && second >= 0x430 && second <= 0x44f;
}

// Last letters of the negator suffixes: a word ending otherwise needs no closer look.
const NEGATOR_SUFFIX_ENDS: readonly number[] = NEGATOR_SUFFIXES.map((suffix) => suffix.charCodeAt(suffix.length - 1));

function isNegatorBySuffix(word: string): boolean {
  const end = word.charCodeAt(word.length - 1);
  for (let k = 0; k < NEGATOR_SUFFIX_ENDS.length; k++) {
    if (NEGATOR_SUFFIX_ENDS[k] === end && word.endsWith(NEGATOR_SUFFIXES[k]!)) return true;
  }
  return false;
}

/** What the sentiment rules know about a word wherever it stands: kept per word (see vocabulary.ts). */
interface WordFacts {
  /** The cue patterns the word can start (PhraseMatcher.collectFirst); null for none. */
  readonly cues: Continuations<Cue> | null;
  /** Its first letter is Cyrillic: the Russian stem list applies, not the English base list. */
  readonly cyrillic: boolean;
  /** The English base list's cue (a word not Cyrillic). */
  readonly base: Cue | undefined;
  /** The Russian stem list's cue (a Cyrillic word), and the stem that found it. */
  readonly stemmed: Cue | undefined;
  readonly stem: string | null;
  /** Longer than three letters with a letter repeated three times ("sooo"). */
  readonly stretched: boolean;
  /** Ends like a negated verb ("ненавижу" does not; "can't", "won't" do: see negatorSuffixes). */
  readonly negatorSuffix: boolean;
  /** As a swear word right before a sentiment word, the factor it multiplies it by (PROFANE_INTENSIFIERS); 0 for none. */
  readonly intensifier: number;
}

function factsOf(word: string): WordFacts {
  const cues = mayStartCue(word) ? CUES.continuationsOf(word, true) : null;
  const cyrillic = isCyrillic(word.charCodeAt(0));
  const stemmed = cyrillic ? stemCue(word) : undefined;
  const base = cyrillic ? undefined : baseWordCue(word);
  const stretched = word.length > 3 && isStretched(word);
  const negatorSuffix = isNegatorBySuffix(word);
  const intensifier = PROFANE_INTENSIFIERS.get(word) ?? 0;
  if (cues === null && base === undefined && stemmed === undefined && !stretched && !negatorSuffix && intensifier === 0) return INERT_WORD;
  return { cues, cyrillic, base, stemmed, stem: stemmed ? stemOf(word) : null, stretched, negatorSuffix, intensifier };
}

/**
 * The facts of most words: no cue, no list entry, nothing to squeeze or negate. They share one
 * object, which stays in the processor's cache; a separate object per word, scattered over the
 * heap, cost a cache miss per word of a text (measured: ~1.4 µs of ~7 a text, over the benchmark's texts).
 * Its `cyrillic` is false, which for a word with no list entry changes nothing.
 */
const INERT_WORD: WordFacts = { cues: null, cyrillic: false, base: undefined, stemmed: undefined, stem: null, stretched: false, negatorSuffix: false, intensifier: 0 };
const wordFacts = wordMemo<WordFacts>(INERT_WORD);

/** The facts of word token t: from the memo, or made now for a word too long to number. */
function factsAt(stream: TokenStream, t: number): WordFacts {
  const id = stream.word[t]!;
  return id < 0 ? factsOf(normAt(stream, t)) : wordFacts.of(id, factsOf);
}

/** The longest cue at a token that is not a word (an emoji or emoticon); not kept, as their number is open. */
function nonWordCueAt(stream: TokenStream, index: number): PhraseEntry<Cue> | null {
  const text = normAt(stream, index);
  if (!mayStartCue(text)) return null;
  const cues = CUES.continuationsOf(text, false);
  return cues === null ? null : cues.longestAt(stream, index);
}

const round = (x: number, digits: 3 | 4) => (digits === 3 ? Math.round(x * 1000) / 1000 : Math.round(x * 10000) / 10000);

export function sentimentOf(score: number): Sentiment {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

/**
 * Sentiment of a text. Evidence lists every contribution on the raw valence scale
 * (before squashing into [-1, 1]), with notes on what changed it.
 *
 * `lang` is accepted for language-specific rules to come; today both lexicons apply
 * to every text, since Russian posts mix in English words and the two scripts never collide.
 */
export function analyzeSentiment(text: string, _lang: string | null = null): SentimentResult {
  scanTokens(text, sentimentStream);
  return analyzeStream(sentimentStream, null, null);
}

// Reused by analyzeSentiment (synchronous, not re-entrant).
const sentimentStream = new TokenStream();

/** Where a contribution stands relative to a contrast in its sentence. */
const ZONE_NONE = 0;
const ZONE_BEFORE_CONTRAST = 1;
const ZONE_AFTER_CONTRAST = 2;
const ZONE_CONCESSION = 3;

/**
 * What a text's words contribute, in order: each one's weight, its zone (relative to a contrast),
 * whether it is politeness, whether it is asked; and, only when explaining, its Evidence (bulk
 * classification made an object per contribution, and a list of them, only to read the weights back).
 * One, reused (analysis is synchronous and not re-entrant): entries past `count` are stale, never read.
 */
class Contributions {
  count = 0;
  // Each list starts with an element of its kind, so that it holds unboxed doubles, small integers or booleans from the start.
  readonly weights: number[] = [0.5];
  readonly zones: number[] = [0];
  readonly polite: boolean[] = [false];
  readonly asked: boolean[] = [false];
  /** The evidence of each, when explaining; else null. */
  items: Evidence[] | null = null;

  reset(explain: boolean): void {
    this.count = 0;
    this.items = explain ? [] : null;
  }

  /** Adds a contribution; its evidence gets a `note` property only when `note` is given. */
  add(kind: string, match: string, weight: number, note: string | undefined, zone: number, polite: boolean): void {
    const c = this.count++;
    this.weights[c] = weight;
    this.zones[c] = zone;
    this.polite[c] = polite;
    this.asked[c] = false;
    if (this.items !== null) this.items.push(note === undefined ? { kind, match, weight } : { kind, match, weight, note });
  }
}

const textContributions = new Contributions();

/** A user rule's word or phrase with its valence (config `topics[].rules`), matched like a lexicon entry. */
export interface UserValence {
  weight: number;
  /** Names the rule in the evidence: `topic "acme" rules[2]`. */
  label: string;
}

/**
 * User rules of the topics a text matched. `phrases` are tried before the shipped lexicons at
 * every word, so a rule's weight replaces a shipped one for the words it covers (0 silences a
 * word), and negation, boosters and contrast apply to it as to any lexicon word. `flat` are
 * contributions of regex rules, added as they are.
 */
export interface UserSentimentRules {
  phrases: readonly PhraseMatcher<UserValence>[];
  flat: readonly Evidence[];
}

function userCueAt(rules: UserSentimentRules, tokens: readonly Token[], index: number): PhraseEntry<Cue> | null {
  let best: PhraseEntry<UserValence> | null = null;
  for (const matcher of rules.phrases) {
    const entry = matcher.longestAt(tokens, index);
    if (entry && (!best || entry.words.length > best.words.length)) best = entry;
  }
  if (!best) return null;
  const cue: Cue = { kind: 'valence', weight: best.value.weight, source: 'user-rule', selfNegated: false, endsNegated: false, polite: false, label: best.value.label };
  return { source: best.source, words: best.words, value: cue };
}

/**
 * The negation in force while a text is walked: the last negator, how far it reaches, and whether it
 * has found anything to negate yet. One, reused (analysis is synchronous and not re-entrant): as
 * state shared by closures it cost an allocation per text and kept every access in memory.
 */
class Negation {
  /** The last word position it reaches; -1 when none is in force. */
  through = -1;
  match = '';
  /** The word position of the negator. */
  pos = -1;
  /** It has negated a sentiment word. */
  used = true;
  /** A word stood after it while in force. */
  hasWord = false;

  reset(): void {
    this.through = -1;
    this.match = '';
    this.pos = -1;
    this.used = true;
    this.hasWord = false;
  }

  /** Ends the negation in force; one that negated no sentiment word, with words after it, counts as a mild complaint. */
  close(contributions: Contributions, zone: number): void {
    if (!this.used && this.hasWord && DANGLING_NEGATION !== 0) {
      contributions.add('negation', this.match, DANGLING_NEGATION, 'negates no sentiment word: something does not happen', zone, false);
    }
    this.through = -1;
    this.used = true;
  }

  /** A negator `match` at word position `pos`: closes the one in force, and reaches NEGATION_SCOPE words on. */
  open(contributions: Contributions, zone: number, match: string, pos: number): void {
    this.close(contributions, zone);
    this.through = pos + NEGATION_SCOPE;
    this.match = match;
    this.pos = pos;
    this.used = false;
    this.hasWord = false;
  }
}

const textNegation = new Negation();

/**
 * The result of a walk that does not explain (bulk classification): one object, reused, so that such a
 * walk makes none (with the tags' own, 120 bytes of a text's 700, ~2% of its time). Its caller reads it
 * before the next walk. Its first score is not a small integer, so that the field holds doubles from the start.
 */
const bulkResult: SentimentResult = { sentiment: 'neutral', score: Number.NaN, evidence: NONE };

/**
 * As analyzeSentiment, over a text the caller has scanned (classification scans once). With user
 * rules, `tokens` are the stream's tokens as objects (what their matchers read). Without `explain`,
 * the result is one object reused from walk to walk: read it before the next.
 */
export function analyzeStream(stream: TokenStream, tokens: readonly Token[] | null, user: UserSentimentRules | null, explain = true): SentimentResult {
  const text = stream.text;
  const contributions = textContributions;
  contributions.reset(explain);
  const { zones, asked } = contributions;
  // Contrast, exclamation and question evidence, listed after the contributions (most texts have none).
  let modifiersSeen: Evidence[] | null = null;
  const negation = textNegation;
  negation.reset();
  let boostedThrough = -1;
  let boost = 1;
  let booster = '';
  let boosterPos = -1;
  let irrealis = '';
  let sarcasm = '';
  // Contrast: where the current sentence's contributions start, and the zone new ones fall in.
  let sentenceStart = 0;
  let sentenceHasWord = false;
  let zone = ZONE_NONE;
  let concessionUntilComma = false;
  let exclamations = 0;
  let questionFrom = 0;
  // A swear word that may intensify the next word: its contribution's index, position and factor.
  let intensifierAt = -1;
  let intensifierPos = -1;
  let intensifierFactor = 1;
  let mixedCase: boolean | null = null;

  const count = stream.count;
  for (let i = 0; i < count; i++) {
    const kind = stream.kind[i]!;
    const start = stream.start[i]!;
    if (kind === K_PUNCT) {
      let endsSentence = false;
      let asks = false;
      const end = stream.end[i]!;
      for (let k = start; k < end; k++) {
        const code = text.charCodeAt(k);
        if (code === 0x21) exclamations++;
        else if (code === 0x3f) asks = true;
        if (code === 0x21 || code === 0x3f || code === 0x2e || code === 0x2026 || code === 0x0a) endsSentence = true;
      }
      if (asks && questionFrom < contributions.count) {
        // The sentence this "?" ends is a question: what it says is asked, not asserted.
        for (let c = questionFrom; c < contributions.count; c++) asked[c] = true;
      }
      if (endsSentence) questionFrom = contributions.count;
      negation.close(contributions, zone);
      boostedThrough = -1;
      irrealis = '';
      intensifierAt = -1;
      if (endsSentence) {
        sentenceStart = contributions.count;
        sentenceHasWord = false;
        zone = ZONE_NONE;
        concessionUntilComma = false;
      } else if (concessionUntilComma) {
        concessionUntilComma = false;
        zone = ZONE_AFTER_CONTRAST;
      }
      continue;
    }
    if (kind === K_URL) continue;
    const isWord = kind === K_WORD;
    // The character before a word, read once: "@" and "_" make it part of a name, "#" of a hashtag.
    const before = isWord && start > 0 ? text.charCodeAt(start - 1) : 0;
    // Parts of @handles and e-mail addresses ("@lie_2_me", "help@acme.com") are names, not words.
    if (isNameMark(before)) continue;
    const pos = stream.pos[i]!;
    if (pos > negation.through && negation.through >= 0) negation.close(contributions, zone);
    const facts = isWord ? factsAt(stream, i) : null;
    if (facts === INERT_WORD && user === null && before !== 0x23) {
      // Most words: no cue, nothing to squeeze, not a hashtag, no user rules; what is left of the walk below for them.
      sentenceHasWord = true;
      if (negation.through >= 0 && pos > negation.pos) negation.hasWord = true;
      continue;
    }
    const entry =
      (user !== null ? userCueAt(user, tokens!, i) : null) ?? (facts !== null ? (facts.cues === null ? null : facts.cues.longestAt(stream, i)) : nonWordCueAt(stream, i));
    const atSentenceStart = !sentenceHasWord;
    sentenceHasWord = true;
    let cue: Cue;
    let stem: string | null = null;
    let stretched = false;
    let hashtagPart = '';
    if (entry) cue = entry.value;
    else {
      let found: Cue | undefined;
      if (facts !== null) {
        const name = facts.cyrillic && !atSentenceStart && isCapitalised(text, start);
        if (!facts.cyrillic) found = facts.base;
        else if (!name) {
          found = facts.stemmed;
          if (found) stem = facts.stem;
        }
        if (found === undefined && facts.stretched) {
          // "goooood", "урааа": letters repeated for emphasis; try the word with runs cut to two letters, then to one.
          const word = normAt(stream, i);
          found = squeezedCue(word, 2, name) ?? squeezedCue(word, 1, name);
          stretched = found !== undefined;
        }
        if (found === undefined && before === 0x23) {
          const part = hashtagCue(normAt(stream, i));
          if (part) {
            found = part[1];
            hashtagPart = part[0];
          }
        }
      }
      if (found === undefined) {
        if (facts !== null && facts.negatorSuffix) negation.open(contributions, zone, text.slice(start, stream.end[i]!), pos);
        else if (negation.through >= 0 && pos > negation.pos) negation.hasWord = true;
        continue;
      }
      cue = found;
    }
    const at = i;
    const last = entry ? i + entry.words.length - 1 : i;
    const lastPos = stream.pos[last]!;
    // Without `explain`, only irrealis and sarcasm markers keep their text: it also says that one was seen.
    const match = explain || cue.kind === 'irrealis' || cue.kind === 'sarcasm' ? text.slice(start, stream.end[last]!) : '';
    if (entry) i = last;
    switch (cue.kind) {
      case 'negator':
        negation.open(contributions, zone, match, lastPos);
        break;
      case 'booster':
        boostedThrough = lastPos + BOOSTER_SCOPE;
        boost = cue.factor;
        booster = match;
        boosterPos = pos;
        if (negation.through >= 0 && pos > negation.pos) negation.hasWord = true;
        break;
      case 'irrealis':
        irrealis = match;
        break;
      case 'sarcasm':
        sarcasm = match;
        break;
      case 'contrast':
        negation.close(contributions, zone);
        boostedThrough = -1;
        irrealis = '';
        if (cue.concessive) {
          if (atSentenceStart) {
            // "Although X, Y": X concedes, Y is what the writer means.
            zone = ZONE_CONCESSION;
            concessionUntilComma = true;
          } else {
            // "Y, although X": the same, in the other order.
            for (let c = sentenceStart; c < contributions.count; c++) zones[c] = ZONE_AFTER_CONTRAST;
            zone = ZONE_CONCESSION;
          }
        } else {
          for (let c = sentenceStart; c < contributions.count; c++) zones[c] = ZONE_BEFORE_CONTRAST;
          zone = ZONE_AFTER_CONTRAST;
          concessionUntilComma = false;
        }
        if (explain) (modifiersSeen ??= []).push({ kind: 'contrast', match, weight: 0, note: cue.concessive ? `concession ×${CONTRAST_BEFORE}, main clause ×${CONTRAST_AFTER}` : `valence before ×${CONTRAST_BEFORE}, after ×${CONTRAST_AFTER} (this sentence)` });
        break;
      case 'valence': {
        let weight = cue.weight;
        if (weight === 0) {
          if (cue.label !== undefined) contributions.add('user-rule', match, 0, `${cue.label}: weight 0 replaces any shipped weight`, ZONE_NONE, false);
          break;
        }
        let note = cue.label ?? '';
        if (cue.source === 'lexicon' || cue.source === 'profanity' || cue.source === 'user-rule') {
          const negated = pos <= negation.through && !cue.selfNegated;
          const boosted = pos <= boostedThrough;
          if (negated) negation.used = true;
          if (negated && boosted && boost > 1 && boosterPos > negation.pos) {
            // "not very good", "не очень хорошо": the negation of an intensified word is a weaker opposite.
            weight *= DIMINISHED_NEGATION;
            if (explain) note = (note ? note + '; ' : '') + `negated by '${negation.match}' with '${booster}': diminished`;
          } else {
            if (boosted) {
              weight *= boost;
              if (explain) note = (note ? note + '; ' : '') + `×${boost} by '${booster}'`;
            }
            if (negated) {
              weight *= weight > 0 ? NEGATION_FACTOR : NEGATED_NEGATIVE_FACTOR;
              if (explain) note = (note ? note + '; ' : '') + `negated by '${negation.match}'`;
            }
          }
          if (startsUpperCase(text, start) && isShoutingAt(text, start, stream.end[at]!, normAt(stream, at), isWord)) {
            mixedCase ??= HAS_LOWER_CASE.test(text);
            if (mixedCase) {
              weight += Math.sign(weight) * SHOUTING_BOOST;
              if (explain) note = (note ? note + '; ' : '') + 'in capitals';
            }
          }
          if (irrealis !== '') {
            weight *= IRREALIS_FACTOR;
            if (explain) note = (note ? note + '; ' : '') + `not real: '${irrealis}'`;
          }
          if (intensifierAt >= 0 && pos - intensifierPos <= BOOSTER_SCOPE) {
            // "fucking amazing", "damn good": the swear word strengthens this word and adds nothing itself.
            contributions.weights[intensifierAt] = 0;
            weight *= intensifierFactor;
            if (contributions.items !== null) {
              const swear = contributions.items[intensifierAt]!;
              swear.weight = 0;
              swear.note = `intensifies '${match}'`;
              note = (note ? note + '; ' : '') + `×${intensifierFactor} by '${swear.match}'`;
            }
          }
        }
        if (!explain) note = '';
        else if (stem !== null) note = (note ? `stem '${stem}'; ` : `stem '${stem}'`) + note;
        else if (stretched) note = note ? 'stretched; ' + note : 'stretched';
        else if (hashtagPart !== '') note = `hashtag with '${hashtagPart}'`;
        intensifierAt = -1;
        const intensifier = entry !== null && entry.words.length > 1 ? 0 : facts !== null ? facts.intensifier : (PROFANE_INTENSIFIERS.get(normAt(stream, at)) ?? 0);
        if (intensifier !== 0) {
          intensifierAt = contributions.count;
          intensifierPos = pos;
          intensifierFactor = intensifier;
        }
        contributions.add(cue.source, match, weight, note !== '' ? note : undefined, zone, cue.polite);
        if (cue.endsNegated) {
          negation.open(contributions, zone, match, lastPos);
          negation.used = true;
        }
        break;
      }
    }
  }
  negation.close(contributions, zone);
  if (stream.bracketOutsideTokens) bracketSmileys(stream, contributions);
  if (user !== null) {
    for (const evidence of user.flat) contributions.add(evidence.kind, evidence.match, evidence.weight, evidence.note, ZONE_NONE, false);
  }

  const { weights, polite, items } = contributions;
  let negativeSeen = false;
  for (let c = 0; c < contributions.count; c++) if (!polite[c] && weights[c]! < 0) negativeSeen = true;
  let total = 0;
  let anyAsked = false;
  for (let c = 0; c < contributions.count; c++) {
    let weight = weights[c]!;
    // Explaining, each factor is also noted on the contribution's evidence.
    const evidence = items === null ? null : items[c]!;
    const where = zones[c]!;
    if (where !== ZONE_NONE) {
      weight *= where === ZONE_AFTER_CONTRAST ? CONTRAST_AFTER : CONTRAST_BEFORE;
      if (evidence !== null) {
        const said = where === ZONE_BEFORE_CONTRAST ? 'before a contrast' : where === ZONE_AFTER_CONTRAST ? 'after a contrast' : 'in a concession';
        evidence.note = evidence.note ? evidence.note + '; ' + said : said;
      }
    }
    if (polite[c] && negativeSeen && weight > 0) {
      weight *= POLITENESS_IN_COMPLAINT;
      if (evidence !== null) evidence.note = (evidence.note ? evidence.note + '; ' : '') + 'politeness beside a complaint';
    }
    if (asked[c]) {
      weight *= weight > 0 ? QUESTION_FACTOR : QUESTION_FACTOR_NEGATIVE;
      if (evidence !== null) evidence.note = (evidence.note ? evidence.note + '; ' : '') + 'in a question';
      anyAsked = true;
    }
    if (sarcasm !== '' && weight > 0) {
      weight *= SARCASM_FACTOR;
      if (evidence !== null) evidence.note = (evidence.note ? evidence.note + '; ' : '') + `sarcasm marked by '${sarcasm}'`;
    }
    weight = round(weight, 3);
    if (evidence !== null) evidence.weight = weight;
    total += weight;
  }
  if (total !== 0 && exclamations > 0) {
    const amplification = Math.sign(total) * Math.min(exclamations, EXCLAMATION_MAX) * EXCLAMATION_BOOST;
    if (explain) (modifiersSeen ??= []).push({ kind: 'punctuation', match: '!'.repeat(Math.min(exclamations, EXCLAMATION_MAX)), weight: round(amplification, 3), note: 'exclamation amplifies' });
    total += amplification;
  }
  if (anyAsked && explain) {
    const note = `valence in a question: positive ×${QUESTION_FACTOR}, negative ×${QUESTION_FACTOR_NEGATIVE} (asked, not asserted)`;
    (modifiersSeen ??= []).push({ kind: 'question', match: '?', weight: 0, note });
  }
  const score = round(total / Math.sqrt(total * total + NORMALISATION_ALPHA), 4);
  if (items === null) {
    bulkResult.sentiment = sentimentOf(score);
    bulkResult.score = score;
    return bulkResult;
  }
  if (modifiersSeen !== null) for (const seen of modifiersSeen) items.push(seen);
  return { sentiment: sentimentOf(score), score, evidence: items };
}

const isWordChar = (code: number) => (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0xc0 && code !== 0xd7 && code !== 0xf7 && code < 0x2000);
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/**
 * Lone brackets used as smileys, common in Russian ("приобрету)", "деньги сняли("): a ")" that
 * closes nothing and a "(" that opens nothing. Brackets inside emoticon tokens are skipped, and
 * so are list markers ("1)", "b)").
 */
function bracketSmileys(stream: TokenStream, contributions: Contributions): void {
  const text = stream.text;
  let t = 0;
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x28 && code !== 0x29) continue;
    while (t < stream.count && stream.end[t]! <= i) t++;
    if (t < stream.count && stream.start[t]! <= i && (stream.kind[t] === K_EMOTICON || stream.kind[t] === K_URL)) continue;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x20;
    if (code === 0x28) {
      // Sad only where nothing follows in the clause ("деньги сняли(", "опять( "); else it opens a parenthesis.
      if (next === 0x20 || next === 0x0a || next === 0x2e || next === 0x2c || next === 0x21 || next === 0x3f) contributions.add('emoji', '(', BRACKET_FROWN, BRACKET_NOTE, ZONE_NONE, false);
      else open++;
      continue;
    }
    if (open > 0) {
      open--;
      continue;
    }
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0x20;
    const beforePrev = i > 1 ? text.charCodeAt(i - 2) : 0x20;
    if (isDigit(prev) || (isWordChar(prev) && !isWordChar(beforePrev))) continue;
    if (isWordChar(next) || next === 0x28 || next === 0x29) continue;
    contributions.add('emoji', ')', BRACKET_SMILE, BRACKET_NOTE, ZONE_NONE, false);
  }
}

const BRACKET_NOTE = 'a lone bracket as a smiley';
