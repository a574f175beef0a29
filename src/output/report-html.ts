/**
 * The daily or weekly report as one self-contained HTML file: inline CSS and
 * SVG charts, no script, no external resource (a Content-Security-Policy
 * forbids loading any), readable offline. Every piece of text goes through
 * `html()`, and links are kept only when they are http(s).
 */
import type { CountRow, DailyReport } from '../report/daily.js';
import type { StatsGroup } from '../report/stats.js';
import { change, periodWords } from './daily-report.js';
import { safeLink } from './sanitize.js';
import { formatSpan } from './time-format.js';

/** Escapes text for HTML element content and double-quoted attributes; drops controls. */
export function html(text: string | number): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(0)}%`);
const span = (seconds: number | null) => (seconds === null ? '—' : formatSpan(seconds * 1000));
const avg = (n: number) => (Math.round(n * 10) / 10).toFixed(1);

function link(label: string, url: string | null): string {
  const safe = safeLink(url);
  return safe ? `<a href="${html(safe)}" rel="noopener noreferrer nofollow">${html(label)}</a>` : html(label);
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:2rem auto;max-width:64rem;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde1ea;padding-bottom:.2rem}
.meta{color:#5b6475}.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.card{border:1px solid #dde1ea;border-radius:6px;padding:.6rem .9rem;min-width:9rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #eceff4;text-align:right}
th:first-child,td:first-child{text-align:left}th{font-weight:600;color:#5b6475}
.up{color:#b3261e}.down{color:#1b7f3b}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}figcaption{color:#5b6475;font-size:.9rem}svg text{font:11px system-ui,sans-serif;fill:#5b6475}
ul.attention li{margin:.3rem 0}.tag{background:#eef1f6;border-radius:3px;padding:0 .3rem;font-size:.85rem}
`;

/** Vertical bars with labels under them; every label escaped. */
function barChart(title: string, bars: ReadonlyArray<{ label: string; value: number }>, options: { width: number; color: string; labelEvery?: number }): string {
  const height = 140;
  const top = 16;
  const bottom = 22;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = options.width / Math.max(1, bars.length);
  const barWidth = Math.max(2, step * 0.75);
  const every = options.labelEvery ?? 1;
  const parts = bars.map((b, i) => {
    const h = Math.round(((height - top - bottom) * b.value) / max);
    const x = (i * step + (step - barWidth) / 2).toFixed(1);
    const y = height - bottom - h;
    const label = i % every === 0 ? `<text x="${(i * step + step / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${html(b.label)}</text>` : '';
    const value = b.value > 0 ? `<text x="${(i * step + step / 2).toFixed(1)}" y="${y - 3}" text-anchor="middle">${b.value}</text>` : '';
    return `<rect x="${x}" y="${y}" width="${barWidth.toFixed(1)}" height="${h}" fill="${options.color}"><title>${html(b.label)}: ${b.value}</title></rect>${value}${label}`;
  });
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${options.width}" height="${height}" viewBox="0 0 ${options.width} ${height}" role="img" aria-label="${html(title)}">${parts.join('')}<line x1="0" x2="${options.width}" y1="${height - bottom}" y2="${height - bottom}" stroke="#c4cad6"/></svg><figcaption>${html(title)}</figcaption></figure>`;
}

