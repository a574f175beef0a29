import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { safeLink, terminalSafeLine } from './sanitize.js';
import { renderTable } from './table.js';
import { formatLocal } from './time-format.js';

/** An event as renderers take it (a store WorkEvent fits). */
export interface WorkEventView {
  id: number;
  mentionId: number;
  at: number;
  actor: string;
  origin: string;
  kind: string;
  batch: number | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  replyUrl: string | null;
  before: WorkStateView | null;
  after: WorkStateView | null;
  undoesBatch: number | null;
}

export interface WorkStateView {
  status: string;
  assignee: string | null;
  urgent: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

export interface ChangeResultView {
  batch: number;
  events: readonly WorkEventView[];
  unchanged: readonly number[];
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

function stateJson(s: WorkStateView | null): Record<string, unknown> | null {
  return s === null
    ? null
    : { status: s.status, assignee: s.assignee, urgent: s.urgent, first_response_at: iso(s.firstResponseAt), resolved_at: iso(s.resolvedAt) };
}

/** The stable JSON shape of an event; scripts depend on these names. */
export function eventJson(e: WorkEventView): Record<string, unknown> {
  return {
    id: e.id,
    mention_id: e.mentionId,
    at: iso(e.at),
    actor: e.actor,
    origin: e.origin,
    kind: e.kind,
    batch: e.batch,
    from: e.fromStatus,
    to: e.toStatus,
    note: e.note,
    reply_url: e.replyUrl,
    before: stateJson(e.before),
    after: stateJson(e.after),
    undoes_batch: e.undoesBatch,
  };
}

/** What changed, in words: "new → assigned, assigned to anna". */
export function describeEvent(e: WorkEventView, timeZone: string): string {
  const parts: string[] = [];
  const b = e.before;
  const a = e.after;
  if (e.fromStatus !== e.toStatus) parts.push(`${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}`);
  if (b && a) {
    if (b.assignee !== a.assignee) parts.push(a.assignee === null ? 'unassigned' : `assigned to ${a.assignee}`);
    if (b.urgent !== a.urgent) parts.push(a.urgent ? 'marked urgent' : 'urgency cleared');
    if (b.firstResponseAt !== a.firstResponseAt) {
      parts.push(a.firstResponseAt === null ? 'first response cleared' : `first response ${formatLocal(a.firstResponseAt, timeZone)}`);
    }
  }
  if (parts.length === 0) parts.push(e.kind === 'note' ? 'note' : e.kind === 'respond' ? 'responded (first response unchanged)' : e.kind);
  return parts.join(', ');
}

export function renderChangeLines(result: ChangeResultView, timeZone: string, verb: string): string {
  const lines = result.events.map(
    (e) => `mention ${e.mentionId}: ${describeEvent(e, timeZone)} (by ${e.actor})${e.note ? `  "${e.note}"` : ''}`,
  );
  for (const id of result.unchanged) lines.push(`mention ${id}: nothing to ${verb}, left as it was`);
  return lines.map((l) => `${terminalSafeLine(l)}\n`).join('');
}

export function renderChangeJson(result: ChangeResultView): string {
  return renderJson({ batch: result.batch, changed: result.events.map(eventJson), unchanged: result.unchanged });
}

export function renderHistoryTable(events: readonly WorkEventView[], timeZone: string, style: ChalkInstance): string {
  if (events.length === 0) return 'No events yet: nobody has worked on this mention.\n';
  return renderTable<WorkEventView>(
    [
      { header: 'WHEN', value: (e) => formatLocal(e.at, timeZone) },
      { header: 'WHO', value: (e) => e.actor },
      { header: 'HOW', value: (e) => e.origin, paint: (t, e) => (e.origin === 'auto' ? style.cyan(t) : t) },
      { header: 'KIND', value: (e) => e.kind },
      { header: 'CHANGE', value: (e) => describeEvent(e, timeZone) },
      { header: 'NOTE', value: (e) => [e.note ?? '', safeLink(e.replyUrl) ?? ''].filter((p) => p !== '').join(' ') },
    ],
    events,
  );
}

export function renderHistoryJson(events: readonly WorkEventView[]): string {
  return renderJson(events.map(eventJson));
}
