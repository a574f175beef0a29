/**
 * Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Null when absent or unreadable.
 */
export function retryAfterSeconds(header: string | undefined, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
