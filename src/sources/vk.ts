import { collapseWhitespace, safeHttpUrl } from './html-text.js';
import { isRecord, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';
import { decodeCharacterReferences, truncate } from './text.js';

/**
 * VK `newsfeed.search` (API 5.199) with a service token: public posts (and,
 * where VK returns them, comments with post_type "reply") that match the
 * query, newest first, with authors from `extended=1` profiles and groups.
 *
 * The token goes in the Authorization header, never in the URL, so it cannot
 * end up in logs or error messages. VK reports errors as HTTP 200 with an
 * `error` object and has no rate-limit headers.
 *
 * Cursor. A poll is a window of post dates [start_time, end_time], read newest
 * first and paged with `start_from` = the previous page's `next_from`:
 *   - `mark`: unix seconds; every post dated at or before it (down to the
 *     previous mark) is stored. A fresh window starts at start_time = mark
 *     (inclusive: the boundary second is refetched, storage dedupes it).
 *   - `backfill`: a window not read to its end. `until` is the oldest date
 *     seen so far and `newest` the window's newest date, which becomes the
 *     mark once the window is done. The next pull resumes with
 *     end_time = until (inclusive, no `start_from`: VK's `next_from` is opaque
 *     and is not trusted across pulls), then catches up on newer posts.
 * VK serves only the first 1000 results of one query, so a window that hits
 * that cap continues below the oldest date seen instead of being marked done.
 */

export type VkCursor = {
  /** Newest post date (unix seconds) up to which everything is stored. */
  mark?: number;
  backfill?: VkBackfill;
};

type VkBackfill = {
  /** Oldest post date (unix seconds) seen in the unfinished window; the resume point (inclusive). */
  until: number;
  /** Newest post date of the window: the mark once the window is done. */
  newest: number;
  /** Items fetched since the last request without `start_from`, to spot VK's 1000-result cap. */
  fetched: number;
};

const DEFAULT_BASE_URL = 'https://api.vk.com';
const API_VERSION = '5.199';
const PAGE_SIZE = 200;
/** "Even with offset, only the first 1000 results are available" (dev.vk.com, newsfeed.search). */
const RESULT_CAP = 1000;
const AUTHOR_FIELDS = 'followers_count,members_count,screen_name';

/** Error codes (dev.vk.com/ru/reference/errors; VKCOM/vk-api-schema errors.json). */
const TOO_MANY_PER_SECOND = 6;
const FLOOD_CONTROL = 9;
const RATE_LIMIT_REACHED = 29;
const AUTH_CODES = new Set([5, 27, 28]);

export const vkAdapter: SourceAdapter<VkCursor> = {
  types: ['vk'],
  examples: {
    vk: {
      summary: 'VK newsfeed.search (a service token from your VK app)',
      yaml: `name: {name}
type: vk
query: {query}
token: \${VK_SERVICE_TOKEN}
interval: 15m`,
      env: ['VK_SERVICE_TOKEN'],
      doc: 'docs/sources/vk.md',
    },
  },

  // "maximum 3 requests to API methods per second" per token.
  rateLimit: { requests: 3, perMs: 1000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    if (!source.query?.trim()) problems.push('query: is required (the words to search VK posts for)');
    const token = source.options['token'];
    if (token === undefined || token === null) problems.push('token: is required (a VK service token, e.g. token: ${VK_SERVICE_TOKEN})');
    else if (typeof token !== 'string' || token.trim() === '') problems.push('token: must be a non-empty string');
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: VkCursor | null): RequestSpec {
    return searchRequest(source, cursor?.mark ?? null, cursor?.backfill?.until ?? null);
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: VkCursor | null): SourcePage<VkCursor> {
    if (response.status === 304) {
      return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    }
    if (response.status < 200 || response.status > 299) throw new SourceFormatError(`vk: expected a JSON response but got HTTP ${response.status}`);

    const body = parseJsonBody(response, 'vk');
    if (isRecord(body) && isRecord(body['error'])) throw apiError(body['error'], tokenOf(source));
    const result = isRecord(body) ? body['response'] : undefined;
    if (!isRecord(result) || !Array.isArray(result['items'])) {
      throw new SourceFormatError('vk: expected a newsfeed.search response ({"response":{"items":[…]}}) but the body has no response.items');
    }

    const items = result['items'] as unknown[];
    const authors = authorDirectory(result);
    const warnings: string[] = [];
    const mentions: MentionDraft[] = [];
    const dates: number[] = [];
    for (const [index, item] of items.entries()) {
      const date = isRecord(item) ? numberField(item['date']) : null;
      if (date !== null) dates.push(date);
      const mention = mapItem(item, index, authors, warnings);
      if (mention) mentions.push(mention);
    }

    return {
      mentions,
      itemsSeen: items.length,
      warnings,
      ...advance(source, response, cursor, dates, items.length, nonEmpty(stringField(result['next_from']))),
    };
  },
};

// ---------------------------------------------------------------------------
// Requests and cursor

function searchRequest(source: SourceSettings, startTime: number | null, endTime: number | null): RequestSpec {
  const base = (source.url ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const url = withQuery(`${base}/method/newsfeed.search`, {
    q: source.query ?? '',
    extended: 1,
    count: PAGE_SIZE,
    start_time: startTime,
    end_time: endTime,
    fields: AUTHOR_FIELDS,
    v: API_VERSION,
  });
  return { url, method: 'GET', headers: authHeaders(source) };
}

function authHeaders(source: SourceSettings): Record<string, string> {
  return { Authorization: `Bearer ${tokenOf(source)}` };
}

function tokenOf(source: SourceSettings): string {
  const token = source.options['token'];
  return typeof token === 'string' ? token.trim() : '';
}

/**
 * The cursor to store with this page and the request that follows it. The
 * request URL tells which kind of page this was: `start_from` continues the
 * previous page's window, `end_time` marks a window resumed below an older
 * page (backfill), neither a fresh window from the mark up to now.
 */
function advance(
  source: SourceSettings,
  response: FetchedResponse,
  cursor: VkCursor | null,
  dates: number[],
  itemCount: number,
  nextFrom: string | null,
): { cursor: VkCursor; next: RequestSpec | null } {
  const sent = requestParams(response.url);
  const continued = sent.has('start_from');
  const bounded = sent.has('end_time');
  const mark = cursor?.mark;
  const carried = continued || bounded ? cursor?.backfill : undefined;

  const newest = maxOf([...(carried ? [carried.newest] : []), ...dates]);
  const oldest = dates.length > 0 ? Math.min(...dates) : carried?.until;
  const fetched = (continued ? (carried?.fetched ?? 0) : 0) + itemCount;
  const keep = (fields: VkCursor): VkCursor => (mark === undefined ? fields : { mark, ...fields });

  if (itemCount > 0 && nextFrom && newest !== undefined && oldest !== undefined) {
    return {
      cursor: keep({ backfill: { until: oldest, newest, fetched } }),
      next: { url: withQuery(response.url, { start_from: nextFrom }), method: 'GET', headers: authHeaders(source) },
    };
  }
  // The window is read to its end, unless VK stopped at its result cap above the old mark.
  if (fetched >= RESULT_CAP && newest !== undefined && oldest !== undefined && (mark === undefined || oldest > mark)) {
    return { cursor: keep({ backfill: { until: oldest, newest, fetched: 0 } }), next: searchRequest(source, mark ?? null, oldest) };
  }
  const newMark = newest ?? mark;
  return {
    cursor: newMark === undefined ? {} : { mark: newMark },
    // A finished backfill is followed by a fresh window, so this pull also catches up on newer posts.
    next: bounded && newMark !== undefined ? searchRequest(source, newMark, null) : null,
  };
}

function requestParams(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}

function maxOf(values: number[]): number | undefined {
  return values.length > 0 ? Math.max(...values) : undefined;
}

function nonEmpty(value: string | null): string | null {
  return value && value.trim() !== '' ? value : null;
}

// ---------------------------------------------------------------------------
// Errors

/**
 * A one-line SourceApiError from VK's `error` object. Only the code and
 * `error_msg` are used: `request_params` echoes the request and may hold the
 * access token, so it is never read. The message is scrubbed of the token too.
 */
function apiError(error: Record<string, unknown>, token: string): SourceApiError {
  const code = numberField(error['error_code']);
  const rawMessage = stringField(error['error_msg']) ?? 'no description';
  const description = truncate(scrub(collapseWhitespace(rawMessage).replace(/\n/g, ' '), token), 200);
  const head = `vk: API error ${code ?? '?'} (${description})`;
  if (code === TOO_MANY_PER_SECOND) return new SourceApiError(head, { retryAfterSeconds: 1 });
  if (code === FLOOD_CONTROL || code === RATE_LIMIT_REACHED) {
    return new SourceApiError(`${head}: the daily request quota for newsfeed.search is used up; polling resumes when VK resets it`);
  }
  if (code !== null && AUTH_CODES.has(code)) return new SourceApiError(`${head}: the service token was refused`, { auth: true });
  return new SourceApiError(head);
}

function scrub(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('***') : text;
}

// ---------------------------------------------------------------------------
// Items

interface Author {
  name: string | null;
  url: string | null;
  reach: number | null;
}

interface AuthorDirectory {
  profiles: Map<number, Record<string, unknown>>;
  groups: Map<number, Record<string, unknown>>;
}

function authorDirectory(result: Record<string, unknown>): AuthorDirectory {
  const byId = (list: unknown) => {
    const map = new Map<number, Record<string, unknown>>();
    for (const entry of Array.isArray(list) ? list : []) {
      const id = isRecord(entry) ? numberField(entry['id']) : null;
      if (isRecord(entry) && id !== null) map.set(id, entry);
    }
    return map;
  };
  return { profiles: byId(result['profiles']), groups: byId(result['groups']) };
}

function mapItem(item: unknown, index: number, authors: AuthorDirectory, warnings: string[]): MentionDraft | null {
  if (!isRecord(item)) {
    warnings.push(`skipped item ${index + 1}: not an object`);
    return null;
  }
  const ownerId = integer(item['owner_id']);
  const id = integer(item['id']);
  if (ownerId === null || id === null) {
    warnings.push(`skipped item ${index + 1}: no owner_id/id`);
    return null;
  }
  const externalId = `${ownerId}_${id}`;
  if (item['is_deleted'] === true) {
    warnings.push(`skipped deleted post ${externalId}`);
    return null;
  }

  const postId = integer(item['post_id']);
  const isReply = stringField(item['post_type']) === 'reply' && postId !== null;
  const parents = Array.isArray(item['parents_stack']) ? item['parents_stack'].map(integer).filter((n): n is number => n !== null) : [];
  const author = authorOf(integer(item['from_id']) ?? ownerId, authors);
  const date = numberField(item['date']);

  return {
    externalId,
    // VERIFY LIVE: for comments, the web UI's ?reply= link to the parent post.
    url: safeHttpUrl(isReply ? `https://vk.com/wall${ownerId}_${postId}?reply=${id}` : `https://vk.com/wall${externalId}`),
    author: author.name,
    authorUrl: author.url,
    authorReach: author.reach,
    title: null,
    text: postText(item),
    lang: null,
    publishedAt: date === null ? null : date * 1000,
    parentId: isReply ? `${ownerId}_${parents.at(-1) ?? postId}` : null,
    threadId: isReply ? `${ownerId}_${postId}` : null,
  };
}

/** The post's own text, then the text of the post it reposts (a repost's own text is often empty). */
function postText(item: Record<string, unknown>): string {
  const parts = [stringField(item['text']) ?? ''];
  const copies = Array.isArray(item['copy_history']) ? item['copy_history'] : [];
  for (const copy of copies) if (isRecord(copy)) parts.push(stringField(copy['text']) ?? '');
  return collapseWhitespace(parts.map(vkText).join('\n'));
}

/**
 * VK post text is plain text with wiki-style mentions: `[id123|Имя]`,
 * `[club45|Акме]`, `[id123:bp-45_67|Имя]` in comments, `[https://…|text]`.
 * The visible text is kept; quotes and ampersands VK escapes are decoded.
 */
export function vkText(text: string): string {
  return decodeCharacterReferences(
    text.replace(/\[(?:(?:id|club|public|event)\d+(?::bp-?\d+_\d+)?|https?:\/\/[^|\]\s]+|(?:m\.)?vk\.com\/[^|\]\s]+)\|([^\]\n]+)\]/g, '$1'),
  );
}

function authorOf(fromId: number, authors: AuthorDirectory): Author {
  if (fromId > 0) {
    const profile = authors.profiles.get(fromId);
    const name = profile ? [stringField(profile['first_name']), stringField(profile['last_name'])].filter((part) => part?.trim()).join(' ') : '';
    return {
      name: name ? decodeCharacterReferences(name.trim()) : null,
      url: profileUrl(profile?.['screen_name'], `id${fromId}`),
      reach: profile ? integer(profile['followers_count']) : null,
    };
  }
  const group = authors.groups.get(-fromId);
  const name = group ? stringField(group['name'])?.trim() : null;
  return {
    name: name ? decodeCharacterReferences(name) : null,
    url: profileUrl(group?.['screen_name'], `club${-fromId}`),
    reach: group ? integer(group['members_count']) : null,
  };
}

function profileUrl(screenName: unknown, fallback: string): string | null {
  const name = stringField(screenName)?.trim();
  return safeHttpUrl(`https://vk.com/${encodeURIComponent(name || fallback)}`);
}

function integer(value: unknown): number | null {
  const n = numberField(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

