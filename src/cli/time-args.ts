import { isIsoDate } from '../config/calendar.js';
import { localDate, localDayBounds, zonedTimeToInstant } from '../report/zoned-time.js';
import { UsageError } from './usage-error.js';

/** A local date (YYYY-MM-DD) `days` calendar days from `date` (calendar arithmetic: no 24 h steps across clock changes). */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `today`, `yesterday` or YYYY-MM-DD → a local date in the zone. */
export function resolveDate(raw: string, now: number, timeZone: string, flag = '--date'): string {
  if (raw === 'today') return localDate(now, timeZone);
  if (raw === 'yesterday') return shiftDate(localDate(now, timeZone), -1);
  if (!isIsoDate(raw)) throw new UsageError(`${flag}: expected YYYY-MM-DD, "today" or "yesterday", got "${raw}"`);
  return raw;
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A --from/--to value as an instant: a date (its local midnight), a local
 * time "YYYY-MM-DD HH:MM[:SS]" (or with T) in the configured zone, an ISO
 * time with Z or an offset, `today` or `yesterday`.
 */
export function parseTimeArg(raw: string, flag: string, now: number, timeZone: string): number {
  const text = raw.trim();
  if (text === 'today' || text === 'yesterday' || /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return localDayBounds(resolveDate(text, now, timeZone, flag), timeZone).from;
  }
  const local = LOCAL_TIME.exec(text);
  if (local) {
    const [, date, hour, minute, second] = local as unknown as [string, string, string, string, string | undefined];
    if (isIsoDate(date) && Number(hour) < 24 && Number(minute) < 60 && Number(second ?? 0) < 60) {
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      return zonedTimeToInstant({ year, month, day, hour: Number(hour), minute: Number(minute), second: Number(second ?? 0) }, timeZone);
    }
  }
  if (WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
  throw new UsageError(`${flag}: expected a date (YYYY-MM-DD), a local time (YYYY-MM-DD HH:MM) in ${timeZone}, an ISO time with Z or an offset, "today" or "yesterday"; got "${raw}"`);
}
