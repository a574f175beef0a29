import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** The database was written by a newer `mentions`, or could not be opened. Exit code 3. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

const require = createRequire(import.meta.url);
let addon: string | null | undefined;

/**
 * The compiled addon where better-sqlite3's install puts it. Handing its path to the driver skips
 * the `bindings` package's search through a dozen candidate folders, about 3 ms of every command's
 * start-up; undefined (the driver searches) when it is elsewhere.
 */
function addonPath(): string | undefined {
  if (addon === undefined) {
    try {
      addon = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      addon = null;
    }
  }
  return addon ?? undefined;
}

export interface OpenOptions {
  /** Create the file (and its folder) when missing; otherwise a missing file is an error. */
  create?: boolean;
  /** Apply pending migrations up to this version (tests); default: latest. */
  migrateTo?: number;
  readonly?: boolean;
}

/**
 * Opens the database with the pragmas every command relies on: WAL so queue
 * commands can read while a pull writes, a busy timeout instead of instant
 * "database is locked", and enforced foreign keys.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (options.create && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: !options.create, readonly: options.readonly ?? false, nativeBinding: addonPath() });
  } catch (err) {
    const reason = (err as Error).message;
    if (/unable to open|does not exist/i.test(reason)) {
      throw new StoreError(`database not found: ${path} (run "mentions init" first, or pass --db)`);
    }
    throw new StoreError(`cannot open database ${path}: ${reason}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    // Before anything that writes (WAL mode rewrites the header): a newer database is left exactly as it was.
    const current = schemaVersion(db);
    if (current > LATEST_VERSION) {
      db.close();
      throw new StoreError(
        `database ${path} has schema version ${current}, newer than this mentions (${LATEST_VERSION}): upgrade mentions; nothing was changed`,
      );
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commit
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // The header alone can look fine: reading the schema touches the pages a corrupt file lost.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new StoreError(
        `database ${path} is damaged or not a mentions database (${(err as Error).message}): ` +
          'restore it from a backup ("mentions db backup FILE" makes one), or move it aside and run "mentions init"',
      );
    }
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  if (!options.readonly) migrate(db, options.migrateTo ?? LATEST_VERSION);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies each pending step in its own transaction, so a failure leaves the last good version. */
export function migrate(db: Db, target: number = LATEST_VERSION): void {
  for (const step of MIGRATIONS) {
    if (step.version <= schemaVersion(db) || step.version > target) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}
