import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { truncate } from './sanitize.js';
import { renderTable } from './table.js';
import { formatSpan } from './time-format.js';

/** A queued alert as `mentions alerts` shows it (store/alerts' AlertRow fits). */
export interface AlertRowView {
  id: number;
  rule: string;
  mentionId: number | null;
  spikeKey: string | null;
  channel: string;
  state: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  sentAt: number | null;
}

/** Counts of one alert cycle, for a log line. */
export interface AlertCycleView {
  queued: number;
  sent: number;
  failedAttempts: number;
  held: number;
  skipped: number;
  pending: number;
  failed: number;
}

export function formatAlertCycle(result: AlertCycleView): string {
  const parts = [`${result.queued} queued`, `${result.sent} sent`];
  if (result.held > 0) parts.push(`${result.held} held (quiet hours or rate limit)`);
  if (result.skipped > 0) parts.push(`${result.skipped} skipped (answered meanwhile)`);
  if (result.failedAttempts > 0) parts.push(`${result.failedAttempts} failed attempts`);
  parts.push(`${result.pending} pending`);
  if (result.failed > 0) parts.push(`${result.failed} given up`);
  return `alerts: ${parts.join(', ')}`;
}

export function renderAlertsTable(rows: readonly AlertRowView[], now: number, style: ChalkInstance): string {
  if (rows.length === 0) return 'No alerts.\n';
  const stateColour = (state: string) => (state === 'failed' ? style.red.bold : state === 'pending' ? style.yellow : state === 'skipped' ? style.dim : style.green);
  return renderTable<AlertRowView>(
    [
      { header: 'ID', value: (r) => String(r.id), align: 'right' },
      { header: 'STATE', value: (r) => r.state, paint: (t, r) => stateColour(r.state)(t) },
      { header: 'RULE', value: (r) => truncate(r.rule, 24) },
      { header: 'CHANNEL', value: (r) => truncate(r.channel, 20) },
      { header: 'SUBJECT', value: (r) => (r.mentionId !== null ? `mention ${r.mentionId}` : (r.spikeKey ?? '')) },
      { header: 'QUEUED', value: (r) => `${formatSpan(now - r.createdAt)} ago`, align: 'right' },
      { header: 'TRIES', value: (r) => String(r.attempts), align: 'right' },
      { header: 'NEXT / SENT', value: (r) => nextOrSent(r, now), align: 'right' },
      { header: 'LAST ERROR', value: (r) => truncate(r.lastError ?? '', 60) },
    ],
    rows,
  );
}

function nextOrSent(row: AlertRowView, now: number): string {
  if (row.sentAt !== null) return `${formatSpan(now - row.sentAt)} ago`;
  if (row.state !== 'pending') return '—';
  return row.nextAttemptAt !== null && row.nextAttemptAt > now ? `in ${formatSpan(row.nextAttemptAt - now)}` : 'next cycle';
}

export function renderAlertsJson(rows: readonly AlertRowView[]): string {
  return renderJson(
    rows.map((r) => ({
      id: r.id,
      state: r.state,
      rule: r.rule,
      channel: r.channel,
      mention_id: r.mentionId,
      spike_key: r.spikeKey,
      attempts: r.attempts,
      last_error: r.lastError,
      next_attempt_at: r.nextAttemptAt === null ? null : new Date(r.nextAttemptAt).toISOString(),
      created_at: new Date(r.createdAt).toISOString(),
      sent_at: r.sentAt === null ? null : new Date(r.sentAt).toISOString(),
    })),
  );
}
