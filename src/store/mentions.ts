import type { Db } from './db.js';
import { advanceSourceCursor } from './sources.js';

/** A mention as the store takes it (structurally the same as a source's MentionDraft). */
export interface NewMention {
  externalId: string;
  url: string | null;
  author: string | null;
  authorUrl: string | null;
  authorReach: number | null;
  title: string | null;
  text: string;
  lang: string | null;
  publishedAt: number | null;
  parentId: string | null;
  threadId: string | null;
}

/** What classification decided, as the store keeps it. */
export interface NewClassification {
  topics: readonly string[];
  relevance: 'relevant' | 'irrelevant' | 'spam' | 'own';
  sentiment: 'positive' | 'negative' | 'neutral';
  sentimentScore: number;
  tags: string[];
  priority: number;
  lang: string | null;
  evidence: readonly unknown[];
  rulesVersion: string;
}

export type MentionStatus = 'new' | 'assigned' | 'responded' | 'resolved' | 'ignored';
export const OPEN_STATUSES: readonly MentionStatus[] = ['new', 'assigned'];
export const ALL_STATUSES: readonly MentionStatus[] = ['new', 'assigned', 'responded', 'resolved', 'ignored'];

export interface StoredPageResult {
  inserted: number;
  duplicates: number;
  /** Ids of the new rows, in input order. */
  insertedIds: number[];
  /** Positions in the input of the items that were new (the rest were duplicates). */
  insertedIndexes: number[];
  /** Open mentions this page turned into spam as copies of one text from many authors. */
  copySpam: number;
}

/** Grouping of near-duplicates: items carrying a fingerprint are linked to the first copy, and copy campaigns become spam. */
export interface CopyRule {
  minAuthors: number;
  windowMs: number;
}

/**
 * Stores one page of a source and its cursor in a single transaction: either
 * all of the page and the advanced cursor are written, or nothing is, so a
 * killed pull resumes without losing or duplicating items.
 */
export function storePage(
  db: Db,
  sourceId: number,
  items: ReadonlyArray<{ mention: NewMention; classification: NewClassification; fingerprint?: string | null }>,
  cursor: Record<string, unknown>,
  now: number,
  copies: CopyRule | null = null,
): StoredPageResult {
  const statements = pageStatements(db);
  const result: StoredPageResult = { inserted: 0, duplicates: 0, insertedIds: [], insertedIndexes: [], copySpam: 0 };
  db.transaction(() => {
    for (const [index, { mention: m, classification: c, fingerprint = null }] of items.entries()) {
      const inQueue = c.relevance === 'relevant' ? 1 : 0;
      const row = statements.insertMention.get(
        sourceId,
        m.externalId,
        m.url,
        m.author,
        m.authorUrl,
        m.authorReach,
        m.title,
        m.text,
        m.lang ?? c.lang,
        m.publishedAt,
        now,
        m.publishedAt ?? now,
        m.parentId,
        m.threadId,
        c.priority,
        inQueue,
        fingerprint,
        fingerprint,
        fingerprint !== null && copies !== null ? (m.publishedAt ?? now) - copies.windowMs : null,
      ) as { id: number; duplicate_of: number | null } | undefined;
      if (!row) {
        result.duplicates++;
        continue;
      }
      result.inserted++;
      result.insertedIds.push(row.id);
      result.insertedIndexes.push(index);
      statements.insertClassification.run(
        row.id,
        c.rulesVersion,
        c.relevance,
        c.sentiment,
        c.sentimentScore,
        JSON.stringify(c.tags),
        c.lang,
        JSON.stringify(c.evidence),
        now,
      );
      for (const topic of c.topics) statements.insertTopic.run(row.id, topic);
      if (fingerprint !== null && copies !== null) {
        result.copySpam += groupCopies(statements, fingerprint, m.publishedAt ?? now, copies, row.duplicate_of);
      }
    }
    advanceSourceCursor(db, sourceId, cursor, now);
  }).immediate();
  return result;
}

const statementCache = new WeakMap<Db, ReturnType<typeof preparePageStatements>>();
function pageStatements(db: Db) {
  let statements = statementCache.get(db);
  if (!statements) {
    statements = preparePageStatements(db);
    statementCache.set(db, statements);
  }
  return statements;
}

