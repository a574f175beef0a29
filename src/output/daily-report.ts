import type { ChalkInstance } from 'chalk';
import type { DailyReport } from '../report/daily.js';
import { renderJson } from './json.js';
import { markdownLink, markdownText } from './markdown.js';
import { safeLink, terminalSafeLine } from './sanitize.js';
import { renderTable } from './table.js';
import { formatSpan } from './time-format.js';

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(0)}%`);
const span = (seconds: number | null) => (seconds === null ? '—' : formatSpan(seconds * 1000));

export function renderDailyReportJson(r: DailyReport): string {
  return renderJson({
    date: r.date,
    timezone: r.timezone,
    from: r.from,
    to: r.to,
    generated_at: r.generatedAt,
    mentions: r.mentions,
    spam: r.spam,
    own: r.own,
    irrelevant: r.irrelevant,
    sentiment: r.sentiment,
    by_source: r.bySource,
    by_topic: r.byTopic,
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
  });
}

export function renderDailyReportMarkdown(r: DailyReport): string {
  const lines: string[] = [
    `# Mentions: daily report for ${r.date}`,
    '',
    `Time zone ${r.timezone}; generated ${r.generatedAt}.`,
    '',
    `- **${r.mentions}** relevant mentions: ${r.sentiment.negative} negative, ${r.sentiment.neutral} neutral, ${r.sentiment.positive} positive`,
    `- filtered out: ${r.spam} spam, ${r.own} own posts, ${r.irrelevant} irrelevant`,
    `- answered ${r.responses.answered} of ${r.mentions} (${pct(r.responses.responseRate)}); first response median ${span(r.responses.medianSeconds)}, p90 ${span(r.responses.p90Seconds)}; within target ${pct(r.responses.withinSla)}`,
    '',
    '## By source',
    '',
    '| source | mentions | negative | neutral | positive |',
    '|---|---:|---:|---:|---:|',
    ...r.bySource.map((s) => `| ${markdownText(s.key)} | ${s.mentions} | ${s.negative} | ${s.neutral} | ${s.positive} |`),
    '',
    '## By topic',
    '',
    '| topic | mentions | negative | neutral | positive |',
    '|---|---:|---:|---:|---:|',
    ...r.byTopic.map((s) => `| ${markdownText(s.key)} | ${s.mentions} | ${s.negative} | ${s.neutral} | ${s.positive} |`),
  ];
  if (r.tags.length > 0) {
    lines.push('', '## Tags', '', r.tags.map((t) => `${markdownText(t.tag)} ${t.mentions}`).join(' · '));
  }
  lines.push('', '## Needs attention (negative or urgent)', '');
  if (r.attention.length === 0) lines.push('Nothing negative or urgent.');
  for (const a of r.attention) {
    const who = a.author ? ` by ${markdownText(a.author)}` : '';
    lines.push(
      `- **#${a.id}** ${markdownText(a.source)}${who} · ${a.sentiment ?? ''}${a.tags.length ? ` · ${markdownText(a.tags.join(', '))}` : ''} · ${a.status}: ${markdownLink(a.snippet, a.url)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderDailyReportText(r: DailyReport, style: ChalkInstance): string {
  const out: string[] = [
    style.bold(`Daily report ${r.date} (${r.timezone})`),
    `${r.mentions} relevant mentions: ${style.red(`${r.sentiment.negative} negative`)}, ${r.sentiment.neutral} neutral, ${style.green(`${r.sentiment.positive} positive`)}; filtered out ${r.spam} spam, ${r.own} own, ${r.irrelevant} irrelevant`,
    `Answered ${r.responses.answered}/${r.mentions} (${pct(r.responses.responseRate)}), first response median ${span(r.responses.medianSeconds)}, p90 ${span(r.responses.p90Seconds)}, within target ${pct(r.responses.withinSla)}`,
    '',
    renderTable(
      [
        { header: 'SOURCE', value: (s: DailyReport['bySource'][number]) => s.key },
        { header: 'MENTIONS', value: (s) => String(s.mentions), align: 'right' },
        { header: 'NEG', value: (s) => String(s.negative), align: 'right' },
        { header: 'NEU', value: (s) => String(s.neutral), align: 'right' },
        { header: 'POS', value: (s) => String(s.positive), align: 'right' },
      ],
      r.bySource,
    ).trimEnd(),
    '',
    style.bold('Needs attention'),
  ];
  if (r.attention.length === 0) out.push('Nothing negative or urgent.');
  for (const a of r.attention) {
    out.push(
      `  #${a.id} ${terminalSafeLine(a.source)} ${style.red(a.sentiment ?? '')} ${terminalSafeLine(a.tags.join(','))} ${a.status}: ${terminalSafeLine(a.snippet)}`,
    );
    const link = safeLink(a.url);
    if (link) out.push(`      ${style.dim(link)}`);
  }
  return `${out.join('\n')}\n`;
}
