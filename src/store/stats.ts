import type { Db } from './db.js';

/**
 * The agent who answered a mention: the actor of the event that set its first
 * response time, by hand (`respond`, `respond --at`) or by reply detection (the
 * own account). The one place this is decided.
 */
export function responseAgentSql(mentionAlias: string): string {
  const m = mentionAlias;
  // The event that set the first response time the mention holds now (the last such, after any undo);
  // events from before work states were recorded (migration 5) fall back to the first move to responded.
  // "Set it": the state after holds the mention's time and the state before did not, written as "after differs from
  // before" (the same, given the first condition): the partial index events_first_response (migration 10) then
  // answers the lookup alone, without reading the events and parsing their JSON.
  return `COALESCE(
    (SELECT e.actor FROM events e INDEXED BY events_first_response WHERE e.mention_id = ${m}.id
       AND json_extract(e.after_state, '$.firstResponseAt') = ${m}.first_response_at
       AND json_extract(e.after_state, '$.firstResponseAt') IS NOT json_extract(e.before_state, '$.firstResponseAt')
     ORDER BY e.id DESC LIMIT 1),
    (SELECT e.actor FROM events e WHERE e.mention_id = ${m}.id AND e.to_status = 'responded' ORDER BY e.at, e.id LIMIT 1))`;
}

/** A grouping of statistics (structurally report/stats StatsDimension). */
export type StatsKey = 'source' | 'topic' | 'agent' | 'day' | 'week' | 'hour' | 'weekday' | 'sentiment' | 'tag';

export interface StatsQuery {
  by: readonly StatsKey[];
  /** A source's first-response target, seconds. */
  targetSeconds: (source: { name: string; type: string }) => number;
  /** Working milliseconds between two instants (business hours); null: around the clock. */
  workingMs: ((from: number, to: number) => number) | null;
  /** An instant as wall-clock milliseconds in the report's zone (for day, week, hour, weekday). */
  wallClock: (instant: number) => number;
}

/** One group as SQL counts it (structurally report/stats StatsGroupFacts). */
export interface StatsAggregate {
  /** Raw key values: names (null: none); day and week as local day numbers, hour 0–23, weekday 0–6 from Sunday. */
  keys: Partial<Record<StatsKey, string | number | null>>;
  mentions: number;
  withinTarget: number;
  offHours: number;
  /** Elapsed milliseconds, unsorted. */
  responseMs: number[];
  resolutionMs: number[];
}

const DAY_MS = 86_400_000;
// A JavaScript function's number comes back as REAL: made INTEGER so that / divides whole days and hours.
const WALL = 'CAST(mentions_wall_ms(m.created_at) AS INTEGER)';
/** The key of each grouping over the row set of statsAggregates (wall: the wall-clock ms of created_at). */
const KEY_SQL: Record<StatsKey, string> = {
  source: 'm.source_id',
  sentiment: 'c.sentiment',
  agent: responseAgentSql('m'),
  topic: 't.topic',
  tag: 'j.value',
  day: `${WALL} / ${DAY_MS}`,
  // The Monday of its week: day number 0 (1970-01-01) was a Thursday.
  week: `${WALL} / ${DAY_MS} - (${WALL} / ${DAY_MS} + 3) % 7`,
  hour: `${WALL} / 3600000 % 24`,
  weekday: `(${WALL} / ${DAY_MS} + 4) % 7`,
};

/**
 * Response-time facts of the mentions the team works on, created in [from, to): relevant (or not yet
 * classified) and not dismissed with `ignore`. Counted in SQL per group and for all of them: one result
 * row per group, with the elapsed times as JSON arrays of whole milliseconds, so no JavaScript object is
 * made per mention. A mention with several topics (or tags) is in each of their groups; `total` counts
 * it once. The rows come from two narrow covering indexes (mentions_stats, classifications_relevance)
 * without touching the wide rows; SQLite's planner prefers the classifications primary key, hence INDEXED BY.
 */
