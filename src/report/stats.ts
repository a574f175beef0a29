/**
 * Response-time statistics (`mentions stats`, and the response figures of the
 * daily and weekly reports): one pass over plain rows, pure. Times count
 * around the clock or, with `hours: 'business'`, only working time of the
 * business calendar.
 */
import { formatDuration } from '../config/duration.js';
import { businessMsBetween } from './business-time.js';
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

/**
 * One group of mentions as the figures need it: counts, and the elapsed times as whole milliseconds
 * (working milliseconds with business hours), in any order. `mentions stats` gets these from SQL
 * (store/stats.ts statsAggregates) without reading a row per mention; responseStats makes them from rows.
 */
export interface StatsFacts {
  mentions: number;
  /** Answered within their own source's target. */
  withinTarget: number;
  /** Business hours only: answered ones asked and answered in the same off-hours period. */
  offHours: number;
  /** First-response times, ms, ≥ 0. */
  responseMs: number[];
  /** Times to resolution, ms, ≥ 0. */
  resolutionMs: number[];
}

/** A group's facts with its raw keys: names, or for time dimensions local day numbers and hours (see GroupKeyValues). */
export interface StatsGroupFacts extends StatsFacts {
  keys: GroupKeyValues;
}

/**
 * A group's key as the store reads it, before labelling: source, topic, tag, agent and sentiment by
 * name (null: none); day the local day number (days since 1970-01-01 on the wall clock), week the
 * local day number of its Monday, hour 0–23, weekday 0–6 from Sunday.
 */
export type GroupKeyValues = Partial<Record<StatsDimension, string | number | null>>;

export interface FactsOptions {
  hours: 'all' | 'business';
  sla: SlaTargets;
  by?: readonly StatsDimension[];
}

export function responseStats(rows: readonly StatsRow[], options: StatsOptions): ResponseStats {
  const { total, groups } = factsOfRows(rows, options);
  return statsFromFacts(total, groups, { hours: options.hours, sla: options.sla, by: options.by ?? [] });
}

/** The facts of rows, counted row by row: for all of them and for each group along `by`. */
export function factsOfRows(rows: readonly StatsRow[], options: StatsOptions): { total: StatsFacts; groups: StatsGroupFacts[] } {
  if (options.hours === 'business' && !options.calendar) throw new Error('business hours need a calendar');
  const by = [...new Set(options.by ?? [])];
  const elapsedMs =
    options.hours === 'business'
      ? (from: number, to: number) => businessMsBetween(from, to, options.calendar!)
      : (from: number, to: number) => Math.max(0, to - from);
  const wallClock = createWallClock(options.timeZone);
  const total = emptyFacts();
  const groups = new Map<string, StatsGroupFacts>();
  const needsWallClock = by.some((d) => TIME_DIMENSIONS.has(d));
  for (const row of rows) {
    const responseMs = row.firstResponseAt === null ? null : elapsedMs(row.createdAt, row.firstResponseAt);
    const resolutionMs = row.resolvedAt === null ? null : elapsedMs(row.createdAt, row.resolvedAt);
    const targetSeconds = slaTargetSeconds(options.sla, { name: row.source, type: row.sourceType });
    const add = (facts: StatsFacts) => {
      facts.mentions++;
      if (resolutionMs !== null) facts.resolutionMs.push(resolutionMs);
      if (responseMs === null) return;
      facts.responseMs.push(responseMs);
      if (responseMs / 1000 <= targetSeconds) facts.withinTarget++;
      if (options.hours === 'business' && responseMs === 0 && row.firstResponseAt! > row.createdAt) facts.offHours++;
    };
    add(total);
    if (by.length === 0) continue;
    const wall = needsWallClock ? wallClock(row.createdAt) : 0;
    for (const keys of groupKeys(row, by, wall)) {
      const id = by.map((d) => keys[d]).join('\u0000');
      let group = groups.get(id);
      if (!group) {
        group = { keys, ...emptyFacts() };
        groups.set(id, group);
      }
      add(group);
    }
  }
  return { total, groups: [...groups.values()] };
}

/** What store/stats.ts statsAggregates needs to know of a configuration, as functions: targets, working time, local time. */
export function statsQueryFunctions(sla: SlaTargets, calendar: BusinessCalendar | null, timeZone: string) {
  return {
    targetSeconds: (source: { name: string; type: string }) => slaTargetSeconds(sla, source),
    workingMs: calendar ? (from: number, to: number) => businessMsBetween(from, to, calendar) : null,
    wallClock: createWallClock(timeZone),
  };
}

const emptyFacts = (): StatsFacts => ({ mentions: 0, withinTarget: 0, offHours: 0, responseMs: [], resolutionMs: [] });

/**
 * The figures of every group and of all mentions. Groups whose keys get the same label (a null
 * name and "(none)") are one group, as they would be counted row by row.
 */
