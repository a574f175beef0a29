/**
 * Response-time statistics (`mentions stats`, and the response figures of the
 * daily and weekly reports): one pass over plain rows, pure. Times count
 * around the clock or, with `hours: 'business'`, only working time of the
 * business calendar.
 */
import { formatDuration } from '../config/duration.js';
import { businessSecondsBetween } from './business-time.js';
import type { BusinessCalendar } from './business-time.js';
import { mean, percentile } from './percentile.js';
import { slaTargetSeconds } from './sla.js';
import type { SlaTargets } from './sla.js';
import { createWallClock, wallDayNumber } from './zoned-time.js';

export const STATS_DIMENSIONS = ['source', 'topic', 'agent', 'day', 'week', 'hour', 'weekday', 'sentiment', 'tag'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** One mention as statistics read it. */
export interface StatsRow {
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  source: string;
  sourceType: string;
  topics: readonly string[];
  /** Who answered first (null when unanswered or unknown). */
  agent: string | null;
  sentiment: string | null;
  tags: readonly string[];
}

export interface StatsOptions {
  hours: 'all' | 'business';
  /** Needed when hours is 'business'. */
  calendar: BusinessCalendar | null;
  /** For the day, week, hour and weekday groups. */
  timeZone: string;
  sla: SlaTargets;
  by?: readonly StatsDimension[];
}

export interface ResponseFigures {
  mentions: number;
  answered: number;
  unanswered: number;
  responseRate: number | null;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  p95Seconds: number | null;
  maxSeconds: number | null;
  /** Each configured target ("10m", "1h") → share of mentions answered within it. */
  withinSla: Record<string, number | null>;
  /** Share of mentions answered within their own source's target. */
  withinTarget: number | null;
  /** Business hours only: answered ones asked and answered in the same off-hours period (0 business seconds). */
  answeredOffHours: number | null;
  resolved: number;
  resolutionMeanSeconds: number | null;
  resolutionMedianSeconds: number | null;
  resolutionP90Seconds: number | null;
}

export interface StatsGroup extends ResponseFigures {
  keys: Partial<Record<StatsDimension, string>>;
}

export interface DistributionBucket {
  label: string;
  fromSeconds: number;
  /** Exclusive; null for the open last bucket. */
  toSeconds: number | null;
  count: number;
}

export interface ResponseStats extends ResponseFigures {
  hours: 'all' | 'business';
  by: StatsDimension[];
  /** First-response times of the answered mentions, bucketed for a chart. */
  distribution: DistributionBucket[];
  groups: StatsGroup[];
}

/** Bucket edges of the response-time chart, seconds. */
const DISTRIBUTION_EDGES = [0, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 259_200];
const NONE = '(none)';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIME_DIMENSIONS = new Set<StatsDimension>(['day', 'week', 'hour', 'weekday']);

class Accumulator {
  mentions = 0;
  responseSeconds: number[] = [];
  resolutionSeconds: number[] = [];
  withinTarget = 0;
  withinEach: number[];
  offHours = 0;
  constructor(targetCount: number) {
    this.withinEach = new Array<number>(targetCount).fill(0);
  }
}

interface Measured {
  responseSeconds: number | null;
  resolutionSeconds: number | null;
  targetSeconds: number;
}

export function responseStats(rows: readonly StatsRow[], options: StatsOptions): ResponseStats {
  if (options.hours === 'business' && !options.calendar) throw new Error('business hours need a calendar');
  const by = [...new Set(options.by ?? [])];
  const targets = [...new Set([options.sla.defaultSeconds, ...Object.values(options.sla.bySource)])].sort((a, b) => a - b);
  const elapsed =
    options.hours === 'business'
      ? (from: number, to: number) => businessSecondsBetween(from, to, options.calendar!)
      : (from: number, to: number) => Math.max(0, (to - from) / 1000);
  const wallClock = createWallClock(options.timeZone);
  const total = new Accumulator(targets.length);
  const groups = new Map<string, { keys: Partial<Record<StatsDimension, string>>; acc: Accumulator }>();

  const needsWallClock = by.some((d) => TIME_DIMENSIONS.has(d));
  for (const row of rows) {
    const measured: Measured = {
      responseSeconds: row.firstResponseAt === null ? null : elapsed(row.createdAt, row.firstResponseAt),
      resolutionSeconds: row.resolvedAt === null ? null : elapsed(row.createdAt, row.resolvedAt),
      targetSeconds: slaTargetSeconds(options.sla, { name: row.source, type: row.sourceType }),
    };
    add(total, measured, targets, options.hours, row);
    if (by.length === 0) continue;
    const wall = needsWallClock ? new Date(wallClock(row.createdAt)) : null;
    for (const keys of groupKeys(row, by, wall)) {
      const id = by.map((d) => keys[d]).join('\u0000');
      let group = groups.get(id);
      if (!group) {
        group = { keys, acc: new Accumulator(targets.length) };
        groups.set(id, group);
      }
      add(group.acc, measured, targets, options.hours, row);
    }
  }

  const sortedResponses = total.responseSeconds.sort((a, b) => a - b);
  return {
    hours: options.hours,
    by,
    ...figures(total, targets, options.hours),
    distribution: distribution(sortedResponses),
    groups: [...groups.values()]
      .sort((a, b) => compareKeys(a.keys, b.keys, by))
      .map((g) => ({ keys: g.keys, ...figures(g.acc, targets, options.hours) })),
  };
}

function add(acc: Accumulator, m: Measured, targets: readonly number[], hours: StatsOptions['hours'], row: StatsRow): void {
  acc.mentions++;
  if (m.resolutionSeconds !== null) acc.resolutionSeconds.push(m.resolutionSeconds);
  if (m.responseSeconds === null) return;
  acc.responseSeconds.push(m.responseSeconds);
  if (m.responseSeconds <= m.targetSeconds) acc.withinTarget++;
  for (let i = 0; i < targets.length; i++) if (m.responseSeconds <= targets[i]!) acc.withinEach[i]!++;
  if (hours === 'business' && m.responseSeconds === 0 && row.firstResponseAt! > row.createdAt) acc.offHours++;
}

function figures(acc: Accumulator, targets: readonly number[], hours: StatsOptions['hours']): ResponseFigures {
  const responses = acc.responseSeconds.sort((a, b) => a - b);
  const resolutions = acc.resolutionSeconds.sort((a, b) => a - b);
  const share = (count: number) => (acc.mentions > 0 ? count / acc.mentions : null);
  const withinSla: Record<string, number | null> = {};
  targets.forEach((target, i) => (withinSla[formatDuration(target)] = share(acc.withinEach[i]!)));
  return {
    mentions: acc.mentions,
    answered: responses.length,
    unanswered: acc.mentions - responses.length,
    responseRate: share(responses.length),
    meanSeconds: mean(responses),
    medianSeconds: percentile(responses, 0.5),
    p90Seconds: percentile(responses, 0.9),
    p95Seconds: percentile(responses, 0.95),
    maxSeconds: responses.length > 0 ? responses[responses.length - 1]! : null,
    withinSla,
    withinTarget: share(acc.withinTarget),
    answeredOffHours: hours === 'business' ? acc.offHours : null,
    resolved: resolutions.length,
    resolutionMeanSeconds: mean(resolutions),
    resolutionMedianSeconds: percentile(resolutions, 0.5),
    resolutionP90Seconds: percentile(resolutions, 0.9),
  };
}

/** Every combination of the row's keys along the dimensions (a mention with two topics is in both topic groups). */
function groupKeys(row: StatsRow, by: readonly StatsDimension[], wall: Date | null): Array<Partial<Record<StatsDimension, string>>> {
  if (by.length === 1 && (by[0] === 'source' || by[0] === 'agent' || by[0] === 'sentiment')) {
    return [{ [by[0]]: dimensionValues(row, by[0], wall)[0] }];
  }
  let combos: Array<Partial<Record<StatsDimension, string>>> = [{}];
  for (const dimension of by) {
    const values = dimensionValues(row, dimension, wall);
    const next: Array<Partial<Record<StatsDimension, string>>> = [];
    for (const combo of combos) for (const value of values) next.push({ ...combo, [dimension]: value });
    combos = next;
  }
  return combos;
}

function dimensionValues(row: StatsRow, dimension: StatsDimension, wall: Date | null): string[] {
  switch (dimension) {
    case 'source':
      return [row.source];
    case 'topic':
      return row.topics.length > 0 ? [...new Set(row.topics)] : [NONE];
    case 'tag':
      return row.tags.length > 0 ? [...new Set(row.tags)] : [NONE];
    case 'agent':
      return [row.agent ?? NONE];
    case 'sentiment':
      return [row.sentiment ?? NONE];
    case 'day':
      return [wall!.toISOString().slice(0, 10)];
    case 'week':
      return [isoWeek(wall!)];
    case 'hour':
      return [String(wall!.getUTCHours()).padStart(2, '0')];
    case 'weekday':
      return [WEEKDAYS[wall!.getUTCDay()]!];
  }
}

/** ISO 8601 week of a wall-clock date, "2026-W47": the week belongs to the year of its Thursday. */
export function isoWeek(wall: Date): string {
  const day = wallDayNumber(wall.getTime());
  const mondayBased = (wall.getUTCDay() + 6) % 7;
  const thursday = new Date((day - mondayBased + 3) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function compareKeys(a: Partial<Record<StatsDimension, string>>, b: Partial<Record<StatsDimension, string>>, by: readonly StatsDimension[]): number {
  for (const dimension of by) {
    const x = a[dimension] ?? '';
    const y = b[dimension] ?? '';
    if (x === y) continue;
    if (dimension === 'weekday') return WEEKDAY_ORDER.indexOf(x) - WEEKDAY_ORDER.indexOf(y);
    // "(none)" last, after every real value.
    if (x === NONE) return 1;
    if (y === NONE) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function distribution(sortedSeconds: readonly number[]): DistributionBucket[] {
  const buckets: DistributionBucket[] = DISTRIBUTION_EDGES.map((from, i) => {
    const to = DISTRIBUTION_EDGES[i + 1] ?? null;
    const label = i === 0 ? `< ${formatDuration(to!)}` : to === null ? `≥ ${formatDuration(from)}` : `${formatDuration(from)}–${formatDuration(to)}`;
    return { label, fromSeconds: from, toSeconds: to, count: 0 };
  });
  let bucket = 0;
  for (const seconds of sortedSeconds) {
    while (buckets[bucket]!.toSeconds !== null && seconds >= buckets[bucket]!.toSeconds!) bucket++;
    buckets[bucket]!.count++;
  }
  return buckets;
}
