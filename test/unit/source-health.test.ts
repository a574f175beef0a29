import { describe, expect, it } from 'vitest';
import { buildSourceHealth, sortByAttention } from '../../src/report/source-health.js';
import type { StoredSourceStats } from '../../src/report/source-health.js';

const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const min = 60_000;
const stats = (name: string, over: Partial<StoredSourceStats> = {}): StoredSourceStats => ({
  name,
  type: 'rss',
  lastPolledAt: now - 5 * min,
  lastOkAt: now - 5 * min,
  consecutiveFailures: 0,
  errorCount: 0,
  lastError: null,
  mentionCount: 3,
  newestMentionAt: now - 60 * min,
  ...over,
});
const configured = (name: string, enabled = true) => ({ name, type: 'rss', enabled, intervalSeconds: 900 });

describe('buildSourceHealth', () => {
  it('derives each state from config and store, and keeps stored sources that left the config', () => {
    const rows = buildSourceHealth(
      [configured('fine'), configured('broken'), configured('fresh'), configured('off', false), configured('idle')],
      [
        stats('fine'),
        stats('broken', { consecutiveFailures: 3, errorCount: 7, lastError: 'HTTP 500 from x', lastOkAt: now - 90 * min }),
        stats('off'),
        stats('idle', { lastPolledAt: now - 61 * min, lastOkAt: now - 61 * min }),
        stats('import:youscan.csv', { type: 'import', mentionCount: 40 }),
      ],
      now,
    );
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['fine', 'ok'],
      ['broken', 'failing'],
      ['fresh', 'never polled'],
      ['off', 'disabled'],
      ['idle', 'stale'],
      ['import:youscan.csv', 'not in config'],
    ]);
    const fine = rows[0]!;
    expect(fine.nextDueAt).toBe(now - 5 * min + 15 * min);
    expect(rows[2]!.nextDueAt).toBe(now);
    expect(rows[3]!.nextDueAt).toBeNull();
    expect(rows[1]).toMatchObject({ consecutiveFailures: 3, errorCount: 7, lastError: 'HTTP 500 from x' });
    expect(rows[5]).toMatchObject({ type: 'import', mentionCount: 40, intervalSeconds: null });
  });

  it('sorts failing sources first, then by name', () => {
    const rows = buildSourceHealth([configured('b'), configured('a'), configured('z')], [stats('b'), stats('z', { consecutiveFailures: 1 })], now);
    expect(sortByAttention(rows).map((r) => r.name)).toEqual(['z', 'a', 'b']);
  });
});
