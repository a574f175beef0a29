/**
 * Which sources a watch cycle polls. A source is due one interval after its
 * last poll, plus a jitter of up to a tenth of the interval so sources with
 * the same interval drift apart instead of hitting the network together. A
 * failing source waits longer after each failure in a row (interval × 2^n),
 * up to an hour or its own interval when that is longer.
 */

export const MAX_BACKOFF_MS = 3_600_000;
const JITTER_SHARE = 0.1;
const MAX_DOUBLINGS = 10;

export interface PollState {
  lastPolledAt: number | null;
  consecutiveFailures: number;
}

/** When the source is next due; `now`-independent, so the answer is stable between calls. */
export function nextPollAt(name: string, intervalSeconds: number, state: PollState | null): number {
  if (!state || state.lastPolledAt === null) return Number.NEGATIVE_INFINITY;
  const intervalMs = intervalSeconds * 1000;
  const failures = Math.min(state.consecutiveFailures, MAX_DOUBLINGS);
  const waitMs = failures > 0 ? Math.min(intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, intervalMs)) : intervalMs;
  return state.lastPolledAt + waitMs + jitterMs(name, state.lastPolledAt, intervalMs);
}

/** Names of the enabled sources due at `now`, in config order. */
export function dueSources(
  sources: ReadonlyArray<{ name: string; intervalSeconds: number; enabled: boolean }>,
  states: ReadonlyMap<string, PollState>,
  now: number,
): string[] {
  return sources.filter((s) => s.enabled && nextPollAt(s.name, s.intervalSeconds, states.get(s.name) ?? null) <= now).map((s) => s.name);
}

/** A fraction of the interval derived from the source and its last poll: spread out, yet the same on every call. */
function jitterMs(name: string, lastPolledAt: number, intervalMs: number): number {
  let hash = 2166136261;
  for (const char of `${name}@${lastPolledAt}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 16777619);
  }
  return ((hash >>> 0) / 2 ** 32) * intervalMs * JITTER_SHARE;
}
