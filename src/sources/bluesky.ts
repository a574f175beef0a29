import { collapseWhitespace, safeHttpUrl } from './html-text.js';
import { isRecord, jsonOfErrorBody, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSession, SourceSettings } from './types.js';
import { normaliseLang } from './dates.js';
import { oneLine } from './text.js';

/**
 * Bluesky post search, `app.bsky.feed.searchPosts` (sort=latest), through the
 * account's PDS (default https://bsky.social), which proxies it to the AppView.
 * Unauthenticated search is refused (403), so every pull first logs in with
 * an app password (`com.atproto.server.createSession`) and sends the short-lived
 * accessJwt as a bearer token; the password and token stay in memory.
 *
 * Results come newest first by `sortAt` (the earlier of indexedAt and the
 * client-set createdAt) and `since` filters on it, inclusively. The cursor:
 *   - `since` is the sortAt of the newest post of the last complete run:
 *     everything up to it has been paged through;
 *   - a run asks for `since` minus an overlap (posts the AppView indexes late
 *     keep their earlier createdAt as sortAt) and pages back with the API's
 *     `cursor` until the results end; only then does `since` advance;
 *   - a run cut short by `max_pages` is stored as `backfill` (the API cursor and
 *     the run's newest sortAt) and the next pull finishes it first.
 * The first poll has no `since` and takes the newest page only.
 */

export type BlueskyCursor = {
  /** sortAt (ISO 8601) of the newest post of the last complete run. */
  since?: string;
  /** A run cut short by max_pages: where to go on. */
  backfill?: { cursor: string; top: string };
};

const DEFAULT_URL = 'https://bsky.social';
const WEB = 'https://bsky.app';
const PAGE_SIZE = 100;
/** How far before `since` each run starts; the store drops the repeats. */
export const BLUESKY_OVERLAP_SECONDS = 600;
/** XRPC error names that mean the session or credentials were refused. */
const AUTH_ERRORS = new Set(['AuthenticationRequired', 'AuthRequired', 'ExpiredToken', 'InvalidToken', 'AccountTakedown', 'AccountDeactivated']);

