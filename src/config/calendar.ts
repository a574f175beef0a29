import type { TimeInterval } from './types.js';

/** Business-hours building blocks: `HH:MM-HH:MM` intervals and `YYYY-MM-DD` dates. */

const INTERVAL_PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** Parses `09:00-18:00`; `24:00` is allowed as an end. Throws a plain Error saying what is expected. */
export function parseTimeInterval(text: string): TimeInterval {
  const match = INTERVAL_PATTERN.exec(text.trim());
  if (!match) throw new Error(`invalid interval "${text}": expected HH:MM-HH:MM, like "09:00-18:00"`);
  const [, startHour, startMinute, endHour, endMinute] = match;
  const start = minuteOfDay(Number(startHour), Number(startMinute), false);
  const end = minuteOfDay(Number(endHour), Number(endMinute), true);
  if (start === null || end === null) {
    throw new Error(`invalid interval "${text}": hours are 00–23 (24:00 only as an end), minutes 00–59`);
  }
  if (start >= end) throw new Error(`invalid interval "${text}": the start must be before the end (intervals cannot cross midnight)`);
  return { startMinute: start, endMinute: end };
}

/**
 * Parses a daily window such as quiet hours, `22:00-08:00`: like an interval, but
 * it may cross midnight (an end before the start ends the next morning).
 */
export function parseDailyWindow(text: string): { startMinute: number; endMinute: number } {
  const match = INTERVAL_PATTERN.exec(text.trim());
  if (!match) throw new Error(`invalid time window "${text}": expected HH:MM-HH:MM, like "22:00-08:00"`);
  const [, startHour, startMinute, endHour, endMinute] = match;
  const start = minuteOfDay(Number(startHour), Number(startMinute), false);
  const end = minuteOfDay(Number(endHour), Number(endMinute), true);
  if (start === null || end === null) {
    throw new Error(`invalid time window "${text}": hours are 00–23 (24:00 only as an end), minutes 00–59`);
  }
  if (start === end) throw new Error(`invalid time window "${text}": the start and the end are the same time`);
  return { startMinute: start, endMinute: end };
}

function minuteOfDay(hour: number, minute: number, isEnd: boolean): number | null {
  if (minute > 59) return null;
  if (hour === 24 && minute === 0 && isEnd) return 24 * 60;
  if (hour > 23) return null;
  return hour * 60 + minute;
}

/** The first pair of overlapping intervals, for an error message, or null. Expects them sorted by start. */
export function findOverlap(sorted: readonly TimeInterval[]): [TimeInterval, TimeInterval] | null {
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.startMinute < previous.endMinute) return [previous, current];
  }
  return null;
}

export function formatTimeInterval(interval: TimeInterval): string {
  return `${formatMinute(interval.startMinute)}-${formatMinute(interval.endMinute)}`;
}

function formatMinute(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  return `${String(hours).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (so 2026-02-30 is not). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

let canonicalZones: ReadonlySet<string> | null = null;

/** Whether `Intl` knows the IANA time zone `name`. */
export function isKnownTimeZone(name: string): boolean {
  // The canonical list answers most configs in a millisecond; a first DateTimeFormat costs ten (ICU's
  // locale data), and is asked only for aliases ("Europe/Kiev", "US/Eastern") and other spellings.
  // ICU lists UTC under no canonical name of its own, and it is the default.
  canonicalZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (canonicalZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
