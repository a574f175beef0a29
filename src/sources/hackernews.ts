import { collapseWhitespace, htmlToText, safeHttpUrl } from './html-text.js';
import { isRecord, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';
import { oneLine } from './text.js';

/**
 * Hacker News stories and comments through the Algolia search API
 * (`/api/v1/search_by_date`, newest first). No key is needed.
 *
 * Algolia serves at most 1000 hits per query, so instead of `page=N` a run
 * walks back in time windows: each page asks for
 * `created_at_i>=floor,created_at_i<=before`, where `before` is the oldest
 * time on the previous page (inclusive, so items sharing that second are
 * never lost; the store drops the repeats). The cursor:
 *   - `since` is the newest created_at_i of the last complete run: a new run
 *     asks for `created_at_i>=since - overlap` and pages back to it;
 *   - `backfill` is a run cut short by `max_pages` (its top, floor and the
 *     next window), which the next pull finishes before starting a new run;
 *     `since` advances only when a run has reached its floor.
 */

export type HackerNewsCursor = {
  /** created_at_i (epoch seconds) of the newest item of the last complete run. */
  since?: number;
  /** A run cut short by max_pages: where to go on. */
  backfill?: HackerNewsBackfill;
};

type HackerNewsBackfill = {
  /** Newest created_at_i seen by this run: the next `since` once it completes. */
  top: number;
  /** Lower bound of the run (inclusive). */
  floor: number;
  /** Upper bound of the next window (inclusive). */
  before: number;
  /** Page within that window, only when more than a page of hits share one second. */
  page?: number;
};

const DEFAULT_API_URL = 'https://hn.algolia.com';
const SITE = 'https://news.ycombinator.com';
const HITS_PER_PAGE = 100;
/** Algolia's paginationLimitedTo: hits beyond the 1000th of a query are never served. */
const MAX_RESULTS_PER_QUERY = 1000;
/** How far the very first run goes back, counted from the newest hit. */
const DEFAULT_BACKFILL_DAYS = 7;
/**
 * Each new run re-reads this much before `since`: an item can reach the
 * index a little after newer ones did. The store drops the repeats.
 */
export const HACKERNEWS_OVERLAP_SECONDS = 300;

export const hackerNewsAdapter: SourceAdapter<HackerNewsCursor> = {
  types: ['hackernews'],
  examples: {
    hackernews: {
      summary: 'Hacker News stories and comments via the Algolia search API (no key)',
      yaml: `name: {name}
type: hackernews
query: {query}
interval: 15m`,
      env: [],
      doc: 'docs/sources/hackernews.md',
    },
  },

  // "We are limiting the number of API requests from a single IP to 10,000 per hour."
  rateLimit: { requests: 10_000, perMs: 3_600_000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    if (!source.query?.trim()) problems.push('query: is required (the Hacker News search query)');
    const days = source.options['backfill_days'];
    if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days) || days < 0)) {
      problems.push('backfill_days: must be a number of days, 0 or more');
    }
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: HackerNewsCursor | null): RequestSpec {
    return searchRequest(source, windowFor(cursor));
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: HackerNewsCursor | null): SourcePage<HackerNewsCursor> {
    if (response.status === 304) return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    const result = readResult(parseJsonBody(response, 'the Hacker News search (Algolia)'));
    const warnings: string[] = [];
    const mentions: MentionDraft[] = [];
    const times: number[] = [];
    for (const [index, hit] of result.hits.entries()) {
      const item = mapHit(hit, index, warnings);
      if (item.time !== null) times.push(item.time);
      if (item.draft) mentions.push(item.draft);
    }
    const page = { mentions, itemsSeen: result.hits.length, warnings };

    const asked = windowFor(cursor);
    let run: Omit<HackerNewsBackfill, 'before' | 'page'>;
    if (cursor?.backfill) {
      run = cursor.backfill;
    } else if (times.length === 0) {
      return { ...page, cursor: cursor ?? {}, next: null };
    } else {
      const top = Math.max(...times);
      run = { top, floor: asked.floor ?? top - backfillDays(source) * 86_400 };
    }

    const oldest = times.length > 0 ? Math.min(...times) : null;
    const more = result.nbPages !== null ? asked.page + 1 < result.nbPages : result.hits.length >= HITS_PER_PAGE;
    const finished = { since: cursor?.since !== undefined && cursor.since > run.top ? cursor.since : run.top };
    if (!more || oldest === null || oldest < run.floor) return { ...page, cursor: finished, next: null };
    // Next window: everything up to the oldest second seen. Only when a whole
    // page shares that one second does the window stay and the page advance.
    const stuck = asked.before !== undefined && oldest >= asked.before;
    const nextPage = stuck ? asked.page + 1 : 0;
    if (nextPage * HITS_PER_PAGE >= MAX_RESULTS_PER_QUERY) {
      warnings.push(`more than ${MAX_RESULTS_PER_QUERY} hits share the second ${oldest}; Algolia serves no more of them`);
      return { ...page, cursor: finished, next: null };
    }
    const backfill: HackerNewsBackfill = { top: run.top, floor: run.floor, before: stuck ? (asked.before ?? oldest) : oldest };
    if (nextPage > 0) backfill.page = nextPage;
    const next: HackerNewsCursor = cursor?.since !== undefined ? { since: cursor.since, backfill } : { backfill };
    return { ...page, cursor: next, next: searchRequest(source, windowFor(next)) };
  },
};

