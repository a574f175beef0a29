import type { MentionsConfig } from '../config/types.js';
import type { MentionView } from '../output/mention-view.js';
import { slaRemainingMs, slaTargetSeconds } from '../report/sla.js';
import type { MentionRecord } from '../store/mentions.js';

/** Adds the SLA clock to stored mentions for display. */
export function toMentionViews(records: readonly MentionRecord[], config: MentionsConfig, now: number): MentionView[] {
  return records.map((r) => {
    const target = slaTargetSeconds(config.sla, { name: r.source, type: r.sourceType });
    const answered = r.firstResponseAt !== null || r.status === 'responded' || r.status === 'resolved' || r.status === 'ignored';
    return { ...r, slaTargetSeconds: target, slaRemainingMs: answered ? null : slaRemainingMs(r.createdAt, target, now) };
  });
}
