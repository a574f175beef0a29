/**
 * Intent tags (urgent, complaint, question, lead, praise), constructive / non-constructive for
 * negative mentions, and spam, by weighted phrase rules kept as data in rules/tags.json and
 * rules/spam.json. Every pattern of every rule set is compiled into one phrase matcher, so a
 * text is scanned once for all of them; numbers (order ids, amounts, dates), links, hashtags and
 * @handles are read in the same pass, by character codes. Every hit behind a decision goes into
 * the evidence with its weight.
 *
 * Scoring, per rule set:
 *   intent tags   sum of the weights of every hit ≥ the set's threshold (urgent: unless the
 *                 sentiment is positive; praise: only when it is positive); a '?' is a question
 *   constructive  best hit of each group (failure, feature, when) + each kind of detail found
 *                 (id, amount, date, duration) ≥ threshold; decided only for a negative mention
 *                 (negative sentiment, or a complaint not scored positive): constructive when it
 *                 names a concrete problem, else non-constructive
 *   spam          sum of pattern hits, near rules that hold, links, link-only, too many hashtags
 *                 or handles ≥ threshold
 */
import spamRules from './rules/spam.json' with { type: 'json' };
import tagRules from './rules/tags.json' with { type: 'json' };
import { PhraseMatcher, parsePatternWords } from './patterns.js';
import type { Continuations, PhraseEntry } from './patterns.js';
import { K_PUNCT, K_URL, K_WORD, normAt } from './tokenize.js';
import type { TokenStream } from './tokenize.js';
import { MAX_WORDS, vocabularyGeneration, wordMemo } from './vocabulary.js';
import { NONE } from './types.js';
import type { Evidence, SentimentResult } from './types.js';

/** Tags in the order they are reported. */
export const TAG_NAMES = ['urgent', 'complaint', 'question', 'lead', 'praise', 'constructive', 'non-constructive'] as const;
export type TagName = (typeof TAG_NAMES)[number];

// ---------------------------------------------------------------------------
// Compiling the rule files (once, at module load)

/** Rule sets scored by the matcher. Groups (failure, feature, when) count their best hit once; the others sum every hit. */
const SETS = ['urgent', 'complaint', 'question', 'lead', 'praise', 'abuse', 'failure', 'feature', 'when', 'spam'] as const;
type SetName = (typeof SETS)[number];

const URGENT = 0;
const COMPLAINT = 1;
const QUESTION = 2;
const LEAD = 3;
const PRAISE = 4;
const ABUSE = 5;
const FAILURE = 6;
const FEATURE = 7;
const WHEN = 8;
const SPAM = 9;
const GROUPS: readonly number[] = [FAILURE, FEATURE, WHEN];

interface PatternSource {
  patterns?: Record<string, unknown>;
  exact?: Record<string, unknown>;
}

function sourceOf(set: SetName): PatternSource {
  switch (set) {
    case 'abuse':
      return tagRules.abuse;
    case 'failure':
    case 'feature':
    case 'when':
      return tagRules.constructive[set];
    case 'spam':
      return spamRules;
    default:
      return tagRules.tags[set];
  }
}

function thresholdOf(set: SetName): number {
  switch (set) {
    case 'abuse':
    case 'failure':
    case 'feature':
    case 'when':
      return Number.POSITIVE_INFINITY; // scored as parts of non-constructive / constructive, never alone
    case 'spam':
      return spamRules.threshold;
    default:
      return tagRules.tags[set].threshold;
  }
}

const THRESHOLDS: readonly number[] = SETS.map(thresholdOf);
const CONSTRUCTIVE_THRESHOLD = tagRules.constructive.threshold;
const SPAM_THRESHOLD = spamRules.threshold;

/** What a matcher entry stands for: a weighted pattern of a set, or one side of a near rule. */
interface RuleValue {
  /** Index into SETS, or -1 for a near-rule side. */
  set: number;
  weight: number;
  /** Index into NEAR_RULES, or -1. */
  near: number;
  /** 0 for side a, 1 for side b. */
  side: number;
}

