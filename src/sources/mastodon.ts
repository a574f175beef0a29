import { collapseWhitespace, htmlToText, safeHttpUrl } from './html-text.js';
import { isRecord, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';
import { normaliseLang } from './dates.js';
import { oneLine } from './text.js';

/**
 * Mastodon, on one instance (`url`), in one of two modes:
 *   - `hashtag`: the public hashtag timeline `GET /api/v1/timelines/tag/:hashtag`
 *     (no token needed unless the instance disabled public previews);
 *   - otherwise full-text search `GET /api/v2/search?type=statuses` with a user token
 *     (only posts of accounts that opted in to search are indexed).
 *
 * Ids are the instance's own status ids, which both modes page on:
 *   - the timeline pages forward: `min_id=<newest covered>` returns the statuses
 *     immediately above it, and the Link header's rel="prev" goes on upwards until a
 *     page is empty, so every page is contiguous and the mark advances with it;
 *   - search filters rather than pages (`min_id`/`max_id` bound a newest-first
 *     result list), so a run pages back with `max_id` from the newest result down to
 *     the mark and the mark advances only when the run is complete; a run cut short
 *     by `max_pages` is stored as `backfill` and finished by the next pull.
 * The first poll of either mode takes the newest page only.
 *
 * Mastodon gives a remote status an id at its `created_at`, so a status that
 * federates late lands below the mark: each new poll starts 10 minutes below it
 * (on snowflake ids) and the store drops the repeats.
 */

export type MastodonCursor = {
  /** Id of the newest status covered: everything up to it has been paged through. */
  newestId?: string;
  /** Timeline: a forward walk was cut short by max_pages; the next pull resumes at `newestId` exactly. */
  resume?: true;
  /** Search: a run paging back with max_id, cut short by max_pages. */
  backfill?: MastodonBackfill;
};

type MastodonBackfill = {
  /** max_id of the next page. */
  maxId: string;
  /** min_id of the run (its floor), or null for none. */
  minId: string | null;
  /** Newest id seen by the run: the next `newestId` once it completes. */
  top: string;
};

/** The documented and instance default maximum for statuses per page. */
const PAGE_SIZE = 40;
/** How far below the mark each new poll starts, for statuses that federate late. */
export const MASTODON_OVERLAP_MS = 10 * 60_000;

export const mastodonAdapter: SourceAdapter<MastodonCursor> = {
  types: ['mastodon'],
  examples: {
    mastodon: {
      summary: 'Mastodon full-text search on one instance (or a public hashtag timeline)',
      yaml: `name: {name}
type: mastodon
url: {url|https://mastodon.social}
query: {query}
token: \${MASTODON_TOKEN}
# hashtag: acme     # poll the public #acme timeline instead of searching (no token needed)
interval: 15m`,
      env: ['MASTODON_TOKEN'],
      doc: 'docs/sources/mastodon.md',
    },
  },

  // "All endpoints and methods can be called 300 times within 5 minutes" (per account and per IP).
  rateLimit: { requests: 300, perMs: 300_000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    const { options } = source;
    if (!source.url?.trim()) problems.push('url: is required (the instance, e.g. https://mastodon.social)');
    else if (safeHttpUrl(source.url) === null) problems.push('url: must be an http:// or https:// URL');
    const hashtag = options['hashtag'];
    if (hashtag !== undefined && (typeof hashtag !== 'string' || normaliseHashtag(hashtag) === null)) {
      problems.push('hashtag: must be one hashtag such as "acme" (letters, digits and _, no spaces)');
    }
    const token = options['token'];
    if (token !== undefined && token !== null && (typeof token !== 'string' || token.trim() === '')) problems.push('token: must be a non-empty string');
    if (hashtag === undefined) {
      if (!source.query?.trim()) problems.push('query: is required unless hashtag is set (the search query)');
      if (token === undefined || token === null) {
        problems.push('token: is required for search (write ${MASTODON_TOKEN} and set that variable), or set hashtag to poll a public hashtag timeline');
      }
    }
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: MastodonCursor | null): RequestSpec {
    const newestId = cursor?.newestId ?? null;
    if (hashtagOf(source) !== null) {
      if (newestId === null) return timelineRequest(source, null);
      return timelineRequest(source, cursor?.resume ? newestId : backBy(newestId, MASTODON_OVERLAP_MS));
    }
    const backfill = cursor?.backfill;
    if (backfill) return searchRequest(source, { maxId: backfill.maxId, minId: backfill.minId });
    return searchRequest(source, { maxId: null, minId: newestId === null ? null : backBy(newestId, MASTODON_OVERLAP_MS) });
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: MastodonCursor | null): SourcePage<MastodonCursor> {
    if (response.status === 304) return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    return hashtagOf(source) !== null ? timelinePage(source, response, cursor) : searchPage(source, response, cursor);
  },
};

// ---------------------------------------------------------------------------
// Hashtag timeline: forward paging with min_id and Link rel="prev"

function timelinePage(source: SourceSettings, response: FetchedResponse, cursor: MastodonCursor | null): SourcePage<MastodonCursor> {
  const body = parseJsonBody(response, 'the mastodon hashtag timeline');
  throwIfError(body);
  if (!Array.isArray(body)) throw new SourceFormatError('the mastodon hashtag timeline answered with JSON that is not a list of statuses');
  const page = mapStatuses(body);
  const base = { mentions: page.mentions, itemsSeen: body.length, warnings: page.warnings };
  const previous = cursor?.newestId ?? null;

  // First poll: the newest page only; older statuses are out of scope.
  if (previous === null) {
    return { ...base, cursor: page.newestId === null ? {} : { newestId: page.newestId }, next: null };
  }
  // An empty page: everything above the mark has been read.
  if (page.newestId === null) return { ...base, cursor: { newestId: previous }, next: null };
  const newestId = maxId(previous, page.newestId);
  return {
    ...base,
    cursor: { newestId, resume: true },
    next: prevLinkRequest(source, response, page.newestId) ?? timelineRequest(source, page.newestId),
  };
}

function timelineRequest(source: SourceSettings, minId: string | null): RequestSpec {
  const url = withQuery(`${apiBase(source)}/api/v1/timelines/tag/${encodeURIComponent(hashtagOf(source) ?? '')}`, { limit: PAGE_SIZE, min_id: minId });
  return { url, method: 'GET', headers: requestHeaders(source) };
}

/**
 * The page above this one, from the Link header's rel="prev" (min_id=<newest on
 * the page>), as the API guidelines say to paginate. Only a link to the same
 * instance that moves forward is followed: the request carries the token.
 */
function prevLinkRequest(source: SourceSettings, response: FetchedResponse, pageNewest: string): RequestSpec | null {
  const link = parseLinkHeader(response.headers['link'] ?? '')['prev'];
  if (!link) return null;
  let target: URL;
  try {
    target = new URL(link, response.url || undefined);
  } catch {
    return null;
  }
  if (target.origin !== new URL(apiBase(source)).origin) return null;
  const minId = target.searchParams.get('min_id');
  if (minId === null || compareIds(minId, pageNewest) < 0) return null;
  return { url: target.href, method: 'GET', headers: requestHeaders(source) };
}

/** rel → URL from an RFC 8288 Link header (`<url>; rel="next", <url>; rel="prev"`). */
export function parseLinkHeader(header: string): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2] ?? '')?.[1];
    if (!rel) continue;
    for (const name of rel.trim().toLowerCase().split(/\s+/)) links[name] ??= match[1] ?? '';
  }
  return links;
}

