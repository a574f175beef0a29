import type { ChalkInstance } from 'chalk';
import type { CountRow, DailyReport, TrendRow } from '../report/daily.js';
import type { StatsGroup } from '../report/stats.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { markdownLink, markdownText } from './markdown.js';
import { safeLink, terminalSafeLine } from './sanitize.js';
import { renderDistributionChart } from './stats.js';
import { renderTable } from './table.js';
import { formatSpan } from './time-format.js';

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(0)}%`);
const span = (seconds: number | null) => (seconds === null ? '—' : formatSpan(seconds * 1000));
const avg = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
/** Change against the previous period: "+3", "−2", "±0". */
export const change = (current: number, previous: number) => (current > previous ? `+${current - previous}` : current < previous ? `−${previous - current}` : '±0');

/** Words that differ between the daily and the weekly report. */
export function periodWords(r: DailyReport): { title: string; previous: string; average: string } {
  return r.kind === 'daily'
    ? { title: `daily report for ${r.date}`, previous: 'previous day', average: `${r.baselinePeriods}-day average` }
    : { title: `weekly report for ${r.period} (${r.date} – ${r.lastDate})`, previous: 'previous week', average: `${r.baselinePeriods}-week average` };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const countJson = (c: CountRow) => ({ ...c, average: round(c.average) });
const trendJson = (t: TrendRow) => ({ ...t, average: round(t.average) });
const groupJson = (g: StatsGroup) => ({
  ...g.keys,
  mentions: g.mentions,
  answered: g.answered,
  response_rate: g.responseRate,
  mean_seconds: g.meanSeconds,
  median_seconds: g.medianSeconds,
  p90_seconds: g.p90Seconds,
  max_seconds: g.maxSeconds,
  within_target: g.withinTarget,
  within_sla: g.withinSla,
});

export function renderDailyReportJson(r: DailyReport): string {
  const t = r.responseTimes;
  return renderJson({
    kind: r.kind,
    period: r.period,
    date: r.date,
    last_date: r.lastDate,
    timezone: r.timezone,
    from: r.from,
    to: r.to,
    generated_at: r.generatedAt,
    mentions: r.mentions,
    spam: r.spam,
    own: r.own,
    irrelevant: r.irrelevant,
    sentiment: r.sentiment,
    by_source: r.bySource.map(countJson),
    by_topic: r.byTopic.map(countJson),
    tags: r.tags,
    responses: {
      answered: r.responses.answered,
      unanswered: r.responses.unanswered,
      response_rate: r.responses.responseRate,
      median_seconds: r.responses.medianSeconds,
      p90_seconds: r.responses.p90Seconds,
      mean_seconds: r.responses.meanSeconds,
      within_sla: r.responses.withinSla,
    },
    attention: r.attention,
    baseline_periods: r.baselinePeriods,
    trend: trendJson(r.trend),
    sentiment_trend: r.sentimentTrend.map(trendJson),
    volume: r.volume,
    response_times: {
      hours: r.hours,
      mentions: t.mentions,
      answered: t.answered,
      unanswered: t.unanswered,
      response_rate: t.responseRate,
      mean_seconds: t.meanSeconds,
      median_seconds: t.medianSeconds,
      p90_seconds: t.p90Seconds,
      p95_seconds: t.p95Seconds,
      max_seconds: t.maxSeconds,
      within_sla: t.withinSla,
      within_target: t.withinTarget,
      answered_off_hours: t.answeredOffHours,
      distribution: t.distribution.map((b) => ({ label: b.label, from_seconds: b.fromSeconds, to_seconds: b.toSeconds, count: b.count })),
    },
    by_agent: r.byAgent.map(groupJson),
    responses_by_source: r.responsesBySource.map(groupJson),
    backlog: {
      open: r.backlog.open,
      oldest_seconds: r.backlog.oldestSeconds,
      buckets: r.backlog.buckets.map((b) => ({ label: b.label, from_seconds: b.fromSeconds, to_seconds: b.toSeconds, count: b.count })),
    },
    top_authors: r.topAuthors,
    open_negative: r.openNegative,
    open_urgent: r.openUrgent,
  });
}

/** Long form, one figure per row (section, key, metric, value): easy to pivot in a spreadsheet. */
export function renderDailyReportCsv(r: DailyReport): string {
  const rows: Array<Record<string, unknown>> = [];
  const put = (section: string, key: string, metric: string, value: unknown) => rows.push({ period: r.period, section, key, metric, value });
  for (const t of [r.trend, ...r.sentimentTrend]) {
    const section = t.key === 'mentions' ? 'total' : 'sentiment';
    put(section, t.key, 'mentions', t.mentions);
    put(section, t.key, 'previous', t.previous);
    put(section, t.key, 'average', round(t.average));
  }
  for (const [section, list] of [['source', r.bySource], ['topic', r.byTopic]] as const) {
    for (const c of list) for (const metric of ['mentions', 'negative', 'neutral', 'positive', 'previous', 'average'] as const) put(section, c.key, metric, round(c[metric]));
  }
  for (const v of r.volume) put(r.kind === 'daily' ? 'volume_hour' : 'volume_day', v.label, 'mentions', v.mentions);
  const times = r.responseTimes;
  for (const metric of ['answered', 'unanswered', 'responseRate', 'meanSeconds', 'medianSeconds', 'p90Seconds', 'p95Seconds', 'maxSeconds', 'withinTarget'] as const) {
    put('responses', r.hours, snake(metric), times[metric]);
  }
  for (const [target, share] of Object.entries(times.withinSla)) put('responses', r.hours, `within_sla_${target.replace(/\s+/g, '')}`, share);
  for (const [section, list, dim] of [['agent', r.byAgent, 'agent'], ['source_responses', r.responsesBySource, 'source']] as const) {
    for (const g of list) {
      for (const metric of ['mentions', 'answered', 'medianSeconds', 'p90Seconds', 'withinTarget'] as const) put(section, g.keys[dim] ?? '', snake(metric), g[metric]);
    }
  }
  for (const b of r.backlog.buckets) put('backlog', b.label, 'open', b.count);
  for (const a of r.topAuthors) put('top_author', a.author, `reach (${a.source})`, a.reach);
  put('attention', 'negative', 'open', r.openNegative);
  put('attention', 'urgent', 'open', r.openUrgent);
  return renderCsv(['period', 'section', 'key', 'metric', 'value'], rows);
}

function snake(name: string): string {
  return name.replace(/[A-Z0-9]+/g, (m) => `_${m.toLowerCase()}`);
}

function countTable(title: string, head: string, rows: readonly CountRow[], words: ReturnType<typeof periodWords>): string[] {
  return [
    `## ${title}`,
    '',
    `| ${head} | mentions | change | ${words.previous} | ${words.average} | negative | neutral | positive |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (s) => `| ${markdownText(s.key)} | ${s.mentions} | ${change(s.mentions, s.previous)} | ${s.previous} | ${avg(s.average)} | ${s.negative} | ${s.neutral} | ${s.positive} |`,
    ),
  ];
}

function responseTable(head: string, rows: readonly StatsGroup[], keyOf: (g: StatsGroup) => string): string[] {
  return [
    `| ${head} | mentions | answered | median | p90 | within target |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((g) => `| ${markdownText(keyOf(g))} | ${g.mentions} | ${g.answered} | ${span(g.medianSeconds)} | ${span(g.p90Seconds)} | ${pct(g.withinTarget)} |`),
  ];
}

