import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTimeInterval } from '../../src/config/calendar.js';
import { businessCalendar } from '../../src/report/business-time.js';
import { isoWeek, responseStats, statsFromFacts } from '../../src/report/stats.js';
import type { StatsDimension, StatsRow } from '../../src/report/stats.js';
import { slaTargetSeconds } from '../../src/report/sla.js';
import { businessMsBetween } from '../../src/report/business-time.js';
import { createWallClock } from '../../src/report/zoned-time.js';
import { openDatabase } from '../../src/store/db.js';
import { changeStatus } from '../../src/store/events.js';
import { storePage } from '../../src/store/mentions.js';
import { upsertSource } from '../../src/store/sources.js';
import { responseAgentSql, statsAggregates } from '../../src/store/stats.js';
import type { Db } from '../../src/store/db.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MIN = 60;
const sla = { defaultSeconds: 3600, bySource: { twitter: 600 } };

function row(overrides: Partial<StatsRow>): StatsRow {
  return {
    createdAt: Date.UTC(2026, 10, 19, 10),
    firstResponseAt: null,
    resolvedAt: null,
    source: 'news',
    sourceType: 'rss',
    topics: ['acme'],
    agent: null,
    sentiment: 'neutral',
    tags: [],
    ...overrides,
  };
}
const answeredAfter = (minutes: number, overrides: Partial<StatsRow> = {}) => {
  const createdAt = overrides.createdAt ?? Date.UTC(2026, 10, 19, 10);
  return row({ ...overrides, createdAt, firstResponseAt: createdAt + minutes * MIN * 1000 });
};