export const blueskyAdapter: SourceAdapter<BlueskyCursor> = {
  types: ['bluesky'],
  examples: {
    bluesky: {
      summary: 'Bluesky post search (newest first), logged in with an app password',
      yaml: `name: {name}
type: bluesky
query: {query}
handle: your-account.bsky.social
app_password: \${BLUESKY_APP_PASSWORD}
interval: 15m`,
      env: ['BLUESKY_APP_PASSWORD'],
      doc: 'docs/sources/bluesky.md',
    },
  },

  // PDS: "Overall API Requests (all endpoints) Rate limited by IP, 3000 per 5 minutes".
  rateLimit: { requests: 3000, perMs: 300_000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    const { options } = source;
    if (!source.query?.trim()) problems.push('query: is required (the Bluesky search query)');
    const handle = options['handle'];
    if (handle === undefined || handle === null) problems.push('handle: is required (the account that logs in, e.g. acme.bsky.social)');
    else if (typeof handle !== 'string' || handle.trim().replace(/^@/, '') === '') problems.push('handle: must be a non-empty string');
    const password = options['app_password'];
    if (password === undefined || password === null) {
      problems.push('app_password: is required (write ${BLUESKY_APP_PASSWORD} and set that variable to an app password)');
    } else if (typeof password !== 'string' || password.trim() === '') {
      problems.push('app_password: must be a non-empty string');
    }
    if (source.url !== undefined && safeHttpUrl(source.url) === null) problems.push('url: must be an http:// or https:// URL');
    return problems;
  },

  login: {
    request(source: SourceSettings): RequestSpec {
      const identifier = String(source.options['handle'] ?? '').trim().replace(/^@/, '');
      const password = String(source.options['app_password'] ?? '').trim();
      return {
        url: `${apiBase(source)}/xrpc/com.atproto.server.createSession`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ identifier, password }),
      };
    },

    parse(_source: SourceSettings, response: FetchedResponse): SourceSession {
      const body = parseJsonBody(response, 'bluesky createSession');
      if (!isRecord(body)) throw new SourceFormatError('bluesky createSession sent JSON that is not an object');
      const error = stringField(body['error']);
      if (error !== null) throw new SourceApiError(`bluesky refused the login: ${describeError(body)}`, { auth: true });
      const token = stringField(body['accessJwt']);
      if (!token) throw new SourceFormatError('bluesky createSession answered without an accessJwt');
      if (body['active'] === false) {
        const status = stringField(body['status']);
        throw new SourceApiError(`bluesky account is not active${status ? ` (${oneLine(status)})` : ''}`, { auth: true });
      }
      return { headers: { Authorization: `Bearer ${token}` } };
    },
  },

  firstRequest(source: SourceSettings, cursor: BlueskyCursor | null): RequestSpec {
    return searchRequest(source, cursor?.since ?? null, cursor?.backfill?.cursor ?? null);
  },

  explainError(_source: SourceSettings, response: FetchedResponse): SourceApiError | null {
    // XRPC explains a 400 ("BadQueryString") or an expired token in {"error", "message"}.
    const body = jsonOfErrorBody(response);
    if (!isRecord(body)) return null;
    const error = stringField(body['error']);
    if (error === null) return null;
    return new SourceApiError(`bluesky API error (HTTP ${response.status}) ${describeError(body)}`, {
      auth: AUTH_ERRORS.has(error) || response.status === 401,
    });
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: BlueskyCursor | null): SourcePage<BlueskyCursor> {
    if (response.status === 304) return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    const result = readResult(parseJsonBody(response, 'bluesky searchPosts'));
    const warnings: string[] = [];
    const mentions: MentionDraft[] = [];
    let newest: number | null = null;
    let oldest: number | null = null;
    for (const [index, post] of result.posts.entries()) {
      const mapped = mapPost(post, index, warnings);
      if (mapped.sortAt !== null) {
        newest = newest === null ? mapped.sortAt : Math.max(newest, mapped.sortAt);
        oldest = oldest === null ? mapped.sortAt : Math.min(oldest, mapped.sortAt);
      }
      if (mapped.draft) mentions.push(mapped.draft);
    }
    const page = { mentions, itemsSeen: result.posts.length, warnings };
    const since = parseTime(cursor?.since);
    const backfill = cursor?.backfill ?? null;

    // First poll: the newest page only; older posts are out of scope.
    if (since === null) return { ...page, cursor: newest === null ? {} : { since: iso(newest) }, next: null };

    const top = Math.max(since, parseTime(backfill?.top) ?? since, newest ?? since);
    const floor = since - BLUESKY_OVERLAP_SECONDS * 1000;
    const ended =
      result.posts.length === 0 ||
      result.cursor === null ||
      result.cursor === backfill?.cursor ||
      // The API ignored `since`: this page already reaches below the run's floor.
      (oldest !== null && oldest < floor);
    if (ended) return { ...page, cursor: { since: iso(top) }, next: null };
    return {
      ...page,
      cursor: { since: iso(since), backfill: { cursor: result.cursor!, top: iso(top) } },
      next: searchRequest(source, iso(since), result.cursor),
    };
  },
};

function searchRequest(source: SourceSettings, since: string | null, apiCursor: string | null): RequestSpec {
  const sinceMs = parseTime(since);
  const url = withQuery(`${apiBase(source)}/xrpc/app.bsky.feed.searchPosts`, {
    q: source.query ?? '',
    sort: 'latest',
    limit: PAGE_SIZE,
    since: sinceMs === null ? null : iso(sinceMs - BLUESKY_OVERLAP_SECONDS * 1000),
    cursor: apiCursor,
  });
  return { url, method: 'GET', headers: { Accept: 'application/json' } };
}

