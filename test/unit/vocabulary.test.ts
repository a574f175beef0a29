import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyEvenOffTopic, compileTopics, textDraft } from '../../src/classify/index.js';
import { MAX_WORDS, MAX_WORD_LENGTH, hashStep, wordIdOf, wordText } from '../../src/classify/vocabulary.js';

// A topic, so that the memo its QuerySet keeps by word id is filled and read too.
const topics = compileTopics([{ name: 'acme', query: 'верните OR refund OR (отлично NEAR/2 довольна)', ownAccounts: [], exclude: [] }]);
const classify = (text: string) => classifyEvenOffTopic(textDraft(text, null), topics).classification;

/**
 * Classifies texts of made-up words until more than MAX_WORDS distinct words have been numbered,
 * so that the word memos hold something for ids the vocabulary then gives to other words. Each
 * stands beside a number, so that what tags keep of a number's neighbours is filled too.
 */
function floodVocabulary(): void {
  const perText = 1000;
  for (let n = 0; n <= MAX_WORDS + perText; n += perText) {
    const words: string[] = [];
    for (let k = n; k < n + perText; k++) words.push(`q${k.toString(36)} 7`);
    classify(words.join(' '));
  }
}

/** Pairs of different words with the same hash and length, found by a search over random words (the hash is not a secure one). */
const SAME_HASH_PAIRS: ReadonlyArray<[string, string]> = [
  ['muuwhzq', 'lhyooee'], // kept in the slot
  ['ciefpqonxnkdikrgthor', 'jnbkfeaeytcgcmzycwlj'], // longer than a slot keeps
];
const hashOf = (word: string) => [...word].reduce((hash, ch) => hashStep(hash, ch.charCodeAt(0)), 0);

describe('vocabulary', () => {
  it('numbers a word once and gives back its folded text', () => {
    const id = wordIdOf('клинер');
    expect(wordIdOf('клинер')).toBe(id);
    expect(wordText(id)).toBe('клинер');
    expect(wordIdOf('клинера')).not.toBe(id);
  });

  it('tells apart words of the same hash and length, kept in their slot (short) or beside it (long)', () => {
    for (const [a, b] of SAME_HASH_PAIRS) {
      expect(hashOf(a)).toBe(hashOf(b));
      const idA = wordIdOf(a);
      const idB = wordIdOf(b);
      expect(idB).not.toBe(idA);
      expect([wordText(idA), wordText(idB)]).toEqual([a, b]);
      expect([wordIdOf(a), wordIdOf(b)]).toEqual([idA, idB]);
    }
  });

  it('gives one id per word and back the same word, for words of every length up to the longest numbered', () => {
    const letters = ['a', 'b', 'я', 'ё', '1', "'"];
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: MAX_WORD_LENGTH }).map((chars) => chars.join('')), { minLength: 2, maxLength: 20 }), (words) => {
        const ids = words.map(wordIdOf);
        words.forEach((word, k) => {
          expect(wordText(ids[k]!)).toBe(word);
          words.forEach((other, j) => expect(ids[j] === ids[k]).toBe(other === word));
        });
      }),
      { numRuns: 300 },
    );
    expect(wordText(wordIdOf('я'.repeat(MAX_WORD_LENGTH)))).toBe('я'.repeat(MAX_WORD_LENGTH));
    expect(wordIdOf('я'.repeat(MAX_WORD_LENGTH + 1))).toBe(-1);
  });

  it('starts again when full, and classification (sentiment, tags, topics, language) reads the same before and after', () => {
    const texts = [
      'Не работает приложение, верните деньги!!! Заказ №123456 до сих пор не пришёл',
      'Still waiting for my refund, no one answers. Not good at all :(',
      'Спасибо, всё отлично, очень довольна)',
      // An id by the word before it alone (three digits, no "№"), and an amount and a duration by the word after.
      'Ticket 881 is still open, they charged me 40 dollars and I waited 3 days. Terrible',
    ];
    const before = texts.map(classify);
    expect(before.map((result) => result.topics)).toEqual([['acme'], ['acme'], ['acme'], []]);
    const details = (result: (typeof before)[number]) => result.evidence.filter((item) => /^constructive: (an order|an amount|a date|a duration)/.test(item.note ?? '')).map((item) => item.match);
    expect(details(before[3]!)).toEqual(['Ticket 881', '40 dollars', '3 days']);
    const idBefore = wordIdOf('верните');
    floodVocabulary();
    // The flood numbered more words than the vocabulary keeps: it started again, and the id that was
    // this word's now stands for a word of the flood.
    expect(wordText(idBefore)).not.toBe('верните');
    const idAfter = wordIdOf('верните');
    expect(wordText(idAfter)).toBe('верните');
    expect(texts.map(classify)).toEqual(before);
  });
});