describe('responseStats', () => {
  it('gives counts, percentiles and SLA shares over all mentions', () => {
    const stats = responseStats(
      [answeredAfter(5), answeredAfter(15), answeredAfter(30, { source: 'tw', sourceType: 'twitter' }), answeredAfter(120), row({})],
      { hours: 'all', calendar: null, timeZone: 'UTC', sla },
    );
    expect(stats).toMatchObject({ mentions: 5, answered: 4, unanswered: 1, responseRate: 0.8, maxSeconds: 120 * MIN });
    expect(stats.meanSeconds).toBe(((5 + 15 + 30 + 120) / 4) * MIN);
    expect(stats.medianSeconds).toBe(22.5 * MIN); // mean of 15 and 30
    expect(stats.p90Seconds).toBeCloseTo((30 + 0.7 * 90) * MIN, 9); // rank 2.7 between 30 and 120
    expect(stats.p95Seconds).toBeCloseTo((30 + 0.85 * 90) * MIN, 9);
    // Targets 10m (twitter) and 1h (default), shares of all 5 mentions.
    expect(stats.withinSla).toEqual({ '10m': 1 / 5, '1h': 3 / 5 });
    // Own targets: news ones against 1h (5, 15 in; 120 out), the twitter one (30m) misses 10m.
    expect(stats.withinTarget).toBe(2 / 5);
    expect(stats.answeredOffHours).toBeNull();
    expect(stats.distribution.find((b) => b.label === '< 5m')!.count).toBe(0);
    expect(stats.distribution.find((b) => b.label === '5m–15m')!.count).toBe(1);
    expect(stats.distribution.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(stats.groups).toEqual([]);
  });

  it('is empty but well-formed without rows', () => {
    const stats = responseStats([], { hours: 'all', calendar: null, timeZone: 'UTC', sla, by: ['source'] });
    expect(stats).toMatchObject({ mentions: 0, answered: 0, responseRate: null, medianSeconds: null, maxSeconds: null, groups: [] });
  });

  it('groups by several dimensions, a mention in each of its topics, in the configured zone', () => {
    const monday = Date.UTC(2026, 10, 16, 22, 30); // Tuesday 01:30 in Moscow
    const stats = responseStats(
      [
        answeredAfter(10, { createdAt: monday, topics: ['acme', 'rocket'], agent: 'anna' }),
        answeredAfter(20, { createdAt: monday, topics: ['acme'], agent: 'boris' }),
        row({ createdAt: monday, topics: [] }),
      ],
      { hours: 'all', calendar: null, timeZone: 'Europe/Moscow', sla, by: ['topic', 'weekday'] },
    );
    expect(stats.groups.map((g) => [g.keys.topic, g.keys.weekday, g.mentions, g.answered, g.medianSeconds])).toEqual([
      ['acme', 'tue', 2, 2, 15 * MIN],
      ['rocket', 'tue', 1, 1, 10 * MIN],
      ['(none)', 'tue', 1, 0, null],
    ]);
    const byAgent = responseStats([answeredAfter(10, { agent: 'anna' }), row({})], { hours: 'all', calendar: null, timeZone: 'UTC', sla, by: ['agent', 'hour', 'day', 'week'] });
    expect(byAgent.groups.map((g) => g.keys)).toEqual([
      { agent: 'anna', hour: '10', day: '2026-11-19', week: '2026-W47' },
      { agent: '(none)', hour: '10', day: '2026-11-19', week: '2026-W47' },
    ]);
  });

  it('counts business time only, and how many were asked and answered off hours', () => {
    const hours = { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] };
    const week = Object.fromEntries(Object.entries(hours).map(([d, i]) => [d, i.map(parseTimeInterval)]));
    const calendar = businessCalendar({ week, holidays: [], extraWorkingDays: [], extraWorkingHours: [] }, 'UTC');
    const friday = Date.UTC(2026, 10, 20, 17, 50);
    const stats = responseStats(
      [
        row({ createdAt: friday, firstResponseAt: Date.UTC(2026, 10, 23, 9, 10), resolvedAt: Date.UTC(2026, 10, 23, 10) }),
        row({ createdAt: Date.UTC(2026, 10, 21, 10), firstResponseAt: Date.UTC(2026, 10, 21, 11) }), // Saturday
        row({ createdAt: Date.UTC(2026, 10, 19, 10), firstResponseAt: Date.UTC(2026, 10, 19, 10, 30) }),
      ],
      { hours: 'business', calendar, timeZone: 'UTC', sla },
    );
    expect(stats.medianSeconds).toBe(20 * MIN);
    expect(stats.maxSeconds).toBe(30 * MIN);
    expect(stats.answeredOffHours).toBe(1);
    expect(stats.resolutionMedianSeconds).toBe(70 * MIN);
    expect(() => responseStats([], { hours: 'business', calendar: null, timeZone: 'UTC', sla })).toThrow(/calendar/);
  });

  it('names ISO weeks by the year of their Thursday', () => {
    expect(isoWeek(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-W01'); // a Thursday
    expect(isoWeek(new Date(Date.UTC(2027, 0, 1)))).toBe('2026-W53'); // a Friday
    expect(isoWeek(new Date(Date.UTC(2024, 11, 30)))).toBe('2025-W01'); // a Monday
  });
});

describe('responseStats on the Kaggle "Customer Support on Twitter" sample', () => {
  interface TwcsRow {
    created_at: string;
    extra: { tweet_id: string; author_id: string; inbound: boolean; in_response_to_tweet_id: string | null };
  }
  const file = fileURLToPath(new URL('../../../shared/data/en-twcs-sample.jsonl', import.meta.url));
  const tweets = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as TwcsRow);

  it('answers the inbound tweets with their first non-inbound reply, as computed independently here', () => {
    const inbound = tweets.filter((t) => t.extra.inbound);
    const firstReply = new Map<string, number>();
    for (const t of tweets) {
      const to = t.extra.in_response_to_tweet_id;
      if (t.extra.inbound || to === null) continue;
      const at = Date.parse(t.created_at);
      if (!firstReply.has(to) || at < firstReply.get(to)!) firstReply.set(to, at);
    }
    const rows = inbound.map((t) =>
      row({ createdAt: Date.parse(t.created_at), firstResponseAt: firstReply.get(t.extra.tweet_id) ?? null, source: 'twcs', sourceType: 'import' }),
    );

    // Independently: sorted delays, the middle (or mean of the two middle) and numpy's default p90.
    const delays = inbound
      .filter((t) => firstReply.has(t.extra.tweet_id))
      .map((t) => (firstReply.get(t.extra.tweet_id)! - Date.parse(t.created_at)) / 1000)
      .sort((a, b) => a - b);
    const n = delays.length;
    const median = n % 2 === 1 ? delays[(n - 1) / 2]! : (delays[n / 2 - 1]! + delays[n / 2]!) / 2;
    const rank = 0.9 * (n - 1);
    const p90 = delays[Math.floor(rank)]! + (rank - Math.floor(rank)) * (delays[Math.ceil(rank)]! - delays[Math.floor(rank)]!);
    expect(n).toBeGreaterThan(10);

    const stats = responseStats(rows, { hours: 'all', calendar: null, timeZone: 'UTC', sla });
    expect(stats.mentions).toBe(inbound.length);
    expect(stats.answered).toBe(n);
    expect(stats.medianSeconds).toBe(median);
    expect(stats.p90Seconds).toBeCloseTo(p90, 6);
    expect(stats.maxSeconds).toBe(delays[n - 1]);
  });
});

describe('statsAggregates (SQLite)', () => {
  it('counts relevant, not-ignored mentions in [from, to) by the agent who first responded', () => {
    const db = openDatabase(join(tmp(), 'm.db'), { create: true });
    const source = upsertSource(db, { name: 'tw', type: 'twitter', target: null }, 0);
    const base = { url: null, author: 'a', authorUrl: null, authorReach: null, title: null, text: 't', lang: 'en', parentId: null, threadId: null };
    const cls = { topics: ['acme', 'rocket'], relevance: 'relevant' as const, sentiment: 'negative' as const, sentimentScore: -0.5, tags: ['complaint'], priority: 1, lang: 'en', evidence: [], rulesVersion: 't' };
    const t0 = Date.UTC(2026, 10, 19, 10);
    const stored = storePage(
      db,
      source.id,
      [
        { mention: { ...base, externalId: '1', publishedAt: t0 }, classification: cls },
        { mention: { ...base, externalId: '2', publishedAt: t0 + 1000 }, classification: cls },
        { mention: { ...base, externalId: '3', publishedAt: t0 + 2000 }, classification: { ...cls, relevance: 'spam' } },
        { mention: { ...base, externalId: '4', publishedAt: t0 + 3000 }, classification: cls },
        { mention: { ...base, externalId: '5', publishedAt: t0 + 86_400_000 }, classification: cls },
      ],
      {},
      t0,
    );
    const [first, second, , fourth] = stored.insertedIds as [number, number, number, number];
    changeStatus(db, { mentionId: first, to: 'responded', actor: 'anna', at: t0 + 600_000 });
    changeStatus(db, { mentionId: first, to: 'responded', actor: 'boris', at: t0 + 900_000 });
    changeStatus(db, { mentionId: second, to: 'resolved', actor: 'boris', at: t0 + 60_000 });
    changeStatus(db, { mentionId: fourth, to: 'ignored', actor: 'boris', at: t0 + 60_000 });

    const query = { targetSeconds: () => 900, workingMs: null, wallClock: (instant: number) => instant };
    const { total, groups } = statsAggregates(db, t0, t0 + 86_400_000, { ...query, by: ['agent', 'topic', 'tag', 'sentiment', 'source'] });
    // The spam one and the ignored one are left out; the first answer (anna's) counts, not the later one.
    expect(total).toEqual({ keys: {}, mentions: 2, withinTarget: 1, offHours: 0, responseMs: [600_000], resolutionMs: [59_000] });
    expect(groups.map((g) => [g.keys, g.mentions, g.responseMs]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [{ agent: 'anna', topic: 'acme', tag: 'complaint', sentiment: 'negative', source: 'tw' }, 1, [600_000]],
      [{ agent: 'anna', topic: 'rocket', tag: 'complaint', sentiment: 'negative', source: 'tw' }, 1, [600_000]],
      [{ agent: null, topic: 'acme', tag: 'complaint', sentiment: 'negative', source: 'tw' }, 1, []],
      [{ agent: null, topic: 'rocket', tag: 'complaint', sentiment: 'negative', source: 'tw' }, 1, []],
    ]);
    db.close();
  });
});

/** The mentions statsAggregates counts, read one row each: the reference the figures counted in SQL are checked against. */
function rowsOf(db: Db, from: number, to: number): StatsRow[] {
  const rows = db
    .prepare(
      `SELECT m.created_at, m.first_response_at, m.resolved_at, s.name AS source, s.type AS source_type, c.sentiment, c.tags,
         (SELECT group_concat(t.topic, char(31)) FROM mention_topics t WHERE t.mention_id = m.id) AS topics, ${responseAgentSql('m')} AS agent
       FROM mentions m JOIN sources s ON s.id = m.source_id LEFT JOIN classifications c ON c.mention_id = m.id
       WHERE m.created_at >= ? AND m.created_at < ? AND m.status <> 'ignored' AND (c.relevance IS NULL OR c.relevance = 'relevant')`,
    )
    .all(from, to) as Array<{ created_at: number; first_response_at: number | null; resolved_at: number | null; source: string; source_type: string; sentiment: string | null; tags: string | null; topics: string | null; agent: string | null }>;
  return rows.map((r) => ({
    createdAt: r.created_at, firstResponseAt: r.first_response_at, resolvedAt: r.resolved_at, source: r.source, sourceType: r.source_type,
    topics: r.topics ? r.topics.split('\u001f') : [], agent: r.agent, sentiment: r.sentiment, tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
  }));
}

describe('statsAggregates (SQLite): the figures counted in SQL', () => {
  it('equal those counted row by row, for every grouping, around the clock and in business hours, across a clock change', () => {
    const db = openDatabase(join(tmp(), 'm.db'), { create: true });
    const sources = [
      upsertSource(db, { name: 'tw', type: 'twitter', target: null }, 0),
      upsertSource(db, { name: 'news', type: 'rss', target: null }, 0),
      upsertSource(db, { name: 'vk-search', type: 'vk', target: null }, 0),
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const base = { url: null, author: 'a', authorUrl: null, authorReach: null, title: null, text: 't', lang: 'en', parentId: null, threadId: null };
    // Ten days around the end of daylight saving time in New York (2026-11-01 06:00 UTC).
    const start = Date.UTC(2026, 9, 27);
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) {
      const publishedAt = start + Math.floor(random() * 10 * 86_400_000);
      const { insertedIds } = storePage(db, pick(sources).id, [{
        mention: { ...base, externalId: String(i), publishedAt },
        classification: {
          topics: pick([[], ['acme'], ['acme', 'rocket'], ['rocket']]),
          relevance: pick(['relevant', 'relevant', 'relevant', 'spam', 'own'] as const),
          sentiment: pick(['negative', 'neutral', 'positive'] as const),
          sentimentScore: 0,
          tags: pick([[], ['complaint'], ['complaint', 'urgent'], ['urgent', 'urgent']]),
          priority: 1, lang: 'en', evidence: [], rulesVersion: 't',
        },
      }], {}, publishedAt);
      const id = insertedIds[0]!;
      ids.push(id);
      const roll = random();
      const actor = pick(['anna', 'boris', 'chen']);
      const answerAt = publishedAt + Math.floor((random() - 0.05) * 3 * 86_400_000); // sometimes before it was published
      if (roll < 0.6) changeStatus(db, { mentionId: id, to: 'responded', actor, at: answerAt });
      if (roll < 0.3) changeStatus(db, { mentionId: id, to: 'resolved', actor, at: answerAt + Math.floor(random() * 86_400_000) });
      else if (roll > 0.9) changeStatus(db, { mentionId: id, to: 'ignored', actor, at: publishedAt + 1000 });
    }
    // Mentions never classified count as relevant.
    db.prepare('DELETE FROM classifications WHERE mention_id % 13 = 0').run();

    const sla = { defaultSeconds: 3600, bySource: { twitter: 600, 'vk-search': 7200 } };
    const week = { mon: ['09:00-13:00', '14:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['10:00-17:00'] };
    const hours = Object.fromEntries(Object.entries(week).map(([d, i]) => [d, i.map(parseTimeInterval)]));
    const timeZone = 'America/New_York';
    const calendar = businessCalendar({ week: hours, holidays: ['2026-10-30'], extraWorkingDays: ['2026-11-01'], extraWorkingHours: [] }, timeZone);
    const [from, to] = [start + 86_400_000, start + 9 * 86_400_000];
    const groupings: StatsDimension[][] = [[], ['source'], ['agent'], ['sentiment'], ['topic'], ['tag'], ['day'], ['week'], ['hour'], ['weekday'], ['agent', 'day'], ['topic', 'tag'], ['source', 'hour']];
    let groupsCompared = 0;
    for (const mode of ['all', 'business'] as const) {
      const rows = rowsOf(db, from, to);
      for (const by of groupings) {
        const expected = responseStats(rows, { hours: mode, calendar, timeZone, sla, by });
        const { total, groups } = statsAggregates(db, from, to, {
          by,
          targetSeconds: (source) => slaTargetSeconds(sla, source),
          workingMs: mode === 'business' ? (a, b) => businessMsBetween(a, b, calendar) : null,
          wallClock: createWallClock(timeZone),
        });
        expect(statsFromFacts(total, groups, { hours: mode, sla, by }), `${mode} by ${by.join(',')}`).toEqual(expected);
        groupsCompared += expected.groups.length;
      }
    }
    expect(groupsCompared).toBeGreaterThan(200);
    db.close();
  });
});