interface NearRule {
  name: string;
  weight: number;
  within: number;
}

/**
 * Adds a set's patterns. Two patterns of a set that match the same words ("не работает" and
 * "не работают" by stem) would count one occurrence twice: the first one written is kept.
 */
function ruleEntries(set: number, table: Record<string, unknown> | undefined, stem: boolean, seen: Set<string>, out: PhraseEntry<RuleValue>[]): void {
  if (!table) return;
  for (const [source, weight] of Object.entries(table)) {
    if (source.startsWith('_')) continue;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new Error(`rule "${source}" of ${SETS[set]!}: the weight must be a number`);
    const words = parsePatternWords(source, { stem });
    const key = words.map((w) => (w.prefix ? `${w.text}*` : w.stem !== null ? `~${w.stem}` : w.text)).join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ source, words, value: { set, weight, near: -1, side: 0 } });
  }
}

function isNearRule(value: unknown): value is { weight: number; within: number; a: string[]; b: string[] } {
  if (typeof value !== 'object' || value === null) return false;
  const rule = value as Record<string, unknown>;
  const words = (side: unknown) => Array.isArray(side) && side.length > 0 && side.every((w) => typeof w === 'string');
  return typeof rule['weight'] === 'number' && Number.isInteger(rule['within']) && words(rule['a']) && words(rule['b']);
}

function compileRules(): { matcher: PhraseMatcher<RuleValue>; near: NearRule[] } {
  const entries: PhraseEntry<RuleValue>[] = [];
  SETS.forEach((set, index) => {
    const source = sourceOf(set);
    const seen = new Set<string>();
    ruleEntries(index, source.patterns, true, seen, entries);
    ruleEntries(index, source.exact, false, seen, entries);
  });
  const near: NearRule[] = [];
  for (const [name, rule] of Object.entries(spamRules.near as Record<string, unknown>)) {
    if (name.startsWith('_')) continue;
    if (!isNearRule(rule)) throw new Error(`spam near rule "${name}": needs weight, within and non-empty word lists a and b`);
    const index = near.length;
    near.push({ name, weight: rule.weight, within: rule.within });
    [rule.a, rule.b].forEach((side, sideIndex) => {
      for (const source of side) entries.push({ source, words: parsePatternWords(source), value: { set: -1, weight: 0, near: index, side: sideIndex } });
    });
  }
  return { matcher: new PhraseMatcher(entries), near };
}

const { matcher: MATCHER, near: NEAR_RULES } = compileRules();

const DETAILS = tagRules.constructive.details;
const fold = (word: string) => word.toLocaleLowerCase('und').replaceAll('ё', 'е');
const ID_WORDS: ReadonlySet<string> = new Set(DETAILS.idWords.map(fold));
const CURRENCIES: ReadonlySet<string> = new Set(DETAILS.currencies.map(fold));
const MONTHS: ReadonlySet<string> = new Set(DETAILS.months.map(fold));
const TIME_UNITS: ReadonlySet<string> = new Set(DETAILS.timeUnits.map(fold));
const CURRENCY_SYMBOLS: ReadonlySet<number> = new Set([...DETAILS.currencySymbols].map((c) => c.charCodeAt(0)));

const LINKS = spamRules.links;
const HASHTAGS = spamRules.hashtags;
const HANDLES = spamRules.handles;

// ---------------------------------------------------------------------------
// Analysis

export interface TagResult {
  tags: TagName[];
  spam: boolean;
  /** The rule hits behind each fired tag, behind constructive / non-constructive and behind spam, with their weights. */
  evidence: readonly Evidence[];
}

interface Hit {
  set: number;
  source: string;
  weight: number;
  start: number;
  end: number;
}