function preparePageStatements(db: Db) {
  return {
    // duplicate_of: the first stored copy of the text within the copy window (none when the last
    // parameter is null), looked up as the row goes in rather than by an UPDATE that rewrites it.
    insertMention: db.prepare(
      `INSERT INTO mentions (source_id, external_id, url, author, author_url, author_reach, title, text, lang,
         published_at, fetched_at, created_at, parent_id, thread_id, priority, in_queue, fingerprint, duplicate_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         (SELECT o.id FROM mentions o WHERE o.fingerprint = ? AND o.created_at >= ? ORDER BY o.created_at, o.id LIMIT 1))
       ON CONFLICT (source_id, external_id) DO NOTHING
       RETURNING id, duplicate_of`,
    ),
    insertClassification: db.prepare(
      `INSERT INTO classifications (mention_id, rules_version, relevance, sentiment, sentiment_score, tags, lang,
         evidence, classified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTopic: db.prepare('INSERT OR IGNORE INTO mention_topics (mention_id, topic) VALUES (?, ?)'),
    // Authors are told apart by name, else profile link; an anonymous copy counts as its own author.
    copyAuthors: db.prepare(
      `SELECT count(DISTINCT coalesce(author, author_url, 'mention:' || id)) AS n FROM mentions WHERE fingerprint = ? AND created_at >= ?`,
    ),
    markCopySpam: db.prepare(
      `UPDATE classifications SET relevance = 'spam',
         evidence = json_insert(evidence, '$[#]', json_object('kind', 'spam', 'match', '', 'weight', 0, 'note', ?))
       WHERE relevance = 'relevant' AND mention_id IN (SELECT id FROM mentions WHERE fingerprint = ? AND created_at >= ?)`,
    ),
    leaveQueue: db.prepare(`UPDATE mentions SET in_queue = 0, priority = 0 WHERE fingerprint = ? AND created_at >= ? AND in_queue = 1`),
  };
}

/**
 * When the copies of a new mention's text (linked to the first one as it was
 * inserted) come from enough different authors, makes every relevant copy spam
 * (a copy-paste campaign). Returns how many mentions left the queue.
 */
function groupCopies(
  statements: ReturnType<typeof preparePageStatements>,
  fingerprint: string,
  at: number,
  copies: CopyRule,
  duplicateOf: number | null,
): number {
  // No earlier copy in the window: one author, so no campaign; most texts are not copies.
  if (duplicateOf === null && copies.minAuthors > 1) return 0;
  const since = at - copies.windowMs;
  const { n } = statements.copyAuthors.get(fingerprint, since) as { n: number };
  if (n < copies.minAuthors) return 0;
  statements.markCopySpam.run(`the same text from ${n} authors within ${Math.round(copies.windowMs / 86_400_000)} days`, fingerprint, since);
  return statements.leaveQueue.run(fingerprint, since).changes;
}

/** A stored mention with its classification, as queue, show and reports read it. */
export interface MentionRecord extends NewMention {
  id: number;
  source: string;
  sourceType: string;
  fetchedAt: number;
  createdAt: number;
  status: MentionStatus;
  assignee: string | null;
  priority: number;
  /** Marked urgent by hand ("mentions urgent"). */
  urgent: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  /** The first stored copy of the same text (a repost), when this is a later one. */
  duplicateOf: number | null;
  relevance: NewClassification['relevance'] | null;
  sentiment: NewClassification['sentiment'] | null;
  sentimentScore: number | null;
  tags: string[];
  topics: string[];
}

export const RECORD_COLUMNS = `
  m.id, s.name AS source, s.type AS source_type, m.external_id, m.url, m.author, m.author_url, m.author_reach,
  m.title, m.text, m.lang, m.published_at, m.fetched_at, m.created_at, m.parent_id, m.thread_id, m.status,
  m.assignee, m.priority, m.urgent, m.first_response_at, m.resolved_at, m.duplicate_of, c.relevance, c.sentiment, c.sentiment_score,
  c.tags, (SELECT group_concat(t.topic, char(31)) FROM mention_topics t WHERE t.mention_id = m.id) AS topics`;
export const RECORD_FROM = `mentions m JOIN sources s ON s.id = m.source_id LEFT JOIN classifications c ON c.mention_id = m.id`;

/**
 * A row of RECORD_COLUMNS as better-sqlite3's raw mode returns it, in the same order. Records are read
 * as arrays because building an object with 28 named keys per row was a third of the queue's query time.
 */
export type RecordRow = [
  id: number,
  source: string,
  sourceType: string,
  externalId: string,
  url: string | null,
  author: string | null,
  authorUrl: string | null,
  authorReach: number | null,
  title: string | null,
  text: string,
  lang: string | null,
  publishedAt: number | null,
  fetchedAt: number,
  createdAt: number,
  parentId: string | null,
  threadId: string | null,
  status: MentionStatus,
  assignee: string | null,
  priority: number,
  urgent: number,
  firstResponseAt: number | null,
  resolvedAt: number | null,
  duplicateOf: number | null,
  relevance: MentionRecord['relevance'],
  sentiment: MentionRecord['sentiment'],
  sentimentScore: number | null,
  tags: string | null,
  topics: string | null,
];

/** How many columns RECORD_COLUMNS has: a query may select more after them (search's snippet). */
export const RECORD_WIDTH = 28;

/** Rows of a query that selects RECORD_COLUMNS first, as arrays. */
export function recordRows(db: Db, sql: string, params: readonly unknown[]): RecordRow[] {
  return db.prepare(sql).raw(true).all(...params) as RecordRow[];
}

/** Topic names from `group_concat(topic, char(31))`, sorted. */
function splitTopics(value: string | null): string[] {
  return value ? value.split('\u001f').sort() : [];
}

export function toRecord(row: RecordRow): MentionRecord {
  return {
    id: row[0],
    source: row[1],
    sourceType: row[2],
    externalId: row[3],
    url: row[4],
    author: row[5],
    authorUrl: row[6],
    authorReach: row[7],
    title: row[8],
    text: row[9],
    lang: row[10],
    publishedAt: row[11],
    fetchedAt: row[12],
    createdAt: row[13],
    parentId: row[14],
    threadId: row[15],
    status: row[16],
    assignee: row[17],
    priority: row[18],
    urgent: row[19] === 1,
    firstResponseAt: row[20],
    resolvedAt: row[21],
    duplicateOf: row[22],
    relevance: row[23],
    sentiment: row[24],
    sentimentScore: row[25],
    tags: row[26] ? (JSON.parse(row[26]) as string[]) : [],
    topics: splitTopics(row[27]),
  };
}

export interface QueueFilter {
  topic?: string;
  source?: string;
  sentiment?: string;
  /** Statuses to list; default the open ones (new, assigned) of relevant mentions. */
  statuses?: MentionStatus[];
  /** Only mentions assigned to this agent; null: only unassigned ones. */
  assignee?: string | null;
  /** More conditions, as mention-filter's filterSql writes them. */
  where?: { sql: string; params: unknown[] };
  /** At most this many rows; none: all (the queue command sorts by SLA pressure after reading). */
  limit?: number;
}

/**
 * The open mentions, highest static priority first, oldest first among equals.
 * The default form walks the partial queue index, so it stays fast at millions of rows.
 */
export function listQueue(db: Db, filter: QueueFilter): MentionRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.statuses && filter.statuses.length > 0) {
    where.push(`m.status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  } else {
    where.push('m.in_queue = 1');
  }
  if (filter.source) {
    where.push('s.name = ?');
    params.push(filter.source);
  }
  if (filter.sentiment) {
    where.push('c.sentiment = ?');
    params.push(filter.sentiment);
  }
  if (filter.topic) {
    where.push('EXISTS (SELECT 1 FROM mention_topics t WHERE t.mention_id = m.id AND t.topic = ?)');
    params.push(filter.topic);
  }
  if (filter.assignee !== undefined) {
    if (filter.assignee === null) where.push('m.assignee IS NULL');
    else {
      where.push('m.assignee = ?');
      params.push(filter.assignee);
    }
  }
  if (filter.where) {
    where.push(`(${filter.where.sql})`);
    params.push(...filter.where.params);
  }
  params.push(filter.limit ?? -1);
  const sql = `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE ${where.join(' AND ')}
    ORDER BY m.priority DESC, m.created_at ASC LIMIT ?`;
  return recordRows(db, sql, params).map(toRecord);
}

export function getMention(db: Db, id: number): MentionRecord | null {
  const [row] = recordRows(db, `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE m.id = ?`, [id]);
  return row ? toRecord(row) : null;
}

/** A mention as a report counts it: a record's fields without its words (title, text) and what only `show` needs. */
export interface ReportRecord {
  id: number;
  source: string;
  sourceType: string;
  url: string | null;
  author: string | null;
  authorReach: number | null;
  createdAt: number;
  status: MentionStatus;
  priority: number;
  firstResponseAt: number | null;
  relevance: MentionRecord['relevance'];
  sentiment: MentionRecord['sentiment'];
  tags: string[];
  topics: string[];
}

interface ReportDbRow {
  id: number;
  source: string;
  source_type: string;
  url: string | null;
  author: string | null;
  author_reach: number | null;
  created_at: number;
  status: MentionStatus;
  priority: number;
  first_response_at: number | null;
  relevance: MentionRecord['relevance'];
  sentiment: MentionRecord['sentiment'];
  tags: string | null;
  topics: string | null;
}

/** Mentions created in [from, to), oldest first, as a report counts them: the input of reports, without the texts. */
export function reportRecordsBetween(db: Db, from: number, to: number): ReportRecord[] {
  const rows = db
    .prepare(
      `SELECT m.id, s.name AS source, s.type AS source_type, m.url, m.author, m.author_reach, m.created_at, m.status, m.priority,
         m.first_response_at, c.relevance, c.sentiment, c.tags,
         (SELECT group_concat(t.topic, char(31)) FROM mention_topics t WHERE t.mention_id = m.id) AS topics
       FROM ${RECORD_FROM} WHERE m.created_at >= ? AND m.created_at < ? ORDER BY m.created_at, m.id`,
    )
    .all(from, to) as ReportDbRow[];
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    sourceType: r.source_type,
    url: r.url,
    author: r.author,
    authorReach: r.author_reach,
    createdAt: r.created_at,
    status: r.status,
    priority: r.priority,
    firstResponseAt: r.first_response_at,
    relevance: r.relevance,
    sentiment: r.sentiment,
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    topics: splitTopics(r.topics),
  }));
}

