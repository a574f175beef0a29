import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { terminalSafeLine } from './sanitize.js';
import { renderTable } from './table.js';

/** The fields of a pull's summary the renderers read (pull's PullSummary fits). */
export interface PullSummaryView {
  startedAt: number;
  finishedAt: number;
  sources: Array<{
    name: string;
    type: string;
    ok: boolean;
    fetched: number;
    new: number;
    duplicates: number;
    unmatched: number;
    pages: number;
    notModified: boolean;
    newNegative: number;
    newUrgent: number;
    error: string | null;
    warnings: string[];
    durationMs: number;
  }>;
  totals: { fetched: number; new: number; duplicates: number; unmatched: number; failed: number; newNegative: number; newUrgent: number };
}

type SourceView = PullSummaryView['sources'][number];

const WARNINGS_SHOWN = 3;

export function renderPullSummary(summary: PullSummaryView, style: ChalkInstance): string {
  const table = renderTable<SourceView>(
    [
      { header: 'SOURCE', value: (r) => r.name },
      { header: 'STATUS', value: (r) => (r.ok ? (r.notModified ? 'not modified' : 'ok') : 'FAILED'), paint: (t, r) => (r.ok ? style.green(t) : style.red.bold(t)) },
      { header: 'FETCHED', value: (r) => String(r.fetched), align: 'right' },
      { header: 'NEW', value: (r) => String(r.new), align: 'right', paint: (t, r) => (r.new > 0 ? style.bold(t) : t) },
      { header: 'DUPLICATES', value: (r) => String(r.duplicates), align: 'right' },
      { header: 'OFF-TOPIC', value: (r) => String(r.unmatched), align: 'right' },
      { header: 'NEGATIVE', value: (r) => String(r.newNegative), align: 'right', paint: (t, r) => (r.newNegative > 0 ? style.red(t) : t) },
      { header: 'URGENT', value: (r) => String(r.newUrgent), align: 'right', paint: (t, r) => (r.newUrgent > 0 ? style.red.bold(t) : t) },
    ],
    summary.sources,
  );
  const t = summary.totals;
  const lines = [
    table.trimEnd(),
    '',
    `${t.new} new mention${t.new === 1 ? '' : 's'} (${t.newNegative} negative, ${t.newUrgent} urgent) from ${summary.sources.length} source${summary.sources.length === 1 ? '' : 's'}` +
      (t.failed > 0 ? style.red(`; ${t.failed} failed`) : '') +
      ` in ${((summary.finishedAt - summary.startedAt) / 1000).toFixed(1)}s`,
  ];
  for (const r of summary.sources) {
    if (r.error) lines.push(style.red(`${terminalSafeLine(r.name)}: ${terminalSafeLine(r.error)}`));
    // Skipped items are worth a look but must not drown the summary.
    for (const warning of r.warnings.slice(0, WARNINGS_SHOWN)) lines.push(style.yellow(`${terminalSafeLine(r.name)}: warning: ${terminalSafeLine(warning)}`));
    if (r.warnings.length > WARNINGS_SHOWN) lines.push(style.dim(`${terminalSafeLine(r.name)}: ${r.warnings.length - WARNINGS_SHOWN} more warnings (see --json)`));
  }
  return `${lines.join('\n')}\n`;
}

export function pullSummaryJson(summary: PullSummaryView): string {
  return renderJson({
    started_at: new Date(summary.startedAt).toISOString(),
    finished_at: new Date(summary.finishedAt).toISOString(),
    totals: {
      fetched: summary.totals.fetched,
      new: summary.totals.new,
      duplicates: summary.totals.duplicates,
      off_topic: summary.totals.unmatched,
      failed: summary.totals.failed,
      new_negative: summary.totals.newNegative,
      new_urgent: summary.totals.newUrgent,
    },
    sources: summary.sources.map((r) => ({
      name: r.name,
      type: r.type,
      ok: r.ok,
      fetched: r.fetched,
      new: r.new,
      duplicates: r.duplicates,
      off_topic: r.unmatched,
      pages: r.pages,
      not_modified: r.notModified,
      new_negative: r.newNegative,
      new_urgent: r.newUrgent,
      error: r.error,
      warnings: r.warnings,
      duration_ms: r.durationMs,
    })),
  });
}
