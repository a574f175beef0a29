/**
 * Reads the rate-limit headers APIs send with every response, so the client
 * can slow down before the server starts refusing. Three conventions exist:
 *   X-RateLimit-Remaining / -Reset: GitHub (reset = epoch seconds), Reddit
 *     (reset = seconds until the window ends, remaining may be "996.0"),
 *     Mastodon (reset = an ISO 8601 timestamp);
 *   RateLimit-Remaining / -Reset: the IETF draft Bluesky follows (reset = delta seconds).
 */
export interface RateLimitState {
  remaining: number;
  /** Requests allowed per window, when the server says. */
  limit: number | null;
  /** Milliseconds from now until the window resets. */
  resetInMs: number;
}

/** Values above this are epoch seconds, not a delta (a delta of 30 years is never meant). */
const EPOCH_THRESHOLD = 1e9;

export function readRateLimit(headers: Record<string, string>, now: number = Date.now()): RateLimitState | null {
  const remaining = firstNumber(headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining']);
  const resetRaw = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (remaining === null || resetRaw === undefined) return null;
  const resetInMs = resetDelayMs(resetRaw, now);
  if (resetInMs === null) return null;
  const limit = firstNumber(headers['x-ratelimit-limit'] ?? headers['ratelimit-limit']);
  return { remaining, limit, resetInMs };
}

function resetDelayMs(raw: string, now: number): number | null {
  const value = raw.trim();
  const number = firstNumber(value);
  if (number !== null && /^\d+(\.\d+)?$/.test(value)) {
    return number > EPOCH_THRESHOLD ? Math.max(0, number * 1000 - now) : number * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The IETF draft allows "100, 100;w=60" style lists; the first item is the one in force. */
function firstNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const head = raw.split(/[,;]/)[0]!.trim();
  if (!/^\d+(\.\d+)?$/.test(head)) return null;
  return Number(head);
}

/**
 * How long to hold the next request to this host: nothing while plenty is
 * left; the rest of the window once it is used up; and, in the last tenth of
 * the allowance, the remaining time shared evenly between the remaining requests.
 */
export function paceDelayMs(state: RateLimitState): number {
  if (state.remaining < 1) return state.resetInMs;
  const low = state.limit !== null ? state.remaining <= state.limit * 0.1 : state.remaining <= 5;
  return low ? Math.ceil(state.resetInMs / (state.remaining + 1)) : 0;
}