export function statsFromFacts(total: StatsFacts, groupFacts: readonly StatsGroupFacts[], options: FactsOptions): ResponseStats {
  const by = [...new Set(options.by ?? [])];
  const targets = [...new Set([options.sla.defaultSeconds, ...Object.values(options.sla.bySource)])].sort((a, b) => a - b);
  const groups = new Map<string, { keys: Partial<Record<StatsDimension, string>>; facts: StatsFacts }>();
  for (const group of groupFacts) {
    const keys: Partial<Record<StatsDimension, string>> = {};
    for (const dimension of by) keys[dimension] = keyLabel(dimension, group.keys[dimension] ?? null);
    const id = by.map((d) => keys[d]).join('\u0000');
    const known = groups.get(id);
    if (!known) groups.set(id, { keys, facts: group });
    else known.facts = mergeFacts(known.facts, group);
  }
  const overall = figures(total, targets, options.hours);
  return {
    hours: options.hours,
    by,
    ...overall.figures,
    distribution: distribution(overall.sortedResponses),
    groups: [...groups.values()]
      .sort((a, b) => compareKeys(a.keys, b.keys, by))
      .map((g) => ({ keys: g.keys, ...figures(g.facts, targets, options.hours).figures })),
  };
}

function mergeFacts(a: StatsFacts, b: StatsFacts): StatsFacts {
  return {
    mentions: a.mentions + b.mentions,
    withinTarget: a.withinTarget + b.withinTarget,
    offHours: a.offHours + b.offHours,
    responseMs: [...a.responseMs, ...b.responseMs],
    resolutionMs: [...a.resolutionMs, ...b.resolutionMs],
  };
}

/** Seconds from whole milliseconds, ascending. */
function sortedSeconds(ms: readonly number[]): Float64Array {
  const seconds = new Float64Array(ms.length);
  for (let i = 0; i < ms.length; i++) seconds[i] = ms[i]! / 1000;
  return seconds.sort();
}

/** How many of the ascending values are ≤ limit. */
function countAtMost(sorted: Float64Array, limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

function figures(facts: StatsFacts, targets: readonly number[], hours: StatsOptions['hours']): { figures: ResponseFigures; sortedResponses: Float64Array } {
  const responses = sortedSeconds(facts.responseMs);
  const resolutions = sortedSeconds(facts.resolutionMs);
  const share = (count: number) => (facts.mentions > 0 ? count / facts.mentions : null);
  const withinSla: Record<string, number | null> = {};
  for (const target of targets) withinSla[formatDuration(target)] = share(countAtMost(responses, target));
  return {
    sortedResponses: responses,
    figures: {
      mentions: facts.mentions,
      answered: responses.length,
      unanswered: facts.mentions - responses.length,
      responseRate: share(responses.length),
      meanSeconds: mean(responses),
      medianSeconds: percentile(responses, 0.5),
      p90Seconds: percentile(responses, 0.9),
      p95Seconds: percentile(responses, 0.95),
      maxSeconds: responses.length > 0 ? responses[responses.length - 1]! : null,
      withinSla,
      withinTarget: share(facts.withinTarget),
      answeredOffHours: hours === 'business' ? facts.offHours : null,
      resolved: resolutions.length,
      resolutionMeanSeconds: mean(resolutions),
      resolutionMedianSeconds: percentile(resolutions, 0.5),
      resolutionP90Seconds: percentile(resolutions, 0.9),
    },
  };
}

const DAY_MS = 86_400_000;

/** The label of a raw key value (GroupKeyValues). */
function keyLabel(dimension: StatsDimension, value: string | number | null): string {
  if (value === null) return NONE;
  switch (dimension) {
    case 'day':
      return new Date(Number(value) * DAY_MS).toISOString().slice(0, 10);
    case 'week':
      return isoWeek(new Date(Number(value) * DAY_MS));
    case 'hour':
      return String(value).padStart(2, '0');
    case 'weekday':
      return WEEKDAYS[Number(value)]!;
    default:
      return String(value);
  }
}

/** Every combination of the row's keys along the dimensions (a mention with two topics is in both topic groups). */
function groupKeys(row: StatsRow, by: readonly StatsDimension[], wallMs: number): GroupKeyValues[] {
  if (by.length === 1 && (by[0] === 'source' || by[0] === 'agent' || by[0] === 'sentiment')) {
    return [{ [by[0]]: dimensionValues(row, by[0], wallMs)[0] }];
  }
  let combos: GroupKeyValues[] = [{}];
  for (const dimension of by) {
    const values = dimensionValues(row, dimension, wallMs);
    const next: GroupKeyValues[] = [];
    for (const combo of combos) for (const value of values) next.push({ ...combo, [dimension]: value });
    combos = next;
  }
  return combos;
}

function dimensionValues(row: StatsRow, dimension: StatsDimension, wallMs: number): Array<string | number | null> {
  switch (dimension) {
    case 'source':
      return [row.source];
    case 'topic':
      return row.topics.length > 0 ? [...new Set(row.topics)] : [null];
    case 'tag':
      return row.tags.length > 0 ? [...new Set(row.tags)] : [null];
    case 'agent':
      return [row.agent];
    case 'sentiment':
      return [row.sentiment];
    case 'day':
      return [wallDayNumber(wallMs)];
    case 'week': {
      const day = wallDayNumber(wallMs);
      return [day - mondayBasedWeekday(day)];
    }
    case 'hour':
      return [new Date(wallMs).getUTCHours()];
    case 'weekday':
      return [(((wallDayNumber(wallMs) + 4) % 7) + 7) % 7];
  }
}

/** Days since the Monday of its week; local day number 0 (1970-01-01) was a Thursday. */
const mondayBasedWeekday = (dayNumber: number) => (((dayNumber + 3) % 7) + 7) % 7;

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

function distribution(sortedSeconds: Float64Array): DistributionBucket[] {
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