/** The words (title, text) of the given mentions, by id. */
export function mentionWords(db: Db, ids: readonly number[]): Map<number, { id: number; title: string | null; text: string }> {
  const statement = db.prepare('SELECT id, title, text FROM mentions WHERE id = ?');
  const words = new Map<number, { id: number; title: string | null; text: string }>();
  for (const id of ids) {
    const row = statement.get(id) as { id: number; title: string | null; text: string } | undefined;
    if (row) words.set(id, row);
  }
  return words;
}

export interface EvidenceRecord {
  evidence: unknown[];
  rulesVersion: string;
  classifiedAt: number;
}

export function getClassificationEvidence(db: Db, mentionId: number): EvidenceRecord | null {
  const row = db
    .prepare('SELECT evidence, rules_version, classified_at FROM classifications WHERE mention_id = ?')
    .get(mentionId) as { evidence: string; rules_version: string; classified_at: number } | undefined;
  return row
    ? { evidence: JSON.parse(row.evidence) as unknown[], rulesVersion: row.rules_version, classifiedAt: row.classified_at }
    : null;
}

/**
 * A batch of mentions in id order after `afterId`, for walking the whole table
 * without holding a cursor open (better-sqlite3 cannot write while one is).
 * With `notRulesVersion`, only mentions classified by other rules (or never).
 */
