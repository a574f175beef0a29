/**
 * Paging back through a newest-first search that can filter by creation time
 * (GitHub `created:a..b`, Stack Exchange `fromdate`/`todate`), without gaps.
 *
 * Newest first, one page at a time. The first poll takes the newest page only.
 * Later polls ask for everything since the mark; when that is more than a page,
 * the pull pages back through a fixed window whose upper bound is the oldest
 * time seen (inclusive), so items arriving meanwhile cannot shift the pages and
 * a search's result cap is never hit. `page` grows only when a whole page shares
 * one second. The mark moves to the newest time seen only when the window is
 * exhausted; the state stored with each page records the window, so a pull cut
 * short by max_pages resumes it. A finished page-back is followed by one more
 * request for items newer than the new mark.
 */
// A type, not an interface: cursors must be assignable to the store's plain JSON record.
export type TimeWindowState = {
  /** Time (unix seconds) up to which every matching item has been stored. */
  mark?: number;
  /** A page-back in progress: window ends at `to`, page `page`; `top` becomes the mark when it is done. */
  backfill?: { top: number; to: number; page: number };
};

export interface TimeWindowStep {
  state: TimeWindowState;
  /** The next request's bounds, or null when this pull is done. */
  request: { mark: number | null; to: number | null; page: number } | null;
}

export function advanceTimeWindow(previous: TimeWindowState | null, times: readonly number[], hasMore: boolean): TimeWindowStep {
  const mark = previous?.mark ?? null;
  const backfill = previous?.backfill ?? null;
  const newest = times.length > 0 ? Math.max(...times) : null;
  const oldest = times.length > 0 ? Math.min(...times) : null;
  const withMark = (value: number | null): TimeWindowState => (value === null ? {} : { mark: value });

  if (backfill === null) {
    const top = Math.max(mark ?? -Infinity, newest ?? -Infinity);
    const covered = Number.isFinite(top) ? top : null;
    // First poll, or everything since the mark fitted on this page.
    if (mark === null || !hasMore || oldest === null) return { state: withMark(covered), request: null };
    const window = { top: covered ?? mark, to: oldest, page: oldest === newest ? 2 : 1 };
    return { state: { mark, backfill: window }, request: { mark, to: window.to, page: window.page } };
  }

  if (!hasMore || oldest === null) {
    const top = Math.max(mark ?? -Infinity, backfill.top);
    return { state: withMark(top), request: { mark: top, to: null, page: 1 } };
  }
  const window = oldest < backfill.to ? { top: backfill.top, to: oldest, page: 1 } : { ...backfill, page: backfill.page + 1 };
  return { state: { ...withMark(mark), backfill: window }, request: { mark, to: window.to, page: window.page } };
}
