import { Buffer } from 'node:buffer';
import { collapseWhitespace, safeHttpUrl } from './html-text.js';
import { isRecord, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSession, SourceSettings } from './types.js';
import { decodeCharacterReferences, oneLine, XML_ENTITIES } from './text.js';

/**
 * Reddit search over the OAuth API (`oauth.reddit.com/search`, sort=new):
 * posts (t3) and comments (t1). Unauthenticated JSON is refused (403) these
 * days, so every pull first trades the app's client id and secret for an
 * app-only bearer token (client_credentials grant).
 *
 * Reddit search has no time filter and pages newest-first with `after`
 * (a fullname anchor), so the cursor works by time:
 *   - `since` is the created_utc of the newest item of the last complete run:
 *     everything up to it has been paged through;
 *   - a run starts at the newest result and pages back with `after` until it
 *     reaches items older than `since` minus an overlap (or the first-run
 *     horizon, or the end of the listing); only then does `since` advance;
 *   - a run cut short by `max_pages` is stored as `backfill` (the `after`
 *     anchor plus the run's own top and floor), and the next pull finishes it
 *     before starting a new run;
 *   - an anchored page that comes back empty (the anchor item was deleted or
 *     dropped from search) starts the run over from the newest result, once,
 *     with the same floor: re-reading is safe, skipping is not.
 * `before=<newest fullname>` is deliberately not used: when that one item is
 * deleted or dropped from search, Reddit answers an empty listing forever.
 */

export type RedditCursor = {
  /** created_utc (epoch seconds) of the newest item of the last complete run. */
  since?: number;
  /** Fullname of that item, for display. */
  newest?: string;
  /** A run cut short by max_pages: where to go on. */
  backfill?: RedditBackfill;
};

type RedditBackfill = RedditRun & {
  /** Listing anchor for the next page; absent when the run starts over from the newest result. */
  after?: string;
};

type RedditRun = {
  /** Newest created_utc seen by this run: the next `since` once it completes. */
  top: number;
  topId: string;
  /** The run ends once it reaches items older than this (epoch seconds). */
  floor: number;
  /** The run has started over once already (its anchor led to an empty page). */
  restarted?: true;
};

const DEFAULT_API_URL = 'https://oauth.reddit.com';
const DEFAULT_AUTH_URL = 'https://www.reddit.com/api/v1/access_token';
const SITE = 'https://www.reddit.com';
const PAGE_SIZE = 100;
/** How far the very first run pages back, counted from the newest result. */
const DEFAULT_BACKFILL_DAYS = 7;
/**
 * Each run re-reads this much before `since`: Reddit's search index can lag
 * behind posting by minutes, so an item may appear after newer ones were seen.
 * The store drops the repeats.
 */
export const REDDIT_OVERLAP_SECONDS = 600;

const DELETED_BODIES = new Set(['[deleted]', '[removed]']);

