import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMention, compileTopics, parseQuery, QueryParseError } from '../../src/classify/index.js';
import type { MentionDraft } from '../../src/sources/types.js';

const draft = (text: string, title: string | null = null, lang: string | null = null): MentionDraft => ({
  externalId: 'x', url: null, author: null, authorUrl: null, authorReach: null, title, text, lang,
  publishedAt: null, parentId: null, threadId: null,
});

// Arbitrary Unicode, plus the characters our rules look at, so the interesting paths are hit often.
const alphabet = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'акме Acme не not но but!?)(:-😡👍 #@№ 1490₽ https://x.ru/ ё́\u200d\u202e'.split('')), maxLength: 80 }),
);

const topics = compileTopics([
  { name: 'acme', query: 'acme OR акме OR "акме банк" OR клин* OR (доставк* NEAR/3 акме)', ownAccounts: ['acme_support'], exclude: ['wile'] },
]);

describe('classify properties (fast-check)', () => {
  it('never throws, stays in range, and gives the same result twice, on arbitrary Unicode', () => {
    fc.assert(
      fc.property(alphabet, fc.option(alphabet, { nil: null }), fc.constantFrom(null, 'ru', 'en'), (text, title, lang) => {
        for (const list of [topics, []]) {
          const first = classifyMention(draft(text, title, lang), list);
          const second = classifyMention(draft(text, title, lang), list);
          expect(second).toEqual(first);
          if (first) {
            expect(first.sentimentScore).toBeGreaterThanOrEqual(-1);
            expect(first.sentimentScore).toBeLessThanOrEqual(1);
            expect(Number.isFinite(first.priority)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a query either parses or fails with a QueryParseError at a position inside it', () => {
    const queryText = fc.string({ unit: fc.constantFrom(...'ab акме "«»()*/ AND OR NOT NEAR/2 И ИЛИ НЕ'.split(' ').flatMap((w) => [w, ' '])), maxLength: 20 });
    fc.assert(
      fc.property(queryText, (query) => {
        try {
          parseQuery(query);
        } catch (err) {
          expect(err).toBeInstanceOf(QueryParseError);
          expect((err as QueryParseError).position).toBeGreaterThanOrEqual(0);
          expect((err as QueryParseError).position).toBeLessThanOrEqual(query.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
