/**
 * One pull at a time per database. Two pulls over the same sources would fetch the same pages
 * and race on each source's cursor; SQLite keeps every write atomic, but not the order of two
 * pulls' cursors. The lock is a file beside the database, created exclusively, holding the
 * owner's pid and host: a pull killed with -9 leaves it behind, and the next pull on the same
 * host sees that its pid is gone and takes over.
 */
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface PullLockOwner {
  pid: number;
  host: string;
  /** Epoch ms. */
  startedAt: number;
}

/** Another live pull holds the database. */
export class PullBusyError extends Error {
  override readonly name = 'PullBusyError';
  constructor(readonly owner: PullLockOwner) {
    super(
      `another pull is running on this database (pid ${owner.pid} on ${owner.host}, started ${new Date(owner.startedAt).toISOString()}); ` +
        'this one stops without fetching anything: run it again when that one ends',
    );
  }
}

export interface PullLock {
  release(): void;
}

export function pullLockPath(databasePath: string): string {
  return `${databasePath}.pull-lock`;
}

/** Takes the lock or throws PullBusyError; an in-memory database needs none. */
export function acquirePullLock(databasePath: string, now: number = Date.now()): PullLock {
  if (databasePath === ':memory:' || databasePath === '') return { release: () => undefined };
  const path = pullLockPath(databasePath);
  const owner: PullLockOwner = { pid: process.pid, host: hostname(), startedAt: now };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      return { release: () => releaseIfOurs(path, owner) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const { text, holder } = readHolder(path);
    if (text === null) continue; // released meanwhile: try again
    if (holder && isAlive(holder)) throw new PullBusyError(holder);
    // Stale (the owner died) or unreadable (killed mid-write): remove it unless someone replaced it meanwhile.
    if (readHolder(path).text === text) safeUnlink(path);
  }
  const { holder } = readHolder(path);
  throw new PullBusyError(holder ?? { pid: 0, host: 'unknown', startedAt: now });
}

function readHolder(path: string): { text: string | null; holder: PullLockOwner | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { text: null, holder: null };
  }
  try {
    const parsed = JSON.parse(text) as Partial<PullLockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.startedAt === 'number') {
      return { text, holder: { pid: parsed.pid, host: parsed.host, startedAt: parsed.startedAt } };
    }
  } catch {
    // fall through: unreadable
  }
  return { text, holder: null };
}

/** A holder on another host is presumed alive: its pid means nothing here. */
function isAlive(holder: PullLockOwner): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(path: string, owner: PullLockOwner): void {
  const { holder } = readHolder(path);
  if (holder && holder.pid === owner.pid && holder.host === owner.host && holder.startedAt === owner.startedAt) safeUnlink(path);
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
