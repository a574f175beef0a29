/**
 * Profanity in printed text: where it stands, and the text with it masked. Kept apart from the
 * sentiment rules (which weigh the same list, lexicons/profanity.json) so that a command printing
 * mentions loads only the word list, not the lexicons.
 */
import profanityList from './lexicons/profanity.json' with { type: 'json' };
import { PhraseMatcher } from './patterns.js';
import { tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';

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
