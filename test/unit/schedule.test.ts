import { describe, expect, it } from 'vitest';
import { dueSources, MAX_BACKOFF_MS, nextPollAt } from '../../src/pull/schedule.js';

const T = Date.UTC(2026, 10, 20, 12, 0);
const MIN = 60_000;

describe('watch schedule', () => {
  it('polls a never-polled source at once, and others an interval (plus jitter under a tenth) after the last poll', () => {
    expect(nextPollAt('a', 900, null)).toBe(Number.NEGATIVE_INFINITY);
    const next = nextPollAt('a', 900, { lastPolledAt: T, consecutiveFailures: 0 });
    expect(next).toBeGreaterThanOrEqual(T + 15 * MIN);
    expect(next).toBeLessThan(T + 16.5 * MIN);
    expect(nextPollAt('a', 900, { lastPolledAt: T, consecutiveFailures: 0 })).toBe(next);
  });

  it('spreads sources with the same interval apart', () => {
    const times = new Set(['a', 'b', 'c', 'd'].map((name) => nextPollAt(name, 900, { lastPolledAt: T, consecutiveFailures: 0 })));
    expect(times.size).toBe(4);
  });

  it('backs off exponentially after failures in a row, capped', () => {
    const after = (failures: number) => nextPollAt('a', 300, { lastPolledAt: T, consecutiveFailures: failures }) - T;
    expect(after(1)).toBeGreaterThanOrEqual(10 * MIN);
    expect(after(1)).toBeLessThan(11 * MIN);
    expect(after(2)).toBeGreaterThanOrEqual(20 * MIN);
    expect(after(9)).toBeGreaterThanOrEqual(MAX_BACKOFF_MS);
    expect(after(9)).toBeLessThan(MAX_BACKOFF_MS + 5 * MIN);
    // A source polled less often than the cap keeps at least its own interval.
    expect(nextPollAt('a', 86_400, { lastPolledAt: T, consecutiveFailures: 3 }) - T).toBeGreaterThanOrEqual(86_400_000);
  });

  it('selects the enabled sources that are due', () => {
    const sources = [
      { name: 'fresh', intervalSeconds: 900, enabled: true },
      { name: 'old', intervalSeconds: 900, enabled: true },
      { name: 'new', intervalSeconds: 900, enabled: true },
      { name: 'off', intervalSeconds: 900, enabled: false },
    ];
    const states = new Map([
      ['fresh', { lastPolledAt: T - MIN, consecutiveFailures: 0 }],
      ['old', { lastPolledAt: T - 20 * MIN, consecutiveFailures: 0 }],
    ]);
    expect(dueSources(sources, states, T)).toEqual(['old', 'new']);
  });
});
