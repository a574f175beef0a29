/**
 * Lexicon-and-rules sentiment in the manner of VADER, over our own ru/en lexicons.
 *
 * Each lexicon hit contributes its valence, adjusted by what stands before it in the same
 * clause (a booster multiplies, a negator within `negationScope` words flips and damps it,
 * capitals add weight); a contrast word ("but", "но") lets the clause after it outweigh the one
 * before; exclamation marks amplify the total and a question damps it. The total is squashed
 * into [-1, 1] by x/√(x²+α). All words and constants live in the JSON files under lexicons/.
 */
import emojiLexicon from './lexicons/emoji.json' with { type: 'json' };
import enLexicon from './lexicons/en.json' with { type: 'json' };
import modifiers from './lexicons/modifiers.json' with { type: 'json' };
import profanityList from './lexicons/profanity.json' with { type: 'json' };
import ruLexicon from './lexicons/ru.json' with { type: 'json' };
import { PhraseMatcher, parsePatternWords } from './patterns.js';
import type { PhraseEntry } from './patterns.js';
import { isShouting, tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';
import type { Evidence, Sentiment, SentimentResult } from './types.js';

type ValenceSource = 'lexicon' | 'emoji' | 'profanity';

type Cue =
  | {
      kind: 'valence';
      weight: number;
      source: ValenceSource;
      /** The entry starts with a negator ("не работает", "no one answers"): a negator before it does not flip it again. */
      selfNegated: boolean;
      /** The entry ends with a negator ("до сих пор не"): it negates what follows, as the negator alone would. */
      endsNegated: boolean;
    }
  | { kind: 'negator' }
  | { kind: 'booster'; factor: number }
  | { kind: 'contrast' };

const NEGATION_SCOPE = modifiers.negationScope;
const NEGATION_FACTOR = modifiers.negationFactor;
const BOOSTER_SCOPE = modifiers.boosterScope;
const NEGATOR_SUFFIXES: readonly string[] = modifiers.negatorSuffixes;
const HAS_LOWER_CASE = /\p{Ll}/u;

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
      add(pattern, { kind: 'valence', weight, source, selfNegated, endsNegated }, file);
    }
  };
  addValence(enLexicon.entries, 'lexicon', 'en.json');
  addValence(ruLexicon.entries, 'lexicon', 'ru.json');
  addValence(emojiLexicon.entries, 'emoji', 'emoji.json');
  for (const pattern of profanityList.entries) {
    add(pattern, { kind: 'valence', weight: profanityList.weight, source: 'profanity', selfNegated: false, endsNegated: false }, 'profanity.json');
  }
  for (const pattern of modifiers.negators) add(pattern, { kind: 'negator' }, 'modifiers.json');
  for (const [pattern, factor] of Object.entries(modifiers.boosters)) add(pattern, { kind: 'booster', factor }, 'modifiers.json');
  for (const pattern of modifiers.contrast) add(pattern, { kind: 'contrast' }, 'modifiers.json');
  const entries: PhraseEntry<Cue>[] = [];
  for (const [source, { cue }] of bySource) entries.push({ source, words: parsePatternWords(source), value: cue });
  return new PhraseMatcher(entries);
}

const CUES = buildCues();

/** Profanity patterns (ru, en), for masking in output. */
export const PROFANITY_PATTERNS: readonly string[] = profanityList.entries;
const PROFANITY = PhraseMatcher.fromSources(profanityList.entries.map((pattern) => [pattern, true] as const));

export interface TextSpan {
  start: number;
  end: number;
}

/** Where profanity stands in a text (character offsets). */
export function findProfanity(text: string, tokens: readonly Token[] = tokenize(text)): TextSpan[] {
  const spans: TextSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const entry = PROFANITY.longestAt(tokens, i);
    if (!entry) continue;
    const last = tokens[i + entry.words.length - 1]!;
    spans.push({ start: tokens[i]!.start, end: last.end });
    i += entry.words.length - 1;
  }
  return spans;
}

/** The text with every profane word masked after its first letter ("fuck" → "f***"). */
export function maskProfanity(text: string): string {
  const spans = findProfanity(text);
  if (spans.length === 0) return text;
  let masked = '';
  let at = 0;
  for (const { start, end } of spans) {
    const first = String.fromCodePoint(text.codePointAt(start)!);
    masked += text.slice(at, start) + first + '*'.repeat(Math.max(1, end - start - first.length));
    at = end;
  }
  return masked + text.slice(at);
}

