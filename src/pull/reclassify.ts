import { classifyEvenOffTopic, compileTopics, rulesVersionOf } from '../classify/index.js';
import type { MentionsConfig } from '../config/types.js';
import type { Db } from '../store/db.js';
import { saveReclassifications } from '../store/classifications.js';
import { mentionsAfterId } from '../store/mentions.js';
import type { NewClassification } from '../store/mentions.js';

export interface ReclassifySummary {
  rulesVersion: string;
  /** Mentions looked at. */
  scanned: number;
  /** Mentions whose relevance, sentiment, tags or topics changed. */
  changed: number;
  sentimentChanged: number;
  relevanceChanged: number;
  /** Open mentions the new result put into the queue, and took out of it. */
  enteredQueue: number;
  leftQueue: number;
  /** Mentions that no longer match any configured topic (kept, marked irrelevant). */
  offTopic: number;
  dryRun: boolean;
}

export interface ReclassifyOptions {
  db: Db;
  config: MentionsConfig;
  /** Re-run every mention; default only those classified by older rules. */
  all?: boolean;
  dryRun?: boolean;
  now?: () => number;
  batchSize?: number;
}

/**
 * `mentions reclassify`: runs the current rules and the config's topics over
 * stored mentions in id order, a batch per transaction, so an interrupted run
 * keeps what it did and a second run continues (stale ones only).
 */
export function reclassifyMentions(options: ReclassifyOptions): ReclassifySummary {
  const now = options.now ?? Date.now;
  const topics = compileTopics(options.config.topics);
  const rulesVersion = rulesVersionOf(options.config.topics);
  const summary: ReclassifySummary = {
    rulesVersion,
    scanned: 0,
    changed: 0,
    sentimentChanged: 0,
    relevanceChanged: 0,
    enteredQueue: 0,
    leftQueue: 0,
    offTopic: 0,
    dryRun: Boolean(options.dryRun),
  };
  const batchSize = options.batchSize ?? 1000;
  let afterId = 0;
  for (;;) {
    // Once saved, a mention carries the current version, so the stale filter must page by id, not offset.
    const batch = mentionsAfterId(options.db, afterId, batchSize, options.all ? null : rulesVersion);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1]!.id;
    const updates: Array<{ mentionId: number; classification: NewClassification }> = [];
    for (const mention of batch) {
      summary.scanned++;
      const { classification: result, matched } = classifyEvenOffTopic(mention, topics, { source: { name: mention.source, type: mention.sourceType } });
      if (!matched) summary.offTopic++;
      const sentimentChanged = result.sentiment !== mention.sentiment;
      const relevanceChanged = result.relevance !== mention.relevance;
      const changed =
        sentimentChanged || relevanceChanged || result.tags.join() !== mention.tags.join() || [...result.topics].sort().join() !== mention.topics.join();
      if (changed) summary.changed++;
      if (sentimentChanged) summary.sentimentChanged++;
      if (relevanceChanged) summary.relevanceChanged++;
      const open = mention.status === 'new' || mention.status === 'assigned';
      if (open && relevanceChanged) {
        if (result.relevance === 'relevant') summary.enteredQueue++;
        else if (mention.relevance === 'relevant') summary.leftQueue++;
      }
      updates.push({ mentionId: mention.id, classification: result });
    }
    if (!options.dryRun) saveReclassifications(options.db, updates, now());
  }
  return summary;
}
