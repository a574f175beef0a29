import { collapseWhitespace, htmlToText, safeHttpUrl } from './html-text.js';
import { isRecord, jsonOfErrorBody, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';
import { truncate } from './text.js';

/**
 * YouTube Data API v3 with an API key. YouTube has no global comment search,
 * so one poll runs up to three streams, one after the other:
 *   1. videos: `search.list` (type=video, order=date, publishedAfter) for new
 *      videos matching the query;
 *   2. channel: `commentThreads.list?allThreadsRelatedToChannelId=` with
 *      `searchTerms` for comments on the brand's own channel (`channel_id`);
 *   3. comments: `commentThreads.list?videoId=` for the videos stream 1 found
 *      (`video_comments: true`), each fetched once, from a short queue.
 * The adapter tells the streams apart by the request URL of each response.
 *
 * The key must go in the `key` query parameter (the API takes no header for
 * it). It is never copied into the cursor, a mention, a warning or an error
 * message; HTTP errors name only the host.
 *
 * Cursor (small JSON, advanced page by page):
 *   - `stage`: the stream the next pull starts with. A pull cut short by
 *     `max_pages` resumes there; a finished cycle starts over with videos.
 *   - `videos.mark`: newest publishedAt fully covered. search.list pages newest
 *     first; `videos.backfill` holds the window not read to its end: `before`
 *     (oldest publishedAt seen, the resume point, inclusive) and `newest` (the
 *     mark once done). A later pull resumes with publishedBefore, not with a
 *     page token, and YouTube's ~500-result cap is handled the same way.
 *   - `channel.mark`: time and id of the newest top-level comment covered.
 *     commentThreads has no time filter: with order=time the adapter pages
 *     until it meets a thread at or older than the mark. `channel.backfill`
 *     keeps the page token (the only way to resume) and the window's newest.
 *   - `pending` / `current`: the queue of videos whose comments are to fetch
 *     and the one in progress. A video whose fetch a pull did not finish (the
 *     page cap, or an HTTP error such as comments disabled) goes back to the
 *     queue, and is given up after two such attempts, so one bad video can
 *     never block the source.
 * The first poll reads one page per stream (no backfill of history), to save quota.
 */

export type YouTubeCursor = {
  stage?: Stage;
  videos?: { mark?: string; backfill?: VideoBackfill };
  channel?: { mark?: CommentMark; backfill?: { token: string; newest: CommentMark } };
  pending?: QueuedVideo[];
  current?: QueuedVideo & { token?: string };
};

type Stage = 'videos' | 'channel' | 'comments';
type VideoBackfill = { before: string; newest: string; fetched: number };
/** A top-level comment: publishedAt (RFC 3339) and comment id. */
type CommentMark = { time: string; id: string };
type QueuedVideo = { videoId: string; attempts?: number };

const STAGES: readonly Stage[] = ['videos', 'channel', 'comments'];
const DEFAULT_BASE_URL = 'https://www.googleapis.com';
const SEARCH_PAGE_SIZE = 50;
const THREADS_PAGE_SIZE = 100;
/** search.list stops paging after about 500 results of one query. */
const SEARCH_RESULT_CAP = 500;
const MAX_PENDING_VIDEOS = 20;
const MAX_VIDEO_ATTEMPTS = 2;
const CHANNEL_ID = /^UC[\w-]{22}$/;

export const youtubeAdapter: SourceAdapter<YouTubeCursor> = {
  types: ['youtube'],
  examples: {
    youtube: {
      summary: 'YouTube: new videos by search, and comments on the brand channel',
      yaml: `name: {name}
type: youtube
query: {query}
api_key: \${YOUTUBE_API_KEY}
# channel_id: UCxxxxxxxxxxxxxxxxxxxxxx   # the brand channel: its comment threads too
interval: 1h               # a search costs 100 of the 10,000 daily quota units`,
      env: ['YOUTUBE_API_KEY'],
      doc: 'docs/sources/youtube.md',
    },
  },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    if (!source.query?.trim()) problems.push('query: is required (the words to search videos and comments for)');
    const key = source.options['api_key'];
    if (key === undefined || key === null) problems.push('api_key: is required (a YouTube Data API key, e.g. api_key: ${YOUTUBE_API_KEY})');
    else if (typeof key !== 'string' || key.trim() === '') problems.push('api_key: must be a non-empty string');
    const channel = source.options['channel_id'];
    if (channel !== undefined && channel !== null && (typeof channel !== 'string' || !CHANNEL_ID.test(channel.trim()))) {
      problems.push('channel_id: expected a channel id: 24 characters starting with "UC" (not a @handle or a URL)');
    }
    const videoComments = source.options['video_comments'];
    if (videoComments !== undefined && videoComments !== null && typeof videoComments !== 'boolean') {
      problems.push('video_comments: must be true or false');
    }
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: YouTubeCursor | null): RequestSpec {
    // A video fetch in progress when the last pull ended is not resumed: parsePage
    // puts it back in the queue (see settleInterrupted).
    const state: YouTubeCursor = { ...(cursor ?? {}), current: undefined };
    const from = STAGES.indexOf(cursor?.stage ?? 'videos');
    for (const stage of STAGES.slice(Math.max(0, from))) {
      const entered = enterStage(source, stage, state);
      if (entered) return entered.request;
    }
    return enterStage(source, 'videos', state)!.request;
  },

  explainError(source: SourceSettings, response: FetchedResponse): SourceApiError | null {
    // A 403 is as often "quotaExceeded" or "commentsDisabled" as a bad key: the body says which.
    const body = jsonOfErrorBody(response);
    return isRecord(body) && isRecord(body['error']) ? apiError(body['error'], apiKey(source)) : null;
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: YouTubeCursor | null): SourcePage<YouTubeCursor> {
    if (response.status === 304) {
      return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    }
    if (response.status < 200 || response.status > 299) throw new SourceFormatError(`youtube: expected a JSON response but got HTTP ${response.status}`);

    const sent = requestOf(response.url);
    const body = parseJsonBody(response, 'youtube');
    if (isRecord(body) && isRecord(body['error'])) throw apiError(body['error'], apiKey(source));
    if (!isRecord(body) || !Array.isArray(body['items'])) {
      throw new SourceFormatError('youtube: expected a YouTube Data API list response but the body has no items array');
    }

    const warnings: string[] = [];
    const state = videoCommentsOn(source) ? settleInterrupted(cursor ?? {}, sent, warnings) : { ...cursor, pending: undefined, current: undefined };

    const items = body['items'] as unknown[];
    let page: PageResult;
    if (sent.endpoint === 'search') {
      expectKind(body, 'youtube#searchListResponse');
      page = videosPage(source, sent, body, items, state, warnings);
    } else if (sent.endpoint === 'channel') {
      expectKind(body, 'youtube#commentThreadListResponse');
      page = channelPage(source, sent, body, items, state, warnings);
    } else if (sent.endpoint === 'video') {
      expectKind(body, 'youtube#commentThreadListResponse');
      page = videoCommentsPage(source, sent, body, items, state, warnings);
    } else {
      throw new SourceFormatError('youtube: the response is not from search or commentThreads, so it cannot be read');
    }
    return { ...page, cursor: compact(page.cursor), itemsSeen: items.length, warnings };
  },
};

