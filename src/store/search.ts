/**
 * Full-text search over stored mentions (FTS5, migrations 6 and 9). Users type words, "phrases", prefix*
 * and -excluded words; everything they type is quoted before it reaches FTS5, so no input can be
 * read as FTS5 syntax (column filters, NEAR, operators) or fail to parse inside SQLite.
 */
import type { Db } from './db.js';
import { RECORD_COLUMNS, RECORD_FROM, RECORD_WIDTH, recordRows, toRecord } from './mentions.js';
import type { MentionRecord } from './mentions.js';

/** Bad search terms; the message says what to change. */
export class SearchTermsError extends Error {
  override readonly name = 'SearchTermsError';
}

/** Marks around the matched words in a snippet; renderers turn them into bold, or drop them. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface SearchOptions {
  limit: number;
  /** Epoch ms, inclusive; created_at. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** newest first (default; walks the index in id order and stops at the limit), or best match (bm25). */
  order?: 'newest' | 'relevance';
}

export interface SearchHit {
  mention: MentionRecord;
  /** Text around the match, with the matched words between MATCH_START and MATCH_END. */
  snippet: string;
}

const quoted = (term: string) => `"${term.replace(/"/g, '""')}"`;

/**
 * FTS5 query from user terms: each word or "phrase" must appear (AND); `word*` matches by prefix;
 * `-word` must not appear. At least one term must be positive (FTS5 cannot start with NOT).
 */
export function ftsQueryOf(input: string): string {
  // ё is indexed as е (migration 6): fold the terms the same way.
  input = input.replaceAll('ё', 'е').replaceAll('Ё', 'Е');
  const include: string[] = [];
  const exclude: string[] = [];
  const pattern = /(-?)(?:"([^"]*)"?|(\S+))/g;
  for (let m = pattern.exec(input); m !== null; m = pattern.exec(input)) {
    const negated = m[1] === '-';
    let body = (m[2] ?? m[3] ?? '').trim();
    if (body === '') continue;
    const prefix = m[3] !== undefined && body.length > 1 && body.endsWith('*');
    if (prefix) body = body.slice(0, -1);
    // Inside quotes FTS5 takes every character literally, but a term of punctuation alone matches nothing.
    if (!/[\p{L}\p{N}]/u.test(body)) continue;
    const term = prefix ? `${quoted(body)}*` : quoted(body);
    (negated ? exclude : include).push(term);
  }
  if (include.length === 0) {
    throw new SearchTermsError(exclude.length > 0 ? 'give at least one word to find, not only -excluded ones' : 'give a word or "phrase" to search for');
  }
  return [include.join(' AND '), ...exclude.map((term) => `NOT ${term}`)].join(' ');
}

/**
 * Adds the mentions stored since the last call to the full-text index, in one statement and one
 * transaction (migration 9). Pulls and imports call it when they end; a search calls it first, so a
 * pull killed before its end is caught up by whatever runs next. Safe beside another process: the
 * mark is read inside the IMMEDIATE transaction that moves it. Returns how many mentions it indexed.
 */
export function indexPendingMentions(db: Db): number {
  return db.transaction(() => {
    const through = db.prepare('SELECT indexed_through FROM fts_progress WHERE id = 1').pluck().get() as number;
    const last = db.prepare('SELECT max(id) FROM mentions').pluck().get() as number | null;
    if (last === null || last <= through) return 0;
    // ё is indexed as е: see migration 6, and ftsQueryOf, which folds the terms the same way.
    const info = db
      .prepare(
        `INSERT INTO mentions_fts (rowid, title, text, author)
         SELECT id, replace(replace(title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(author, 'ё', 'е'), 'Ё', 'Е')
         FROM mentions WHERE id > ? AND id <= ? ORDER BY id`,
      )
      .run(through, last);
    db.prepare('UPDATE fts_progress SET indexed_through = ? WHERE id = 1').run(last);
    return info.changes;
  }).immediate();
}

export function searchMentions(db: Db, input: string, options: SearchOptions): SearchHit[] {
  const ftsQuery = ftsQueryOf(input);
  if (!db.readonly) indexPendingMentions(db);
  const where = ['mentions_fts MATCH ?'];
  const params: unknown[] = [ftsQuery];
  if (options.from !== undefined) {
    where.push('m.created_at >= ?');
    params.push(options.from);
  }
  if (options.to !== undefined) {
    where.push('m.created_at < ?');
    params.push(options.to);
  }
  params.push(options.limit);
  // Newest first by id keeps the FTS5 scan in rowid order, so a common word stops at the limit.
  const order = options.order === 'relevance' ? 'bm25(mentions_fts, 2.0, 1.0, 0.5)' : 'mentions_fts.rowid DESC';
  const sql = `SELECT ${RECORD_COLUMNS},
      snippet(mentions_fts, -1, '${MATCH_START}', '${MATCH_END}', '…', 16) AS snippet
    FROM ${RECORD_FROM} JOIN mentions_fts ON mentions_fts.rowid = m.id
    WHERE ${where.join(' AND ')}
    ORDER BY ${order} LIMIT ?`;
  return recordRows(db, sql, params).map((row) => ({ mention: toRecord(row), snippet: (row as unknown[])[RECORD_WIDTH] as string }));
}