interface SearchWindow {
  /** Inclusive lower bound, or undefined on the very first run (its floor is set from the first page). */
  floor?: number;
  /** Inclusive upper bound, or undefined for "up to now". */
  before?: number;
  page: number;
}

/** The window a cursor asks for: the backfill in progress, or a new run from `since`. */
function windowFor(cursor: HackerNewsCursor | null): SearchWindow {
  const backfill = cursor?.backfill;
  if (backfill) return { floor: backfill.floor, before: backfill.before, page: backfill.page ?? 0 };
  if (cursor?.since !== undefined) return { floor: cursor.since - HACKERNEWS_OVERLAP_SECONDS, page: 0 };
  return { page: 0 };
}

function searchRequest(source: SourceSettings, window: SearchWindow): RequestSpec {
  const base = (source.url ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const filters = [
    window.floor !== undefined ? `created_at_i>=${window.floor}` : null,
    window.before !== undefined ? `created_at_i<=${window.before}` : null,
  ].filter((f): f is string => f !== null);
  const url = withQuery(`${base}/api/v1/search_by_date`, {
    query: source.query ?? '',
    tags: '(story,comment)',
    numericFilters: filters.length > 0 ? filters.join(',') : null,
    hitsPerPage: HITS_PER_PAGE,
    page: window.page,
  });
  return { url, method: 'GET', headers: { Accept: 'application/json' } };
}

function backfillDays(source: SourceSettings): number {
  const days = source.options['backfill_days'];
  return typeof days === 'number' && Number.isFinite(days) && days >= 0 ? days : DEFAULT_BACKFILL_DAYS;
}

// ---------------------------------------------------------------------------
// Response shape

interface SearchResult {
  hits: unknown[];
  nbPages: number | null;
}

function readResult(body: unknown): SearchResult {
  if (!isRecord(body)) throw new SourceFormatError('the Hacker News search (Algolia) sent JSON that is not an object');
  if (!Array.isArray(body['hits'])) {
    // Algolia reports errors as {"message": "...", "status": 400}.
    const message = stringField(body['message']);
    const status = numberField(body['status']);
    if (message !== null) {
      throw new SourceApiError(`hackernews: Algolia error${status !== null ? ` ${status}` : ''}: ${oneLine(message)}`, {
        retryAfterSeconds: status === 429 ? 60 : null,
        auth: status === 403,
      });
    }
    throw new SourceFormatError('the Hacker News search (Algolia) answered without a "hits" list');
  }
  return { hits: body['hits'], nbPages: numberField(body['nbPages']) };
}

// ---------------------------------------------------------------------------
// Items

interface MappedHit {
  draft: MentionDraft | null;
  /** created_at_i, even for hits that are skipped, so the cursor still sees how far the page reaches. */
  time: number | null;
}

function mapHit(hit: unknown, index: number, warnings: string[]): MappedHit {
  const label = `hit ${index + 1}`;
  if (!isRecord(hit)) {
    warnings.push(`${label}: skipped, not an object`);
    return { draft: null, time: null };
  }
  const time = hitTime(hit);
  const id = stringField(hit['objectID']);
  if (!id || !/^\d+$/.test(id)) {
    warnings.push(`${label}: skipped, it has no usable objectID`);
    return { draft: null, time };
  }
  const tags = Array.isArray(hit['_tags']) ? hit['_tags'].filter((t): t is string => typeof t === 'string') : [];
  const isComment = tags.includes('comment') || (!tags.includes('story') && typeof hit['comment_text'] === 'string');
  const author = stringField(hit['author']);
  const storyId = stringField(hit['story_id']);
  if (time === null) warnings.push(`${label} (${id}): no usable created_at_i`);
  const base = {
    externalId: id,
    url: safeHttpUrl(`${SITE}/item?id=${id}`),
    author: author || null,
    authorUrl: author ? safeHttpUrl(`${SITE}/user?id=${encodeURIComponent(author)}`) : null,
    // Karma needs a request per user (/api/v1/users/:name); the hits carry none.
    authorReach: null,
    // Algolia gives no language.
    lang: null,
    publishedAt: time !== null ? time * 1000 : null,
  };

  if (isComment) {
    const text = htmlToText(stringField(hit['comment_text']) ?? '');
    if (!text) {
      warnings.push(`${label} (${id}): skipped, the comment has no text (deleted or flagged)`);
      return { draft: null, time };
    }
    return { draft: { ...base, title: null, text, parentId: stringField(hit['parent_id']), threadId: storyId }, time };
  }

  // Titles are plain text (a literal "<" is a "<"); story_text and comment_text are HTML.
  const title = collapseWhitespace(stringField(hit['title']) ?? '').replace(/\n/g, ' ') || null;
  const text = htmlToText(stringField(hit['story_text']) ?? '') || title || '';
  if (!text) {
    warnings.push(`${label} (${id}): skipped, the story has neither title nor text`);
    return { draft: null, time };
  }
  return { draft: { ...base, title, text, parentId: null, threadId: storyId ?? id }, time };
}

/** created_at_i, or created_at (ISO 8601) when a hit lacks it. */
function hitTime(hit: Record<string, unknown>): number | null {
  const seconds = numberField(hit['created_at_i']);
  if (seconds !== null && seconds > 0) return Math.floor(seconds);
  const iso = stringField(hit['created_at']);
  const parsed = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(parsed) ? null : Math.floor(parsed / 1000);
}
