import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Continuations, PhraseMatcher } from '../../src/classify/patterns.js';
import type { PhraseEntry } from '../../src/classify/patterns.js';
import { K_PUNCT, K_WORD, TokenStream, normAt, scanTokens, tokenize } from '../../src/classify/tokenize.js';

// Phrases sharing first words, with second words matched exactly, by prefix and by stem, so that the
// two lists of Continuations (listed by second word, tried every time) both take part and interleave.
const SOURCES = [
  'не',
  'не работает',
  'не работа*',
  'не могу',
  'не могу войти',
  'не отвечает',
  'не туда',
  'no',
  'no one answers',
  'no one',
  'no refund*',
  'no longer',
  'still waiting',
  'still',
  'still wait*',
];
const words = ['не', 'работает', 'работают', 'работу', 'могу', 'войти', 'отвечает', 'no', 'one', 'answers', 'refunds', 'longer', 'still', 'waiting', 'wait', '.', ',', '!', 'x'];

/** Fills the buffer collectAt writes into: it must come out of no count. */
const STALE: PhraseEntry<number> = { source: 'stale', words: [], value: -1 };

function build(stem: boolean): PhraseMatcher<number> {
  return PhraseMatcher.fromSources(SOURCES.map((source, k) => [source, k] as const), { stem });
}

/** The entries each token can start, through the stream and Continuations, as the classifier reads them. */
function continuationsAt(matcher: PhraseMatcher<number>, text: string): { all: number[][]; longest: Array<number | null> } {
  const stream = new TokenStream();
  scanTokens(text, stream);
  const all: number[][] = [];
  const longest: Array<number | null> = [];
  for (let t = 0; t < stream.count; t++) {
    const first: PhraseEntry<number>[] = [];
    if (stream.kind[t] !== K_PUNCT) matcher.collectFirst(normAt(stream, t), stream.kind[t] === K_WORD, first);
    const continuations = new Continuations(first);
    // A buffer with stale entries past what collectAt writes, as the classifier reuses one.
    const found: PhraseEntry<number>[] = new Array<PhraseEntry<number>>(8).fill(STALE);
    const count = continuations.collectAt(stream, t, found);
    all.push(found.slice(0, count).map((entry) => entry.value));
    longest.push(continuations.longestAt(stream, t)?.value ?? null);
  }
  return { all, longest };
}

/** The same through Token objects and PhraseMatcher.collectAt / longestAt, the definition. */
function matcherAt(matcher: PhraseMatcher<number>, text: string): { all: number[][]; longest: Array<number | null> } {
  const tokens = tokenize(text);
  const all: number[][] = [];
  const longest: Array<number | null> = [];
  for (let t = 0; t < tokens.length; t++) {
    const found: PhraseEntry<number>[] = [];
    matcher.collectAt(tokens, t, found);
    all.push(found.map((entry) => entry.value));
    longest.push(matcher.longestAt(tokens, t)?.value ?? null);
  }
  return { all, longest };
}

describe('Continuations (phrases continued by their second word)', () => {
  it('finds every phrase a word starts, in the matcher order, and the longest', () => {
    const matcher = build(true);
    const text = 'не могу войти, не работают. No one answers! still waiting; не';
    const { all, longest } = continuationsAt(matcher, text);
    expect(all[0]).toEqual([0, 3, 4]); // не, не могу, не могу войти
    expect(longest[0]).toBe(4);
    expect(all[4]).toEqual([0, 1, 2]); // не, не работает (by stem), не работа* (by prefix)
    expect(longest[4]).toBe(2); // two words either way: the last in order wins, as in the matcher
    expect({ all, longest }).toEqual(matcherAt(matcher, text));
  });

  it('agrees with PhraseMatcher on arbitrary sequences of the words, with and without stems', () => {
    for (const stem of [false, true]) {
      const matcher = build(stem);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...words), { maxLength: 12 }), (picked) => {
          const text = picked.join(' ');
          expect(continuationsAt(matcher, text)).toEqual(matcherAt(matcher, text));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('continues by a word that a matcher made after that word was first met lists as a later word', () => {
    const first = PhraseMatcher.fromSources([['qzx', 0] as const, ['qzx other', 1] as const]);
    const text = 'qzx qzwlater qzwstemmed';
    // Met after "qzx" while no pattern has "qzwlater" or a stem of "qzwstemmed" after its first word.
    expect(continuationsAt(first, text).all[0]).toEqual([0]);
    const later = PhraseMatcher.fromSources([['qzx qzwlater', 7] as const, ['qzwlater qzwstemmed', 8] as const], { stem: true });
    expect(continuationsAt(later, text).all).toEqual([[7], [8], []]);
    expect(continuationsAt(later, text)).toEqual(matcherAt(later, text));
  });
});
