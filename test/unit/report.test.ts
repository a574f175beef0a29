import { describe, expect, it } from 'vitest';
import { buildDailyReport } from '../../src/report/daily.js';
import type { ReportMention } from '../../src/report/daily.js';
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
  it('counts relevant mentions apart from spam and own posts, and measures first responses', () => {
    const report = buildDailyReport({
      date: '2026-11-20', timezone: 'UTC', from: 0, to: 86_400_000, now: 90_000_000,
      sla: { defaultSeconds: 600, bySource: {} },
      mentions: [
        { ...base, id: 1, sentiment: 'negative', priority: 60, firstResponseAt: 300_000, tags: ['complaint'] },
        { ...base, id: 2, sentiment: 'negative', priority: 90, tags: ['urgent'], url: 'https://x/2' },
        { ...base, id: 3, sentiment: 'positive', firstResponseAt: 1_200_000 },
        { ...base, id: 4, relevance: 'spam' },
        { ...base, id: 5, relevance: 'own' },
      ],
    });
    expect(report.mentions).toBe(3);
    expect([report.spam, report.own, report.irrelevant]).toEqual([1, 1, 0]);
    expect(report.sentiment).toEqual({ positive: 1, neutral: 0, negative: 2 });
    expect(report.responses).toMatchObject({ answered: 2, unanswered: 1, medianSeconds: 750, meanSeconds: 750 });
    expect(report.responses.withinSla).toBeCloseTo(1 / 3, 10);
    expect(report.attention.map((a) => a.id)).toEqual([2, 1]);
    expect(report.tags).toEqual([{ tag: 'complaint', mentions: 1 }, { tag: 'urgent', mentions: 1 }]);
  });
});
