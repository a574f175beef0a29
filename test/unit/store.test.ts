import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, StoreError } from '../../src/store/db.js';
import type { Db } from '../../src/store/db.js';
import { changeStatus, listEvents, MentionNotFoundError } from '../../src/store/events.js';
import { getMention, listQueue, mentionFactCounts, mentionWords, reportRecordsBetween, storePage } from '../../src/store/mentions.js';
import type { NewClassification, NewMention } from '../../src/store/mentions.js';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { getSourceByName, recordSourceFailure, upsertSource } from '../../src/store/sources.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

function mention(id: string, overrides: Partial<NewMention> = {}): NewMention {
  return {
    externalId: id,
    url: `https://example.com/${id}`,
    author: 'someone',
    authorUrl: null,
    authorReach: null,
    title: null,
    text: `text of ${id}`,
    lang: 'en',
    publishedAt: Date.UTC(2026, 10, 20, 10, 0),
    parentId: null,
    threadId: null,
    ...overrides,
  };
}

function classification(overrides: Partial<NewClassification> = {}): NewClassification {
  return {
    topics: ['acme'],
    relevance: 'relevant',
    sentiment: 'neutral',
    sentimentScore: 0,
    tags: [],
    priority: 20,
    lang: 'en',
    evidence: [],
    rulesVersion: 'test',
    ...overrides,
  };
}