/** Kinds of detail, as indexes into Details. */
const ID = 0;
const AMOUNT = 1;
const DATE = 2;
const DURATION = 3;
const DETAIL_NOTES: readonly string[] = ['an order, ticket or account number', 'an amount of money', 'a date or time', 'a duration'];
const DETAIL_WEIGHTS: readonly number[] = [DETAILS.id, DETAILS.amount, DETAILS.date, DETAILS.duration];

interface Span {
  start: number;
  end: number;
}

/** The first span of each kind of detail (ID, AMOUNT, DATE, DURATION), or null. */
type Details = [Span | null, Span | null, Span | null, Span | null];

interface NearState {
  /** Per side, of its last hit: the word position it ends at (-1: none yet), where it starts in the text, its pattern. */
  toPos: [number, number];
  start: [number, number];
  source: [string, string];
  /** Set once the rule holds; it counts once. */
  hit: Hit | null;
}

// Reused across calls (analyzeTags is synchronous and not re-entrant).
const found: PhraseEntry<RuleValue>[] = [];
const textDetails: Details = [null, null, null, null];
/** Never pushed to: hits are pushed only with evidence. */
const NO_HITS: Hit[] = [];
const scores = new Float64Array(SETS.length);
/** The rule patterns each word can start (MATCHER.continuationsOf), kept per word (see vocabulary.ts); null for none. */
const wordRules = wordMemo<Continuations<RuleValue> | null>(null);

const rulesStartingWithWord = (word: string) => MATCHER.continuationsOf(word, true);

/** The rule patterns token t can start: kept per word; made now for other tokens. */
function candidatesAt(stream: TokenStream, t: number): Continuations<RuleValue> | null {
  const id = stream.word[t]!;
  return id < 0 ? MATCHER.continuationsOf(normAt(stream, t), stream.kind[t] === K_WORD) : wordRules.of(id, rulesStartingWithWord);
}

/**
 * The tags of a text as analyzeTags finds them, in one list reused from text to text (entries past
 * the text's count are stale) and copied out at their number: a new list grew room for sixteen at
 * its first tag, 144 bytes a tagged text.
 */
const gathered: TagName[] = [];

/** The result of analyzeTags without evidence: one object, reused (see sentiment.ts's bulkResult); its `tags` are the text's own. */
const bulkResult: TagResult = { tags: [], spam: false, evidence: NONE };

/**
 * Intent tags and spam for a scanned text, given its sentiment. Without `withEvidence`, the evidence is
 * left empty and the result is one object reused from call to call (its tags list is new each time):
 * read it before the next.
 */
