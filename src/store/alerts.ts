import type { Db } from './db.js';

/**
 * The alert queue. A row is one (rule, subject, channel); the unique indexes
 * make a mention alert a rule on a channel at most once, across restarts and
 * concurrent runs. Rows stay `pending` until a channel accepts them.
 */
export type AlertState = 'pending' | 'sent' | 'failed' | 'skipped';
export const ALERT_STATES: readonly AlertState[] = ['pending', 'sent', 'failed', 'skipped'];

export interface NewAlert {
  rule: string;
  channel: string;
  mentionId?: number;
  spikeKey?: string;
  details?: Record<string, unknown>;
}

export interface AlertRow {
  id: number;
  rule: string;
  mentionId: number | null;
  spikeKey: string | null;
  details: Record<string, unknown> | null;
  channel: string;
  state: AlertState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  sentAt: number | null;
}

interface AlertDbRow {
  id: number;
  rule: string;
  mention_id: number | null;
  spike_key: string | null;
  details: string | null;
  channel: string;
  state: AlertState;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  sent_at: number | null;
}

function toAlertRow(row: AlertDbRow): AlertRow {
  return {
    id: row.id,
    rule: row.rule,
    mentionId: row.mention_id,
    spikeKey: row.spike_key,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
    channel: row.channel,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Adds the alerts not queued before (in one transaction); returns how many are new. */
export function enqueueAlerts(db: Db, alerts: readonly NewAlert[], now: number): number {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO alerts (rule, mention_id, spike_key, details, channel, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  let added = 0;
  db.transaction(() => {
    for (const a of alerts) {
      added += insert.run(a.rule, a.mentionId ?? null, a.spikeKey ?? null, a.details ? JSON.stringify(a.details) : null, a.channel, now).changes;
    }
  }).immediate();
  return added;
}

/** Pending rows whose retry time has come, oldest first. */
export function dueAlerts(db: Db, now: number, limit = 500): AlertRow[] {
  return (
    db
      .prepare(
        `SELECT * FROM alerts WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         ORDER BY created_at, id LIMIT ?`,
      )
      .all(now, limit) as AlertDbRow[]
  ).map(toAlertRow);
}

export function markAlertSent(db: Db, id: number, now: number): void {
  db.prepare(`UPDATE alerts SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL WHERE id = ?`).run(now, id);
}

/** The mention was settled before delivery: the row is kept, marked, and not sent. */
export function markAlertSkipped(db: Db, id: number, reason: string): void {
  db.prepare(`UPDATE alerts SET state = 'skipped', last_error = ?, next_attempt_at = NULL WHERE id = ?`).run(reason, id);
}

/** Counts a failed attempt: the row waits until `retryAt`, or becomes `failed` when `retryAt` is null. */
export function markAlertAttemptFailed(db: Db, id: number, error: string, retryAt: number | null): void {
  db.prepare(
    `UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
       state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END WHERE id = ?`,
  ).run(error, retryAt, retryAt, id);
}

/** Deliveries of a rule to a channel since `since` (for its rate limit). */
export function countSentSince(db: Db, rule: string, channel: string, since: number): number {
  const row = db
    .prepare(`SELECT count(*) AS n FROM alerts WHERE state = 'sent' AND rule = ? AND channel = ? AND sent_at >= ?`)
    .get(rule, channel, since) as { n: number };
  return row.n;
}

export interface AlertListFilter {
  states?: AlertState[];
  limit: number;
}

/** Newest first. */
export function listAlerts(db: Db, filter: AlertListFilter): AlertRow[] {
  const states = filter.states && filter.states.length > 0 ? filter.states : ALERT_STATES;
  return (
    db
      .prepare(`SELECT * FROM alerts WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...states, filter.limit) as AlertDbRow[]
  ).map(toAlertRow);
}

export function countAlertsByState(db: Db): Record<AlertState, number> {
  const counts: Record<AlertState, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const row of db.prepare('SELECT state, count(*) AS n FROM alerts GROUP BY state').all() as Array<{ state: AlertState; n: number }>) {
    counts[row.state] = row.n;
  }
  return counts;
}

/** Filters on mentions shared by alert candidates and spike counts. */
export interface MentionAlertFilter {
  sentiment?: readonly string[];
  tags?: readonly string[];
  topics?: readonly string[];
  minReach?: number;
}

function filterSql(filter: MentionAlertFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [`c.relevance = 'relevant'`];
  const params: unknown[] = [];
  const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');
  if (filter.sentiment && filter.sentiment.length > 0) {
    where.push(`c.sentiment IN (${list(filter.sentiment)})`);
    params.push(...filter.sentiment);
  }
  if (filter.tags && filter.tags.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM json_each(c.tags) j WHERE j.value IN (${list(filter.tags)}))`);
    params.push(...filter.tags);
  }
  if (filter.topics && filter.topics.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM mention_topics t WHERE t.mention_id = m.id AND t.topic IN (${list(filter.topics)}))`);
    params.push(...filter.topics);
  }
  if (filter.minReach !== undefined) {
    where.push('m.author_reach >= ?');
    params.push(filter.minReach);
  }
  return { where, params };
}

// Anything answered or dismissed is settled, whatever other statuses come to exist.
const UNSETTLED = `m.status NOT IN ('responded', 'resolved', 'ignored') AND m.first_response_at IS NULL`;

/**
 * Ids of relevant, unanswered mentions matching `filter`, stored (fetched) at or
 * after `fetchedSince` — or, with `createdSince`, created at or after it.
 */
export function alertCandidateIds(
  db: Db,
  filter: MentionAlertFilter,
  window: { fetchedSince?: number; createdSince?: number },
  limit = 10_000,
): number[] {
  const { where, params } = filterSql(filter);
  where.push(UNSETTLED);
  if (window.fetchedSince !== undefined) {
    where.push('m.fetched_at >= ?');
    params.push(window.fetchedSince);
  }
  if (window.createdSince !== undefined) {
    where.push('m.created_at >= ?');
    params.push(window.createdSince);
  }
  params.push(limit);
  const rows = db
    .prepare(`SELECT m.id FROM mentions m JOIN classifications c ON c.mention_id = m.id WHERE ${where.join(' AND ')} ORDER BY m.id LIMIT ?`)
    .all(...params) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

/** Relevant mentions matching `filter` created in [from, to), for spike detection. */
export function countMentionsBetween(db: Db, filter: MentionAlertFilter, from: number, to: number): number {
  const { where, params } = filterSql(filter);
  where.push('m.created_at >= ?', 'm.created_at < ?');
  params.push(from, to);
  const row = db
    .prepare(`SELECT count(*) AS n FROM mentions m JOIN classifications c ON c.mention_id = m.id WHERE ${where.join(' AND ')}`)
    .get(...params) as { n: number };
  return row.n;
}

/** Whether the mention is still waiting for an answer (an SLA alert about it still makes sense). */
export function isMentionUnsettled(db: Db, mentionId: number): boolean {
  return db.prepare(`SELECT 1 FROM mentions m WHERE m.id = ? AND ${UNSETTLED}`).get(mentionId) !== undefined;
}
