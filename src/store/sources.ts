import type { Db } from './db.js';

export interface SourceRow {
  id: number;
  name: string;
  type: string;
  /** URL or query as configured, with ${ENV} references unresolved (never a secret). */
  target: string | null;
  cursor: Record<string, unknown> | null;
  lastPolledAt: number | null;
  lastOkAt: number | null;
  errorCount: number;
  consecutiveFailures: number;
  lastError: string | null;
}

interface SourceDbRow {
  id: number;
  name: string;
  type: string;
  target: string | null;
  cursor: string | null;
  last_polled_at: number | null;
  last_ok_at: number | null;
  error_count: number;
  consecutive_failures: number;
  last_error: string | null;
}

function toSourceRow(row: SourceDbRow): SourceRow {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    target: row.target,
    cursor: row.cursor ? (JSON.parse(row.cursor) as Record<string, unknown>) : null,
    lastPolledAt: row.last_polled_at,
    lastOkAt: row.last_ok_at,
    errorCount: row.error_count,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
  };
}

/**
 * Makes the stored source match its config entry. A changed type or target
 * means a different stream of items, so its cursor is reset; mentions stay.
 */
export function upsertSource(db: Db, source: { name: string; type: string; target: string | null }, now: number): SourceRow {
  const existing = getSourceByName(db, source.name);
  if (!existing) {
    db.prepare('INSERT INTO sources (name, type, target, created_at) VALUES (?, ?, ?, ?)').run(
      source.name,
      source.type,
      source.target,
      now,
    );
  } else if (existing.type !== source.type || existing.target !== source.target) {
    db.prepare('UPDATE sources SET type = ?, target = ?, cursor = NULL WHERE id = ?').run(
      source.type,
      source.target,
      existing.id,
    );
  }
  return getSourceByName(db, source.name)!;
}

export function getSourceByName(db: Db, name: string): SourceRow | null {
  const row = db.prepare('SELECT * FROM sources WHERE name = ?').get(name) as SourceDbRow | undefined;
  return row ? toSourceRow(row) : null;
}

export function listSources(db: Db): SourceRow[] {
  return (db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceDbRow[]).map(toSourceRow);
}

/** Counts a failed poll; the cursor is untouched so the next pull retries from the same place. */
export function recordSourceFailure(db: Db, sourceId: number, reason: string, now: number): void {
  db.prepare(
    `UPDATE sources SET last_polled_at = ?, error_count = error_count + 1,
       consecutive_failures = consecutive_failures + 1, last_error = ? WHERE id = ?`,
  ).run(now, reason, sourceId);
}

/** Runs inside the page transaction (see storePage): the cursor advances only with the items it covers. */
export function advanceSourceCursor(db: Db, sourceId: number, cursor: Record<string, unknown>, now: number): void {
  db.prepare(
    `UPDATE sources SET cursor = ?, last_polled_at = ?, last_ok_at = ?, consecutive_failures = 0, last_error = NULL
     WHERE id = ?`,
  ).run(JSON.stringify(cursor), now, now, sourceId);
}

export interface SourceHealthRow extends SourceRow {
  mentionCount: number;
  /** created_at of the newest stored mention, epoch ms. */
  newestMentionAt: number | null;
}

/** Every stored source with how much it has brought in, for `mentions sources`. */
export function listSourceHealth(db: Db): SourceHealthRow[] {
  const rows = db
    .prepare(
      `SELECT s.*, (SELECT count(*) FROM mentions m WHERE m.source_id = s.id) AS mention_count,
              (SELECT max(m.created_at) FROM mentions m WHERE m.source_id = s.id) AS newest_mention_at
       FROM sources s ORDER BY s.name`,
    )
    .all() as Array<SourceDbRow & { mention_count: number; newest_mention_at: number | null }>;
  return rows.map((row) => ({ ...toSourceRow(row), mentionCount: row.mention_count, newestMentionAt: row.newest_mention_at }));
}

/** External ids among `externalIds` already stored for this source (for previews that store nothing). */
export function storedExternalIds(db: Db, sourceName: string, externalIds: readonly string[]): Set<string> {
  const found = new Set<string>();
  const statement = db.prepare(
    'SELECT 1 FROM mentions m JOIN sources s ON s.id = m.source_id WHERE s.name = ? AND m.external_id = ?',
  );
  for (const id of externalIds) if (statement.get(sourceName, id)) found.add(id);
  return found;
}
