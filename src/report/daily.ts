import { snippet } from '../output/sanitize.js';
import { mean, percentile } from './percentile.js';
import { slaTargetSeconds } from './sla.js';
import type { SlaTargets } from './sla.js';
import { statsFromFacts } from './stats.js';
import type { DistributionBucket, ResponseFigures, StatsFacts, StatsGroup, StatsGroupFacts } from './stats.js';
import { createWallClock } from './zoned-time.js';

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

/** A volume with its comparison: the previous period and the average period of the baseline before. */
export interface CountRow {
  key: string;
  mentions: number;
  negative: number;
  neutral: number;
  positive: number;
  /** Mentions in the previous period (day or week). */
  previous: number;
  /** Mean mentions per period over the baseline (the 7 days, or 4 weeks, before). */
  average: number;
}

export interface TrendRow {
  key: string;
  mentions: number;
  previous: number;
  average: number;
}

export interface BacklogBucket {
  label: string;
  /** Age range in seconds, [from, to); to null for the oldest bucket. */
  fromSeconds: number;
  toSeconds: number | null;
  count: number;
}

export interface TopAuthor {
  author: string;
  source: string;
  reach: number;
  mentions: number;
  url: string | null;
}

export interface DailyReport {
  kind: 'daily' | 'weekly';
  /** "2026-11-20" for a day, "2026-W47" for a week. */
  period: string;
  /** First and last local date covered. */
  date: string;
  lastDate: string;
  timezone: string;
  from: string;
  to: string;
  generatedAt: string;
  /** Whether response times count all hours or business hours only. */
  hours: 'all' | 'business';
  /** How many periods the baseline average spans (7 days, or 4 weeks). */
  baselinePeriods: number;
  /** Relevant mentions (what the team works on). */
  mentions: number;
  trend: TrendRow;
  spam: number;
  own: number;
  irrelevant: number;
  sentiment: { positive: number; neutral: number; negative: number };
  sentimentTrend: TrendRow[];
  bySource: CountRow[];
  byTopic: CountRow[];
  tags: Array<{ tag: string; mentions: number }>;
  /** Relevant mentions per local hour (daily) or per local date (weekly). */
  volume: Array<{ label: string; mentions: number }>;
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
  /** First-response figures in the configured hours, overall and per agent and per source. */
  responseTimes: ResponseFigures & { distribution: DistributionBucket[] };
  byAgent: StatsGroup[];
  responsesBySource: StatsGroup[];
  /** Open mentions (new, assigned) by age when the report was made, of any creation date. */
  backlog: { open: number; oldestSeconds: number | null; buckets: BacklogBucket[] };
  topAuthors: TopAuthor[];
  /** New negatives and urgent ones of the period still open, highest priority first (at most 20). */
  openNegative: number;
  openUrgent: number;
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
  kind?: 'daily' | 'weekly';
  /** The period's label: its date, or its ISO week. */
  period: string;
  date: string;
  lastDate: string;
  timezone: string;
  from: number;
  to: number;
  /** Number of periods in `history` (it covers that many periods before `from`). */
  baselinePeriods: number;
  now: number;
  sla: SlaTargets;
  hours: 'all' | 'business';
  /** Mentions created in [from, to). */
  mentions: readonly ReportMention[];
  /** Mentions created in the baseline periods before `from`, counted by their facts. */
  history: readonly HistoryFacts[];
  /** The first responses of the period's mentions, counted (in the configured hours). */
  responses: ResponseFacts;
  /** Creation times of every open mention now, for the backlog. */
  openCreatedAt: readonly number[];
}

/** The period's response facts: all mentions, by the agent who answered, by source (store/stats.ts statsAggregates). */
export interface ResponseFacts {
  total: StatsFacts;
  byAgent: readonly StatsGroupFacts[];
  bySource: readonly StatsGroupFacts[];
}

const ATTENTION_LIMIT = 20;
const TOP_AUTHORS = 10;
const OPEN = new Set(['new', 'assigned']);
const BACKLOG_EDGES: Array<[number, string]> = [
  [0, '< 1h'],
  [3600, '1h–4h'],
  [14_400, '4h–24h'],
  [86_400, '1d–3d'],
  [259_200, '3d–7d'],
  [604_800, '≥ 7d'],
];

