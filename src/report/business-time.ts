import type { BusinessHours, TimeInterval, Weekday } from '../config/types.js';
import { localParts, zonedTimeToInstant } from './zoned-time.js';

/**
 * SLA clocks in business hours: a target of 30 minutes for a mention that
 * arrives at 17:50 on a Friday is reached at 09:20 on Monday. Days are walked
 * in the config's time zone, so holidays, extra working days and clock
 * changes fall where the team sees them.
 */

const WEEKDAY_BY_INDEX: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** A year of closed days means the calendar has no working time at all. */
const MAX_DAYS = 400;

function hoursOn(date: { year: number; month: number; day: number }, hours: BusinessHours): readonly TimeInterval[] {
  const key = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  if (hours.holidays.includes(key)) return [];
  if (hours.extraWorkingDays.includes(key)) return hours.extraWorkingHours;
  const weekday = WEEKDAY_BY_INDEX[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;
  return hours.week[weekday] ?? [];
}

/** The instant when `seconds` of working time have passed since `start`; null when the calendar never opens. */
export function addBusinessSeconds(start: number, seconds: number, hours: BusinessHours, timeZone: string): number | null {
  let left = seconds * 1000;
  const first = localParts(start, timeZone);
  for (let offset = 0; offset < MAX_DAYS; offset++) {
    const day = new Date(Date.UTC(first.year, first.month - 1, first.day + offset));
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    for (const interval of hoursOn(date, hours)) {
      const at = (minute: number) => zonedTimeToInstant({ ...date, hour: Math.floor(minute / 60), minute: minute % 60, second: 0 }, timeZone);
      const open = Math.max(at(interval.startMinute), start);
      const close = interval.endMinute === 24 * 60 ? zonedTimeToInstant({ ...nextDay(date), hour: 0, minute: 0, second: 0 }, timeZone) : at(interval.endMinute);
      if (close <= open) continue;
      if (close - open >= left) return open + left;
      left -= close - open;
    }
  }
  return null;
}

function nextDay(date: { year: number; month: number; day: number }) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
