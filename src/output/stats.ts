import type { ChalkInstance } from 'chalk';
import type { DistributionBucket, ResponseFigures, ResponseStats, StatsGroup } from '../report/stats.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { renderTable } from './table.js';
import type { TableColumn } from './table.js';
import { formatLocal, formatSpan } from './time-format.js';

/** What the statistics cover, for the header and the JSON envelope. */
export interface StatsScope {
  from: string;
  to: string;
  timezone: string;
}

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const span = (seconds: number | null) => (seconds === null ? '—' : formatSpan(seconds * 1000));

/** Stable snake_case fields: scripts depend on them (README "mentions stats"). */
function figuresJson(f: ResponseFigures): Record<string, unknown> {
  return {
    mentions: f.mentions,
    answered: f.answered,
    unanswered: f.unanswered,
    response_rate: f.responseRate,
    mean_seconds: f.meanSeconds,
    median_seconds: f.medianSeconds,
    p90_seconds: f.p90Seconds,
    p95_seconds: f.p95Seconds,
    max_seconds: f.maxSeconds,
    within_sla: f.withinSla,
    within_target: f.withinTarget,
    answered_off_hours: f.answeredOffHours,
    resolved: f.resolved,
    resolution_mean_seconds: f.resolutionMeanSeconds,
    resolution_median_seconds: f.resolutionMedianSeconds,
    resolution_p90_seconds: f.resolutionP90Seconds,
  };
}

export function renderStatsJson(stats: ResponseStats, scope: StatsScope): string {
  return renderJson({
    from: scope.from,
    to: scope.to,
    timezone: scope.timezone,
    hours: stats.hours,
    by: stats.by,
    ...figuresJson(stats),
    distribution: stats.distribution.map((b) => ({ label: b.label, from_seconds: b.fromSeconds, to_seconds: b.toSeconds, count: b.count })),
    ...(stats.by.length > 0 ? { groups: stats.groups.map((g) => ({ ...g.keys, ...figuresJson(g) })) } : {}),
  });
}

/** One row per group with --by, else one row for everything; within_sla becomes one column per target. */
export function renderStatsCsv(stats: ResponseStats): string {
  const targets = Object.keys(stats.withinSla);
  const rows = (stats.by.length > 0 ? stats.groups : [{ keys: {}, ...stats } as StatsGroup]).map((g) => {
    const { within_sla: within, ...rest } = figuresJson(g) as { within_sla: Record<string, number | null> } & Record<string, unknown>;
    const row: Record<string, unknown> = { ...g.keys, ...rest };
    for (const t of targets) row[`within_sla_${t.replace(/\s+/g, '')}`] = within[t];
    return row;
  });
  const figureColumns = Object.keys(figuresJson(stats)).filter((c) => c !== 'within_sla');
  return renderCsv([...stats.by, ...figureColumns, ...targets.map((t) => `within_sla_${t.replace(/\s+/g, '')}`)], rows);
}

const BAR_WIDTH = 30;

/** A horizontal bar per bucket, scaled to the largest; plain block characters, no colour needed. */
export function renderDistributionChart(buckets: readonly DistributionBucket[], style: ChalkInstance): string {
  const max = Math.max(0, ...buckets.map((b) => b.count));
  const labelWidth = Math.max(...buckets.map((b) => b.label.length));
  const countWidth = String(max).length;
  return buckets
    .map((b) => {
      const length = max === 0 ? 0 : Math.round((b.count / max) * BAR_WIDTH);
      const bar = '█'.repeat(length) || (b.count > 0 ? '▏' : '');
      return `  ${b.label.padEnd(labelWidth)}  ${String(b.count).padStart(countWidth)}  ${style.cyan(bar)}`;
    })
    .join('\n');
}

export function renderStatsTable(stats: ResponseStats, scope: StatsScope, style: ChalkInstance): string {
  const hoursNote = stats.hours === 'business' ? 'business hours' : 'all hours';
  const out = [
    style.bold(`Response times ${formatLocal(Date.parse(scope.from), scope.timezone)} → ${formatLocal(Date.parse(scope.to), scope.timezone)} (${scope.timezone}, ${hoursNote})`),
    `${stats.mentions} mentions, ${stats.answered} answered (${pct(stats.responseRate)}), ${stats.unanswered} unanswered`,
    `first response: mean ${span(stats.meanSeconds)}, median ${span(stats.medianSeconds)}, p90 ${span(stats.p90Seconds)}, p95 ${span(stats.p95Seconds)}, max ${span(stats.maxSeconds)}`,
    `within target: ${pct(stats.withinTarget)} (each source's own)${Object.entries(stats.withinSla)
      .map(([t, s]) => `, ${t}: ${pct(s)}`)
      .join('')}`,
    `resolution: ${stats.resolved} resolved, median ${span(stats.resolutionMedianSeconds)}, p90 ${span(stats.resolutionP90Seconds)}`,
  ];
  if (stats.answeredOffHours !== null) out.push(`asked and answered in the same off-hours period (0 business time): ${stats.answeredOffHours}`);
  if (stats.answered > 0) out.push('', style.bold('First-response distribution'), renderDistributionChart(stats.distribution, style));
  if (stats.by.length > 0) {
    const columns: Array<TableColumn<StatsGroup>> = [
      ...stats.by.map((d) => ({ header: d.toUpperCase(), value: (g: StatsGroup) => g.keys[d] ?? '' })),
      { header: 'MENTIONS', value: (g) => String(g.mentions), align: 'right' },
      { header: 'ANSWERED', value: (g) => String(g.answered), align: 'right' },
      { header: 'RATE', value: (g) => pct(g.responseRate), align: 'right' },
      { header: 'MEAN', value: (g) => span(g.meanSeconds), align: 'right' },
      { header: 'MEDIAN', value: (g) => span(g.medianSeconds), align: 'right' },
      { header: 'P90', value: (g) => span(g.p90Seconds), align: 'right' },
      { header: 'P95', value: (g) => span(g.p95Seconds), align: 'right' },
      { header: 'MAX', value: (g) => span(g.maxSeconds), align: 'right' },
      { header: 'IN TARGET', value: (g) => pct(g.withinTarget), align: 'right' },
    ];
    out.push('', renderTable(columns, stats.groups).trimEnd());
  }
  return `${out.join('\n')}\n`;
}
