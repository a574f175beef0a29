/**
 * The pure parts of alerting: when an SLA alert is due, whether an hour's
 * count is a spike, quiet hours and rate limits. The store finds candidates;
 * these decide.
 */
import { percentile } from './percentile.js';
import { localParts } from '../output/time-format.js';
import { zonedTimeToInstant } from './zoned-time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Mentions overdue by longer than this no longer raise an SLA alert: after a
 * backfill or a long outage they are history, and a flood of them would bury
 * the alerts that can still be acted on.
 */
export const SLA_ALERT_MAX_OVERDUE_MS = DAY_MS;

/**
 * Whether an unanswered mention's first-response target, missed at `deadline`
 * (slaDeadline: around the clock or in business hours), is missed within
 * `withinSeconds` from `now`. Null (a calendar that never opens) never alerts.
 */
export function slaAlertDue(deadline: number | null, withinSeconds: number, now: number): boolean {
  if (deadline === null) return false;
  const remaining = deadline - now;
  return remaining <= withinSeconds * 1000 && remaining > -SLA_ALERT_MAX_OVERDUE_MS;
}

export interface SpikeVerdict {
  spike: boolean;
  current: number;
  /** Median of the baseline hours. */
  median: number;
  /** The count to exceed: factor × median, and never below min_count. */
  threshold: number;
}

/**
 * A spike: this hour's count above `factor` × the median of the same hour on
 * the baseline days, and at least `minCount` (so 2 mentions against a usual 0
 * is not an incident). A missing baseline day counts as 0 mentions.
 */
export function detectSpike(current: number, baseline: readonly number[], factor: number, minCount: number): SpikeVerdict {
  const median = percentile([...baseline].sort((a, b) => a - b), 0.5) ?? 0;
  const threshold = factor * median;
  return { spike: current > threshold && current >= minCount, current, median, threshold: Math.max(threshold, minCount) };
}

export interface HourWindows {
  /** The current local hour so far: [start of the hour, now). */
  current: { from: number; to: number };
  /** The same local hour on each of the previous `days` days, whole hours, most recent first. */
  baseline: Array<{ from: number; to: number }>;
  /** "2026-11-20T14": names the hour, so a spike alerts once per hour. */
  hourKey: string;
}

/**
 * Windows for spike detection in the config's time zone. Days are calendar
 * days, so across a clock change the "same hour" is the same wall-clock hour.
 */
export function sameHourWindows(now: number, timeZone: string, days: number): HourWindows {
  const local = localParts(now, timeZone);
  const hourStart = zonedTimeToInstant({ ...local, minute: 0, second: 0 }, timeZone);
  const baseline: Array<{ from: number; to: number }> = [];
  for (let back = 1; back <= days; back++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day - back));
    const from = zonedTimeToInstant(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: local.hour, minute: 0, second: 0 },
      timeZone,
    );
    baseline.push({ from, to: from + HOUR_MS });
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    current: { from: Math.min(hourStart, now), to: now + 1 },
    baseline,
    hourKey: `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}`,
  };
}

/** Whether the local time of `instant` falls in a daily window that may cross midnight (start inclusive, end exclusive). */
export function inDailyWindow(instant: number, window: { startMinute: number; endMinute: number }, timeZone: string): boolean {
  const local = localParts(instant, timeZone);
  const minute = local.hour * 60 + local.minute;
  const { startMinute, endMinute } = window;
  if (startMinute < endMinute) return minute >= startMinute && minute < endMinute;
  return minute >= startMinute || minute < endMinute;
}

/** Whether one more delivery fits a limit of `count` per window, given how many went out in the window. */
export function withinRateLimit(sentInWindow: number, limit: { count: number } | undefined): boolean {
  return limit === undefined || sentInWindow < limit.count;
}

/** The wait before the next delivery attempt: doubling from 30 s, capped at 15 min, so a channel back up is used soon. */
export function alertRetryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}
