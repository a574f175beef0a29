/**
 * Local calendar dates in an IANA time zone mapped to UTC instants, without a
 * time library: Intl gives the zone's offset at an instant, and a local time
 * is found by correcting a first guess with the offset there (twice, so days
 * on which the clocks change land right).
 */

import { localParts } from '../output/time-format.js';
import type { LocalDateTime } from '../output/time-format.js';

/** The zone's offset from UTC at an instant, in ms (Moscow: +3 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (instant % 1000));
}

/** The UTC instant of a local wall-clock time; in a gap (spring forward) the later valid instant. */
export function zonedTimeToInstant(local: LocalDateTime, timeZone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** "2026-11-20" → that local day's [start, end) in UTC ms. */
export function localDayBounds(date: string, timeZone: string): { from: number; to: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`expected a date as YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return {
    from: zonedTimeToInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone),
    to: zonedTimeToInstant(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 },
      timeZone,
    ),
  };
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;
/** Offsets are looked up per quarter hour: zones change their offset on quarter-hour boundaries. */
const OFFSET_BUCKET_MS = 900_000;

/**
 * A fast instant → local wall-clock converter for one zone, for reports over
 * many rows: the result is the local time as milliseconds since 1970-01-01
 * on the wall clock (read it with getUTC*), with offsets cached per UTC day
 * (a day with the same offset at both ends has no change: zones change at most
 * once a day) and, on a day with a change, per quarter hour, so a month of rows
 * costs about a hundred Intl calls.
 */
export function createWallClock(timeZone: string): (instant: number) => number {
  const dayOffsets = new Map<number, number | null>();
  const offsets = new Map<number, number>();
  const quarterHourOffset = (instant: number) => {
    const bucket = Math.floor(instant / OFFSET_BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const start = zoneOffsetMs(bucket * OFFSET_BUCKET_MS, timeZone);
      const end = zoneOffsetMs(bucket * OFFSET_BUCKET_MS + OFFSET_BUCKET_MS - 1000, timeZone);
      // A bucket holding a change off the quarter hour is not cached.
      if (start !== end) return zoneOffsetMs(instant, timeZone);
      offset = start;
      offsets.set(bucket, offset);
    }
    return offset;
  };
  return (instant) => {
    const day = Math.floor(instant / DAY_MS);
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const start = zoneOffsetMs(day * DAY_MS, timeZone);
      const end = zoneOffsetMs(day * DAY_MS + DAY_MS - 1000, timeZone);
      offset = start === end ? start : null;
      dayOffsets.set(day, offset);
    }
    return instant + (offset ?? quarterHourOffset(instant));
  };
}

/** The local day number (days since 1970-01-01 on the wall clock) of a wall-clock time from createWallClock. */
export function wallDayNumber(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}
