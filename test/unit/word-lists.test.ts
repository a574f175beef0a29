import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/classify/patterns.js';
import { TokenStream, scanTokens, tokenize } from '../../src/classify/tokenize.js';
import { WordListSet } from '../../src/classify/word-lists.js';
import type { WordMatch } from '../../src/classify/word-lists.js';

// Lists that share words, phrases of different lengths at the same place, prefixes and stems (as
// exclude and context words are compiled: with stems), so that ties and the joint order matter.
const LISTS: ReadonlyArray<readonly string[] | null> = [
  ['кредит', 'кредит наличными', 'займ*'],
  null,
  ['acme bank', 'acme', 'bank*'],
  ['не работает', 'работа*', 'не'],
  ['refund', 'refund my money', 'money'],
  ['кредит наличными', 'кредит'],
];
const WORDS = ['кредит', 'кредита', 'наличными', 'займы', 'acme', 'bank', 'banking', 'не', 'работает', 'работу', 'refunds', 'refund', 'my', 'money', 'x', '.', ',', '!'];

const matchers = LISTS.map((words) => (words ? PhraseMatcher.fromSources(words.map((word) => [word, word] as const), { stem: true }) : null));

/** The definition: a list's first match, token by token through PhraseMatcher.longestAt over Token objects. */
function firstMatch(matcher: PhraseMatcher<string> | null, text: string): WordMatch | null {
  if (!matcher) return null;
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const entry = matcher.longestAt(tokens, i);
    if (entry) return { start: tokens[i]!.start, end: tokens[i + entry.words.length - 1]!.end, source: entry.source };
  }
  return null;
}

describe('WordListSet', () => {
  const set = new WordListSet(matchers);
  const firstMatches = (text: string) => {
    const stream = new TokenStream();
    scanTokens(text, stream);
    return [...set.firstMatches(stream)];
  };

  it('finds each list first match in one pass, as each list alone finds it', () => {
    const text = 'Acme Bank: кредит наличными не работает, refund my money!';
    expect(firstMatches(text)).toEqual(matchers.map((matcher) => firstMatch(matcher, text)));
    const found = firstMatches(text);
    expect(found[0]).toEqual({ start: 11, end: 27, source: 'кредит наличными' });
    expect(found[1]).toBeNull();
    expect(found[2]!.source).toBe('acme bank');
    expect(found[3]!.source).toBe('не работает');
  });

  it('agrees with the lists one by one on arbitrary texts of their words', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }), (words) => {
        const text = words.join(' ');
        expect(firstMatches(text)).toEqual(matchers.map((matcher) => firstMatch(matcher, text)));
      }),
      { numRuns: 500 },
    );
  });
});
