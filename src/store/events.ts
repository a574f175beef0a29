import type { Db } from './db.js';
import type { MentionStatus } from './mentions.js';

export interface StatusEvent {
  id: number;
  mentionId: number;
  at: number;
  actor: string;
  origin: 'manual' | 'auto' | 'pull';
  fromStatus: MentionStatus | null;
  toStatus: MentionStatus | null;
  note: string | null;
}

export class MentionNotFoundError extends Error {
  override readonly name = 'MentionNotFoundError';
  constructor(readonly mentionId: number) {
    super(`no mention with id ${mentionId} (see "mentions queue" for ids)`);
  }
}

export interface StatusChange {
  mentionId: number;
  to: MentionStatus;
  actor: string;
  at: number;
  note?: string | null;
  origin?: StatusEvent['origin'];
}

/**
 * Changes a mention's status and writes the event row in one transaction.
 * Moving out of the open statuses takes the mention out of the queue; the
 * first move to responded sets first_response_at, which reports measure.
 */
export function changeStatus(db: Db, change: StatusChange): StatusEvent {
  return db.transaction(() => {
    const current = db
      .prepare('SELECT status, first_response_at FROM mentions WHERE id = ?')
      .get(change.mentionId) as { status: MentionStatus; first_response_at: number | null } | undefined;
    if (!current) throw new MentionNotFoundError(change.mentionId);
    const open = change.to === 'new' || change.to === 'assigned';
    db.prepare(
      `UPDATE mentions SET status = ?,
         in_queue = CASE WHEN ? AND EXISTS (SELECT 1 FROM classifications c WHERE c.mention_id = mentions.id AND c.relevance = 'relevant') THEN 1 ELSE 0 END,
         first_response_at = CASE WHEN ? = 'responded' AND (first_response_at IS NULL OR first_response_at > ?) THEN ? ELSE first_response_at END,
         resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE resolved_at END
       WHERE id = ?`,
    ).run(change.to, open ? 1 : 0, change.to, change.at, change.at, change.to, change.at, change.mentionId);
    const info = db
      .prepare(
        'INSERT INTO events (mention_id, at, actor, origin, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(change.mentionId, change.at, change.actor, change.origin ?? 'manual', current.status, change.to, change.note ?? null);
    return {
      id: Number(info.lastInsertRowid),
      mentionId: change.mentionId,
      at: change.at,
      actor: change.actor,
      origin: change.origin ?? 'manual',
      fromStatus: current.status,
      toStatus: change.to,
      note: change.note ?? null,
    };
  }).immediate();
}

export function listEvents(db: Db, mentionId: number): StatusEvent[] {
  const rows = db
    .prepare('SELECT * FROM events WHERE mention_id = ? ORDER BY at, id')
    .all(mentionId) as Array<{
    id: number;
    mention_id: number;
    at: number;
    actor: string;
    origin: StatusEvent['origin'];
    from_status: MentionStatus | null;
    to_status: MentionStatus | null;
    note: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    mentionId: r.mention_id,
    at: r.at,
    actor: r.actor,
    origin: r.origin,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    note: r.note,
  }));
}