/** One horizontal bar split by sentiment, with a legend. */
function sentimentChart(r: DailyReport): string {
  const width = 320;
  const parts: Array<[string, number, string]> = [
    ['negative', r.sentiment.negative, '#d0453b'],
    ['neutral', r.sentiment.neutral, '#9aa3b5'],
    ['positive', r.sentiment.positive, '#3a9a5b'],
  ];
  const total = parts.reduce((n, [, v]) => n + v, 0);
  let x = 0;
  const rects = parts.map(([name, value, color]) => {
    const w = total === 0 ? 0 : (width * value) / total;
    const rect = `<rect x="${x.toFixed(1)}" y="10" width="${w.toFixed(1)}" height="28" fill="${color}"><title>${name}: ${value}</title></rect>`;
    x += w;
    return rect;
  });
  const legend = parts.map(([name, value, color], i) => `<rect x="${i * 105}" y="52" width="10" height="10" fill="${color}"/><text x="${i * 105 + 14}" y="61">${name} ${value} (${pct(total ? value / total : null)})</text>`);
  const empty = total === 0 ? `<rect x="0" y="10" width="${width}" height="28" fill="#eceff4"/>` : '';
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="70" viewBox="0 0 ${width} 70" role="img" aria-label="Sentiment split">${empty}${rects.join('')}${legend.join('')}</svg><figcaption>Sentiment split</figcaption></figure>`;
}

function countTable(head: string, rows: readonly CountRow[], words: ReturnType<typeof periodWords>): string {
  const body = rows
    .map((c) => {
      const diff = change(c.mentions, c.previous);
      const cls = c.mentions > c.previous ? 'up' : c.mentions < c.previous ? 'down' : '';
      return `<tr><td>${html(c.key)}</td><td>${c.mentions}</td><td class="${cls}">${html(diff)}</td><td>${c.previous}</td><td>${avg(c.average)}</td><td>${c.negative}</td><td>${c.neutral}</td><td>${c.positive}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>${html(head)}</th><th>mentions</th><th>change</th><th>${html(words.previous)}</th><th>${html(words.average)}</th><th>negative</th><th>neutral</th><th>positive</th></tr></thead><tbody>${body}</tbody></table>`;
}

function responseTable(head: string, rows: readonly StatsGroup[], keyOf: (g: StatsGroup) => string): string {
  if (rows.length === 0) return '<p>No mentions.</p>';
  const body = rows
    .map((g) => `<tr><td>${html(keyOf(g))}</td><td>${g.mentions}</td><td>${g.answered}</td><td>${span(g.medianSeconds)}</td><td>${span(g.p90Seconds)}</td><td>${pct(g.withinTarget)}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>${html(head)}</th><th>mentions</th><th>answered</th><th>median</th><th>p90</th><th>within target</th></tr></thead><tbody>${body}</tbody></table>`;
}

export function renderReportHtml(r: DailyReport): string {
  const words = periodWords(r);
  const t = r.responseTimes;
  const card = (label: string, value: string, note = '') => `<div class="card">${html(label)}<b>${html(value)}</b>${note ? `<span class="meta">${html(note)}</span>` : ''}</div>`;
  const volumeTitle = r.kind === 'daily' ? 'Volume by hour' : 'Volume by day';
  const attention = r.attention.length
    ? `<ul class="attention">${r.attention
        .map(
          (a) =>
            `<li><b>#${a.id}</b> ${html(a.source)}${a.author ? ` by ${html(a.author)}` : ''} · ${html(a.sentiment ?? '')} ${a.tags.map((tag) => `<span class="tag">${html(tag)}</span>`).join(' ')} · ${html(a.status)}: ${link(a.snippet, a.url)}</li>`,
        )
        .join('')}</ul>`
    : '<p>Nothing negative or urgent open.</p>';
  const authors = r.topAuthors.length
    ? `<table><thead><tr><th>author</th><th>source</th><th>reach</th><th>mentions</th></tr></thead><tbody>${r.topAuthors
        .map((a) => `<tr><td>${link(a.author, a.url)}</td><td>${html(a.source)}</td><td>${a.reach}</td><td>${a.mentions}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No author reach known.</p>';
  const within = Object.entries(t.withinSla).map(([target, share]) => `within ${html(target)} ${pct(share)}`).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${html(`Mentions: ${words.title}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${html(`Mentions: ${words.title}`)}</h1>
<p class="meta">Time zone ${html(r.timezone)}; generated ${html(r.generatedAt)}.</p>
<div class="cards">
${card('relevant mentions', String(r.mentions), `${change(r.trend.mentions, r.trend.previous)} vs ${words.previous}, ${words.average} ${avg(r.trend.average)}`)}
${card('answered', `${t.answered} (${pct(t.responseRate)})`, `of ${t.mentions}`)}
${card('median first response', span(t.medianSeconds), `p90 ${span(t.p90Seconds)}`)}
${card('within target', pct(t.withinTarget), `${r.hours} hours`)}
${card('open now', String(r.backlog.open), `${r.openNegative} negative, ${r.openUrgent} urgent from this period`)}
</div>
<div class="charts">
${barChart(volumeTitle, r.volume.map((v) => ({ label: r.kind === 'daily' ? v.label : v.label.slice(5), value: v.mentions })), { width: 480, color: '#3f6fd8', labelEvery: r.kind === 'daily' ? 3 : 1 })}
${sentimentChart(r)}
${barChart('First-response time distribution', t.distribution.map((b) => ({ label: b.label, value: b.count })), { width: 560, color: '#7b5cd6' })}
</div>
<p class="meta">Filtered out: ${r.spam} spam, ${r.own} own posts, ${r.irrelevant} irrelevant.</p>
<h2>By source</h2>
${countTable('source', r.bySource, words)}
<h2>By topic</h2>
${countTable('topic', r.byTopic, words)}
<h2>Sentiment</h2>
<table><thead><tr><th>sentiment</th><th>mentions</th><th>change</th><th>${html(words.previous)}</th><th>${html(words.average)}</th></tr></thead><tbody>${r.sentimentTrend
    .map((s) => `<tr><td>${html(s.key)}</td><td>${s.mentions}</td><td>${html(change(s.mentions, s.previous))}</td><td>${s.previous}</td><td>${avg(s.average)}</td></tr>`)
    .join('')}</tbody></table>
${r.tags.length ? `<p>Tags: ${r.tags.map((tag) => `<span class="tag">${html(tag.tag)} ${tag.mentions}</span>`).join(' ')}</p>` : ''}
<h2>Response times (${r.hours === 'business' ? 'business hours' : 'all hours'})</h2>
<p>${t.answered} of ${t.mentions} answered; mean ${span(t.meanSeconds)}, median ${span(t.medianSeconds)}, p90 ${span(t.p90Seconds)}, p95 ${span(t.p95Seconds)}, max ${span(t.maxSeconds)}; within target ${pct(t.withinTarget)}${within ? `; ${within}` : ''}.${t.answeredOffHours !== null ? ` Asked and answered in the same off-hours period: ${t.answeredOffHours}.` : ''}</p>
<h3>By agent</h3>
${responseTable('agent', r.byAgent, (g) => g.keys.agent ?? '')}
<h3>By source</h3>
${responseTable('source', r.responsesBySource, (g) => g.keys.source ?? '')}
<h2>Backlog by age</h2>
<p>${r.backlog.open} open now${r.backlog.oldestSeconds === null ? '' : `, the oldest ${span(r.backlog.oldestSeconds)}`}.</p>
<table><thead><tr><th>age</th><th>open</th></tr></thead><tbody>${r.backlog.buckets.map((b) => `<tr><td>${html(b.label)}</td><td>${b.count}</td></tr>`).join('')}</tbody></table>
<h2>Top authors by reach</h2>
${authors}
<h2>Needs attention (negative or urgent, still open)</h2>
${attention}
</body>
</html>
`;
}
