import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrations.js';
import { storePage } from '../../src/store/mentions.js';
import type { NewClassification, NewMention } from '../../src/store/mentions.js';
import { ftsQueryOf, indexPendingMentions, MATCH_END, MATCH_START, searchMentions, SearchTermsError } from '../../src/store/search.js';
import { upsertSource } from '../../src/store/sources.js';
import { thrown } from '../helpers/thrown.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const t0 = Date.UTC(2026, 10, 20, 10, 0);

const mention = (id: string, text: string, minutes: number, overrides: Partial<NewMention> = {}): NewMention => ({
  externalId: id, url: `https://example.com/${id}`, author: 'someone', authorUrl: null, authorReach: null, title: null, text, lang: null,
  publishedAt: t0 + minutes * 60_000, parentId: null, threadId: null, ...overrides,
});
const classification: NewClassification = {
  topics: ['acme'], relevance: 'relevant', sentiment: 'neutral', sentimentScore: 0, tags: [], priority: 20, lang: null, evidence: [], rulesVersion: 't',
};

function database() {
  const db = openDatabase(join(tmp(), 'm.db'), { create: true });
  const source = upsertSource(db, { name: 'news', type: 'rss', target: 'x' }, t0);
  const rows = [
    mention('a', 'Acme доставка опять опоздала, верните деньги', 0),
    mention('b', 'Курьер Acme привёз заказ вовремя, спасибо', 1),
    mention('c', 'Acme: refund still not processed after two weeks', 2, { title: 'Refund problem' }),
    mention('d', 'Looking for a job at Acme', 3, { author: 'Ёлка Refundova' }),
    mention('e', 'Доставку Acme жду третий день', 4),
  ];
  storePage(db, source.id, rows.map((m) => ({ mention: m, classification })), {}, t0);
  return db;
}

const ids = (db: ReturnType<typeof database>, input: string, extra: Partial<Parameters<typeof searchMentions>[2]> = {}) =>
  searchMentions(db, input, { limit: 10, ...extra }).map((hit) => hit.mention.externalId);

describe('searchMentions (FTS5)', () => {
  it('finds every word, newest first, ignoring case and accents', () => {
    const db = database();
    expect(ids(db, 'acme')).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(ids(db, 'REFUND')).toEqual(['c']);
    expect(ids(db, 'привез')).toEqual(['b']);
    expect(ids(db, 'елка')).toEqual(['d']);
    expect(ids(db, 'acme refund still')).toEqual(['c']);
  });

  it('matches prefixes, phrases and exclusions', () => {
    const db = database();
    expect(ids(db, 'доставк*')).toEqual(['e', 'a']);
    expect(ids(db, '"верните деньги"')).toEqual(['a']);
    expect(ids(db, '"деньги верните"')).toEqual([]);
    expect(ids(db, 'acme -доставк* -job')).toEqual(['c', 'b']);
    expect(ids(db, 'refund*')).toEqual(['d', 'c']);
  });

  it('limits, filters by time, and ranks by best match on request', () => {
    const db = database();
    expect(ids(db, 'acme', { limit: 2 })).toEqual(['e', 'd']);
    expect(ids(db, 'acme', { from: t0 + 2 * 60_000, to: t0 + 4 * 60_000 })).toEqual(['d', 'c']);
    // The title weighs more than the text: "refund" in c's title and text beats d's author name.
    expect(ids(db, 'refund*', { order: 'relevance' })).toEqual(['c', 'd']);
  });

  it('marks the matched words in the snippet', () => {
    const db = database();
    const [hit] = searchMentions(db, 'деньги', { limit: 1 });
    expect(hit!.snippet).toContain(`${MATCH_START}деньги${MATCH_END}`);
  });

  it('keeps up with changes to a mention', () => {
    const db = database();
    db.prepare("UPDATE mentions SET text = 'nothing here' WHERE external_id = 'a'").run();
    expect(ids(db, 'деньги')).toEqual([]);
    expect(ids(db, 'nothing')).toEqual(['a']);
  });
});

describe('ftsQueryOf', () => {
  it('quotes every term, so FTS5 syntax in the input is plain text', () => {
    expect(ftsQueryOf('acme')).toBe('"acme"');
    expect(ftsQueryOf('title:acme NEAR(a b) "x y" клин* -job')).toBe('"title:acme" AND "NEAR(a" AND "b)" AND "x y" AND "клин"* NOT "job"');
    expect(ftsQueryOf('say "hi')).toBe('"say" AND "hi"');
    expect(thrown(() => ftsQueryOf('-job'))).toBeInstanceOf(SearchTermsError);
    expect(thrown(() => ftsQueryOf('  * " ')).message).toBe('give a word or "phrase" to search for');
  });

  it('never lets arbitrary input make SQLite fail', () => {
    const db = database();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        try {
          searchMentions(db, input, { limit: 5 });
        } catch (err) {
          expect(err).toBeInstanceOf(SearchTermsError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('indexPendingMentions (migration 9)', () => {
  const ftsCount = (db: ReturnType<typeof database>, term: string) =>
    (db.prepare('SELECT count(*) AS n FROM mentions_fts WHERE mentions_fts MATCH ?').get(`"${term}"`) as { n: number }).n;
  const ftsIntact = (db: ReturnType<typeof database>) => {
    db.prepare("INSERT INTO mentions_fts (mentions_fts) VALUES ('integrity-check')").run();
    return db.pragma('integrity_check', { simple: true });
  };

  it('indexes what was stored since the last call, once, in one go', () => {
    const db = database();
    expect(ftsCount(db, 'acme')).toBe(0);
    expect(indexPendingMentions(db)).toBe(5);
    expect(ftsCount(db, 'acme')).toBe(5);
    expect(indexPendingMentions(db)).toBe(0);
    expect(ftsCount(db, 'acme')).toBe(5);
    expect(ftsIntact(db)).toBe('ok');
  });

  it('keeps the index whole when a mention not yet indexed is changed or deleted', () => {
    const db = database();
    indexPendingMentions(db);
    const source = upsertSource(db, { name: 'news', type: 'rss', target: 'x' }, t0);
    storePage(db, source.id, [{ mention: mention('f', 'Acme новое', 5), classification }, { mention: mention('g', 'Acme ещё', 6), classification }], {}, t0);
    db.prepare("UPDATE mentions SET text = 'Acme changed' WHERE external_id = 'f'").run();
    db.prepare("DELETE FROM mentions WHERE external_id = 'g'").run();
    expect(indexPendingMentions(db)).toBe(1);
    expect(ids(db, 'changed')).toEqual(['f']);
    expect(ids(db, 'ещё')).toEqual([]);
    // An indexed mention changed: its old words leave the index, the new ones enter it.
    db.prepare("UPDATE mentions SET text = 'Acme edited' WHERE external_id = 'a'").run();
    expect(ids(db, 'деньги')).toEqual([]);
    expect(ids(db, 'edited')).toEqual(['a']);
    expect(ftsIntact(db)).toBe('ok');
  });

  it('marks what the per-row triggers indexed before the upgrade as done', () => {
    const path = join(tmp(), 'old.db');
    const old = openDatabase(path, { create: true, migrateTo: 8 });
    const source = upsertSource(old, { name: 'news', type: 'rss', target: 'x' }, t0);
    storePage(old, source.id, [{ mention: mention('a', 'Acme before the upgrade', 0), classification }], {}, t0);
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(indexPendingMentions(db)).toBe(0);
    expect(ids(db as ReturnType<typeof database>, 'upgrade')).toEqual(['a']);
  });
});
