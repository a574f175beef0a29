/**
 * Elapsed working time between two instants, exact to the millisecond: the
 * local days the span touches are walked one by one, and each day's working
 * intervals (weekly hours, holidays, extra working days) are turned into UTC
 * instants in the calendar's IANA zone, so a day on which the clocks change
 * has 23 or 25 hours and an interval across the change is shortened or
 * lengthened as the wall clock says.
 */
import type { BusinessHours, TimeInterval, Weekday } from '../config/types.js';
import { createWallClock, wallDayNumber, zonedTimeToInstant } from './zoned-time.js';

const DAY_MS = 86_400_000;
/** How far addBusinessSeconds looks for working time before deciding there is none. */
const MAX_SEARCH_DAYS = 366 * 5;
// Day number 0 (1970-01-01) was a Thursday.
const WEEKDAY_OF_DAY: readonly Weekday[] = ['thu', 'fri', 'sat', 'sun', 'mon', 'tue', 'wed'];

/** A compiled business calendar; build one with `businessCalendar` and reuse it (it caches days). */
export interface BusinessCalendar {
  readonly timeZone: string;
  /** Working intervals of a local day as UTC instants, flat [start0, end0, start1, end1, …]. */
  intervalsOfDay(dayNumber: number): readonly number[];
  /** The local day number (days since 1970-01-01 on the wall clock) of an instant. */
  dayNumberOf(instant: number): number;
}

export function businessCalendar(hours: BusinessHours, timeZone: string): BusinessCalendar {
  const holidays = new Set(hours.holidays);
  const extraDays = new Set(hours.extraWorkingDays);
  const dayCache = new Map<number, number[]>();
  const wallClock = createWallClock(timeZone);

  const intervalsOfDay = (dayNumber: number): number[] => {
    let instants = dayCache.get(dayNumber);
    if (instants) return instants;
    const date = new Date(dayNumber * DAY_MS);
    const iso = date.toISOString().slice(0, 10);
    let intervals: readonly TimeInterval[];
    if (holidays.has(iso)) intervals = [];
    else if (extraDays.has(iso)) intervals = hours.extraWorkingHours;
    else intervals = hours.week[WEEKDAY_OF_DAY[((dayNumber % 7) + 7) % 7]!] ?? [];
    const local = (minuteOfDay: number) =>
      zonedTimeToInstant(
        {
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
          hour: Math.floor(minuteOfDay / 60),
          minute: minuteOfDay % 60,
          second: 0,
        },
        timeZone,
      );
    instants = [];
    for (const interval of intervals) {
      const start = local(interval.startMinute);
      const end = local(interval.endMinute);
      // Both ends inside a spring-forward gap map to the same instant: nothing of it exists.
      if (end > start) instants.push(start, end);
    }
    dayCache.set(dayNumber, instants);
    return instants;
  };

  return {
    timeZone,
    intervalsOfDay,
    dayNumberOf: (instant) => wallDayNumber(wallClock(instant)),
  };
}

/** Working seconds in [fromMs, toMs); 0 when `to` is not after `from`. */
export function businessSecondsBetween(fromMs: number, toMs: number, calendar: BusinessCalendar): number {
  return businessMsBetween(fromMs, toMs, calendar) / 1000;
}

/** Working milliseconds in [fromMs, toMs); 0 when `to` is not after `from`. */
export function businessMsBetween(fromMs: number, toMs: number, calendar: BusinessCalendar): number {
  if (!(toMs > fromMs)) return 0;
  const lastDay = calendar.dayNumberOf(toMs);
  let totalMs = 0;
  for (let day = calendar.dayNumberOf(fromMs); day <= lastDay; day++) {
    const instants = calendar.intervalsOfDay(day);
    for (let i = 0; i < instants.length; i += 2) {
      const start = Math.max(instants[i]!, fromMs);
      const end = Math.min(instants[i + 1]!, toMs);
      if (end > start) totalMs += end - start;
    }
  }
  return totalMs;
}

/**
 * The instant at which `seconds` of working time have passed since `fromMs`
 * (when a business-hours response target expires). With 0 seconds, `fromMs`
 * itself. Throws when the calendar has no working time for years ahead.
 */
export function addBusinessSeconds(fromMs: number, seconds: number, calendar: BusinessCalendar): number {
  let remainingMs = seconds * 1000;
  if (remainingMs <= 0) return fromMs;
  const firstDay = calendar.dayNumberOf(fromMs);
  for (let day = firstDay; day <= firstDay + MAX_SEARCH_DAYS; day++) {
    const instants = calendar.intervalsOfDay(day);
    for (let i = 0; i < instants.length; i += 2) {
      const start = Math.max(instants[i]!, fromMs);
      const end = instants[i + 1]!;
      if (end <= start) continue;
      if (end - start >= remainingMs) return start + remainingMs;
      remainingMs -= end - start;
    }
  }
  throw new Error(`no working time within ${MAX_SEARCH_DAYS} days after ${new Date(fromMs).toISOString()}: check business_hours`);
}
