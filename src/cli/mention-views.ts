import type { MentionsConfig } from '../config/types.js';
import type { MentionView } from '../output/mention-view.js';
import { slaClockOf, slaDeadline, slaTargetSeconds } from '../report/sla.js';
import type { QueueSort } from '../report/queue-priority.js';
import type { Db } from '../store/db.js';
import type { MentionRecord } from '../store/mentions.js';

/** A mention's words as people see them: profanity masked ("f***"); JSON and CSV keep them as written. */
export async function maskedForPeople<T extends { title: string | null; text: string }>(items: readonly T[]): Promise<T[]> {
  if (items.length === 0) return [];
  const { maskProfanity } = await import('../classify/profanity.js');
  return items.map((m) => ({ ...m, title: m.title === null ? null : maskProfanity(m.title), text: maskProfanity(m.text) }));
}

/** Evidence as people see it: a profane word that made a score is masked too. */
export async function maskedEvidence<T extends { match: string }>(evidence: readonly T[]): Promise<T[]> {
  if (evidence.length === 0) return [];
  const { maskProfanity } = await import('../classify/profanity.js');
  return evidence.map((e) => ({ ...e, match: maskProfanity(e.match) }));
}

/** Adds the SLA clock (around the clock or in business hours, as the config says) to stored mentions for display. */
export function toMentionViews(records: readonly MentionRecord[], config: MentionsConfig, now: number): MentionView[] {
  const clock = slaClockOf(config);
  return records.map((r) => {
    const target = slaTargetSeconds(config.sla, { name: r.source, type: r.sourceType });
    const answered = r.firstResponseAt !== null || r.status === 'responded' || r.status === 'resolved' || r.status === 'ignored';
    const deadline = answered ? null : slaDeadline(r.createdAt, target, clock);
    return { ...r, slaTargetSeconds: target, slaRemainingMs: deadline === null ? null : deadline - now };
  });
}

export interface QueueOptions {
  topic?: string;
  source?: string;
  sentiment?: string;
  statuses?: MentionRecord['status'][];
  /** Only this agent's mentions; null: only unassigned ones. */
  assignee?: string | null;
  where?: string;
  overdue?: boolean;
  sort: QueueSort;
  limit?: number;
}

/**
 * The queue as people work it: filtered, with SLA clocks, one row per
 * conversation (its highest-ranked open mention, with the case's size),
 * sorted by priority score or arrival.
 */
export async function loadQueueViews(db: Db, config: MentionsConfig, options: QueueOptions, now: number): Promise<MentionView[]> {
  const [{ listQueue }, { parseFilter, filterSql }, { conversationKeyer }, { sortQueue }] = await Promise.all([
    import('../store/mentions.js'),
    import('../store/mention-filter.js'),
    import('../store/conversations.js'),
    import('../report/queue-priority.js'),
  ]);
  const records = listQueue(db, {
    topic: options.topic,
    source: options.source,
    sentiment: options.sentiment,
    statuses: options.statuses,
    assignee: options.assignee,
    where: options.where === undefined ? undefined : filterSql(parseFilter(options.where), now),
  });
  let views = toMentionViews(records, config, now);
  if (options.overdue) views = views.filter((v) => v.slaRemainingMs !== null && v.slaRemainingMs < 0);
  const sorted = sortQueue(views, options.sort);
  const keyOf = conversationKeyer(db);
  const cases = new Map<string, MentionView>();
  const rows: MentionView[] = [];
  for (const view of sorted) {
    const key = keyOf(view.id) ?? `mention:${view.id}`;
    const representative = cases.get(key);
    if (representative) {
      representative.caseSize = (representative.caseSize ?? 1) + 1;
      continue;
    }
    const row = { ...view, caseSize: 1 };
    cases.set(key, row);
    rows.push(row);
  }
  return options.limit === undefined ? rows : rows.slice(0, options.limit);
}
