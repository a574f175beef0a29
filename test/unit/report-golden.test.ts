import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDailyReport } from '../../src/report/daily.js';
import type { HistoryFacts, ReportMention } from '../../src/report/daily.js';
import { factsOfRows } from '../../src/report/stats.js';
import type { StatsRow } from '../../src/report/stats.js';
import { renderDailyReportMarkdown } from '../../src/output/daily-report.js';
import { renderReportHtml } from '../../src/output/report-html.js';

/**
 * Fixed data and a fixed clock → the Markdown report, compared byte for byte
 * with test/golden/daily-report.md. After an intended change to the report,
 * regenerate it with UPDATE_GOLDEN=1 and review the diff.
 */
const GOLDEN = fileURLToPath(new URL('../golden/daily-report.md', import.meta.url));
const H = 3600_000;
const day = Date.UTC(2026, 10, 19, 21); // 2026-11-20 00:00 in Moscow
const base: ReportMention = {
  id: 1, source: 'news', sourceType: 'rss', url: null, author: null, authorReach: null, title: null, text: 'acme',
  createdAt: day, status: 'new', priority: 10, firstResponseAt: null, relevance: 'relevant', sentiment: 'neutral', tags: [], topics: ['acme'],
};
const mentions: ReportMention[] = [
  { ...base, id: 11, createdAt: day + 9 * H, author: 'Anna K', authorReach: 15400, sentiment: 'negative', tags: ['complaint', 'urgent'], priority: 95, status: 'new',
    text: 'Acme app *crashes* on login | [click](javascript:alert(1)) <img src=x>', url: 'https://social.example/p/11' },
  { ...base, id: 12, createdAt: day + 10 * H, author: 'boris', authorReach: 230, source: 'vk-search', sourceType: 'vk', sentiment: 'negative', tags: ['complaint'], priority: 60, status: 'assigned',
    text: 'acme support never answers', url: 'javascript:alert(2)' },
  { ...base, id: 13, createdAt: day + 10.5 * H, firstResponseAt: day + 10.75 * H, status: 'responded', sentiment: 'positive', tags: ['praise'], text: 'acme delivery was fast' },
  { ...base, id: 14, createdAt: day + 14 * H, firstResponseAt: day + 16 * H, status: 'resolved', source: 'vk-search', sourceType: 'vk', tags: ['question'], text: 'acme opening hours?' },
  { ...base, id: 15, createdAt: day + 15 * H, relevance: 'spam', text: 'win an acme phone' },
  { ...base, id: 16, createdAt: day + 16 * H, relevance: 'own', text: 'acme news' },
];
const facts = { source: base.source, relevance: base.relevance, sentiment: base.sentiment, topics: base.topics, mentions: 1 };
const history: HistoryFacts[] = [
  { ...facts, previous: true }, // 20 h before the day
  { ...facts, previous: true, sentiment: 'negative' },
  { ...facts, previous: false, source: 'vk-search' }, // 50 h before
];
const asStats = (m: ReportMention, agent: string | null): StatsRow => ({
  createdAt: m.createdAt, firstResponseAt: m.firstResponseAt, resolvedAt: m.status === 'resolved' ? m.firstResponseAt! + H : null,
  source: m.source, sourceType: m.sourceType, topics: m.topics, agent, sentiment: m.sentiment, tags: m.tags,
});

const sla = { defaultSeconds: 3600, bySource: { vk: 1800 } };
const responseRows = [asStats(mentions[0]!, null), asStats(mentions[1]!, null), asStats(mentions[2]!, 'anna'), asStats(mentions[3]!, 'boris')];
const options = { hours: 'all' as const, calendar: null, timeZone: 'Europe/Moscow', sla };

function report() {
  return buildDailyReport({
    kind: 'daily', period: '2026-11-20', date: '2026-11-20', lastDate: '2026-11-20', timezone: 'Europe/Moscow',
    from: day, to: day + 24 * H, baselinePeriods: 7, now: day + 32 * H,
    sla, hours: 'all',
    mentions, history,
    responses: {
      total: factsOfRows(responseRows, options).total,
      byAgent: factsOfRows(responseRows, { ...options, by: ['agent'] }).groups,
      bySource: factsOfRows(responseRows, { ...options, by: ['source'] }).groups,
    },
    openCreatedAt: [mentions[0]!.createdAt, mentions[1]!.createdAt, day - 4 * 24 * H],
  });
}

describe('daily report renderers', () => {
  it('Markdown matches the golden file byte for byte', () => {
    const markdown = renderDailyReportMarkdown(report());
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, markdown);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(markdown).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('HTML escapes every text and keeps only http(s) links', () => {
    const page = renderReportHtml(report());
    expect(page).not.toMatch(/<img|href="javascript:/);
    expect(page).toContain('[click](javascript:alert(1)) &lt;img src=x&gt;'); // shown as text
    expect(page).toContain('<a href="https://social.example/p/11" rel="noopener noreferrer nofollow">');
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
  });
});