// ---------------------------------------------------------------------------
// Search: newest first between min_id and max_id, paged back with max_id

function searchPage(source: SourceSettings, response: FetchedResponse, cursor: MastodonCursor | null): SourcePage<MastodonCursor> {
  const body = parseJsonBody(response, 'mastodon search');
  throwIfError(body);
  if (!isRecord(body) || !Array.isArray(body['statuses'])) {
    throw new SourceFormatError('mastodon search answered with JSON that has no "statuses" list');
  }
  const statuses = body['statuses'] as unknown[];
  const page = mapStatuses(statuses);
  const base = { mentions: page.mentions, itemsSeen: statuses.length, warnings: page.warnings };
  const previous = cursor?.newestId ?? null;
  const backfill = cursor?.backfill ?? null;

  if (previous === null && backfill === null) {
    return { ...base, cursor: page.newestId === null ? {} : { newestId: page.newestId }, next: null };
  }
  const top = [backfill?.top, page.newestId, previous].filter((id): id is string => typeof id === 'string').reduce(maxId);
  const done: SourcePage<MastodonCursor> = { ...base, cursor: { newestId: top }, next: null };
  if (page.oldestId === null) return done;

  const minId = backfill ? backfill.minId : previous === null ? null : backBy(previous, MASTODON_OVERLAP_MS);
  const nextMax = nextMaxId(page.oldestId, backfill?.maxId ?? null);
  if (nextMax === null) {
    page.warnings.push('mastodon search returned statuses above the requested max_id; the run stops here');
    return done;
  }
  const next: MastodonCursor = { backfill: { maxId: nextMax, minId, top } };
  if (previous !== null) next.newestId = previous;
  return { ...base, cursor: next, next: searchRequest(source, { maxId: nextMax, minId }) };
}

