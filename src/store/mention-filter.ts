import { parseDuration } from '../config/duration.js';
import type { Db } from './db.js';
import { ALL_STATUSES } from './mentions.js';

/**
 * The small filter language shared by `queue --where` and the bulk forms of
 * assign, resolve, ignore and urgent: terms `key:value` separated by spaces,
 * all of which must hold; `-key:value` negates a term; a value with spaces is
 * written in double quotes. Errors name the column (1-based) where they are.
 *
 *   tag:spam  source:twitter  topic:acme  sentiment:negative  status:new
 *   relevance:own  assignee:anna  assignee:none  urgent:yes  older:2h  newer:30m
 */

export class FilterParseError extends Error {
  override readonly name = 'FilterParseError';
  constructor(
    message: string,
    /** 0-based offset in the filter text. */
    readonly position: number,
  ) {
    super(`--where: column ${position + 1}: ${message}`);
  }
}

export const FILTER_KEYS = ['tag', 'source', 'topic', 'sentiment', 'status', 'relevance', 'assignee', 'urgent', 'older', 'newer'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface FilterTerm {
  key: FilterKey;
  value: string;
  negated: boolean;
  position: number;
  /** Seconds, for older/newer. */
  seconds?: number;
}

const CHOICES: Partial<Record<FilterKey, readonly string[]>> = {
  sentiment: ['negative', 'neutral', 'positive'],
  status: ALL_STATUSES,
  relevance: ['relevant', 'irrelevant', 'spam', 'own'],
  urgent: ['yes', 'no'],
};

export function parseFilter(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const negated = text[i] === '-';
    if (negated) i++;
    const keyMatch = /^[a-z]+/i.exec(text.slice(i));
    if (!keyMatch) throw new FilterParseError(`expected a term like tag:spam, got "${text.slice(i, i + 12)}"`, i);
    const key = keyMatch[0].toLowerCase();
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new FilterParseError(`unknown key "${keyMatch[0]}"; use one of ${FILTER_KEYS.join(', ')}`, i);
    }
    i += keyMatch[0].length;
    if (text[i] !== ':') throw new FilterParseError(`expected ":" after "${key}" (write ${key}:VALUE)`, i);
    i++;
    const valueStart = i;
    let value: string;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new FilterParseError('unclosed double quote', i);
      value = text.slice(i + 1, end);
      i = end + 1;
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      value = text.slice(valueStart, i);
    }
    if (value === '') throw new FilterParseError(`"${key}:" needs a value`, valueStart);
    const term: FilterTerm = { key: key as FilterKey, value, negated, position: start };
    const choices = CHOICES[term.key];
    if (choices && !choices.includes(value)) {
      throw new FilterParseError(`${key}: "${value}" is not one of ${choices.join(', ')}`, valueStart);
    }
    if (term.key === 'older' || term.key === 'newer') {
      try {
        term.seconds = parseDuration(value);
      } catch (err) {
        throw new FilterParseError(`${key}: ${(err as Error).message}`, valueStart);
      }
    }
    terms.push(term);
  }
  if (terms.length === 0) throw new FilterParseError('empty filter; write terms like tag:spam source:twitter', 0);
  return terms;
}

/** Whether the filter names statuses itself (then bulk commands do not restrict to open mentions). */
export function mentionsStatus(terms: readonly FilterTerm[]): boolean {
  return terms.some((t) => t.key === 'status');
}

/**
 * SQL over `mentions m JOIN sources s LEFT JOIN classifications c`, with
 * bound parameters only: the values are user text.
 */
export function filterSql(terms: readonly FilterTerm[], now: number): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const t of terms) {
    let clause: string;
    switch (t.key) {
      case 'tag':
        // spam is a relevance verdict, but people call it a tag
        clause = "(EXISTS (SELECT 1 FROM json_each(c.tags) j WHERE j.value = ?) OR (? = 'spam' AND c.relevance = 'spam'))";
        params.push(t.value, t.value);
        break;
      case 'source':
        clause = '(s.name = ? OR s.type = ?)';
        params.push(t.value, t.value);
        break;
      case 'topic':
        clause = 'EXISTS (SELECT 1 FROM mention_topics mt WHERE mt.mention_id = m.id AND mt.topic = ?)';
        params.push(t.value);
        break;
      case 'sentiment':
        clause = 'c.sentiment = ?';
        params.push(t.value);
        break;
      case 'relevance':
        clause = 'c.relevance = ?';
        params.push(t.value);
        break;
      case 'status':
        clause = 'm.status = ?';
        params.push(t.value);
        break;
      case 'assignee':
        if (t.value === 'none') clause = 'm.assignee IS NULL';
        else {
          clause = 'm.assignee = ?';
          params.push(t.value);
        }
        break;
      case 'urgent':
        clause = t.value === 'yes' ? 'm.urgent = 1' : 'm.urgent = 0';
        break;
      case 'older':
        clause = 'm.created_at <= ?';
        params.push(now - t.seconds! * 1000);
        break;
      case 'newer':
        clause = 'm.created_at > ?';
        params.push(now - t.seconds! * 1000);
        break;
    }
    clauses.push(t.negated ? `NOT coalesce(${clause}, 0)` : clause);
  }
  return { sql: clauses.join(' AND '), params };
}

/** Ids of the mentions a filter selects, oldest first; open ones only unless the filter names a status. */
export function mentionIdsMatching(db: Db, terms: readonly FilterTerm[], now: number): number[] {
  const { sql, params } = filterSql(terms, now);
  const open = mentionsStatus(terms) ? '' : "AND m.status IN ('new', 'assigned')";
  const rows = db
    .prepare(
      `SELECT m.id FROM mentions m JOIN sources s ON s.id = m.source_id LEFT JOIN classifications c ON c.mention_id = m.id
       WHERE ${sql} ${open} ORDER BY m.created_at, m.id`,
    )
    .all(...params) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}
