import type { Db } from './db.js';

/**
 * Conversations: mentions of one thread are one case. A mention's case is
 * its source plus the thread id it (or its nearest stored ancestor) carries,
 * else the external id of the topmost ancestor its parent chain reaches —
 * so a Reddit comment (thread = the post) and a tweet replying to a tweet
 * replying to the first land in the same case.
 */

/** Parent chains are short; a cycle in bad data must not loop forever. */
const MAX_DEPTH = 64;

interface ChainRow {
  id: number;
  source_id: number;
  external_id: string;
  parent_id: string | null;
  thread_id: string | null;
}

export type ConversationKeyer = (mentionId: number) => string | null;

/** A function from mention id to its case key, memoised over one read. */
export function conversationKeyer(db: Db): ConversationKeyer {
  const byId = db.prepare('SELECT id, source_id, external_id, parent_id, thread_id FROM mentions WHERE id = ?');
  const byExternal = db.prepare('SELECT id, source_id, external_id, parent_id, thread_id FROM mentions WHERE source_id = ? AND external_id = ?');
  const memo = new Map<number, string>();
  return (mentionId) => {
    const known = memo.get(mentionId);
    if (known !== undefined) return known;
    let row = byId.get(mentionId) as ChainRow | undefined;
    if (!row) return null;
    const sourceId = row.source_id;
    const walked: number[] = [];
    let root: string = row.external_id;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      walked.push(row.id);
      const cached = memo.get(row.id);
      if (cached !== undefined && depth > 0) {
        root = cached;
        break;
      }
      if (row.thread_id !== null) {
        root = `${sourceId}:${row.thread_id}`;
        break;
      }
      if (row.parent_id === null) {
        root = `${sourceId}:${row.external_id}`;
        break;
      }
      const parent = byExternal.get(sourceId, row.parent_id) as ChainRow | undefined;
      if (!parent) {
        root = `${sourceId}:${row.parent_id}`;
        break;
      }
      row = parent;
    }
    for (const id of walked) memo.set(id, root);
    return root;
  };
}

/**
 * The other open mentions (new, assigned) in the same case as `mentionId`,
 * oldest first, not counting own posts: what responding to the case covers.
 */
export function openCaseMembers(db: Db, mentionId: number): number[] {
  const keyOf = conversationKeyer(db);
  const key = keyOf(mentionId);
  const self = db.prepare('SELECT source_id FROM mentions WHERE id = ?').get(mentionId) as { source_id: number } | undefined;
  if (key === null || !self) return [];
  const candidates = db
    .prepare(
      `SELECT m.id FROM mentions m LEFT JOIN classifications c ON c.mention_id = m.id
       WHERE m.source_id = ? AND m.id <> ? AND m.status IN ('new', 'assigned') AND coalesce(c.relevance, '') <> 'own'
         AND (m.parent_id IS NOT NULL OR m.thread_id IS NOT NULL OR m.external_id = ?)
       ORDER BY m.created_at, m.id`,
    )
    .all(self.source_id, mentionId, key.slice(`${self.source_id}:`.length)) as Array<{ id: number }>;
  return candidates.map((c) => c.id).filter((id) => keyOf(id) === key);
}