/**
 * Since Mastodon 4.2 search turns max_id into `before:<its time in whole
 * seconds>`, so statuses in the same second as the page's oldest one, but
 * older, would be skipped: the next page starts one second later on snowflake
 * ids (a few repeats, no gap). When that would not move back, the exact id is used.
 */
function nextMaxId(oldest: string, current: string | null): string | null {
  const widened = forwardBy(oldest, 1000);
  if (current === null || compareIds(widened, current) < 0) return widened;
  return compareIds(oldest, current) < 0 ? oldest : null;
}

function searchRequest(source: SourceSettings, bounds: { maxId: string | null; minId: string | null }): RequestSpec {
  const url = withQuery(`${apiBase(source)}/api/v2/search`, {
    q: source.query ?? '',
    type: 'statuses',
    limit: PAGE_SIZE,
    max_id: bounds.maxId,
    min_id: bounds.minId,
  });
  return { url, method: 'GET', headers: requestHeaders(source) };
}

// ---------------------------------------------------------------------------
// Statuses

interface MappedPage {
  mentions: MentionDraft[];
  warnings: string[];
  /** Highest and lowest list position (the listed status's own id, boosts included) on the page. */
  newestId: string | null;
  oldestId: string | null;
}

function mapStatuses(items: unknown[]): MappedPage {
  const page: MappedPage = { mentions: [], warnings: [], newestId: null, oldestId: null };
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const position = isRecord(item) ? stringField(item['id']) : null;
    if (position !== null && position !== '') {
      page.newestId = page.newestId === null ? position : maxId(page.newestId, position);
      page.oldestId = page.oldestId === null ? position : minId(page.oldestId, position);
    }
    const draft = mapStatus(item, index, page.warnings);
    // A boost and its original (or two boosts of it) are one mention.
    if (draft === null || seen.has(draft.externalId)) continue;
    seen.add(draft.externalId);
    page.mentions.push(draft);
  }
  return page;
}