export function analyzeTags(stream: TokenStream, sentiment: SentimentResult, withEvidence = true): TagResult {
  const text = stream.text;
  // A loop, not scores.fill(0): fill is a call into the runtime (a two-word text's tags took 82 ns with it, 38 without).
  for (let set = 0; set < scores.length; set++) scores[set] = 0;
  // Hits are kept only for the evidence: without it, one shared empty list.
  const hits: Hit[] = withEvidence ? [] : NO_HITS;
  const details = textDetails;
  details[0] = details[1] = details[2] = details[3] = null;
  let nearStates: NearState[] | null = null;
  let words = 0;
  let urls = 0;
  let hashtags = 0;
  let handles = 0;
  let asks = false;

  for (let i = 0; i < stream.count; i++) {
    const kind = stream.kind[i]!;
    if (kind === K_PUNCT) {
      if (!asks) asks = hasQuestionMark(text, stream.start[i]!, stream.end[i]!);
      continue;
    }
    if (kind === K_URL) {
      urls++;
      continue;
    }
    const start = stream.start[i]!;
    if (kind === K_WORD) {
      words++;
      // The text's own character, not the folded word's: the same digit, without reading a string kept elsewhere in memory.
      if (isDigit(text.charCodeAt(start))) readNumber(stream, i, details);
      else if (start > 0) {
        const before = text.charCodeAt(start - 1);
        if (before === HASH) hashtags++;
        else if (before === AT) handles++;
      }
    }
    const candidates = candidatesAt(stream, i);
    if (candidates === null) continue;
    const count = candidates.collectAt(stream, i, found);
    for (let k = 0; k < count; k++) {
      const entry = found[k]!;
      const value = entry.value;
      const last = i + entry.words.length - 1;
      if (value.set === -1) {
        nearStates ??= NEAR_RULES.map(newNearState);
        nearHit(nearStates[value.near]!, NEAR_RULES[value.near]!, value.side, entry.source, stream.pos[i]!, start, stream.pos[last]!, stream.end[last]!);
        continue;
      }
      const set = value.set;
      if (set === FAILURE || set === FEATURE || set === WHEN) scores[set] = Math.max(scores[set]!, value.weight);
      else scores[set]! += value.weight;
      // Hits are read only for the evidence.
      if (withEvidence) hits.push({ set, source: entry.source, weight: value.weight, start, end: stream.end[last]! });
    }
  }

  // Null when no evidence is wanted: every explanation below is then skipped, its notes never built.
  const evidence: Evidence[] | null = withEvidence ? [] : null;

  const positive = sentiment.sentiment === 'positive';
  const negative = sentiment.sentiment === 'negative';
  let constructiveScore = 0;
  for (const group of GROUPS) constructiveScore += scores[group]!;
  for (let kind = ID; kind <= DURATION; kind++) if (details[kind] !== null) constructiveScore += DETAIL_WEIGHTS[kind]!;
  const constructive = constructiveScore >= CONSTRUCTIVE_THRESHOLD;

  let tagCount = 0;
  if (fired(URGENT) && !positive) {
    gathered[tagCount++] = 'urgent';
    explainHits(evidence, hits, text, URGENT, 'urgent');
  }
  const complaintRule = fired(COMPLAINT);
  const complaint = complaintRule || (negative && constructive);
  if (complaint) {
    gathered[tagCount++] = 'complaint';
    if (complaintRule) explainHits(evidence, hits, text, COMPLAINT, 'complaint');
    else evidence?.push({ kind: 'rule', match: '', weight: 0, note: 'complaint: negative and names a concrete problem' });
  }
  if (fired(QUESTION) || asks) {
    gathered[tagCount++] = 'question';
    if (fired(QUESTION)) explainHits(evidence, hits, text, QUESTION, 'question');
    else evidence?.push({ kind: 'rule', match: '?', weight: 0, note: 'question: asks something' });
  }
  if (fired(LEAD)) {
    gathered[tagCount++] = 'lead';
    explainHits(evidence, hits, text, LEAD, 'lead');
  }
  if (fired(PRAISE) && positive) {
    gathered[tagCount++] = 'praise';
    explainHits(evidence, hits, text, PRAISE, 'praise');
  }
  // A complaint the lexicons scored neutral is still a negative mention; one scored positive is not.
  if (negative || (complaintRule && !positive)) {
    const label = constructive ? 'constructive' : 'non-constructive';
    gathered[tagCount++] = label;
    if (evidence !== null) {
      explainHits(evidence, hits, text, FAILURE, `${label}: a failure`);
      explainHits(evidence, hits, text, FEATURE, `${label}: names a feature`);
      explainHits(evidence, hits, text, WHEN, `${label}: a time`);
    }
    for (let kind = ID; kind <= DURATION; kind++) {
      const span = details[kind];
      if (span) evidence?.push({ kind: 'rule', match: text.slice(span.start, span.end), weight: DETAIL_WEIGHTS[kind]!, note: `${label}: ${DETAIL_NOTES[kind]!}` });
    }
    if (!constructive) explainHits(evidence, hits, text, ABUSE, 'non-constructive: abuse');
    const verdict = constructive ? 'names a concrete problem' : 'negative without a concrete problem';
    evidence?.push({ kind: 'rule', match: '', weight: 0, note: `${label}: ${verdict} (score ${round(constructiveScore)}, needs ${CONSTRUCTIVE_THRESHOLD})` });
  }

  const tags = gathered.slice(0, tagCount);
  const anySpamSignal = scores[SPAM] !== 0 || nearStates !== null || urls > 0 || hashtags > HASHTAGS.max || handles > HANDLES.max;
  const spam = anySpamSignal && spamOf(text, scores[SPAM]!, hits, nearStates, { words, urls, hashtags, handles }, evidence);
  if (evidence === null) {
    bulkResult.tags = tags;
    bulkResult.spam = spam;
    return bulkResult;
  }
  return { tags, spam, evidence };
}

