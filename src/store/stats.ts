import type { Db } from './db.js';

/** Which optional columns a statistics query needs (each costs a subquery or a JSON parse per row). */
export interface StatsColumns {
  topics: boolean;
  agent: boolean;
  tags: boolean;
  sentiment: boolean;
}

/** A mention as statistics read it (structurally report/stats StatsRow). */
export interface StatsRecord {
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  source: string;
  sourceType: string;
  topics: string[];
  agent: string | null;
  sentiment: string | null;
  tags: string[];
}

/**
 * The agent who answered a mention: the actor of the event that set its first
 * response time, by hand (`respond`, `respond --at`) or by reply detection (the
 * own account). The one place this is decided.
 */
export function responseAgentSql(mentionAlias: string): string {
  const m = mentionAlias;
  // The event that set the first response time the mention holds now (the last such, after any undo);
  // events from before work states were recorded (migration 5) fall back to the first move to responded.
  return `COALESCE(
    (SELECT e.actor FROM events e WHERE e.mention_id = ${m}.id
       AND json_extract(e.after_state, '$.firstResponseAt') = ${m}.first_response_at
       AND json_extract(e.before_state, '$.firstResponseAt') IS NOT ${m}.first_response_at
     ORDER BY e.id DESC LIMIT 1),
    (SELECT e.actor FROM events e WHERE e.mention_id = ${m}.id AND e.to_status = 'responded' ORDER BY e.at, e.id LIMIT 1))`;
}

/**
 * Mentions created in [from, to) that the team works on: relevant (or not yet
 * classified) and not dismissed with `ignore`. Only the columns asked for are
 * read, so the common case is answered from two narrow covering indexes (migration
 * mentions_stats / classifications_relevance) without touching the wide rows;
 * SQLite's planner prefers the classifications primary key, hence INDEXED BY.
 */
export function statsRows(db: Db, from: number, to: number, columns: StatsColumns): StatsRecord[] {
  const select = [
    'm.created_at AS created_at',
    'm.first_response_at AS first_response_at',
    'm.resolved_at AS resolved_at',
    'm.source_id AS source_id',
    columns.sentiment ? 'c.sentiment AS sentiment' : 'NULL AS sentiment',
    columns.tags ? 'c.tags AS tags' : 'NULL AS tags',
    columns.topics ? `(SELECT group_concat(t.topic, char(31)) FROM mention_topics t WHERE t.mention_id = m.id) AS topics` : 'NULL AS topics',
    columns.agent ? `${responseAgentSql('m')} AS agent` : 'NULL AS agent',
  ];
  const sources = new Map(
    (db.prepare('SELECT id, name, type FROM sources').all() as Array<{ id: number; name: string; type: string }>).map((s) => [s.id, s]),
  );
  const statement = db.prepare(
    `SELECT ${select.join(', ')}
     FROM mentions m LEFT JOIN classifications c INDEXED BY classifications_relevance ON c.mention_id = m.id
     WHERE m.created_at >= ? AND m.created_at < ? AND m.status <> 'ignored' AND (c.relevance IS NULL OR c.relevance = 'relevant')`,
  );
  const rows: StatsRecord[] = [];
  for (const r of statement.iterate(from, to) as Iterable<{
    created_at: number;
    first_response_at: number | null;
    resolved_at: number | null;
    source_id: number;
    sentiment: string | null;
    tags: string | null;
    topics: string | null;
    agent: string | null;
  }>) {
    const source = sources.get(r.source_id)!;
    rows.push({
      createdAt: r.created_at,
      firstResponseAt: r.first_response_at,
      resolvedAt: r.resolved_at,
      source: source.name,
      sourceType: source.type,
      topics: r.topics ? r.topics.split('\u001f') : [],
      agent: r.agent,
      sentiment: r.sentiment,
      tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    });
  }
  return rows;
}

/** Creation times of every open mention in the queue (relevant, new or assigned): the backlog. */
export function openMentionCreatedAt(db: Db): number[] {
  return (db.prepare('SELECT created_at FROM mentions WHERE in_queue = 1').pluck().all() as number[]);
}
