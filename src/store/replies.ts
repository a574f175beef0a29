import type { Db } from './db.js';
import { recordChanges, respondAt } from './events.js';

/**
 * Automatic reply detection. A stored post by one of the brand's own
 * accounts (relevance `own`) that replies to a stored customer mention of the
 * same source answers it: the mention gets its first response at the reply's
 * published time, with an `auto` event whose actor is the own account.
 *
 * The reply answers the mention it names as parent; when that parent is not
 * a stored customer mention, the mention that started its thread. Only that
 * one mention: other open mentions of the conversation stay open, since the
 * brand has not answered them (first-response times stay per post).
 *
 * Works whichever arrives first: run for the rows a page inserted, it looks
 * from a new reply to stored mentions and from a new mention to stored
 * replies. The earliest response wins (respondAt), so a later reply never
 * moves the time and an earlier manual `respond --at` stays.
 */

interface PostRow {
  id: number;
  external_id: string;
  parent_id: string | null;
  thread_id: string | null;
  author: string | null;
  url: string | null;
  at: number;
  own: number;
}

const POST_COLUMNS = `m.id, m.external_id, m.parent_id, m.thread_id, m.author, m.url, coalesce(m.published_at, m.created_at) AS at,
  coalesce(c.relevance = 'own', 0) AS own`;
const POST_FROM = 'mentions m LEFT JOIN classifications c ON c.mention_id = m.id';

function statements(db: Db) {
  return {
    byIds: (ids: readonly number[]) =>
      db.prepare(`SELECT ${POST_COLUMNS} FROM ${POST_FROM} WHERE m.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as PostRow[],
    customerPost: db.prepare(
      `SELECT ${POST_COLUMNS} FROM ${POST_FROM} WHERE m.source_id = ? AND m.external_id = ? AND coalesce(c.relevance, '') <> 'own'`,
    ),
    // Own replies naming the post as parent, or as thread (answeredBy decides which post they answer);
    // two lookups, each on its index, rather than one OR that would scan the source.
    repliesByParent: db.prepare(`SELECT ${POST_COLUMNS} FROM ${POST_FROM} WHERE m.source_id = ? AND m.parent_id = ? AND c.relevance = 'own'`),
    repliesByThread: db.prepare(`SELECT ${POST_COLUMNS} FROM ${POST_FROM} WHERE m.source_id = ? AND m.thread_id = ? AND c.relevance = 'own'`),
  };
}

export interface DetectedReply {
  mentionId: number;
  replyId: number;
  respondedAt: number;
}

/** The customer post an own reply answers, or undefined. */
function answeredBy(s: ReturnType<typeof statements>, sourceId: number, reply: PostRow): PostRow | undefined {
  const byParent = reply.parent_id === null ? undefined : (s.customerPost.get(sourceId, reply.parent_id) as PostRow | undefined);
  if (byParent) return byParent;
  if (reply.thread_id === null || reply.thread_id === reply.external_id) return undefined;
  return s.customerPost.get(sourceId, reply.thread_id) as PostRow | undefined;
}

/**
 * Records the responses that the rows `insertedIds` (just stored for source
 * `sourceId`) reveal. Call it in the transaction that stored them. Returns
 * the responses that changed a mention.
 */
export function detectReplies(db: Db, sourceId: number, insertedIds: readonly number[], now: number): DetectedReply[] {
  if (insertedIds.length === 0) return [];
  const s = statements(db);
  const inserted: PostRow[] = [];
  for (let i = 0; i < insertedIds.length; i += 500) inserted.push(...s.byIds(insertedIds.slice(i, i + 500)));
  const newIds = new Set(insertedIds);
  // mention id → its earliest answering reply
  const earliest = new Map<number, PostRow>();
  const offer = (mentionId: number, reply: PostRow) => {
    const known = earliest.get(mentionId);
    if (!known || reply.at < known.at) earliest.set(mentionId, reply);
  };
  for (const post of inserted) {
    if (post.own) {
      const target = answeredBy(s, sourceId, post);
      if (target) offer(target.id, post);
    } else {
      // Replies stored in earlier pulls; new ones were handled from their side above.
      const replies = [...s.repliesByParent.all(sourceId, post.external_id), ...s.repliesByThread.all(sourceId, post.external_id)] as PostRow[];
      for (const reply of replies) {
        if (!newIds.has(reply.id) && answeredBy(s, sourceId, reply)?.id === post.id) offer(post.id, reply);
      }
    }
  }
  const detected: DetectedReply[] = [];
  for (const [mentionId, reply] of earliest) {
    const recorded = recordChanges(
      db,
      [{ mentionId, kind: 'respond', apply: respondAt(reply.at), note: `reply ${reply.external_id} at ${new Date(reply.at).toISOString()}`, replyUrl: reply.url }],
      { actor: reply.author ?? 'own account', at: now, origin: 'auto' },
    );
    if (recorded.events.length > 0) detected.push({ mentionId, replyId: reply.id, respondedAt: reply.at });
  }
  return detected;
}