export function renderDailyReportMarkdown(r: DailyReport): string {
  const words = periodWords(r);
  const t = r.responseTimes;
  const lines: string[] = [
    `# Mentions: ${words.title}`,
    '',
    `Time zone ${r.timezone}; generated ${r.generatedAt}.`,
    '',
    `- **${r.mentions}** relevant mentions (${change(r.trend.mentions, r.trend.previous)} against the ${words.previous}'s ${r.trend.previous}; ${words.average} ${avg(r.trend.average)}): ${r.sentiment.negative} negative, ${r.sentiment.neutral} neutral, ${r.sentiment.positive} positive`,
    `- filtered out: ${r.spam} spam, ${r.own} own posts, ${r.irrelevant} irrelevant`,
    `- answered ${r.responses.answered} of ${r.mentions} (${pct(r.responses.responseRate)}); first response median ${span(r.responses.medianSeconds)}, p90 ${span(r.responses.p90Seconds)}; within target ${pct(r.responses.withinSla)}`,
    `- still open: ${r.openNegative} negative and ${r.openUrgent} urgent of these; ${r.backlog.open} open in all`,
    '',
    ...countTable('By source', 'source', r.bySource, words),
    '',
    ...countTable('By topic', 'topic', r.byTopic, words),
    '',
    '## Sentiment',
    '',
    `| sentiment | mentions | change | ${words.previous} | ${words.average} |`,
    '|---|---:|---:|---:|---:|',
    ...r.sentimentTrend.map((s) => `| ${s.key} | ${s.mentions} | ${change(s.mentions, s.previous)} | ${s.previous} | ${avg(s.average)} |`),
  ];
  if (r.tags.length > 0) {
    lines.push('', '## Tags', '', r.tags.map((tag) => `${markdownText(tag.tag)} ${tag.mentions}`).join(' · '));
  }
  lines.push(
    '',
    `## Response times (${r.hours === 'business' ? 'business hours' : 'all hours'})`,
    '',
    `${t.answered} of ${t.mentions} answered (${pct(t.responseRate)}); first response mean ${span(t.meanSeconds)}, median ${span(t.medianSeconds)}, p90 ${span(t.p90Seconds)}, p95 ${span(t.p95Seconds)}, max ${span(t.maxSeconds)}; within target ${pct(t.withinTarget)}${Object.entries(t.withinSla)
      .map(([target, share]) => `, within ${target} ${pct(share)}`)
      .join('')}.`,
  );
  if (t.answeredOffHours !== null) lines.push('', `Asked and answered in the same off-hours period: ${t.answeredOffHours}.`);
  lines.push('', '### By agent', '', ...responseTable('agent', r.byAgent, (g) => g.keys.agent ?? ''));
  lines.push('', '### By source', '', ...responseTable('source', r.responsesBySource, (g) => g.keys.source ?? ''));
  lines.push(
    '',
    '## Backlog by age',
    '',
    `${r.backlog.open} open now${r.backlog.oldestSeconds === null ? '' : `, the oldest ${span(r.backlog.oldestSeconds)}`}.`,
    '',
    '| age | open |',
    '|---|---:|',
    ...r.backlog.buckets.map((b) => `| ${b.label} | ${b.count} |`),
    '',
    '## Top authors by reach',
    '',
  );
  if (r.topAuthors.length === 0) lines.push('No author reach known.');
  else {
    lines.push('| author | source | reach | mentions |', '|---|---|---:|---:|');
    for (const a of r.topAuthors) lines.push(`| ${markdownLink(a.author, a.url)} | ${markdownText(a.source)} | ${a.reach} | ${a.mentions} |`);
  }
  lines.push('', '## Needs attention (negative or urgent, still open)', '');
  if (r.attention.length === 0) lines.push('Nothing negative or urgent open.');
  for (const a of r.attention) {
    const who = a.author ? ` by ${markdownText(a.author)}` : '';
    lines.push(
      `- **#${a.id}** ${markdownText(a.source)}${who} · ${a.sentiment ?? ''}${a.tags.length ? ` · ${markdownText(a.tags.join(', '))}` : ''} · ${a.status}: ${markdownLink(a.snippet, a.url)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderDailyReportText(r: DailyReport, style: ChalkInstance): string {
  const words = periodWords(r);
  const t = r.responseTimes;
  const out: string[] = [
    style.bold(`${r.kind === 'daily' ? `Daily report ${r.date}` : `Weekly report ${r.period} (${r.date} – ${r.lastDate})`} (${r.timezone})`),
    `${r.mentions} relevant mentions (${change(r.trend.mentions, r.trend.previous)} vs ${words.previous}, ${words.average} ${avg(r.trend.average)}): ${style.red(`${r.sentiment.negative} negative`)}, ${r.sentiment.neutral} neutral, ${style.green(`${r.sentiment.positive} positive`)}; filtered out ${r.spam} spam, ${r.own} own, ${r.irrelevant} irrelevant`,
    `Answered ${t.answered}/${t.mentions} (${pct(t.responseRate)}), first response median ${span(t.medianSeconds)}, p90 ${span(t.p90Seconds)}, within target ${pct(t.withinTarget)} (${r.hours} hours)`,
    `Open now: ${r.backlog.open} (${r.openNegative} negative and ${r.openUrgent} urgent from this ${r.kind === 'daily' ? 'day' : 'week'})`,
    '',
    renderTable(
      [
        { header: 'SOURCE', value: (s: CountRow) => s.key },
        { header: 'MENTIONS', value: (s) => String(s.mentions), align: 'right' },
        { header: 'CHANGE', value: (s) => change(s.mentions, s.previous), align: 'right' },
        { header: 'AVG', value: (s) => avg(s.average), align: 'right' },
        { header: 'NEG', value: (s) => String(s.negative), align: 'right' },
        { header: 'NEU', value: (s) => String(s.neutral), align: 'right' },
        { header: 'POS', value: (s) => String(s.positive), align: 'right' },
      ],
      r.bySource,
    ).trimEnd(),
  ];
  if (r.byAgent.length > 0) {
    out.push(
      '',
      renderTable(
        [
          { header: 'AGENT', value: (g: StatsGroup) => g.keys.agent ?? '' },
          { header: 'ANSWERED', value: (g) => String(g.answered), align: 'right' },
          { header: 'MEDIAN', value: (g) => span(g.medianSeconds), align: 'right' },
          { header: 'P90', value: (g) => span(g.p90Seconds), align: 'right' },
          { header: 'IN TARGET', value: (g) => pct(g.withinTarget), align: 'right' },
        ],
        r.byAgent,
      ).trimEnd(),
    );
  }
  if (t.answered > 0) out.push('', style.bold('First-response distribution'), renderDistributionChart(t.distribution, style));
  out.push('', style.bold('Needs attention'));
  if (r.attention.length === 0) out.push('Nothing negative or urgent open.');
  for (const a of r.attention) {
    out.push(
      `  #${a.id} ${terminalSafeLine(a.source)} ${style.red(a.sentiment ?? '')} ${terminalSafeLine(a.tags.join(','))} ${a.status}: ${terminalSafeLine(a.snippet)}`,
    );
    const link = safeLink(a.url);
    if (link) out.push(`      ${style.dim(link)}`);
  }
  return `${out.join('\n')}\n`;
}
