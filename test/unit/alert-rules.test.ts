import { describe, expect, it } from 'vitest';
import { alertRetryDelayMs, detectSpike, inDailyWindow, sameHourWindows, slaAlertDue, withinRateLimit } from '../../src/report/alert-rules.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A generated hourly series: a daily curve (busy afternoons, quiet nights) with
 * a little day-to-day wobble, 15 days long; `counts[d][h]` is day d, hour h.
 */
function hourlySeries(days: number, spike?: { day: number; hour: number; count: number }): number[][] {
  const series: number[][] = [];
  for (let d = 0; d < days; d++) {
    const day: number[] = [];
    for (let h = 0; h < 24; h++) {
      const base = h >= 9 && h < 19 ? 12 : 2;
      day.push(base + ((d * 7 + h * 3) % 5) - 2);
    }
    series.push(day);
  }
  if (spike) series[spike.day]![spike.hour] = spike.count;
  return series;
}

/** The verdict for day `d` hour `h` against the same hour on the 14 days before. */
function verdictAt(series: number[][], d: number, h: number, factor = 3, minCount = 5) {
  const baseline = series.slice(d - 14, d).map((day) => day[h]!);
  return detectSpike(series[d]![h]!, baseline, factor, minCount);
}

describe('spike detection', () => {
  it('finds the injected spike and nothing else in a generated series', () => {
    const series = hourlySeries(15, { day: 14, hour: 15, count: 60 });
    const flagged = series[14]!.map((_, h) => h).filter((h) => verdictAt(series, 14, h).spike);
    expect(flagged).toEqual([15]);
    const verdict = verdictAt(series, 14, 15);
    expect(verdict.median).toBeGreaterThanOrEqual(10);
    expect(verdict.median).toBeLessThanOrEqual(14);
    expect(verdict.threshold).toBe(3 * verdict.median);
  });

  it('needs the count above factor × median, not equal to it', () => {
    const baseline = [4, 4, 4, 5, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4];
    expect(detectSpike(12, baseline, 3, 5).spike).toBe(false);
    expect(detectSpike(13, baseline, 3, 5).spike).toBe(true);
  });

  it('ignores a few mentions in an hour that is usually empty (min_count)', () => {
    const night = new Array(14).fill(0) as number[];
    expect(detectSpike(3, night, 3, 5)).toMatchObject({ spike: false, median: 0, threshold: 5 });
    expect(detectSpike(5, night, 3, 5).spike).toBe(true);
  });

  it('takes the median, so one busy day in the baseline does not hide a spike', () => {
    const baseline = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 200];
    expect(detectSpike(10, baseline, 3, 5)).toMatchObject({ spike: true, median: 2 });
  });

  it('compares the same local hour on earlier days, across a clock change', () => {
    // 2026-03-30 14:20 in Berlin (CEST, UTC+2); the clocks went forward on 2026-03-29.
    const now = Date.UTC(2026, 2, 30, 12, 20);
    const windows = sameHourWindows(now, 'Europe/Berlin', 14);
    expect(windows.hourKey).toBe('2026-03-30T14');
    expect(windows.current).toEqual({ from: Date.UTC(2026, 2, 30, 12, 0), to: now + 1 });
    expect(windows.baseline).toHaveLength(14);
    expect(windows.baseline[0]).toEqual({ from: Date.UTC(2026, 2, 29, 12, 0), to: Date.UTC(2026, 2, 29, 13, 0) });
    // Before the change Berlin was UTC+1: 14:00 local is 13:00 UTC.
    expect(windows.baseline[1]).toEqual({ from: Date.UTC(2026, 2, 28, 13, 0), to: Date.UTC(2026, 2, 28, 14, 0) });
  });
});

describe('SLA alerts', () => {
  const created = Date.UTC(2026, 10, 20, 10, 0);
  it('fire once the target is missed within the window, and stop a day after it was missed', () => {
    const target = 30 * 60;
    expect(slaAlertDue(created + target * 1000, 10 * 60, created + 19 * 60_000)).toBe(false);
    expect(slaAlertDue(created + target * 1000, 10 * 60, created + 20 * 60_000)).toBe(true);
    expect(slaAlertDue(created + target * 1000, 10 * 60, created + 2 * HOUR)).toBe(true);
    expect(slaAlertDue(created + target * 1000, 10 * 60, created + 30 * 60_000 + DAY)).toBe(false);
    // A business-hours calendar that never opens has no deadline: nothing to alert.
    expect(slaAlertDue(null, 10 * 60, created)).toBe(false);
  });
});

describe('quiet hours', () => {
  const window = { startMinute: 22 * 60, endMinute: 8 * 60 };
  it('cover the night across midnight in the config time zone', () => {
    // Moscow is UTC+3 all year.
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 19, 0), window, 'Europe/Moscow')).toBe(true); // 22:00
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 18, 59), window, 'Europe/Moscow')).toBe(false); // 21:59
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 2, 0), window, 'Europe/Moscow')).toBe(true); // 05:00
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 5, 0), window, 'Europe/Moscow')).toBe(false); // 08:00
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 5, 0), window, 'UTC')).toBe(true);
  });
  it('also work as a window within one day', () => {
    const lunch = { startMinute: 13 * 60, endMinute: 14 * 60 };
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 13, 30), lunch, 'UTC')).toBe(true);
    expect(inDailyWindow(Date.UTC(2026, 10, 20, 14, 0), lunch, 'UTC')).toBe(false);
  });
});

describe('rate limits and retries', () => {
  it('allow deliveries up to the count', () => {
    expect(withinRateLimit(9, { count: 10 })).toBe(true);
    expect(withinRateLimit(10, { count: 10 })).toBe(false);
    expect(withinRateLimit(1000, undefined)).toBe(true);
  });
  it('back off exponentially up to a cap', () => {
    expect([1, 2, 3, 10].map(alertRetryDelayMs)).toEqual([30_000, 60_000, 120_000, 900_000]);
  });
});
