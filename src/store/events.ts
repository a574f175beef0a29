import type { Db } from './db.js';
import type { MentionStatus } from './mentions.js';

/**
 * Work on mentions as an event log: every change of status, assignee,
 * urgency, response time or note writes one event row in the same
 * transaction as the change, with the work state before and after it, so
 * history is complete and undo can restore exactly what a change replaced.
 */

export type EventKind = 'status' | 'assign' | 'respond' | 'note' | 'urgent' | 'undo';
export type EventOrigin = 'manual' | 'auto' | 'pull';

/** The part of a mention that people (and reply detection) change. */
export interface WorkState {
  status: MentionStatus;
  assignee: string | null;
  urgent: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

export const WORK_FIELDS = ['status', 'assignee', 'urgent', 'firstResponseAt', 'resolvedAt'] as const satisfies ReadonlyArray<keyof WorkState>;

export interface WorkEvent {
  id: number;
  mentionId: number;
  at: number;
  actor: string;
  origin: EventOrigin;
  kind: EventKind;
  /** Events written by one command share a batch; null for events older than batches. */
  batch: number | null;
  fromStatus: MentionStatus | null;
  toStatus: MentionStatus | null;
  note: string | null;
  replyUrl: string | null;
  before: WorkState | null;
  after: WorkState | null;
  /** For undo events: the batch they reversed. */
  undoesBatch: number | null;
}

/** Kept for callers that only look at status moves. */
export type StatusEvent = WorkEvent;

export class MentionNotFoundError extends Error {
  override readonly name = 'MentionNotFoundError';
  constructor(readonly mentionId: number) {
    super(`no mention with id ${mentionId} (see "mentions queue" for ids)`);
  }
}

/** A change that does not apply to the mention's state (assigning a resolved mention, undo after someone else's change). Exit 2. */
export class WorkStateError extends Error {
  override readonly name = 'WorkStateError';
}

export interface WorkChange {
  mentionId: number;
  kind: EventKind;
  /** The state after the change; null when the change would change nothing. Throws WorkStateError when it does not apply. */
  apply: (state: WorkState) => WorkState | null;
  /** Write the event even when the state stays the same (a note, a later response). */
  always?: boolean;
  note?: string | null;
  replyUrl?: string | null;
  undoesBatch?: number | null;
}

export interface ChangeMeta {
  actor: string;
  at: number;
  origin?: EventOrigin;
}

export interface RecordedChanges {
  batch: number;
  events: WorkEvent[];
  /** Mentions the change left as they were (already resolved, already assigned to that person). */
  unchanged: number[];
}

const OPEN: ReadonlySet<MentionStatus> = new Set(['new', 'assigned']);
export const isOpen = (status: MentionStatus): boolean => OPEN.has(status);

// ---------------------------------------------------------------------------
// The changes commands make, as pure state transitions

function closedError(what: string, state: WorkState): WorkStateError {
  return new WorkStateError(`cannot ${what}: it is ${state.status}`);
}

export function assignTo(name: string) {
  return (s: WorkState): WorkState | null => {
    if (s.status === 'resolved' || s.status === 'ignored') throw closedError(`assign it to ${name}`, s);
    if (s.assignee === name) return null;
    return { ...s, assignee: name, status: s.status === 'new' ? 'assigned' : s.status };
  };
}

/** `take`: like assignTo, but only while nobody has it, so two people taking at once never get the same mention. */
export function claimFor(name: string) {
  return (s: WorkState): WorkState | null => {
    if (s.assignee !== null && s.assignee !== name) throw new WorkStateError(`already taken by ${s.assignee}`);
    if (!isOpen(s.status)) throw closedError(`take it`, s);
    return assignTo(name)(s);
  };
}

/** A response at `at`: the first response time is the earliest ever recorded, whoever recorded it. */
export function respondAt(at: number) {
  return (s: WorkState): WorkState | null => {
    const next: WorkState = {
      ...s,
      status: isOpen(s.status) ? 'responded' : s.status,
      firstResponseAt: s.firstResponseAt === null ? at : Math.min(s.firstResponseAt, at),
    };
    return sameState(s, next) ? null : next;
  };
}

export function resolveAt(at: number) {
  return (s: WorkState): WorkState | null => (s.status === 'resolved' ? null : { ...s, status: 'resolved', resolvedAt: at });
}

export function ignore() {
  return (s: WorkState): WorkState | null => (s.status === 'ignored' ? null : { ...s, status: 'ignored' });
}

export function setUrgent(on: boolean) {
  return (s: WorkState): WorkState | null => (s.urgent === on ? null : { ...s, urgent: on });
}

export function keepState() {
  return (s: WorkState): WorkState => s;
}

export function sameState(a: WorkState, b: WorkState): boolean {
  return WORK_FIELDS.every((f) => a[f] === b[f]);
}

// ---------------------------------------------------------------------------
// Recording

interface StateRow {
  status: MentionStatus;
  assignee: string | null;
  urgent: number;
  first_response_at: number | null;
  resolved_at: number | null;
}

function readState(db: Db, mentionId: number): WorkState | null {
  const row = db
    .prepare('SELECT status, assignee, urgent, first_response_at, resolved_at FROM mentions WHERE id = ?')
    .get(mentionId) as StateRow | undefined;
  return row
    ? { status: row.status, assignee: row.assignee, urgent: row.urgent === 1, firstResponseAt: row.first_response_at, resolvedAt: row.resolved_at }
    : null;
}

function writeState(db: Db, mentionId: number, s: WorkState): void {
  // Only relevant mentions in an open status are in the queue; spam and own posts never are.
  db.prepare(
    `UPDATE mentions SET status = ?, assignee = ?, urgent = ?, first_response_at = ?, resolved_at = ?,
       in_queue = CASE WHEN ? AND EXISTS (SELECT 1 FROM classifications c WHERE c.mention_id = mentions.id AND c.relevance = 'relevant') THEN 1 ELSE 0 END
     WHERE id = ?`,
  ).run(s.status, s.assignee, s.urgent ? 1 : 0, s.firstResponseAt, s.resolvedAt, isOpen(s.status) ? 1 : 0, mentionId);
}

/**
 * Applies changes to mentions as one batch in one transaction: each mention
 * that changes (or each `always` change) gets its event row; a missing
 * mention or a change that does not apply rolls the whole batch back.
 */
export function recordChanges(db: Db, changes: readonly WorkChange[], meta: ChangeMeta): RecordedChanges {
  return db.transaction(() => {
    const batch = (db.prepare('SELECT coalesce(max(batch), 0) + 1 AS b FROM events').get() as { b: number }).b;
    const insert = db.prepare(
      `INSERT INTO events (mention_id, at, actor, origin, from_status, to_status, note, kind, batch, reply_url, before_state, after_state, undoes_batch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const result: RecordedChanges = { batch, events: [], unchanged: [] };
    for (const change of changes) {
      const before = readState(db, change.mentionId);
      if (!before) throw new MentionNotFoundError(change.mentionId);
      let after: WorkState | null;
      try {
        after = change.apply(before);
      } catch (err) {
        if (err instanceof WorkStateError) throw new WorkStateError(`mention ${change.mentionId}: ${err.message}`);
        throw err;
      }
      if (after === null && !change.always) {
        result.unchanged.push(change.mentionId);
        continue;
      }
      const next = after ?? before;
      if (!sameState(before, next)) writeState(db, change.mentionId, next);
      const origin = meta.origin ?? 'manual';
      const info = insert.run(
        change.mentionId, meta.at, meta.actor, origin, before.status, next.status, change.note ?? null, change.kind, batch,
        change.replyUrl ?? null, JSON.stringify(before), JSON.stringify(next), change.undoesBatch ?? null,
      );
      result.events.push({
        id: Number(info.lastInsertRowid),
        mentionId: change.mentionId,
        at: meta.at,
        actor: meta.actor,
        origin,
        kind: change.kind,
        batch,
        fromStatus: before.status,
        toStatus: next.status,
        note: change.note ?? null,
        replyUrl: change.replyUrl ?? null,
        before,
        after: next,
        undoesBatch: change.undoesBatch ?? null,
      });
    }
    return result;
  }).immediate();
}

export interface StatusChange {
  mentionId: number;
  to: MentionStatus;
  actor: string;
  at: number;
  note?: string | null;
  origin?: EventOrigin;
}

/** One status move with its event; a move to responded keeps the earliest first response. */
export function changeStatus(db: Db, change: StatusChange): WorkEvent {
  const apply = (s: WorkState): WorkState => ({
    ...s,
    status: change.to,
    firstResponseAt: change.to === 'responded' ? Math.min(s.firstResponseAt ?? change.at, change.at) : s.firstResponseAt,
    resolvedAt: change.to === 'resolved' ? change.at : s.resolvedAt,
  });
  const kind: EventKind = change.to === 'responded' ? 'respond' : 'status';
  const recorded = recordChanges(db, [{ mentionId: change.mentionId, kind, apply, always: true, note: change.note ?? null }], change);
  return recorded.events[0]!;
}

// ---------------------------------------------------------------------------
// Undo

export interface UndoResult {
  /** The batch reversed, with its events. */
  undone: WorkEvent[];
  recorded: RecordedChanges;
}

/**
 * Reverses `actor`'s last manual batch not yet undone, with new events (the
 * log is never rewritten). Refuses when someone changed one of the fields
 * since, so undo never throws away another person's work. Null when there is
 * nothing to undo.
 */
export function undoLast(db: Db, actor: string, at: number): UndoResult | null {
  return db.transaction(() => {
    const last = db
      .prepare(
        `SELECT e.batch FROM events e
         WHERE e.actor = ? AND e.origin = 'manual' AND e.kind <> 'undo' AND e.batch IS NOT NULL AND e.before_state IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes_batch = e.batch)
         ORDER BY e.batch DESC LIMIT 1`,
      )
      .get(actor) as { batch: number } | undefined;
    if (!last) return null;
    const undone = listEventsWhere(db, 'batch = ?', [last.batch]);
    const changes: WorkChange[] = [...undone].reverse().map((event) => ({
      mentionId: event.mentionId,
      kind: 'undo',
      always: true,
      undoesBatch: last.batch,
      note: `undo ${event.kind}${event.note ? `: ${event.note}` : ''}`,
      apply: (current: WorkState) => {
        const before = event.before!;
        const after = event.after!;
        const restored: WorkState = { ...current };
        for (const field of WORK_FIELDS) {
          if (before[field] === after[field]) continue;
          if (current[field] !== after[field]) {
            throw new WorkStateError(
              `cannot undo ${event.kind} of ${new Date(event.at).toISOString()}: ${field} has changed since (now ${String(current[field])}); see "mentions history ${event.mentionId}"`,
            );
          }
          (restored as unknown as Record<string, unknown>)[field] = before[field];
        }
        return restored;
      },
    }));
    return { undone, recorded: recordChanges(db, changes, { actor, at, origin: 'manual' }) };
  }).immediate();
}

// ---------------------------------------------------------------------------
// Reading

interface EventRow {
  id: number;
  mention_id: number;
  at: number;
  actor: string;
  origin: EventOrigin;
  kind: EventKind;
  batch: number | null;
  from_status: MentionStatus | null;
  to_status: MentionStatus | null;
  note: string | null;
  reply_url: string | null;
  before_state: string | null;
  after_state: string | null;
  undoes_batch: number | null;
}

function toEvent(r: EventRow): WorkEvent {
  return {
    id: r.id,
    mentionId: r.mention_id,
    at: r.at,
    actor: r.actor,
    origin: r.origin,
    kind: r.kind,
    batch: r.batch,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    note: r.note,
    replyUrl: r.reply_url,
    before: r.before_state ? (JSON.parse(r.before_state) as WorkState) : null,
    after: r.after_state ? (JSON.parse(r.after_state) as WorkState) : null,
    undoesBatch: r.undoes_batch,
  };
}

function listEventsWhere(db: Db, where: string, params: unknown[]): WorkEvent[] {
  return (db.prepare(`SELECT * FROM events WHERE ${where} ORDER BY at, id`).all(...params) as EventRow[]).map(toEvent);
}

/** A mention's events, oldest first. */
export function listEvents(db: Db, mentionId: number): WorkEvent[] {
  return listEventsWhere(db, 'mention_id = ?', [mentionId]);
}

/** The current work state of a mention, or null when there is no such mention. */
export function workState(db: Db, mentionId: number): WorkState | null {
  return readState(db, mentionId);
}