export const redditAdapter: SourceAdapter<RedditCursor> = {
  types: ['reddit'],
  examples: {
    reddit: {
      summary: 'Reddit search (posts and comments, newest first) over the OAuth API',
      yaml: `name: {name}
type: reddit
query: {query}
client_id: \${REDDIT_CLIENT_ID}
client_secret: \${REDDIT_CLIENT_SECRET}
# subreddit: acme          # search one subreddit only
interval: 15m`,
      env: ['REDDIT_CLIENT_ID', 'REDDIT_CLIENT_SECRET'],
      doc: 'docs/sources/reddit.md',
    },
  },

  // The documented allowance is 100 queries per minute per OAuth client.
  rateLimit: { requests: 100, perMs: 60_000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    const { options } = source;
    if (!source.query?.trim()) problems.push('query: is required (the Reddit search query)');
    for (const key of ['client_id', 'client_secret']) {
      const value = options[key];
      if (value === undefined || value === null) problems.push(`${key}: is required (write \${REDDIT_${key.toUpperCase()}} and set that variable)`);
      else if (typeof value !== 'string' || value.trim() === '') problems.push(`${key}: must be a non-empty string`);
    }
    const subreddit = options['subreddit'];
    if (subreddit !== undefined && (typeof subreddit !== 'string' || normaliseSubreddit(subreddit) === null)) {
      problems.push('subreddit: must be a subreddit name such as "acme" or "acme+acmesupport"');
    }
    const authUrl = options['auth_url'];
    if (authUrl !== undefined && (typeof authUrl !== 'string' || safeHttpUrl(authUrl) === null)) {
      problems.push('auth_url: must be an http:// or https:// URL');
    }
    const userAgent = options['user_agent'];
    if (userAgent !== undefined && (typeof userAgent !== 'string' || userAgent.trim() === '' || /[\r\n]/.test(userAgent))) {
      problems.push('user_agent: must be a one-line string');
    }
    const days = options['backfill_days'];
    if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days) || days < 0)) {
      problems.push('backfill_days: must be a number of days, 0 or more');
    }
    return problems;
  },

  login: {
    request(source: SourceSettings): RequestSpec {
      const id = String(source.options['client_id'] ?? '');
      const secret = String(source.options['client_secret'] ?? '');
      return {
        url: stringOption(source, 'auth_url') ?? DEFAULT_AUTH_URL,
        method: 'POST',
        headers: {
          ...userAgentHeader(source),
          Authorization: `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      };
    },

    parse(_source: SourceSettings, response: FetchedResponse): SourceSession {
      const body = parseJsonBody(response, 'the reddit token endpoint');
      if (!isRecord(body)) throw new SourceFormatError('the reddit token endpoint sent JSON that is not an object');
      // A refused grant comes back as 200 {"error": "invalid_grant"} (or "unsupported_grant_type").
      const error = stringField(body['error']);
      if (error !== null) {
        throw new SourceApiError(`reddit refused the token request: ${oneLine(error)}${describeMessage(body)}`, { auth: true });
      }
      const token = stringField(body['access_token']);
      if (!token) throw new SourceFormatError('the reddit token endpoint answered without an access_token');
      const type = stringField(body['token_type']);
      if (type !== null && type.toLowerCase() !== 'bearer') {
        throw new SourceFormatError(`the reddit token endpoint issued a "${oneLine(type)}" token, expected bearer`);
      }
      return { headers: { Authorization: `bearer ${token}` } };
    },
  },

  firstRequest(source: SourceSettings, cursor: RedditCursor | null): RequestSpec {
    return searchRequest(source, cursor?.backfill?.after ?? null);
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: RedditCursor | null): SourcePage<RedditCursor> {
    if (response.status === 304) return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    const listing = readListing(parseJsonBody(response, 'reddit search'));
    const warnings: string[] = [];
    const mentions: MentionDraft[] = [];
    const times: number[] = [];
    let newest: { time: number; id: string } | null = null;
    for (const [index, child] of listing.children.entries()) {
      const item = mapChild(child, index, warnings);
      if (item.time !== null) {
        times.push(item.time);
        if (item.id !== null && (newest === null || item.time > newest.time)) newest = { time: item.time, id: item.id };
      }
      if (item.draft) mentions.push(item.draft);
    }

    const run = currentRun(source, cursor, newest);
    const page = { mentions, itemsSeen: listing.children.length, warnings };
    if (run === null) return { ...page, cursor: cursor ?? {}, next: null };

    const anchor = cursor?.backfill?.after;
    if (anchor !== undefined && listing.children.length === 0) {
      if (!run.restarted) {
        warnings.push(`the listing ended early after ${anchor} (deleted or no longer in search?); paging again from the newest result`);
        return { ...page, cursor: { ...withoutBackfill(cursor), backfill: { ...run, restarted: true } }, next: searchRequest(source, null) };
      }
      warnings.push(`the listing ended early after ${anchor} again; older items of this run may be missing`);
    }
    // Newest first: the last item is the oldest on the page.
    const oldest = times.length > 0 ? times[times.length - 1]! : null;
    const reachedFloor = oldest === null || oldest < run.floor;
    if (reachedFloor || listing.after === null) {
      const done: RedditCursor = {};
      const keepOld = cursor?.since !== undefined && cursor.since >= run.top;
      done.since = keepOld ? cursor.since : run.top;
      done.newest = keepOld ? cursor.newest ?? run.topId : run.topId;
      return { ...page, cursor: done, next: null };
    }
    const next: RedditCursor = { ...withoutBackfill(cursor), backfill: { ...run, after: listing.after } };
    return { ...page, cursor: next, next: searchRequest(source, listing.after) };
  },
};

/**
 * The run this page belongs to: the stored backfill, or a new one that starts
 * at this page's newest item. A run started over from the top takes in items
 * newer than its top.
 */
function currentRun(source: SourceSettings, cursor: RedditCursor | null, newest: { time: number; id: string } | null): RedditRun | null {
  const backfill = cursor?.backfill;
  if (backfill) {
    const run: RedditRun = { top: backfill.top, topId: backfill.topId, floor: backfill.floor };
    if (backfill.restarted) run.restarted = true;
    if (newest !== null && newest.time > run.top) {
      run.top = newest.time;
      run.topId = newest.id;
    }
    return run;
  }
  if (newest === null) return null;
  const { time, id } = newest;
  const floor = cursor?.since !== undefined ? cursor.since - REDDIT_OVERLAP_SECONDS : time - backfillDays(source) * 86_400;
  return { top: time, topId: id, floor };
}

function withoutBackfill(cursor: RedditCursor | null): RedditCursor {
  const rest: RedditCursor = {};
  if (cursor?.since !== undefined) rest.since = cursor.since;
  if (cursor?.newest !== undefined) rest.newest = cursor.newest;
  return rest;
}

function searchRequest(source: SourceSettings, after: string | null): RequestSpec {
  const base = (source.url ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const subreddit = normaliseSubreddit(stringOption(source, 'subreddit'));
  const url = withQuery(subreddit ? `${base}/r/${subreddit}/search` : `${base}/search`, {
    q: source.query ?? '',
    sort: 'new',
    limit: PAGE_SIZE,
    raw_json: 1,
    type: 'link,comment',
    restrict_sr: subreddit ? 1 : null,
    after,
  });
  return { url, method: 'GET', headers: { ...userAgentHeader(source), Accept: 'application/json' } };
}

/** "r/Acme", "/r/acme/" and "acme+acmesupport" → the path segment, or null when empty or not a name. */
function normaliseSubreddit(raw: string | null | undefined): string | null {
  const name = raw?.trim().replace(/^\/?r\//i, '').replace(/\/+$/, '') ?? '';
  return /^[A-Za-z0-9_]{2,21}(?:\+[A-Za-z0-9_]{2,21})*$/.test(name) ? name : null;
}

function stringOption(source: SourceSettings, key: string): string | null {
  const value = source.options[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Reddit asks for a unique, descriptive User-Agent and throttles generic ones; lower case so it replaces the client's default. */
function userAgentHeader(source: SourceSettings): Record<string, string> {
  const userAgent = stringOption(source, 'user_agent');
  return userAgent ? { 'user-agent': userAgent } : {};
}

function backfillDays(source: SourceSettings): number {
  const days = source.options['backfill_days'];
  return typeof days === 'number' && Number.isFinite(days) && days >= 0 ? days : DEFAULT_BACKFILL_DAYS;
}

// ---------------------------------------------------------------------------
// Response shape

interface Listing {
  children: unknown[];
  after: string | null;
}

function readListing(body: unknown): Listing {
  if (!isRecord(body)) throw new SourceFormatError('reddit search sent JSON that is not an object');
  // Errors that arrive with a 200: {"message": "Forbidden", "error": 403}.
  const code = numberField(body['error']);
  if (code !== null || (typeof body['error'] === 'string' && body['kind'] === undefined)) {
    const label = code !== null ? String(code) : oneLine(String(body['error']));
    throw new SourceApiError(`reddit API error ${label}${describeMessage(body)}`, {
      auth: code === 401 || code === 403,
      retryAfterSeconds: code === 429 ? 60 : null,
    });
  }
  const data = body['data'];
  if (body['kind'] !== 'Listing' || !isRecord(data) || !Array.isArray(data['children'])) {
    throw new SourceFormatError('reddit search answered with JSON that is not a Listing');
  }
  const after = stringField(data['after']);
  return { children: data['children'], after: after ? after : null };
}

function describeMessage(body: Record<string, unknown>): string {
  const message = stringField(body['message']) ?? stringField(body['error_description']);
  return message ? `: ${oneLine(message)}` : '';
}

// ---------------------------------------------------------------------------
// Items

interface MappedChild {
  draft: MentionDraft | null;
  /** created_utc, even for items that are skipped, so the cursor still sees how far the page reaches. */
  time: number | null;
  id: string | null;
}

function mapChild(child: unknown, index: number, warnings: string[]): MappedChild {
  const label = `item ${index + 1}`;
  if (!isRecord(child) || !isRecord(child['data'])) {
    warnings.push(`${label}: skipped, not a Reddit thing`);
    return { draft: null, time: null, id: null };
  }
  const kind = stringField(child['kind']);
  const data = child['data'];
  const created = numberField(data['created_utc']);
  const time = created !== null && created > 0 ? created : null;
  const shortId = stringField(data['id']);
  const id = stringField(data['name']) ?? (kind && shortId ? `${kind}_${shortId}` : null);
  if (kind !== 't3' && kind !== 't1') {
    warnings.push(`${label}: skipped, kind "${oneLine(kind ?? '?')}" is neither a post nor a comment`);
    return { draft: null, time, id };
  }
  if (!id || !id.startsWith(`${kind}_`)) {
    warnings.push(`${label}: skipped, it has no usable fullname`);
    return { draft: null, time, id: null };
  }
  const author = stringField(data['author']);
  const knownAuthor = author && author !== '[deleted]' ? author : null;
  const base = {
    externalId: id,
    author: knownAuthor,
    authorUrl: knownAuthor ? safeHttpUrl(`${SITE}/user/${encodeURIComponent(knownAuthor)}`) : null,
    // Listings carry no follower or karma counts (subreddit_subscribers is the community's, not the author's).
    authorReach: null,
    lang: null,
    publishedAt: time !== null ? Math.round(time * 1000) : null,
  };
  if (time === null) warnings.push(`${label} (${id}): no usable created_utc`);

  if (kind === 't3') {
    const title = collapseWhitespace(stringField(data['title']) ?? '').replace(/\n/g, ' ');
    const selftext = stringField(data['selftext']) ?? '';
    // A deleted or removed post keeps its title, which is often where the brand is named.
    const text = DELETED_BODIES.has(selftext.trim()) ? '' : markdownText(selftext);
    if (!title && !text) {
      warnings.push(`${label} (${id}): skipped, the post has neither title nor text`);
      return { draft: null, time, id };
    }
    return {
      draft: { ...base, url: permalinkUrl(data['permalink']), title: title || null, text, parentId: null, threadId: id },
      time,
      id,
    };
  }

  const body = stringField(data['body']) ?? '';
  if (DELETED_BODIES.has(body.trim()) || body.trim() === '') {
    warnings.push(`${label} (${id}): skipped, the comment was deleted or removed`);
    return { draft: null, time, id };
  }
  const linkId = stringField(data['link_id']);
  const permalink = permalinkUrl(data['permalink']) ?? commentUrlFromLink(data['link_permalink'], shortId);
  return {
    draft: {
      ...base,
      url: permalink,
      title: null,
      text: markdownText(body),
      parentId: stringField(data['parent_id']),
      threadId: linkId,
    },
    time,
    id,
  };
}

/** https://www.reddit.com + permalink, without the `?ref=search_posts` style tracking. */
function permalinkUrl(raw: unknown): string | null {
  const permalink = stringField(raw);
  if (!permalink) return null;
  const url = safeHttpUrl(permalink, SITE);
  if (!url) return null;
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

function commentUrlFromLink(linkPermalink: unknown, shortId: string | null): string | null {
  const link = permalinkUrl(linkPermalink);
  if (!link || !shortId) return null;
  return safeHttpUrl(`${link.replace(/\/?$/, '/')}${encodeURIComponent(shortId)}/`);
}

/**
 * Reddit's Markdown source, kept as readable plain text. Reddit stores it with
 * `&amp;`, `&lt;` and `&gt;` escaped (raw_json does not undo that), and its
 * editor pads empty paragraphs with `&#x200B;`.
 */
function markdownText(markdown: string): string {
  return collapseWhitespace(decodeCharacterReferences(markdown, NAMED_ENTITIES).replace(/[\u200B\uFEFF]/g, ''));
}

const NAMED_ENTITIES: Record<string, string> = { ...XML_ENTITIES, nbsp: '\u00A0' };

