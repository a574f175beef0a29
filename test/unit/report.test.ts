import { describe, expect, it } from 'vitest';
import { buildDailyReport } from '../../src/report/daily.js';
import type { DailyReportInput, ReportMention, ResponseFacts } from '../../src/report/daily.js';
import { factsOfRows } from '../../src/report/stats.js';
import type { StatsRow } from '../../src/report/stats.js';
import { mean, percentile } from '../../src/report/percentile.js';
import { slaRemainingMs, slaTargetSeconds } from '../../src/report/sla.js';
import { localDate, localDayBounds, zonedTimeToInstant } from '../../src/report/zoned-time.js';

describe('percentile (inclusive, linear interpolation)', () => {
  it('matches numpy.percentile defaults', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 0.5)).toBe(5.5); // np.percentile(v, 50)
    expect(percentile(v, 0.9)).toBeCloseTo(9.1, 10); // np.percentile(v, 90)
    expect(percentile(v, 0.95)).toBeCloseTo(9.55, 10);
    expect(percentile([10, 20, 30], 0.5)).toBe(20);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe('zoned time', () => {
  it('finds local midnights in Moscow (no DST) and New York', () => {
    expect(localDayBounds('2026-11-20', 'Europe/Moscow')).toEqual({
      from: Date.UTC(2026, 10, 19, 21),
      to: Date.UTC(2026, 10, 20, 21),
    });
    expect(localDayBounds('2026-07-01', 'America/New_York').from).toBe(Date.UTC(2026, 6, 1, 4));
  });

  it('gives 23- and 25-hour days when New York changes its clocks', () => {
    const spring = localDayBounds('2026-03-08', 'America/New_York');
    expect((spring.to - spring.from) / 3600_000).toBe(23);
    const autumn = localDayBounds('2026-11-01', 'America/New_York');
    expect((autumn.to - autumn.from) / 3600_000).toBe(25);
  });

  it('maps a wall-clock time in the spring-forward gap to a valid instant', () => {
    const instant = zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York');
    expect([Date.UTC(2026, 2, 8, 6, 30), Date.UTC(2026, 2, 8, 7, 30)]).toContain(instant);
    expect(localDate(Date.UTC(2026, 10, 19, 21, 30), 'Europe/Moscow')).toBe('2026-11-20');
  });
});

describe('SLA', () => {
  const sla = { defaultSeconds: 3600, bySource: { 'google-alerts': 600, 'vip-feed': 300 } };
  it('takes the source name over its type over the default', () => {
    expect(slaTargetSeconds(sla, { name: 'vip-feed', type: 'google-alerts' })).toBe(300);
    expect(slaTargetSeconds(sla, { name: 'x', type: 'google-alerts' })).toBe(600);
    expect(slaTargetSeconds(sla, { name: 'x', type: 'rss' })).toBe(3600);
    expect(slaRemainingMs(0, 600, 700_000)).toBe(-100_000);
  });
});

describe('daily report', () => {
  const base: ReportMention = {
    id: 1, source: 'news', sourceType: 'rss', url: null, author: null, authorReach: null, title: null, text: 'x',
    createdAt: 0, status: 'new', priority: 10, firstResponseAt: null, relevance: 'relevant', sentiment: 'neutral', tags: [], topics: ['acme'],
  };
  const DAY = 86_400_000;
  const input = (overrides: Partial<DailyReportInput>): DailyReportInput => ({
    kind: 'daily', period: '1970-01-08', date: '1970-01-08', lastDate: '1970-01-08', timezone: 'UTC',
    from: 7 * DAY, to: 8 * DAY, baselinePeriods: 7, now: 8 * DAY + 3600_000,
    sla: { defaultSeconds: 600, bySource: {} }, hours: 'all',
    mentions: [], history: [], responses: responsesOf([]), openCreatedAt: [], ...overrides,
  });
  /** The response facts of rows as `mentions report` counts them in SQL, here counted row by row. */
  function responsesOf(rows: StatsRow[]): ResponseFacts {
    const options = { hours: 'all' as const, calendar: null, timeZone: 'UTC', sla: { defaultSeconds: 600, bySource: {} } };
    return { total: factsOfRows(rows, options).total, byAgent: factsOfRows(rows, { ...options, by: ['agent'] }).groups, bySource: factsOfRows(rows, { ...options, by: ['source'] }).groups };
  }

  it('counts relevant mentions apart from spam and own posts, and measures first responses', () => {
    const at = 7 * DAY;
    const report = buildDailyReport(input({
      mentions: [
        { ...base, id: 1, createdAt: at, sentiment: 'negative', priority: 60, firstResponseAt: at + 300_000, tags: ['complaint'], status: 'responded' },
        { ...base, id: 2, createdAt: at, sentiment: 'negative', priority: 90, tags: ['urgent'], url: 'https://x/2' },
        { ...base, id: 3, createdAt: at, sentiment: 'positive', firstResponseAt: at + 1_200_000, status: 'responded' },
        { ...base, id: 6, createdAt: at, sentiment: 'negative', priority: 30, status: 'assigned' },
        { ...base, id: 4, createdAt: at, relevance: 'spam' },
        { ...base, id: 5, createdAt: at, relevance: 'own' },
      ],
    }));
    expect(report.mentions).toBe(4);
    expect([report.spam, report.own, report.irrelevant]).toEqual([1, 1, 0]);
    expect(report.sentiment).toEqual({ positive: 1, neutral: 0, negative: 3 });
    expect(report.responses).toMatchObject({ answered: 2, unanswered: 2, medianSeconds: 750, meanSeconds: 750 });
    expect(report.responses.withinSla).toBeCloseTo(1 / 4, 10);
    // Only open ones need attention: #1 was answered.
    expect(report.attention.map((a) => a.id)).toEqual([2, 6]);
    expect([report.openNegative, report.openUrgent]).toEqual([2, 1]);
    expect(report.tags).toEqual([{ tag: 'complaint', mentions: 1 }, { tag: 'urgent', mentions: 1 }]);
  });

  it('compares volumes with the previous day and the 7-day average, by source, topic and sentiment', () => {
    const day = (n: number, overrides: Partial<ReportMention> = {}) => ({ ...base, createdAt: n * DAY + 3600_000, ...overrides });
    const facts = { source: base.source, relevance: base.relevance, sentiment: base.sentiment, topics: base.topics };
    const report = buildDailyReport(input({
      mentions: [day(7), day(7), day(7, { source: 'forum', sentiment: 'negative' })],
      // 7 days before: 1 a day on news, plus 6 on forum the day before (counted as one fact).
      history: [
        ...[0, 1, 2, 3, 4, 5, 6].map((n) => ({ ...facts, previous: n === 6, mentions: 1 })),
        { ...facts, source: 'forum', topics: [], previous: true, mentions: 6 },
      ],
    }));
    expect(report.trend).toEqual({ key: 'mentions', mentions: 3, previous: 7, average: 13 / 7 });
    expect(report.bySource.map((s) => [s.key, s.mentions, s.previous, s.average])).toEqual([
      ['news', 2, 1, 1],
      ['forum', 1, 6, 6 / 7],
    ]);
    expect(report.byTopic.map((s) => [s.key, s.mentions, s.previous])).toEqual([['acme', 3, 1], ['(none)', 0, 6]]);
    expect(report.sentimentTrend.find((s) => s.key === 'negative')).toEqual({ key: 'negative', mentions: 1, previous: 0, average: 0 });
    expect(report.volume).toHaveLength(24);
    expect(report.volume[1]).toEqual({ label: '01', mentions: 3 });
  });

  it('gives the backlog by age, top authors by reach, and response times by agent', () => {
    const now = 8 * DAY + 3600_000;
    const at = 7 * DAY;
    const report = buildDailyReport(input({
      now,
      mentions: [
        { ...base, author: 'small', authorReach: 10, createdAt: at },
        { ...base, author: 'big', authorReach: 5000, createdAt: at, url: 'https://x/big' },
        { ...base, author: 'big', authorReach: 7000, createdAt: at, url: 'https://x/big2' },
        { ...base, author: 'nobody', authorReach: null, createdAt: at },
      ],
      responses: responsesOf([
        { createdAt: at, firstResponseAt: at + 120_000, resolvedAt: null, source: 'news', sourceType: 'rss', topics: [], agent: 'anna', sentiment: null, tags: [] },
        { createdAt: at, firstResponseAt: at + 1_800_000, resolvedAt: null, source: 'news', sourceType: 'rss', topics: [], agent: 'boris', sentiment: null, tags: [] },
      ]),
      openCreatedAt: [now - 60_000, now - 2 * 3600_000, now - 30 * 3600_000, now - 10 * DAY],
    }));
    expect(report.backlog.open).toBe(4);
    expect(report.backlog.oldestSeconds).toBe(10 * 86_400);
    expect(report.backlog.buckets.map((b) => b.count)).toEqual([1, 1, 0, 1, 0, 1]);
    expect(report.topAuthors.map((a) => [a.author, a.reach, a.mentions, a.url])).toEqual([
      ['big', 7000, 2, 'https://x/big2'],
      ['small', 10, 1, null],
    ]);
    expect(report.byAgent.map((g) => [g.keys.agent, g.medianSeconds, g.withinTarget])).toEqual([['anna', 120, 1], ['boris', 1800, 0]]);
    expect(report.responsesBySource.map((g) => [g.keys.source, g.answered])).toEqual([['news', 2]]);
    expect(report.responseTimes.medianSeconds).toBe(960);
  });

  it('covers a week by local day in the weekly form', () => {
    const report = buildDailyReport(input({
      kind: 'weekly', period: '1970-W02', date: '1970-01-05', lastDate: '1970-01-11', from: 4 * DAY, to: 11 * DAY, baselinePeriods: 4,
      mentions: [{ ...base, createdAt: 4 * DAY + 1 }, { ...base, createdAt: 10 * DAY + 5 }, { ...base, createdAt: 10 * DAY + 9 }],
    }));
    expect(report.volume.map((v) => v.mentions)).toEqual([1, 0, 0, 0, 0, 0, 2]);
    expect(report.volume[0]!.label).toBe('1970-01-05');
  });
});