/** The schema as SQLite reports it, whitespace-normalised, for comparing databases. */
function schemaOf(db: Db): string[] {
  return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as Array<{
    type: string;
    name: string;
    sql: string | null;
  }>).map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
}

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('upgrade a database created at every earlier version to the same schema as a fresh one', () => {
    const fresh = openDatabase(join(tmp(), 'fresh.db'), { create: true });
    const expected = schemaOf(fresh);
    fresh.close();
    for (let version = 0; version < LATEST_VERSION; version++) {
      const path = join(tmp(), `v${version}.db`);
      const old = openDatabase(path, { create: true, migrateTo: version });
      expect(schemaVersion(old)).toBe(version);
      old.close();
      const upgraded = openDatabase(path);
      expect(schemaVersion(upgraded)).toBe(LATEST_VERSION);
      expect(schemaOf(upgraded)).toEqual(expected);
      expect(upgraded.pragma('integrity_check', { simple: true })).toBe('ok');
      upgraded.close();
    }
  });

  it('keep the rows of a version-1 database and put relevant old mentions nowhere they cannot be found', () => {
    const path = join(tmp(), 'v1.db');
    const v1 = openDatabase(path, { create: true, migrateTo: 1 });
    v1.prepare("INSERT INTO sources (name, type, target, created_at) VALUES ('feed', 'rss', 'https://x', 1)").run();
    v1.prepare(
      "INSERT INTO mentions (source_id, external_id, text, fetched_at, created_at) VALUES (1, 'a', 'hello', 5, 5)",
    ).run();
    v1.close();
    const db = openDatabase(path);
    const row = getMention(db, 1)!;
    expect(row.text).toBe('hello');
    expect(row.status).toBe('new');
    expect(row.relevance).toBeNull();
    db.close();
  });

  it('refuse a database from a newer version', () => {
    const path = join(tmp(), 'future.db');
    const db = openDatabase(path, { create: true });
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(StoreError);
    expect(() => openDatabase(path)).toThrow(/newer than this mentions/);
  });

  it('set WAL, a busy timeout and foreign keys', () => {
    const db = openDatabase(join(tmp(), 'p.db'), { create: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('name the fix when the database is missing', () => {
    expect(() => openDatabase(join(tmp(), 'nope.db'))).toThrow(/mentions init/);
  });
});

describe('storePage', () => {
  it('inserts new items, counts duplicates, and advances the cursor with them', () => {
    const db = openDatabase(join(tmp(), 's.db'), { create: true });
    const source = upsertSource(db, { name: 'feed', type: 'rss', target: 'https://x/feed' }, 1000);
    const first = storePage(db, source.id, [{ mention: mention('a'), classification: classification() }, { mention: mention('b'), classification: classification() }], { etag: '"1"' }, 2000);
    expect(first).toMatchObject({ inserted: 2, duplicates: 0, insertedIndexes: [0, 1] });
    const second = storePage(db, source.id, [{ mention: mention('b'), classification: classification() }, { mention: mention('c'), classification: classification() }], { etag: '"2"' }, 3000);
    expect(second).toMatchObject({ inserted: 1, duplicates: 1, insertedIndexes: [1] });
    expect(getSourceByName(db, 'feed')!.cursor).toEqual({ etag: '"2"' });
    expect((db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n).toBe(3);
    db.close();
  });

  it('writes nothing, not even the cursor, when a row in the page fails', () => {
    const db = openDatabase(join(tmp(), 's.db'), { create: true });
    const source = upsertSource(db, { name: 'feed', type: 'rss', target: null }, 1000);
    const bad = classification({ sentiment: 'furious' as never });
    expect(() =>
      storePage(db, source.id, [{ mention: mention('a'), classification: classification() }, { mention: mention('b'), classification: bad }], { n: 1 }, 2000),
    ).toThrow();
    expect((db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n).toBe(0);
    expect(getSourceByName(db, 'feed')!.cursor).toBeNull();
    db.close();
  });

  it('puts only relevant mentions in the queue, by priority then age', () => {
    const db = openDatabase(join(tmp(), 'q.db'), { create: true });
    const source = upsertSource(db, { name: 'feed', type: 'rss', target: null }, 1000);
    storePage(
      db,
      source.id,
      [
        { mention: mention('low', { publishedAt: 1 }), classification: classification({ priority: 10 }) },
        { mention: mention('high-old', { publishedAt: 2 }), classification: classification({ priority: 80, sentiment: 'negative' }) },
        { mention: mention('high-new', { publishedAt: 3 }), classification: classification({ priority: 80, sentiment: 'negative' }) },
        { mention: mention('spam'), classification: classification({ relevance: 'spam', priority: 99 }) },
        { mention: mention('own'), classification: classification({ relevance: 'own', priority: 99 }) },
      ],
      {},
      5000,
    );
    expect(listQueue(db, { limit: 10 }).map((m) => m.externalId)).toEqual(['high-old', 'high-new', 'low']);
    expect(listQueue(db, { limit: 10, sentiment: 'negative' }).map((m) => m.externalId)).toEqual(['high-old', 'high-new']);
    expect(listQueue(db, { limit: 1 })).toHaveLength(1);
    expect(listQueue(db, { limit: 10, topic: 'other' })).toEqual([]);
    expect(listQueue(db, { limit: 10, topic: 'acme' })).toHaveLength(3);
    db.close();
  });

  it('reads every field of a stored mention back into its own place (records are read as positional rows)', () => {
    const db = openDatabase(join(tmp(), 'r.db'), { create: true });
    const source = upsertSource(db, { name: 'forum', type: 'rss', target: null }, 1000);
    const stored = mention('full', {
      author: 'Ann',
      authorUrl: 'https://example.com/ann',
      authorReach: 1234,
      title: 'Title',
      text: 'Text of the post',
      lang: 'ru',
      publishedAt: 4000,
      parentId: 'p-1',
      threadId: 't-1',
    });
    storePage(db, source.id, [{ mention: stored, classification: classification({ topics: ['b', 'a'], sentiment: 'negative', sentimentScore: -2.5, tags: ['complaint', 'urgent'], priority: 77 }) }], {}, 5000);
    const record = listQueue(db, {})[0]!;
    expect(record).toMatchObject({
      ...stored,
      source: 'forum',
      sourceType: 'rss',
      fetchedAt: 5000,
      createdAt: 4000,
      status: 'new',
      assignee: null,
      priority: 77,
      urgent: false,
      firstResponseAt: null,
      resolvedAt: null,
      duplicateOf: null,
      relevance: 'relevant',
      sentiment: 'negative',
      sentimentScore: -2.5,
      tags: ['complaint', 'urgent'],
      topics: ['a', 'b'],
    });
    expect(getMention(db, record.id)).toEqual(record);
    expect(getMention(db, record.id + 1)).toBeNull();
    db.prepare('UPDATE mentions SET urgent = 1 WHERE id = ?').run(record.id);
    expect(getMention(db, record.id)!.urgent).toBe(true);
    db.close();
  });

  it('uses the fetch time when the source gave no date', () => {
    const db = openDatabase(join(tmp(), 'd.db'), { create: true });
    const source = upsertSource(db, { name: 'feed', type: 'rss', target: null }, 1000);
    storePage(db, source.id, [{ mention: mention('x', { publishedAt: null }), classification: classification() }], {}, 7777);
    expect(reportRecordsBetween(db, 7777, 7778).map((m) => m.url)).toEqual(['https://example.com/x']);
    db.close();
  });
});

describe('report reads', () => {
  it('count the baseline by facts, split at the previous period, and read the words only of the mentions asked for', () => {
    const db = openDatabase(join(tmp(), 'r.db'), { create: true });
    const news = upsertSource(db, { name: 'news', type: 'rss', target: null }, 0);
    const vk = upsertSource(db, { name: 'vk-search', type: 'vk', target: null }, 0);
    const H = 3_600_000;
    const item = (id: string, hour: number, c: Partial<NewClassification> = {}) => ({ mention: mention(id, { publishedAt: hour * H, title: `title ${id}` }), classification: classification(c) });
    storePage(db, news.id, [item('a', 1), item('b', 2), item('c', 30, { topics: ['acme', 'rocket'] }), item('d', 31, { sentiment: 'negative' }), item('e', 50)], {}, 0);
    storePage(db, vk.id, [item('f', 40, { topics: [], relevance: 'spam' }), item('g', 41, { topics: [], relevance: 'spam' })], {}, 0);
    const counts = mentionFactCounts(db, 0, 48 * H, 24 * H);
    expect(counts).toHaveLength(4);
    expect(counts).toEqual(expect.arrayContaining([
      { previous: false, source: 'news', relevance: 'relevant', sentiment: 'neutral', topics: ['acme'], mentions: 2 },
      { previous: true, source: 'vk-search', relevance: 'spam', sentiment: 'neutral', topics: [], mentions: 2 },
      { previous: true, source: 'news', relevance: 'relevant', sentiment: 'negative', topics: ['acme'], mentions: 1 },
      { previous: true, source: 'news', relevance: 'relevant', sentiment: 'neutral', topics: ['acme', 'rocket'], mentions: 1 },
    ]));
    const records = reportRecordsBetween(db, 24 * H, 48 * H);
    expect(records.map((r) => [r.source, r.createdAt / H, r.topics])).toEqual([['news', 30, ['acme', 'rocket']], ['news', 31, ['acme']], ['vk-search', 40, []], ['vk-search', 41, []]]);
    expect(records[0]).not.toHaveProperty('text');
    const words = mentionWords(db, [records[1]!.id, 999]);
    expect([...words.values()]).toEqual([{ id: records[1]!.id, title: 'title d', text: 'text of d' }]);
    db.close();
  });
});

describe('sources', () => {
  it('reset the cursor when the configured target changes, and count failures', () => {
    const db = openDatabase(join(tmp(), 'src.db'), { create: true });
    const s = upsertSource(db, { name: 'feed', type: 'rss', target: 'https://a' }, 1);
    storePage(db, s.id, [], { etag: 'x' }, 2);
    expect(upsertSource(db, { name: 'feed', type: 'rss', target: 'https://a' }, 3).cursor).toEqual({ etag: 'x' });
    expect(upsertSource(db, { name: 'feed', type: 'rss', target: 'https://b' }, 4).cursor).toBeNull();
    recordSourceFailure(db, s.id, 'HTTP 500 from a', 5);
    recordSourceFailure(db, s.id, 'HTTP 500 from a', 6);
    expect(getSourceByName(db, 'feed')).toMatchObject({ errorCount: 2, consecutiveFailures: 2, lastError: 'HTTP 500 from a' });
    storePage(db, s.id, [], {}, 7);
    expect(getSourceByName(db, 'feed')).toMatchObject({ errorCount: 2, consecutiveFailures: 0, lastError: null });
    db.close();
  });
});

describe('changeStatus', () => {
  it('writes an event row, leaves the queue, and keeps the earliest first response', () => {
    const db = openDatabase(join(tmp(), 'e.db'), { create: true });
    const s = upsertSource(db, { name: 'feed', type: 'rss', target: null }, 1);
    const [id] = storePage(db, s.id, [{ mention: mention('a'), classification: classification() }], {}, 2).insertedIds;
    changeStatus(db, { mentionId: id!, to: 'responded', actor: 'anna', at: 5000 });
    changeStatus(db, { mentionId: id!, to: 'responded', actor: 'boris', at: 9000 });
    changeStatus(db, { mentionId: id!, to: 'resolved', actor: 'anna', at: 9500, note: 'refunded' });
    const m = getMention(db, id!)!;
    expect(m).toMatchObject({ status: 'resolved', firstResponseAt: 5000, resolvedAt: 9500 });
    expect(listQueue(db, { limit: 10 })).toEqual([]);
    expect(listEvents(db, id!).map((e) => [e.actor, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['anna', 'new', 'responded', null],
      ['boris', 'responded', 'responded', null],
      ['anna', 'responded', 'resolved', 'refunded'],
    ]);
    expect(() => changeStatus(db, { mentionId: 999, to: 'ignored', actor: 'a', at: 1 })).toThrow(MentionNotFoundError);
    db.close();
  });
});

describe('copies of one text', () => {
  const rule = { minAuthors: 3, windowMs: 7 * 86_400_000 };
  const at = Date.UTC(2026, 10, 20, 10, 0);

  it('link reposts to the first copy, and turn a campaign from enough authors into spam out of the queue', () => {
    const db = openDatabase(join(tmp(), 'copies.db'), { create: true });
    const source = upsertSource(db, { name: 'vk', type: 'vk', target: 'acme' }, at);
    const copy = (id: string, author: string | null, minutes: number) => ({
      mention: mention(id, { author, publishedAt: at + minutes * 60_000, text: 'Акме дарит iPhone всем!' }),
      classification: classification(),
      fingerprint: 'f00dfeedf00dfeed',
    });
    const first = storePage(db, source.id, [copy('a', 'anna', 0), copy('b', 'anna', 1)], {}, at, rule);
    expect(first.copySpam).toBe(0);
    const second = storePage(db, source.id, [copy('c', 'boris', 2), { mention: mention('other'), classification: classification() }], {}, at, rule);
    expect(second.copySpam).toBe(0);
    const row = (id: string) =>
      db.prepare(
        `SELECT m.duplicate_of, m.in_queue, c.relevance, c.evidence FROM mentions m JOIN classifications c ON c.mention_id = m.id WHERE m.external_id = ?`,
      ).get(id) as { duplicate_of: number | null; in_queue: number; relevance: string; evidence: string };
    const idOf = (id: string) => (db.prepare('SELECT id FROM mentions WHERE external_id = ?').get(id) as { id: number }).id;
    expect(row('a').duplicate_of).toBeNull();
    expect(row('b').duplicate_of).toBe(idOf('a'));
    expect(getMention(db, idOf('b'))!.duplicateOf).toBe(idOf('a'));
    expect(getMention(db, idOf('a'))!.duplicateOf).toBeNull();
    expect(row('c')).toMatchObject({ duplicate_of: idOf('a'), in_queue: 1, relevance: 'relevant' });

    const third = storePage(db, source.id, [copy('d', null, 3)], {}, at, rule);
    expect(third.copySpam).toBe(4);
    for (const id of ['a', 'b', 'c', 'd']) expect(row(id)).toMatchObject({ in_queue: 0, relevance: 'spam' });
    expect(JSON.parse(row('a').evidence)).toContainEqual({ kind: 'spam', match: '', weight: 0, note: 'the same text from 3 authors within 7 days' });
    expect(row('other')).toMatchObject({ duplicate_of: null, in_queue: 1, relevance: 'relevant' });
    db.close();
  });

  it('does not group copies older than the window', () => {
    const db = openDatabase(join(tmp(), 'old.db'), { create: true });
    const source = upsertSource(db, { name: 'vk', type: 'vk', target: 'acme' }, at);
    const copy = (id: string, author: string, days: number) => ({
      mention: mention(id, { author, publishedAt: at + days * 86_400_000 }),
      classification: classification(),
      fingerprint: 'feedf00dfeedf00d',
    });
    const result = storePage(db, source.id, [copy('a', 'anna', 0), copy('b', 'boris', 8), copy('c', 'clara', 16)], {}, at, rule);
    expect(result.copySpam).toBe(0);
    expect((db.prepare("SELECT count(*) AS n FROM mentions WHERE duplicate_of IS NOT NULL").get() as { n: number }).n).toBe(0);
    db.close();
  });
});
