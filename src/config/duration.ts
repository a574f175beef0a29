/**
 * Durations as people write them in the config: `90s`, `10m`, `1h30m`, `2d`,
 * `1h 05m` (what formatDuration prints, so output can be pasted back), or a
 * bare number of seconds.
 */

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

// Units largest first, each at most once, so "30m1h" is rejected as a likely mistake.
const DURATION_PATTERN = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;

const DURATION_HINT = 'use a whole number with a unit: 90s, 10m, 1h, 1h30m, 2d (a bare number is seconds)';

/** Seconds in `text`; throws a plain Error saying what is accepted (callers add the location). */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return checkedSeconds(Number(trimmed), text);
  const match = DURATION_PATTERN.exec(trimmed);
  if (!trimmed || !match || match.slice(1).every((part) => part === undefined)) {
    throw new Error(`invalid duration "${text}": ${DURATION_HINT}`);
  }
  const [, days, hours, minutes, seconds] = match;
  const total =
    Number(days ?? 0) * UNIT_SECONDS.d +
    Number(hours ?? 0) * UNIT_SECONDS.h +
    Number(minutes ?? 0) * UNIT_SECONDS.m +
    Number(seconds ?? 0);
  return checkedSeconds(total, text);
}

function checkedSeconds(seconds: number, text: string): number {
  if (!Number.isSafeInteger(seconds)) throw new Error(`invalid duration "${text}": too large`);
  return seconds;
}

/**
 * A short human form with the two largest units: `45s`, `12m`, `1h 05m`,
 * `3d 4h`. The smaller unit is zero-padded when it is minutes or seconds so
 * columns of times line up; the rest is truncated, not rounded.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / UNIT_SECONDS.d);
  const hours = Math.floor((whole % UNIT_SECONDS.d) / UNIT_SECONDS.h);
  const minutes = Math.floor((whole % UNIT_SECONDS.h) / UNIT_SECONDS.m);
  const secs = whole % UNIT_SECONDS.m;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${pad2(minutes)}m` : `${hours}h`;
  if (minutes > 0) return secs > 0 ? `${minutes}m ${pad2(secs)}s` : `${minutes}m`;
  return `${secs}s`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