/**
 * Mentions of the baseline periods with the same facts, counted (store/mentions.ts mentionFactCounts):
 * what the comparison with earlier periods reads, without a row per mention.
 */
export interface HistoryFacts extends Pick<ReportMention, 'source' | 'relevance' | 'sentiment' | 'topics'> {
  /** Created in the previous period (the day or week just before), else earlier in the baseline. */
  previous: boolean;
  mentions: number;
}

type Facts = Pick<ReportMention, 'source' | 'relevance' | 'sentiment' | 'topics'>;

const isRelevant = (m: Pick<ReportMention, 'relevance'>) => m.relevance === 'relevant' || m.relevance === null;

/** A mention the report lists with its words: relevant, still open, and negative or urgent. */
export const needsAttention = (m: Pick<ReportMention, 'relevance' | 'status' | 'sentiment' | 'tags'>): boolean =>
  isRelevant(m) && OPEN.has(m.status) && (m.sentiment === 'negative' || m.tags.includes('urgent'));

const countOf = (facts: readonly HistoryFacts[], pick: (m: Facts) => boolean) => facts.reduce((n, f) => (pick(f) ? n + f.mentions : n), 0);

/** Builds the daily (or weekly) report model: pure, so every renderer shows the same figures. */
export function buildDailyReport(input: DailyReportInput): DailyReport {
  const relevant = input.mentions.filter(isRelevant);
  const history = input.history.filter(isRelevant);
  const previous = history.filter((m) => m.previous);
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
  const factsOptions = { hours: input.hours, sla: input.sla };
  const overall = statsFromFacts(input.responses.total, [], factsOptions);
  const { groups: _none, hours: _hours, by: _by, ...responseTimes } = overall;
  const periods = input.baselinePeriods;
  const trend = (key: string, pick: (m: Facts) => boolean): TrendRow => ({
    key,
    mentions: relevant.filter(pick).length,
    previous: countOf(previous, pick),
    average: countOf(history, pick) / periods,
  });
  const open = relevant.filter((m) => OPEN.has(m.status));

  return {
    kind: input.kind ?? 'daily',
    period: input.period,
    date: input.date,
    lastDate: input.lastDate,
    timezone: input.timezone,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    generatedAt: new Date(input.now).toISOString(),
    hours: input.hours,
    baselinePeriods: periods,
    mentions: relevant.length,
    trend: trend('mentions', () => true),
    spam: countBy('spam'),
    own: countBy('own'),
    irrelevant: countBy('irrelevant'),
    sentiment,
    sentimentTrend: (['negative', 'neutral', 'positive'] as const).map((s) => trend(s, (m) => m.sentiment === s)),
    bySource: countRows(relevant, previous, history, periods, (m) => [m.source]),
    byTopic: countRows(relevant, previous, history, periods, (m) => (m.topics.length > 0 ? m.topics : ['(none)'])),
    tags: [...tagCounts].map(([tag, mentions]) => ({ tag, mentions })).sort((a, b) => b.mentions - a.mentions || a.tag.localeCompare(b.tag)),
    volume: volume(relevant, input),
    responses: {
      answered,
      unanswered: relevant.length - answered,
      responseRate: relevant.length > 0 ? answered / relevant.length : null,
      medianSeconds: percentile(responseSeconds, 0.5),
      p90Seconds: percentile(responseSeconds, 0.9),
      meanSeconds: mean(responseSeconds),
      withinSla: relevant.length > 0 ? withinSla / relevant.length : null,
    },
    responseTimes,
    byAgent: statsFromFacts(input.responses.total, input.responses.byAgent, { ...factsOptions, by: ['agent'] }).groups,
    responsesBySource: statsFromFacts(input.responses.total, input.responses.bySource, { ...factsOptions, by: ['source'] }).groups,
    backlog: backlog(input.openCreatedAt, input.now),
    topAuthors: topAuthors(relevant),
    openNegative: open.filter((m) => m.sentiment === 'negative').length,
    openUrgent: open.filter((m) => m.tags.includes('urgent')).length,
    attention: open
      .filter(needsAttention)
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

function countRows(
  mentions: readonly ReportMention[],
  previous: readonly HistoryFacts[],
  history: readonly HistoryFacts[],
  periods: number,
  keysOf: (m: Facts) => string[],
): CountRow[] {
  const rows = new Map<string, CountRow>();
  const rowFor = (key: string) => {
    let row = rows.get(key);
    if (!row) {
      row = { key, mentions: 0, negative: 0, neutral: 0, positive: 0, previous: 0, average: 0 };
      rows.set(key, row);
    }
    return row;
  };
  for (const m of mentions) {
    for (const key of keysOf(m)) {
      const row = rowFor(key);
      row.mentions++;
      if (m.sentiment === 'negative' || m.sentiment === 'neutral' || m.sentiment === 'positive') row[m.sentiment]++;
    }
  }
  for (const m of previous) for (const key of keysOf(m)) rowFor(key).previous += m.mentions;
  const baseline = new Map<string, number>();
  for (const m of history) for (const key of keysOf(m)) baseline.set(key, (baseline.get(key) ?? 0) + m.mentions);
  for (const [key, count] of baseline) rowFor(key).average = count / periods;
  return [...rows.values()].sort((a, b) => b.mentions - a.mentions || b.average - a.average || a.key.localeCompare(b.key));
}

/** Per local hour of the day, or per local date of the week. */
function volume(mentions: readonly ReportMention[], input: DailyReportInput): Array<{ label: string; mentions: number }> {
  const wallClock = createWallClock(input.timezone);
  if ((input.kind ?? 'daily') === 'daily') {
    const hours = Array.from({ length: 24 }, (_, h) => ({ label: String(h).padStart(2, '0'), mentions: 0 }));
    for (const m of mentions) hours[new Date(wallClock(m.createdAt)).getUTCHours()]!.mentions++;
    return hours;
  }
  const days = new Map<string, number>();
  for (let d = new Date(`${input.date}T00:00:00Z`); d.toISOString().slice(0, 10) <= input.lastDate; d.setUTCDate(d.getUTCDate() + 1)) {
    days.set(d.toISOString().slice(0, 10), 0);
  }
  for (const m of mentions) {
    const day = new Date(wallClock(m.createdAt)).toISOString().slice(0, 10);
    if (days.has(day)) days.set(day, days.get(day)! + 1);
  }
  return [...days].map(([label, count]) => ({ label, mentions: count }));
}

function backlog(openCreatedAt: readonly number[], now: number): DailyReport['backlog'] {
  const buckets: BacklogBucket[] = BACKLOG_EDGES.map(([from, label], i) => ({
    label,
    fromSeconds: from,
    toSeconds: BACKLOG_EDGES[i + 1]?.[0] ?? null,
    count: 0,
  }));
  let oldest: number | null = null;
  for (const createdAt of openCreatedAt) {
    const age = Math.max(0, (now - createdAt) / 1000);
    if (oldest === null || age > oldest) oldest = age;
    const bucket = buckets.findLast((b) => age >= b.fromSeconds)!;
    bucket.count++;
  }
  return { open: openCreatedAt.length, oldestSeconds: oldest, buckets };
}

/** Authors by their largest reach, one row each (the same name on two sources is two authors). */
function topAuthors(mentions: readonly ReportMention[]): TopAuthor[] {
  const authors = new Map<string, TopAuthor>();
  for (const m of mentions) {
    if (!m.author || m.authorReach === null) continue;
    const id = `${m.source}\u0000${m.author}`;
    const known = authors.get(id);
    if (!known) authors.set(id, { author: m.author, source: m.source, reach: m.authorReach, mentions: 1, url: m.url });
    else {
      known.mentions++;
      if (m.authorReach > known.reach) Object.assign(known, { reach: m.authorReach, url: m.url });
    }
  }
  return [...authors.values()].sort((a, b) => b.reach - a.reach || b.mentions - a.mentions || a.author.localeCompare(b.author)).slice(0, TOP_AUTHORS);
}