function isNegatorBySuffix(token: Token): boolean {
  if (token.kind !== 'word') return false;
  for (const suffix of NEGATOR_SUFFIXES) if (token.text.endsWith(suffix)) return true;
  return false;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function sentimentOf(score: number): Sentiment {
  if (score >= modifiers.neutralBand) return 'positive';
  if (score <= -modifiers.neutralBand) return 'negative';
  return 'neutral';
}

/**
 * Sentiment of a text. Evidence lists every contribution on the raw valence scale
 * (before squashing into [-1, 1]), with notes on what changed it.
 *
 * `lang` is accepted for language-specific rules to come (stemming); today both lexicons apply
 * to every text, since Russian posts mix in English words and the two scripts never collide.
 */
export function analyzeSentiment(text: string, lang: string | null = null): SentimentResult {
  return analyzeTokens(text, tokenize(text), lang);
}

/** As analyzeSentiment, over tokens the caller already has (classification tokenizes once). */
export function analyzeTokens(text: string, tokens: readonly Token[], _lang: string | null = null): SentimentResult {
  const contributions: Evidence[] = [];
  const modifiersSeen: Evidence[] = [];
  let negatedThrough = -1;
  let negator = '';
  let boostedThrough = -1;
  let boost = 1;
  let booster = '';
  let contrastAt = -1;
  let exclamations = 0;
  let asks = false;
  let mixedCase: boolean | null = null;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct') {
      for (let k = 0; k < token.text.length; k++) {
        const code = token.text.charCodeAt(k);
        if (code === 0x21) exclamations++;
        else if (code === 0x3f) asks = true;
      }
      negatedThrough = -1;
      boostedThrough = -1;
      continue;
    }
    if (token.kind === 'url') continue;
    const entry = CUES.longestAt(tokens, i);
    if (!entry) {
      if (isNegatorBySuffix(token)) {
        negatedThrough = token.pos + NEGATION_SCOPE;
        negator = text.slice(token.start, token.end);
      }
      continue;
    }
    const last = tokens[i + entry.words.length - 1]!;
    const match = text.slice(token.start, last.end);
    i += entry.words.length - 1;
    const cue = entry.value;
    switch (cue.kind) {
      case 'negator':
        negatedThrough = last.pos + NEGATION_SCOPE;
        negator = match;
        break;
      case 'booster':
        boostedThrough = last.pos + BOOSTER_SCOPE;
        boost = cue.factor;
        booster = match;
        break;
      case 'contrast':
        contrastAt = contributions.length;
        negatedThrough = -1;
        boostedThrough = -1;
        modifiersSeen.push({ kind: 'contrast', match, weight: 0, note: `valence before ×${modifiers.contrastBefore}, after ×${modifiers.contrastAfter}` });
        break;
      case 'valence': {
        let weight = cue.weight;
        const notes: string[] = [];
        if (cue.source !== 'emoji') {
          if (token.pos <= boostedThrough) {
            weight *= boost;
            notes.push(`×${boost} by '${booster}'`);
          }
          if (isShouting(text, token)) {
            mixedCase ??= HAS_LOWER_CASE.test(text);
            if (mixedCase) {
              weight += Math.sign(weight) * modifiers.shoutingBoost;
              notes.push('in capitals');
            }
          }
          if (token.pos <= negatedThrough && !cue.selfNegated) {
            weight *= NEGATION_FACTOR;
            notes.push(`negated by '${negator}'`);
          }
        }
        const evidence: Evidence = { kind: cue.source, match, weight };
        if (notes.length > 0) evidence.note = notes.join('; ');
        contributions.push(evidence);
        if (cue.endsNegated) {
          negatedThrough = last.pos + NEGATION_SCOPE;
          negator = match;
        }
        break;
      }
    }
  }

  let total = 0;
  for (let c = 0; c < contributions.length; c++) {
    const evidence = contributions[c]!;
    if (contrastAt >= 0) {
      const factor = c < contrastAt ? modifiers.contrastBefore : modifiers.contrastAfter;
      evidence.weight *= factor;
      evidence.note = (evidence.note ? evidence.note + '; ' : '') + (c < contrastAt ? 'before a contrast' : 'after a contrast');
    }
    evidence.weight = round(evidence.weight, 3);
    total += evidence.weight;
  }
  if (total !== 0 && exclamations > 0) {
    const amplification = Math.sign(total) * Math.min(exclamations, modifiers.exclamationMax) * modifiers.exclamationBoost;
    modifiersSeen.push({ kind: 'punctuation', match: '!'.repeat(Math.min(exclamations, modifiers.exclamationMax)), weight: round(amplification, 3), note: 'exclamation amplifies' });
    total += amplification;
  }
  if (total !== 0 && asks) {
    const damping = total * (modifiers.questionFactor - 1);
    modifiersSeen.push({ kind: 'question', match: '?', weight: round(damping, 3), note: 'a question is less certain' });
    total += damping;
  }
  const score = round(total / Math.sqrt(total * total + modifiers.normalisationAlpha), 4);
  return { sentiment: sentimentOf(score), score, evidence: contributions.concat(modifiersSeen) };
}
