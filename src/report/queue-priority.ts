/**
 * The queue's order. Priority mode, highest score first:
 *
 *   score = static priority            (sentiment 50/20/10 + urgent/complaint/question/lead tags + 5·log10(reach))
 *         + 100 when marked urgent by hand
 *         + 40 × min(2, elapsed / target)  (SLA pressure: +40 at the deadline, at most +80 when twice as late)
 *
 * so a manual urgent mark always wins, and a neutral mention close to its
 * deadline overtakes a fresh negative one. Arrival mode: urgent marks first,
 * then oldest first. Ties go to the oldest.
 */

export const URGENT_BONUS = 100;
export const SLA_WEIGHT = 40;
export const SLA_PRESSURE_CAP = 2;

export interface QueueEntry {
  id: number;
  priority: number;
  urgent: boolean;
  createdAt: number;
  slaTargetSeconds: number;
  /** Until the deadline (negative: overdue); null once answered. */
  slaRemainingMs: number | null;
}

export type QueueSort = 'priority' | 'arrival';

export function slaPressure(entry: Pick<QueueEntry, 'slaTargetSeconds' | 'slaRemainingMs'>): number {
  if (entry.slaRemainingMs === null || entry.slaTargetSeconds <= 0) return 0;
  const targetMs = entry.slaTargetSeconds * 1000;
  const elapsed = (targetMs - entry.slaRemainingMs) / targetMs;
  return SLA_WEIGHT * Math.min(SLA_PRESSURE_CAP, Math.max(0, elapsed));
}

export function queueScore(entry: QueueEntry): number {
  return entry.priority + (entry.urgent ? URGENT_BONUS : 0) + slaPressure(entry);
}

export function sortQueue<T extends QueueEntry>(entries: readonly T[], sort: QueueSort): T[] {
  const byAge = (a: T, b: T) => a.createdAt - b.createdAt || a.id - b.id;
  if (sort === 'arrival') return [...entries].sort((a, b) => Number(b.urgent) - Number(a.urgent) || byAge(a, b));
  const scored = entries.map((e) => ({ e, score: queueScore(e) }));
  scored.sort((a, b) => b.score - a.score || byAge(a.e, b.e));
  return scored.map((s) => s.e);
}