/** A rule set's score reaches its threshold (scores as analyzeTags left them). */
function fired(set: number): boolean {
  return scores[set]! >= THRESHOLDS[set]!;
}

/** Evidence for the hits of one rule set, under `label` (none when evidence is not wanted). */
function explainHits(evidence: Evidence[] | null, hits: readonly Hit[], text: string, set: number, label: string): void {
  if (evidence === null) return;
  for (const hit of hits) {
    if (hit.set === set) evidence.push({ kind: 'rule', match: text.slice(hit.start, hit.end), weight: hit.weight, note: `${label} (${hit.source})` });
  }
}

/** Whether the spam signals reach the threshold; with `evidence` (null: none wanted), the hits and parts behind a verdict of spam. */
function spamOf(
  text: string,
  patternScore: number,
  hits: readonly Hit[],
  nearStates: readonly NearState[] | null,
  counts: { words: number; urls: number; hashtags: number; handles: number },
  evidence: Evidence[] | null,
): boolean {
  const parts: Evidence[] | null = evidence === null ? null : [];
  let score = patternScore;
  if (nearStates) {
    for (const state of nearStates) {
      if (!state.hit) continue;
      score += state.hit.weight;
      parts?.push({ kind: 'spam', match: text.slice(state.hit.start, state.hit.end), weight: state.hit.weight, note: `spam: ${state.hit.source}` });
    }
  }
  if (counts.urls > 0) {
    const weight = counts.urls * LINKS.weightEach;
    score += weight;
    parts?.push({ kind: 'spam', match: '', weight, note: `spam: ${counts.urls} link(s)` });
    if (counts.words <= LINKS.linkOnlyMaxWords) {
      score += LINKS.linkOnlyWeight;
      parts?.push({ kind: 'spam', match: '', weight: LINKS.linkOnlyWeight, note: `spam: the text is essentially a link (${counts.words} word(s) besides)` });
    }
  }
  if (counts.hashtags > HASHTAGS.max) {
    score += HASHTAGS.weight;
    parts?.push({ kind: 'spam', match: '', weight: HASHTAGS.weight, note: `spam: ${counts.hashtags} hashtags (more than ${HASHTAGS.max})` });
  }
  if (counts.handles > HANDLES.max) {
    score += HANDLES.weight;
    parts?.push({ kind: 'spam', match: '', weight: HANDLES.weight, note: `spam: ${counts.handles} @handles (more than ${HANDLES.max})` });
  }
  if (score < SPAM_THRESHOLD) return false;
  if (evidence === null || parts === null) return true;
  for (const hit of hits) {
    if (hit.set === SPAM) evidence.push({ kind: 'spam', match: text.slice(hit.start, hit.end), weight: hit.weight, note: `spam rule (${hit.source})` });
  }
  evidence.push(...parts, { kind: 'spam', match: '', weight: 0, note: `spam: score ${round(score)}, threshold ${SPAM_THRESHOLD}` });
  return true;
}

function newNearState(): NearState {
  return { toPos: [-1, -1], start: [0, 0], source: ['', ''], hit: null };
}

