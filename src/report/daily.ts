import { snippet } from '../output/sanitize.js';
import { mean, percentile } from './percentile.js';
import { slaTargetSeconds } from './sla.js';
import type { SlaTargets } from './sla.js';

/** The fields of a stored mention a report reads (a store MentionRecord fits). */
export interface ReportMention {
  id: number;
  source: string;
  sourceType: string;
  url: string | null;
  author: string | null;
  authorReach: number | null;
  title: string | null;
  text: string;
  createdAt: number;
  status: string;
  priority: number;
  firstResponseAt: number | null;
  relevance: string | null;
  sentiment: string | null;
  tags: string[];
  topics: string[];
}

export interface CountRow {
  key: string;
  mentions: number;
  negative: number;
  neutral: number;
  positive: number;
}

export interface DailyReport {
  date: string;
  timezone: string;
  from: string;
  to: string;
  generatedAt: string;
  /** Relevant mentions (what the team works on). */
  mentions: number;
  spam: number;
  own: number;
  irrelevant: number;
  sentiment: { positive: number; neutral: number; negative: number };
  bySource: CountRow[];
  byTopic: CountRow[];
  tags: Array<{ tag: string; mentions: number }>;
  responses: {
    answered: number;
    unanswered: number;
    responseRate: number | null;
    medianSeconds: number | null;
    p90Seconds: number | null;
    meanSeconds: number | null;
    /** Share of relevant mentions answered within their own source's target. */
    withinSla: number | null;
  };
  /** Negative and urgent mentions, highest priority first (at most 20). */
  attention: Array<{
    id: number;
    source: string;
    author: string | null;
    sentiment: string | null;
    tags: string[];
    status: string;
    snippet: string;
    url: string | null;
  }>;
}

export interface DailyReportInput {
  date: string;
  timezone: string;
  from: number;
  to: number;
  now: number;
  sla: SlaTargets;
  mentions: readonly ReportMention[];
}

const ATTENTION_LIMIT = 20;

/** Builds the daily report model: pure, so every renderer shows the same figures. */
export function buildDailyReport(input: DailyReportInput): DailyReport {
  const relevant = input.mentions.filter((m) => m.relevance === 'relevant' || m.relevance === null);
  const countBy = (relevance: string) => input.mentions.filter((m) => m.relevance === relevance).length;
  const sentiment = { positive: 0, neutral: 0, negative: 0 };
  for (const m of relevant) {
    if (m.sentiment === 'positive' || m.sentiment === 'negative' || m.sentiment === 'neutral') sentiment[m.sentiment]++;
  }
  const responseSeconds: number[] = [];
  let withinSla = 0;
  for (const m of relevant) {
    if (m.firstResponseAt === null) continue;
    const seconds = Math.max(0, (m.firstResponseAt - m.createdAt) / 1000);
    responseSeconds.push(seconds);
    if (seconds <= slaTargetSeconds(input.sla, { name: m.source, type: m.sourceType })) withinSla++;
  }
  responseSeconds.sort((a, b) => a - b);
  const answered = responseSeconds.length;
  const tagCounts = new Map<string, number>();
  for (const m of relevant) for (const t of m.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);

  return {
    date: input.date,
    timezone: input.timezone,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    generatedAt: new Date(input.now).toISOString(),
    mentions: relevant.length,
    spam: countBy('spam'),
    own: countBy('own'),
    irrelevant: countBy('irrelevant'),
    sentiment,
    bySource: countRows(relevant, (m) => [m.source]),
    byTopic: countRows(relevant, (m) => (m.topics.length > 0 ? m.topics : ['(none)'])),
    tags: [...tagCounts].map(([tag, mentions]) => ({ tag, mentions })).sort((a, b) => b.mentions - a.mentions || a.tag.localeCompare(b.tag)),
    responses: {
      answered,
      unanswered: relevant.length - answered,
      responseRate: relevant.length > 0 ? answered / relevant.length : null,
      medianSeconds: percentile(responseSeconds, 0.5),
      p90Seconds: percentile(responseSeconds, 0.9),
      meanSeconds: mean(responseSeconds),
      withinSla: relevant.length > 0 ? withinSla / relevant.length : null,
    },
    attention: relevant
      .filter((m) => m.sentiment === 'negative' || m.tags.includes('urgent'))
      .sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt)
      .slice(0, ATTENTION_LIMIT)
      .map((m) => ({
        id: m.id,
        source: m.source,
        author: m.author,
        sentiment: m.sentiment,
        tags: m.tags,
        status: m.status,
        snippet: snippet(m, 140),
        url: m.url,
      })),
  };
}

function countRows(mentions: readonly ReportMention[], keysOf: (m: ReportMention) => string[]): CountRow[] {
  const rows = new Map<string, CountRow>();
  for (const m of mentions) {
    for (const key of keysOf(m)) {
      let row = rows.get(key);
      if (!row) {
        row = { key, mentions: 0, negative: 0, neutral: 0, positive: 0 };
        rows.set(key, row);
      }
      row.mentions++;
      if (m.sentiment === 'negative' || m.sentiment === 'neutral' || m.sentiment === 'positive') row[m.sentiment]++;
    }
  }
  return [...rows.values()].sort((a, b) => b.mentions - a.mentions || a.key.localeCompare(b.key));
}
