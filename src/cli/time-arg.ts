import { parseDuration } from '../config/duration.js';
import { readPublished } from '../sources/file-import.js';
import { UsageError } from './usage-error.js';

/**
 * `--at` values: "now", a span back from now ("15m ago", "1h30m ago"), or an
 * ISO 8601 time; without an offset the time is in the config's time zone.
 * A time in the future is refused: nobody has answered yet.
 */
export function parseAtTime(raw: string, timeZone: string, now: number, flag = '--at'): number {
  const text = raw.trim();
  if (text === 'now') return now;
  const ago = /^(.+?)\s+ago$/i.exec(text);
  let at: number;
  if (ago) {
    try {
      at = now - parseDuration(ago[1]!) * 1000;
    } catch (err) {
      throw new UsageError(`${flag} "${raw}": ${(err as Error).message}`);
    }
  } else {
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? readPublished(text, null, timeZone) : { ms: null };
    if (parsed.ms === null) {
      throw new UsageError(`${flag} "${raw}": expected an ISO 8601 time (2026-11-20T14:05, 2026-11-20 14:05+03:00) or a span like "15m ago"`);
    }
    at = parsed.ms;
  }
  if (at > now + 60_000) throw new UsageError(`${flag} "${raw}" is in the future (${new Date(at).toISOString()})`);
  return at;
}