/** Records a hit of one side of a near rule; the rule holds when the other side was seen at most `within` words before. */
function nearHit(state: NearState, rule: NearRule, side: number, source: string, firstPos: number, start: number, lastPos: number, end: number): void {
  if (state.hit) return;
  const other = 1 - side;
  const otherTo = state.toPos[other]!;
  if (otherTo !== -1 && otherTo < firstPos && firstPos - otherTo - 1 <= rule.within) {
    const [a, b] = side === 0 ? [source, state.source[other]!] : [state.source[other]!, source];
    state.hit = { set: SPAM, source: `"${a}" near "${b}" (${rule.name})`, weight: rule.weight, start: state.start[other]!, end };
    return;
  }
  state.toPos[side] = lastPos;
  state.start[side] = start;
  state.source[side] = source;
}

// ---------------------------------------------------------------------------
// Numbers: order ids, amounts, dates, durations (by character codes, no regexes)

const HASH = 0x23;
const AT = 0x40;
const NUMERO = 0x2116; // №
const SPACE = 0x20;
const NBSP = 0xa0;
const NARROW_NBSP = 0x202f;

function hasQuestionMark(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (text.charCodeAt(k) === 0x3f) return true;
  return false;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function leadingDigits(word: string): number {
  let n = 0;
  while (n < word.length && isDigit(word.charCodeAt(n))) n++;
  return n;
}

function isSpace(code: number): boolean {
  return code === SPACE || code === NBSP || code === NARROW_NBSP;
}

/** The character code before `at`, skipping at most one space; NaN at the start. */
function codeBefore(text: string, at: number): number {
  let k = at - 1;
  if (k >= 0 && isSpace(text.charCodeAt(k))) k--;
  return k >= 0 ? text.charCodeAt(k) : Number.NaN;
}

/** The character code at `at`, skipping at most one space; NaN at the end. */
function codeAfter(text: string, at: number): number {
  let k = at;
  if (k < text.length && isSpace(text.charCodeAt(k))) k++;
  return k < text.length ? text.charCodeAt(k) : Number.NaN;
}

/** The word token next to stream token `index` in direction `step` (±1), across at most one punctuation token; -1 for none. */
function wordNear(stream: TokenStream, index: number, step: number): number {
  let k = index + step;
  if (k >= 0 && k < stream.count && stream.kind[k] === K_PUNCT && normAt(stream, k) !== '\n') k += step;
  return k >= 0 && k < stream.count && stream.kind[k] === K_WORD ? k : -1;
}

/**
 * What a word says as a number or beside one, as bits, so that reading a number's details reads
 * numbers, not the strings of it and its neighbours (a number's read cost ~0.19 µs, mostly waiting
 * for those strings and hashing them into four sets). Beside a number: NEAR_*. As a number: its
 * leading digits (capped at DIGITS_MAX, more than any rule compares), ALL_DIGITS, or the kind of
 * the unit written on ("1490р", "3дня").
 */
const NEAR_ID_WORD = 1;
const NEAR_CURRENCY = 2;
const NEAR_TIME_UNIT = 4;
const NEAR_MONTH = 8;
const UNIT_CURRENCY = 16;
const UNIT_TIME = 32;
const ALL_DIGITS = 64;
const DIGITS_SHIFT = 7;
const DIGITS_MAX = 127;
/** Set in every memo entry: 0 means not yet looked up. */
const NUMBER_FACTS_KNOWN = 1 << 15;
if (DETAILS.idMinDigits > DIGITS_MAX || DETAILS.idWordMinDigits > DIGITS_MAX) throw new Error('tags: a digit count in the rules exceeds what a word\'s number facts keep');

function numberFactsOf(word: string): number {
  let facts = NUMBER_FACTS_KNOWN;
  if (ID_WORDS.has(word)) facts |= NEAR_ID_WORD;
  if (CURRENCIES.has(word)) facts |= NEAR_CURRENCY;
  if (TIME_UNITS.has(word)) facts |= NEAR_TIME_UNIT;
  if (MONTHS.has(word)) facts |= NEAR_MONTH;
  const digits = leadingDigits(word);
  if (digits === word.length) facts |= ALL_DIGITS;
  else if (digits > 0) {
    const unit = word.slice(digits);
    if (CURRENCIES.has(unit)) facts |= UNIT_CURRENCY;
    else if (TIME_UNITS.has(unit)) facts |= UNIT_TIME;
  }
  return facts | (Math.min(digits, DIGITS_MAX) << DIGITS_SHIFT);
}

/** numberFactsOf per word id; emptied when the vocabulary starts again (its ids then stand for other words). */
const numberFactsById = new Uint16Array(MAX_WORDS);
let numberFactsGeneration = vocabularyGeneration();

function numberFactsAt(stream: TokenStream, t: number): number {
  const id = stream.word[t]!;
  if (id < 0) return numberFactsOf(normAt(stream, t));
  let facts = numberFactsById[id]!;
  if (facts === 0) numberFactsById[id] = facts = numberFactsOf(normAt(stream, t));
  return facts;
}

/** Reads the details a word starting with a digit gives: an id, an amount, a date, a duration. */
function readNumber(stream: TokenStream, index: number, details: Details): void {
  if (numberFactsGeneration !== vocabularyGeneration()) {
    numberFactsById.fill(0);
    numberFactsGeneration = vocabularyGeneration();
  }
  const text = stream.text;
  const start = stream.start[index]!;
  const end = stream.end[index]!;
  const facts = numberFactsAt(stream, index);
  if ((facts & ALL_DIGITS) === 0) {
    // "1490р", "10k", "3дня": a number with its unit written on
    if ((facts & UNIT_CURRENCY) !== 0) details[AMOUNT] ??= { start, end };
    else if ((facts & UNIT_TIME) !== 0) details[DURATION] ??= { start, end };
    return;
  }
  const digits = (facts >> DIGITS_SHIFT) & DIGITS_MAX;
  const before = wordNear(stream, index, -1);
  const after = wordNear(stream, index, 1);
  const beforeFacts = before === -1 ? 0 : numberFactsAt(stream, before);
  const afterFacts = after === -1 ? 0 : numberFactsAt(stream, after);
  const mark = codeBefore(text, start);
  const afterIdWord = (beforeFacts & NEAR_ID_WORD) !== 0;
  if (digits >= DETAILS.idMinDigits || mark === NUMERO || mark === HASH || (afterIdWord && digits >= DETAILS.idWordMinDigits)) {
    details[ID] ??= { start: afterIdWord ? stream.start[before]! : start, end };
  }
  if (CURRENCY_SYMBOLS.has(mark) || CURRENCY_SYMBOLS.has(codeAfter(text, end))) {
    details[AMOUNT] ??= { start, end };
  } else if ((afterFacts & NEAR_CURRENCY) !== 0) {
    details[AMOUNT] ??= { start, end: stream.end[after]! };
  }
  if ((afterFacts & NEAR_TIME_UNIT) !== 0) details[DURATION] ??= { start, end: stream.end[after]! };
  if (digits <= 2 && (afterFacts & NEAR_MONTH) !== 0) details[DATE] ??= { start, end: stream.end[after]! };
  else if (digits <= 2 && (beforeFacts & NEAR_MONTH) !== 0) details[DATE] ??= { start: stream.start[before]!, end };
  else if (isJoinedDate(text, end, digits)) details[DATE] ??= { start, end: end + 3 };
}

/** "12.03", "12/03", "14:30", "2026-03-12": digits joined to two more digits by . / : or (after a year) -. */
function isJoinedDate(text: string, end: number, digits: number): boolean {
  const sep = text.charCodeAt(end);
  const joined = sep === 0x2e || sep === 0x2f || sep === 0x3a ? digits <= 2 : sep === 0x2d && digits === 4;
  return joined && isDigit(text.charCodeAt(end + 1)) && isDigit(text.charCodeAt(end + 2)) && !isDigit(text.charCodeAt(end + 3));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