export function mentionsAfterId(db: Db, afterId: number, limit: number, notRulesVersion: string | null = null): MentionRecord[] {
  const stale = notRulesVersion === null ? '' : 'AND (c.rules_version IS NULL OR c.rules_version <> ?)';
  const params: unknown[] = [afterId];
  if (notRulesVersion !== null) params.push(notRulesVersion);
  params.push(limit);
  return recordRows(db, `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE m.id > ? ${stale} ORDER BY m.id LIMIT ?`, params).map(toRecord);
}

/** Mentions created in [from, to) with the same facts a report compares periods by, counted: no text, evidence or links. */
export interface MentionFactCount {
  /** Created at or after `previousFrom`. */
  previous: boolean;
  source: string;
  relevance: MentionRecord['relevance'];
  sentiment: MentionRecord['sentiment'];
  topics: string[];
  mentions: number;
}

/**
 * The baseline of a report counted in SQL, one row per combination of facts (a few hundred for a
 * week) instead of one per mention; the narrow index mentions_stats holds created_at and source_id.
 */
export function mentionFactCounts(db: Db, from: number, to: number, previousFrom: number): MentionFactCount[] {
  const names = new Map((db.prepare('SELECT id, name FROM sources').all() as Array<{ id: number; name: string }>).map((s) => [s.id, s.name]));
  const rows = db
    .prepare(
      `SELECT m.created_at >= ? AS previous, m.source_id, c.relevance, c.sentiment,
         (SELECT group_concat(t.topic, char(31)) FROM mention_topics t WHERE t.mention_id = m.id) AS topics, count(*) AS mentions
       FROM mentions m INDEXED BY mentions_stats LEFT JOIN classifications c ON c.mention_id = m.id
       WHERE m.created_at >= ? AND m.created_at < ?
       GROUP BY 1, 2, 3, 4, 5`,
    )
    .all(previousFrom, from, to) as Array<{
    previous: number;
    source_id: number;
    relevance: MentionRecord['relevance'];
    sentiment: MentionRecord['sentiment'];
    topics: string | null;
    mentions: number;
  }>;
  return rows.map((r) => ({
    previous: r.previous === 1,
    source: names.get(r.source_id)!,
    relevance: r.relevance,
    sentiment: r.sentiment,
    topics: splitTopics(r.topics),
    mentions: r.mentions,
  }));
}