function apiBase(source: SourceSettings): string {
  return (source.url?.trim() || DEFAULT_URL).replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------
// Response shape

function readResult(body: unknown): { posts: unknown[]; cursor: string | null } {
  if (!isRecord(body)) throw new SourceFormatError('bluesky searchPosts sent JSON that is not an object');
  // XRPC errors are {"error": "<Name>", "message": "..."}; they normally come with a 4xx status.
  const error = stringField(body['error']);
  if (error !== null && !Array.isArray(body['posts'])) {
    throw new SourceApiError(`bluesky API error ${describeError(body)}`, { auth: AUTH_ERRORS.has(error) });
  }
  if (!Array.isArray(body['posts'])) throw new SourceFormatError('bluesky searchPosts answered with JSON that has no "posts" list');
  const cursor = stringField(body['cursor']);
  return { posts: body['posts'], cursor: cursor ? cursor : null };
}

function describeError(body: Record<string, unknown>): string {
  const error = oneLine(stringField(body['error']) ?? 'unknown');
  const message = stringField(body['message']);
  return message ? `${error}: ${oneLine(message)}` : error;
}

// ---------------------------------------------------------------------------
// Posts

/** at://<did>/app.bsky.feed.post/<rkey> */
const POST_URI = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/?#]+)$/;

interface MappedPost {
  draft: MentionDraft | null;
  /** Epoch ms of the post's sortAt, even when it is skipped, so the cursor sees how far the page reaches. */
  sortAt: number | null;
}

function mapPost(post: unknown, index: number, warnings: string[]): MappedPost {
  const label = `item ${index + 1}`;
  if (!isRecord(post)) {
    warnings.push(`${label}: skipped, not a post view`);
    return { draft: null, sortAt: null };
  }
  const uri = stringField(post['uri']);
  const record = isRecord(post['record']) ? post['record'] : null;
  const indexedAt = parseTime(stringField(post['indexedAt']));
  const createdAt = parseTime(stringField(record?.['createdAt']));
  const sortAt = indexedAt !== null && createdAt !== null ? Math.min(indexedAt, createdAt) : indexedAt ?? createdAt;
  const parts = uri ? POST_URI.exec(uri) : null;
  if (!uri || !parts) {
    warnings.push(`${label}: skipped, no post uri`);
    return { draft: null, sortAt };
  }
  if (record === null || typeof record['text'] !== 'string') {
    warnings.push(`${label} (${uri}): skipped, the post record has no text`);
    return { draft: null, sortAt };
  }
  const author = isRecord(post['author']) ? post['author'] : {};
  const did = stringField(author['did']) ?? parts[1]!;
  const handle = stringField(author['handle']);
  // An account whose handle no longer verifies shows as "handle.invalid"; its DID still resolves.
  const profile = handle && handle !== 'handle.invalid' ? handle : did;
  const reply = isRecord(record['reply']) ? record['reply'] : null;
  const parentId = refUri(reply?.['parent']);
  const langs = Array.isArray(record['langs']) ? record['langs'] : [];
  return {
    draft: {
      externalId: uri,
      url: safeHttpUrl(`${WEB}/profile/${encodeURIComponent(profile)}/post/${encodeURIComponent(parts[2]!)}`),
      author: profile,
      authorUrl: safeHttpUrl(`${WEB}/profile/${encodeURIComponent(profile)}`),
      // profileViewBasic carries no follower count (that needs app.bsky.actor.getProfiles).
      authorReach: null,
      title: null,
      text: collapseWhitespace(record['text']),
      lang: normaliseLang(stringField(langs[0])),
      publishedAt: createdAt ?? indexedAt,
      parentId,
      threadId: parentId ? refUri(reply?.['root']) ?? parentId : uri,
    },
    sortAt,
  };
}

/** The uri of a strongRef ({uri, cid}). */
function refUri(ref: unknown): string | null {
  if (!isRecord(ref)) return null;
  const uri = stringField(ref['uri']);
  return uri ? uri : null;
}

function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