function mapStatus(item: unknown, index: number, warnings: string[]): MentionDraft | null {
  const label = `item ${index + 1}`;
  if (!isRecord(item)) {
    warnings.push(`${label}: skipped, not a status`);
    return null;
  }
  // A boost wraps the original, which is the mention.
  const status = isRecord(item['reblog']) ? item['reblog'] : item;
  const id = stringField(status['id']);
  if (!id) {
    warnings.push(`${label}: skipped, the status has no id`);
    return null;
  }
  const content = status['content'];
  if (typeof content !== 'string') {
    warnings.push(`${label} (${id}): skipped, the status has no content`);
    return null;
  }
  const spoiler = collapseWhitespace(stringField(status['spoiler_text']) ?? '');
  const body = htmlToText(content);
  const account = isRecord(status['account']) ? status['account'] : {};
  const acct = stringField(account['acct']);
  const reach = numberField(account['followers_count']);
  const created = Date.parse(stringField(status['created_at']) ?? '');
  if (Number.isNaN(created)) warnings.push(`${label} (${id}): no usable created_at`);
  const parentId = stringField(status['in_reply_to_id']);
  return {
    externalId: id,
    url: safeHttpUrl(stringField(status['url'])) ?? safeHttpUrl(stringField(status['uri'])),
    author: acct || null,
    authorUrl: safeHttpUrl(stringField(account['url'])),
    authorReach: reach !== null && reach >= 0 ? reach : null,
    title: null,
    text: [spoiler, body].filter((part) => part !== '').join('\n'),
    lang: normaliseLang(stringField(status['language'])),
    publishedAt: Number.isNaN(created) ? null : created,
    parentId: parentId || null,
    // A status that replies to nothing starts its own thread; a reply's root needs /context.
    threadId: parentId ? null : id,
  };
}

/** A 200 body that is Mastodon's error object, `{"error": "..."}`. */
function throwIfError(body: unknown): void {
  if (!isRecord(body)) return;
  const error = stringField(body['error']);
  if (error === null) return;
  const description = stringField(body['error_description']);
  const message = oneLine(description ? `${error}: ${description}` : error);
  throw new SourceApiError(`mastodon API error: ${message}`, { auth: /token|authori[sz]|unauthori[sz]ed|forbidden|login/i.test(message) });
}

// ---------------------------------------------------------------------------
// Ids: strings, "cast from an integer but not guaranteed to be a number"

/**
 * Orders two status ids: as integers (BigInt) when both are digits, as Mastodon's
 * are; otherwise by length, then character by character, which orders the
 * fixed-alphabet ids of other servers (ULIDs, flake ids) the same way.
 */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxId(a: string, b: string): string {
  return compareIds(a, b) >= 0 ? a : b;
}

function minId(a: string, b: string): string {
  return compareIds(a, b) <= 0 ? a : b;
}

/** Snowflake ids hold milliseconds since 1970 above 16 bits; older serial ids are far smaller. */
const SNOWFLAKE_MIN_MS = 1_000_000_000_000n;

/** The snowflake id `ms` earlier than `id`; other ids are returned as they are. */
export function backBy(id: string, ms: number): string {
  return shiftSnowflake(id, -BigInt(ms));
}

function forwardBy(id: string, ms: number): string {
  return shiftSnowflake(id, BigInt(ms));
}

function shiftSnowflake(id: string, ms: bigint): string {
  if (!/^\d+$/.test(id)) return id;
  const value = BigInt(id);
  if (value >> 16n < SNOWFLAKE_MIN_MS) return id;
  return (value + (ms << 16n)).toString();
}

// ---------------------------------------------------------------------------
// Settings

function apiBase(source: SourceSettings): string {
  return (source.url ?? '').trim().replace(/\/+$/, '');
}

function hashtagOf(source: SourceSettings): string | null {
  const value = source.options['hashtag'];
  return typeof value === 'string' ? normaliseHashtag(value) : null;
}

/** "#Acme" → "Acme"; null when it is not one hashtag name. */
function normaliseHashtag(raw: string): string | null {
  const name = raw.trim().replace(/^#/, '');
  return /^[\p{L}\p{M}\p{N}_·]+$/u.test(name) ? name : null;
}

function requestHeaders(source: SourceSettings): Record<string, string> {
  const token = source.options['token'];
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (typeof token === 'string' && token.trim() !== '') headers['Authorization'] = `Bearer ${token.trim()}`;
  return headers;
}