export function statsAggregates(db: Db, from: number, to: number, query: StatsQuery): { total: StatsAggregate; groups: StatsAggregate[] } {
  const sources = db.prepare('SELECT id, name, type FROM sources').all() as Array<{ id: number; name: string; type: string }>;
  const names = new Map(sources.map((s) => [s.id, s.name]));
  db.function('mentions_wall_ms', { deterministic: true }, (instant: unknown) => query.wallClock(Number(instant)));
  if (query.workingMs) {
    const workingMs = query.workingMs;
    db.function('mentions_working_ms', { deterministic: true }, (start: unknown, end: unknown) =>
      end === null ? null : workingMs(Number(start), Number(end)),
    );
  }
  const elapsed = (end: string) => (query.workingMs ? `CAST(mentions_working_ms(m.created_at, ${end}) AS INTEGER)` : `max(0, ${end} - m.created_at)`);
  // Each source's own target by its id, bound as (id, target) pairs.
  const targetSql = sources.length > 0 ? `CASE m.source_id ${sources.map(() => 'WHEN ? THEN ?').join(' ')} END` : 'NULL';
  const targetParams = sources.flatMap((s) => [s.id, query.targetSeconds(s)]);
  const select = (by: readonly StatsKey[]) => {
    const keys = by.map((key, i) => `${KEY_SQL[key]} AS k${i}`);
    const joins = [
      by.includes('topic') ? 'LEFT JOIN mention_topics t ON t.mention_id = m.id' : '',
      by.includes('tag') ? 'LEFT JOIN json_each(c.tags) j' : '',
    ].join(' ');
    // A tag listed twice on one mention counts once, as one topic does.
    const rows = `SELECT ${by.includes('tag') ? 'DISTINCT m.id AS id,' : ''} ${[...keys, 'm.created_at AS created_at', `${elapsed('m.first_response_at')} AS response_ms`,
      `${elapsed('m.resolved_at')} AS resolution_ms`, `m.first_response_at AS first_response_at`, `${targetSql} AS target_seconds`].join(', ')}
      FROM mentions m INDEXED BY mentions_stats LEFT JOIN classifications c INDEXED BY classifications_relevance ON c.mention_id = m.id ${joins}
      WHERE m.created_at >= ? AND m.created_at < ? AND m.status <> 'ignored' AND (c.relevance IS NULL OR c.relevance = 'relevant')`;
    const groupBy = by.map((_, i) => `k${i}`);
    // Materialized with business hours, so that the working time of a row is computed once, not once per aggregate
    // that reads it; around the clock the subtraction is cheaper than a temporary table.
    return db.prepare(
      `WITH r AS ${query.workingMs ? 'MATERIALIZED' : ''} (${rows}) SELECT ${[...groupBy, 'count(*) AS mentions',
        'count(*) FILTER (WHERE response_ms / 1000.0 <= target_seconds) AS within_target',
        `count(*) FILTER (WHERE ${query.workingMs ? 'response_ms = 0 AND first_response_at > created_at' : 'FALSE'}) AS off_hours`,
        'json_group_array(response_ms) FILTER (WHERE response_ms IS NOT NULL) AS response_ms',
        'json_group_array(resolution_ms) FILTER (WHERE resolution_ms IS NOT NULL) AS resolution_ms'].join(', ')}
       FROM r ${groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')}` : ''}`,
    ).raw();
  };
  const aggregate = (by: readonly StatsKey[]) =>
    (select(by).all(...targetParams, from, to) as unknown[][]).map((r): StatsAggregate => {
      const keys: StatsAggregate['keys'] = {};
      by.forEach((key, i) => (keys[key] = key === 'source' ? names.get(r[i] as number)! : (r[i] as string | number | null)));
      const [mentions, withinTarget, offHours, responses, resolutions] = r.slice(by.length) as [number, number, number, string, string];
      return { keys, mentions, withinTarget, offHours, responseMs: JSON.parse(responses) as number[], resolutionMs: JSON.parse(resolutions) as number[] };
    });
  const groups = query.by.length > 0 ? aggregate(query.by) : [];
  // Without topics or tags each mention is in one group: the total is their sum, without a second pass.
  const total = query.by.length > 0 && !query.by.includes('topic') && !query.by.includes('tag') ? sumOf(groups) : aggregate([])[0]!;
  return { total, groups };
}

function sumOf(groups: readonly StatsAggregate[]): StatsAggregate {
  const total: StatsAggregate = { keys: {}, mentions: 0, withinTarget: 0, offHours: 0, responseMs: [], resolutionMs: [] };
  for (const g of groups) {
    total.mentions += g.mentions;
    total.withinTarget += g.withinTarget;
    total.offHours += g.offHours;
    for (const ms of g.responseMs) total.responseMs.push(ms);
    for (const ms of g.resolutionMs) total.resolutionMs.push(ms);
  }
  return total;
}

/** Creation times of every open mention in the queue (relevant, new or assigned): the backlog. */
export function openMentionCreatedAt(db: Db): number[] {
  return (db.prepare('SELECT created_at FROM mentions WHERE in_queue = 1').pluck().all() as number[]);
}
