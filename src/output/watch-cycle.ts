import { formatAlertCycle } from './alerts.js';
import type { AlertCycleView } from './alerts.js';
import { terminalSafeLine } from './sanitize.js';

/** What one watch cycle did (pull/watch's WatchCycle fits). */
export interface WatchCycleView {
  number: number;
  startedAt: number;
  due: string[];
  pull: { totals: { new: number; failed: number }; sources: Array<{ name: string; ok: boolean }> } | null;
  alerts: AlertCycleView | null;
  error: string | null;
}

/** One log line per cycle, with a UTC timestamp, for journald or a log file. */
export function formatWatchCycle(cycle: WatchCycleView, sourceCount: number): string {
  const parts = [`${new Date(cycle.startedAt).toISOString()} cycle ${cycle.number}`];
  if (cycle.pull) {
    const failed = cycle.pull.sources.filter((s) => !s.ok).map((s) => s.name);
    parts.push(`polled ${cycle.due.length}/${sourceCount} sources: ${cycle.pull.totals.new} new${failed.length > 0 ? `, failed: ${failed.join(', ')}` : ''}`);
  } else if (!cycle.error) {
    parts.push('no source due');
  }
  if (cycle.alerts) parts.push(formatAlertCycle(cycle.alerts));
  if (cycle.error) parts.push(`error: ${cycle.error}`);
  return terminalSafeLine(parts.join('; '));
}
