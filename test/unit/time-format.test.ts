import { describe, expect, it } from 'vitest';
import { formatLocal, localParts } from '../../src/output/time-format.js';

describe('formatLocal', () => {
  it('formats UTC without time-zone data, as the zone formatter would', () => {
    const viaIntl = (ms: number) => {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
      const get = (type: string) => parts.find((p) => p.type === type)!.value;
      return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
    };
    for (const iso of ['1999-12-31T23:59:59.999Z', '2026-01-01T00:00:00Z', '2026-11-20T11:05:30Z', '2024-02-29T12:00:00Z']) {
      const ms = Date.parse(iso);
      expect(formatLocal(ms, 'UTC')).toBe(viaIntl(ms));
      expect(formatLocal(ms, 'Etc/UTC')).toBe(viaIntl(ms));
    }
    expect(formatLocal(Date.parse('2026-11-20T11:05:30Z'), 'UTC')).toBe('2026-11-20 11:05');
  });

  it('formats other zones with their offset, across a clock change, with a reused formatter', () => {
    expect(formatLocal(Date.parse('2026-11-20T11:05:00Z'), 'Europe/Moscow')).toBe('2026-11-20 14:05');
    // New York moves to summer time at 02:00 local on 2026-03-08.
    expect(formatLocal(Date.parse('2026-03-08T06:59:00Z'), 'America/New_York')).toBe('2026-03-08 01:59');
    expect(formatLocal(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08 03:00');
    expect(formatLocal(Date.parse('2026-11-20T11:05:00Z'), 'Europe/Moscow')).toBe('2026-11-20 14:05');
  });
});

describe('localParts', () => {
  it('reads UTC fields without ICU exactly as the zone formatter reads an equivalent zone', () => {
    for (const iso of ['1999-12-31T23:59:59.999Z', '2026-01-01T00:00:00Z', '2026-11-20T11:05:30Z', '2024-02-29T12:00:07Z']) {
      const ms = Date.parse(iso);
      // Etc/GMT is UTC under another name, so it goes through Intl.
      expect(localParts(ms, 'UTC')).toEqual(localParts(ms, 'Etc/GMT'));
      expect(localParts(ms, 'Etc/UTC')).toEqual(localParts(ms, 'Etc/GMT'));
    }
    expect(localParts(Date.parse('2026-11-20T11:05:30Z'), 'UTC')).toEqual({ year: 2026, month: 11, day: 20, hour: 11, minute: 5, second: 30 });
    expect(localParts(Date.parse('2026-11-20T23:30:00Z'), 'Europe/Moscow')).toEqual({ year: 2026, month: 11, day: 21, hour: 2, minute: 30, second: 0 });
  });
});
