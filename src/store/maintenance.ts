/** Database care: online backup and integrity checks (`mentions db backup`, `mentions db check`, `mentions doctor`). */
import { renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './db.js';
import { schemaVersion } from './db.js';
import { LATEST_VERSION } from './migrations.js';

export interface BackupResult {
  path: string;
  bytes: number;
  pages: number;
}

/**
 * SQLite's online backup: a consistent copy while pulls and queue commands keep writing. Written to a
 * temporary file beside the target, then renamed, so the target is either the old file or a whole copy.
 */
export async function backupDatabase(db: Db, target: string): Promise<BackupResult> {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    const progress = await db.backup(temporary);
    renameSync(temporary, target);
    return { path: target, bytes: statSync(target).size, pages: progress.totalPages };
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

export interface DatabaseCheck {
  path: string;
  schemaVersion: number;
  latestVersion: number;
  /** "ok", or SQLite's list of problems (at most 20). */
  integrity: string[];
  foreignKeyProblems: number;
  mentions: number;
  sources: number;
  bytes: number;
  ok: boolean;
}

const MAX_INTEGRITY_LINES = 20;

/** PRAGMA integrity_check (or quick_check) and foreign_key_check, with the schema version and sizes. */
export function checkDatabase(db: Db, options: { quick?: boolean } = {}): DatabaseCheck {
  const pragma = options.quick ? 'quick_check' : 'integrity_check';
  const integrity = (db.pragma(`${pragma}(${MAX_INTEGRITY_LINES})`) as Array<Record<string, string>>).map((row) => Object.values(row)[0] ?? '');
  const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const version = schemaVersion(db);
  let bytes = 0;
  try {
    bytes = statSync(db.name).size;
  } catch {
    // an in-memory database has no file
  }
  return {
    path: db.name,
    schemaVersion: version,
    latestVersion: LATEST_VERSION,
    integrity,
    foreignKeyProblems,
    mentions: count('mentions'),
    sources: count('sources'),
    bytes,
    ok: integrity.length === 1 && integrity[0] === 'ok' && foreignKeyProblems === 0 && version === LATEST_VERSION,
  };
}