// ---------------------------------------------------------------------------
// Requests

interface SentRequest {
  endpoint: 'search' | 'channel' | 'video' | null;
  params: URLSearchParams;
  url: string;
}

function requestOf(url: string): SentRequest {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { endpoint: null, params: new URLSearchParams(), url };
  }
  const method = parsed.pathname.replace(/\/+$/, '').split('/').pop();
  const params = parsed.searchParams;
  let endpoint: SentRequest['endpoint'] = null;
  if (method === 'search') endpoint = 'search';
  else if (method === 'commentThreads' && params.has('videoId')) endpoint = 'video';
  else if (method === 'commentThreads' && params.has('allThreadsRelatedToChannelId')) endpoint = 'channel';
  return { endpoint, params, url };
}

function apiUrl(source: SourceSettings, method: string, params: Record<string, string | number | null | undefined>): string {
  const base = (source.url ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  return withQuery(`${base}/youtube/v3/${method}`, { ...params, key: apiKey(source) });
}

function searchRequest(source: SourceSettings, after: string | null, before: string | null): RequestSpec {
  const url = apiUrl(source, 'search', {
    part: 'snippet',
    q: source.query ?? '',
    type: 'video',
    order: 'date',
    maxResults: SEARCH_PAGE_SIZE,
    publishedAfter: after,
    publishedBefore: before,
  });
  return { url, method: 'GET' };
}

function threadsRequest(source: SourceSettings, filter: { allThreadsRelatedToChannelId: string } | { videoId: string }, token: string | null): RequestSpec {
  const url = apiUrl(source, 'commentThreads', {
    part: 'snippet,replies',
    ...filter,
    searchTerms: source.query ?? '',
    order: 'time',
    maxResults: THREADS_PAGE_SIZE,
    textFormat: 'plainText',
    pageToken: token,
  });
  return { url, method: 'GET' };
}

/** The same request with a page token: the next page of the same listing. */
function nextPage(sent: SentRequest, token: string): RequestSpec {
  return { url: withQuery(sent.url, { pageToken: token }), method: 'GET' };
}

function apiKey(source: SourceSettings): string {
  const key = source.options['api_key'];
  return typeof key === 'string' ? key.trim() : '';
}

function channelIdOf(source: SourceSettings): string | null {
  const id = source.options['channel_id'];
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

function videoCommentsOn(source: SourceSettings): boolean {
  return source.options['video_comments'] === true;
}

// ---------------------------------------------------------------------------
// Stages

/** The first request of a stream and the cursor that goes with starting it, or null when it has nothing to do. */
function enterStage(source: SourceSettings, stage: Stage, cursor: YouTubeCursor): { cursor: YouTubeCursor; request: RequestSpec } | null {
  if (stage === 'videos') {
    const request = searchRequest(source, cursor.videos?.mark ?? null, cursor.videos?.backfill?.before ?? null);
    return { cursor: { ...cursor, stage }, request };
  }
  if (stage === 'channel') {
    const channelId = channelIdOf(source);
    if (!channelId) return null;
    const request = threadsRequest(source, { allThreadsRelatedToChannelId: channelId }, cursor.channel?.backfill?.token ?? null);
    return { cursor: { ...cursor, stage }, request };
  }
  if (!videoCommentsOn(source)) return null;
  const [head, ...rest] = cursor.pending ?? [];
  if (!head) return null;
  return { cursor: { ...cursor, stage, pending: rest, current: head }, request: threadsRequest(source, { videoId: head.videoId }, null) };
}

/** After `done` finished: the next stream with something to do in this cycle, or the end of the cycle. */
function afterStage(source: SourceSettings, done: Stage, cursor: YouTubeCursor): { cursor: YouTubeCursor; next: RequestSpec | null } {
  for (const stage of STAGES.slice(STAGES.indexOf(done) + 1)) {
    const entered = enterStage(source, stage, cursor);
    if (entered) return { cursor: entered.cursor, next: entered.request };
  }
  return { cursor: { ...cursor, stage: 'videos', current: undefined }, next: null };
}

/**
 * A `current` video whose fetch this response does not continue was cut off:
 * by the page cap, or by an HTTP error the adapter never saw. It goes back to
 * the end of the queue, and is dropped (with a warning) after two attempts.
 */
function settleInterrupted(cursor: YouTubeCursor, sent: SentRequest, warnings: string[]): YouTubeCursor {
  const current = cursor.current;
  if (!current) return cursor;
  const token = sent.params.get('pageToken');
  const continues = sent.endpoint === 'video' && sent.params.get('videoId') === current.videoId && (current.token ? token === current.token : token === null);
  if (continues) return cursor;
  const attempts = (current.attempts ?? 0) + 1;
  if (attempts >= MAX_VIDEO_ATTEMPTS) {
    warnings.push(`gave up fetching the comments of video ${current.videoId}: ${attempts} attempts were cut off (comments disabled, video removed, or the page cap)`);
    return { ...cursor, current: undefined };
  }
  return { ...cursor, current: undefined, pending: [...(cursor.pending ?? []), { videoId: current.videoId, attempts }] };
}

type PageResult = { mentions: MentionDraft[]; cursor: YouTubeCursor; next: RequestSpec | null };

function videosPage(
  source: SourceSettings,
  sent: SentRequest,
  body: Record<string, unknown>,
  items: unknown[],
  cursor: YouTubeCursor,
  warnings: string[],
): PageResult {
  const mentions = mapAll(items, (item, index) => mapVideo(item, index, warnings));
  const continued = sent.params.has('pageToken');
  const bounded = sent.params.has('publishedBefore');
  const mark = cursor.videos?.mark;
  const carried = continued || bounded ? cursor.videos?.backfill : undefined;

  const dates = items.map((item) => (isRecord(item) && isRecord(item['snippet']) ? timeOf(item['snippet']['publishedAt']) : null)).filter((d): d is number => d !== null);
  const newest = maxOf([...(carried ? [Date.parse(carried.newest)] : []), ...dates]);
  const oldest = dates.length > 0 ? Math.min(...dates) : carried ? Date.parse(carried.before) : undefined;
  const fetched = (continued ? (carried?.fetched ?? 0) : 0) + items.length;
  const token = nonEmpty(stringField(body['nextPageToken']));
  // Videos at or before the mark were queued by an earlier window (publishedAfter is inclusive).
  const unseen = mark === undefined ? mentions : mentions.filter((m) => m.publishedAt === null || m.publishedAt > Date.parse(mark));
  const withVideos = queueVideos(source, cursor, unseen, warnings);

  // The very first poll reads only the newest page: no backfill of history.
  if (mark !== undefined && newest !== undefined && oldest !== undefined) {
    if (items.length > 0 && token) {
      const backfill = { before: rfc3339(oldest, 'up'), newest: rfc3339(newest), fetched };
      return { mentions, cursor: { ...withVideos, stage: 'videos', videos: { mark, backfill } }, next: nextPage(sent, token) };
    }
    if (fetched >= SEARCH_RESULT_CAP && oldest > Date.parse(mark)) {
      const backfill = { before: rfc3339(oldest, 'up'), newest: rfc3339(newest), fetched: 0 };
      return { mentions, cursor: { ...withVideos, stage: 'videos', videos: { mark, backfill } }, next: searchRequest(source, mark, backfill.before) };
    }
  }
  const newMark = newest !== undefined ? rfc3339(newest) : mark;
  return { mentions, ...afterStage(source, 'videos', { ...withVideos, videos: newMark === undefined ? undefined : { mark: newMark } }) };
}

/** Adds the videos of a search page to the comment queue (when video_comments is on), up to its size. */
function queueVideos(source: SourceSettings, cursor: YouTubeCursor, videos: MentionDraft[], warnings: string[]): YouTubeCursor {
  if (!videoCommentsOn(source) || videos.length === 0) return cursor;
  const pending = [...(cursor.pending ?? [])];
  const known = new Set([...pending.map((v) => v.videoId), ...(cursor.current ? [cursor.current.videoId] : [])]);
  let dropped = 0;
  for (const video of videos) {
    if (known.has(video.externalId)) continue;
    known.add(video.externalId);
    if (pending.length >= MAX_PENDING_VIDEOS) dropped++;
    else pending.push({ videoId: video.externalId });
  }
  if (dropped > 0) warnings.push(`${dropped} video(s) not queued for comment fetching: the queue holds ${MAX_PENDING_VIDEOS}`);
  return { ...cursor, pending };
}

function channelPage(
  source: SourceSettings,
  sent: SentRequest,
  body: Record<string, unknown>,
  items: unknown[],
  cursor: YouTubeCursor,
  warnings: string[],
): PageResult {
  const mentions = mapAll(items, (item, index) => mapThread(item, index, warnings));
  const mark = cursor.channel?.mark;
  const carried = sent.params.has('pageToken') ? cursor.channel?.backfill : undefined;
  const tops = items.map(topLevelMark).filter((t): t is CommentMark & { ms: number } => t !== null);
  const newest = carried?.newest ?? newestMark(tops);
  const token = nonEmpty(stringField(body['nextPageToken']));

  if (mark !== undefined && newest !== undefined && items.length > 0 && token) {
    const markMs = Date.parse(mark.time);
    const reachedMark = tops.some((t) => t.id === mark.id || t.ms < markMs);
    if (!reachedMark) {
      return { mentions, cursor: { ...cursor, stage: 'channel', channel: { mark, backfill: { token, newest } } }, next: nextPage(sent, token) };
    }
  }
  const newMark = newest ?? mark;
  return { mentions, ...afterStage(source, 'channel', { ...cursor, channel: newMark === undefined ? undefined : { mark: newMark } }) };
}

function videoCommentsPage(
  source: SourceSettings,
  sent: SentRequest,
  body: Record<string, unknown>,
  items: unknown[],
  cursor: YouTubeCursor,
  warnings: string[],
): PageResult {
  const mentions = mapAll(items, (item, index) => mapThread(item, index, warnings));
  const videoId = sent.params.get('videoId') ?? '';
  const queued = cursor.pending?.find((v) => v.videoId === videoId);
  const attempts = cursor.current?.videoId === videoId ? cursor.current.attempts : queued?.attempts;
  const state: YouTubeCursor = { ...cursor, pending: cursor.pending?.filter((v) => v.videoId !== videoId), current: undefined };
  const token = nonEmpty(stringField(body['nextPageToken']));
  if (items.length > 0 && token) {
    const current = attempts === undefined ? { videoId, token } : { videoId, attempts, token };
    return { mentions, cursor: { ...state, stage: 'comments', current }, next: nextPage(sent, token) };
  }
  // This video is done: on to the next one in the queue, or the end of the cycle.
  const following = enterStage(source, 'comments', state);
  if (following) return { mentions, cursor: following.cursor, next: following.request };
  return { mentions, ...afterStage(source, 'comments', state) };
}

// ---------------------------------------------------------------------------
// Mapping

function mapAll(items: unknown[], map: (item: unknown, index: number) => MentionDraft[] | MentionDraft | null): MentionDraft[] {
  const mentions: MentionDraft[] = [];
  for (const [index, item] of items.entries()) {
    const mapped = map(item, index);
    if (Array.isArray(mapped)) mentions.push(...mapped);
    else if (mapped) mentions.push(mapped);
  }
  return mentions;
}

/** A search result: a video. Titles, descriptions and channel names come HTML-escaped (`&#39;`, `&amp;`). */
function mapVideo(item: unknown, index: number, warnings: string[]): MentionDraft | null {
  const id = isRecord(item) && isRecord(item['id']) ? item['id'] : null;
  const snippet = isRecord(item) && isRecord(item['snippet']) ? item['snippet'] : null;
  const videoId = id ? nonEmpty(stringField(id['videoId'])) : null;
  if (!videoId || !snippet) {
    warnings.push(`skipped search result ${index + 1}: not a video with an id and a snippet`);
    return null;
  }
  const channelId = nonEmpty(stringField(snippet['channelId']));
  return {
    externalId: videoId,
    url: watchUrl(videoId),
    author: emptyToNull(htmlToText(stringField(snippet['channelTitle']) ?? '')),
    authorUrl: channelId ? safeHttpUrl(`https://www.youtube.com/channel/${encodeURIComponent(channelId)}`) : null,
    authorReach: null,
    title: emptyToNull(htmlToText(stringField(snippet['title']) ?? '')),
    text: htmlToText(stringField(snippet['description']) ?? ''),
    lang: null,
    publishedAt: timeOf(snippet['publishedAt']),
    parentId: null,
    threadId: null,
  };
}

/** A comment thread: its top-level comment (parent: the video) and the replies it carries (parent: snippet.parentId). */
function mapThread(item: unknown, index: number, warnings: string[]): MentionDraft[] {
  const threadId = isRecord(item) ? nonEmpty(stringField(item['id'])) : null;
  const snippet = isRecord(item) && isRecord(item['snippet']) ? item['snippet'] : null;
  const top = snippet && isRecord(snippet['topLevelComment']) ? snippet['topLevelComment'] : null;
  if (!isRecord(item) || !threadId || !snippet || !top) {
    warnings.push(`skipped comment thread ${index + 1}: no id or top-level comment`);
    return [];
  }
  const topSnippet = isRecord(top['snippet']) ? top['snippet'] : {};
  const target: CommentTarget = {
    videoId: nonEmpty(stringField(snippet['videoId'])) ?? nonEmpty(stringField(topSnippet['videoId'])),
    postId: nonEmpty(stringField(snippet['postId'])) ?? nonEmpty(stringField(topSnippet['postId'])),
  };
  const mentions: MentionDraft[] = [];
  const topId = nonEmpty(stringField(top['id'])) ?? threadId;
  const first = mapComment(top, target, target.videoId ?? target.postId, threadId, warnings);
  if (first) mentions.push(first);
  const replies = isRecord(item['replies']) && Array.isArray(item['replies']['comments']) ? item['replies']['comments'] : [];
  for (const reply of replies) {
    const parentId = isRecord(reply) && isRecord(reply['snippet']) ? nonEmpty(stringField(reply['snippet']['parentId'])) : null;
    const mapped = mapComment(reply, target, parentId ?? topId, threadId, warnings);
    if (mapped) mentions.push(mapped);
  }
  return mentions;
}

interface CommentTarget {
  videoId: string | null;
  /** Community post the comment is on, when it is not on a video. */
  postId: string | null;
}

function mapComment(comment: unknown, target: CommentTarget, parentId: string | null, threadId: string, warnings: string[]): MentionDraft | null {
  const id = isRecord(comment) ? nonEmpty(stringField(comment['id'])) : null;
  const snippet = isRecord(comment) && isRecord(comment['snippet']) ? comment['snippet'] : null;
  if (!id || !snippet) {
    warnings.push(`skipped a comment in thread ${threadId}: no id or snippet`);
    return null;
  }
  const original = stringField(snippet['textOriginal']);
  const display = stringField(snippet['textDisplay']);
  const authorChannelId = isRecord(snippet['authorChannelId']) ? nonEmpty(stringField(snippet['authorChannelId']['value'])) : null;
  return {
    externalId: id,
    url: commentUrl(target, id),
    author: emptyToNull(collapseWhitespace(stringField(snippet['authorDisplayName']) ?? '')),
    authorUrl:
      safeHttpUrl(stringField(snippet['authorChannelUrl'])) ??
      (authorChannelId ? safeHttpUrl(`https://www.youtube.com/channel/${encodeURIComponent(authorChannelId)}`) : null),
    authorReach: null,
    title: null,
    // textOriginal is the raw text; textDisplay may be HTML (textFormat=html) or hold entities.
    text: original !== null ? collapseWhitespace(original) : htmlToText(display ?? ''),
    lang: null,
    publishedAt: timeOf(snippet['publishedAt']),
    parentId,
    threadId,
  };
}

function watchUrl(videoId: string): string | null {
  return safeHttpUrl(`https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`);
}

function commentUrl(target: CommentTarget, commentId: string): string | null {
  const lc = encodeURIComponent(commentId);
  if (target.videoId) return safeHttpUrl(`https://www.youtube.com/watch?v=${encodeURIComponent(target.videoId)}&lc=${lc}`);
  if (target.postId) return safeHttpUrl(`https://www.youtube.com/post/${encodeURIComponent(target.postId)}?lc=${lc}`);
  return null;
}

function topLevelMark(item: unknown): (CommentMark & { ms: number }) | null {
  if (!isRecord(item) || !isRecord(item['snippet']) || !isRecord(item['snippet']['topLevelComment'])) return null;
  const top = item['snippet']['topLevelComment'];
  const id = nonEmpty(stringField(item['id'])) ?? nonEmpty(stringField(top['id']));
  const ms = isRecord(top['snippet']) ? timeOf(top['snippet']['publishedAt']) : null;
  return id && ms !== null ? { id, ms, time: new Date(ms).toISOString() } : null;
}

function newestMark(tops: Array<CommentMark & { ms: number }>): CommentMark | undefined {
  let best: (CommentMark & { ms: number }) | undefined;
  for (const top of tops) if (!best || top.ms > best.ms) best = top;
  return best ? { time: best.time, id: best.id } : undefined;
}

// ---------------------------------------------------------------------------
// Errors and small helpers

/**
 * YouTube reports errors with HTTP 4xx/5xx, which the HTTP layer turns into
 * host-only messages before this adapter sees them. A 200 body holding an
 * `error` object is read the same way, defensively, with the key masked.
 */
function apiError(error: Record<string, unknown>, key: string): SourceApiError {
  const code = numberField(error['code']);
  const details = Array.isArray(error['errors']) ? error['errors'].filter(isRecord) : [];
  const reason = details.map((d) => stringField(d['reason'])).find((r) => r) ?? null;
  const message = htmlToText(stringField(error['message']) ?? '').replace(/\n/g, ' ');
  const masked = key.length >= 4 ? message.split(key).join('***') : message;
  const text = `youtube: API error ${code ?? '?'}${reason ? ` ${reason}` : ''}${masked ? ` (${truncate(masked, 200)})` : ''}`;
  if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded') {
    return new SourceApiError(`${text}: the daily quota is used up; it resets at midnight Pacific time`);
  }
  if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') return new SourceApiError(text, { retryAfterSeconds: 10 });
  if (code === 401 || reason === 'keyInvalid' || reason === 'keyExpired' || reason === 'accessNotConfigured' || reason === 'forbidden') {
    return new SourceApiError(text, { auth: true });
  }
  return new SourceApiError(text);
}

function expectKind(body: Record<string, unknown>, kind: string): void {
  const actual = stringField(body['kind']);
  if (actual !== null && actual !== kind) throw new SourceFormatError(`youtube: expected a ${kind} but got a ${truncate(actual, 60)}`);
}

/** Drops empty and undefined fields, so the stored cursor stays small. */
function compact(cursor: YouTubeCursor): YouTubeCursor {
  const result: YouTubeCursor = { stage: cursor.stage ?? 'videos' };
  if (cursor.videos) result.videos = cursor.videos;
  if (cursor.channel) result.channel = cursor.channel;
  if (cursor.pending && cursor.pending.length > 0) result.pending = cursor.pending;
  if (cursor.current) result.current = cursor.current;
  return result;
}

function timeOf(value: unknown): number | null {
  const text = stringField(value);
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * RFC 3339 in UTC to the second, as publishedAfter/publishedBefore take it:
 * rounded down for a lower bound and up for an upper one, so the window only
 * ever grows (both bounds are inclusive; storage dedupes the overlap).
 */
function rfc3339(ms: number, round: 'down' | 'up' = 'down'): string {
  const seconds = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function maxOf(values: number[]): number | undefined {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? Math.max(...finite) : undefined;
}

function nonEmpty(value: string | null): string | null {
  return value && value.trim() !== '' ? value : null;
}

function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

