import type { Db } from './db.js';
import { OPEN_STATUSES } from './mentions.js';
import type { NewClassification } from './mentions.js';

const OPEN_LIST = `(${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * Replaces the classification of each mention (result, topics, priority, and
 * whether it is in the queue) in one transaction. Work state is kept: a
 * mention someone answered stays answered; an open one enters or leaves the
 * queue as its new relevance says.
 */
export function saveReclassifications(
  db: Db,
  items: ReadonlyArray<{ mentionId: number; classification: NewClassification }>,
  now: number,
): void {
  const upsert = db.prepare(
    `INSERT INTO classifications (mention_id, rules_version, relevance, sentiment, sentiment_score, tags, lang, evidence, classified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (mention_id) DO UPDATE SET rules_version = excluded.rules_version, relevance = excluded.relevance,
       sentiment = excluded.sentiment, sentiment_score = excluded.sentiment_score, tags = excluded.tags, lang = excluded.lang,
       evidence = excluded.evidence, classified_at = excluded.classified_at`,
  );
  const clearTopics = db.prepare('DELETE FROM mention_topics WHERE mention_id = ?');
  const addTopic = db.prepare('INSERT OR IGNORE INTO mention_topics (mention_id, topic) VALUES (?, ?)');
  const updateMention = db.prepare(
    `UPDATE mentions SET priority = ?, in_queue = CASE WHEN status IN ${OPEN_LIST} AND ? THEN 1 ELSE 0 END WHERE id = ?`,
  );
  db.transaction(() => {
    for (const { mentionId, classification: c } of items) {
      upsert.run(mentionId, c.rulesVersion, c.relevance, c.sentiment, c.sentimentScore, JSON.stringify(c.tags), c.lang, JSON.stringify(c.evidence), now);
      clearTopics.run(mentionId);
      for (const topic of c.topics) addTopic.run(mentionId, topic);
      updateMention.run(c.priority, c.relevance === 'relevant' ? 1 : 0, mentionId);
    }
  }).immediate();
}
