import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { youtubeAdapter } from '../../../src/sources/youtube.js';
import type { YouTubeCursor } from '../../../src/sources/youtube.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/youtube/${name}`, import.meta.url));
type Listing = { kind: string; items: Array<Record<string, unknown>> };
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as Listing;

const KEY = 'AIzaSyFixture-Key_0123456789abcdefghij';
const BRAND = 'UCa9cMe7Qk2VfT3bLr8XwY1z';
const BRAND_VIDEO = 'Aa7Ss2Dd9Ff';
const T1 = 'UgxK3m9PqR2vT7wL1nZ4AaABAg';
const R1 = `${T1}.AHb2kLm9QxzAHb3pQr7TuV`;
const R2 = `${T1}.AHb4nRt2WyzAHb4oUv8XcQ`;
const T8 = 'UgxV2cX5zA8sD1fG4hJ7AaABAg';

const base: SourceSettings = { name: 'yt', type: 'youtube', query: 'acme OR акме', options: { api_key: KEY } };
const withChannel: SourceSettings = { ...base, options: { api_key: KEY, channel_id: BRAND } };
const withVideoComments: SourceSettings = { ...base, options: { api_key: KEY, video_comments: true } };

function response(body: Uint8Array | string, url: string, status = 200): FetchedResponse {
  return {
    url,
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
  };
}

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);
const at = (iso: string) => Date.parse(iso);

describe('youtube: requests', () => {
  it('starts with search.list for new videos, the key in the key parameter', () => {
    const request = youtubeAdapter.firstRequest(base, null);
    expect(request.url).toMatch(/^https:\/\/www\.googleapis\.com\/youtube\/v3\/search\?/);
    expect(params(request.url)).toEqual({ part: 'snippet', q: 'acme OR акме', type: 'video', order: 'date', maxResults: '50', key: KEY });
    expect(request.headers).toBeUndefined();
  });

  it('searches from the mark, and resumes an unfinished window with publishedBefore', () => {
    expect(params(youtubeAdapter.firstRequest(base, { videos: { mark: '2026-11-20T17:30:00Z' } }).url)).toMatchObject({ publishedAfter: '2026-11-20T17:30:00Z' });
    const resumed = params(
      youtubeAdapter.firstRequest(base, { videos: { mark: '2026-11-19T00:00:00Z', backfill: { before: '2026-11-19T21:40:00Z', newest: '2026-11-20T17:30:00Z', fetched: 4 } } }).url,
    );
    expect(resumed).toMatchObject({ publishedAfter: '2026-11-19T00:00:00Z', publishedBefore: '2026-11-19T21:40:00Z' });
    expect(resumed).not.toHaveProperty('pageToken');
  });

  it('starts where the last pull stopped: the channel threads, with searchTerms and plain text', () => {
    const request = youtubeAdapter.firstRequest(withChannel, { stage: 'channel', channel: { mark: { time: '2026-11-20T00:00:00.000Z', id: 'x' }, backfill: { token: 'TOKEN2', newest: { time: '2026-11-20T19:12:44.000Z', id: T1 } } } });
    expect(request.url).toMatch(/\/youtube\/v3\/commentThreads\?/);
    expect(params(request.url)).toEqual({
      part: 'snippet,replies',
      allThreadsRelatedToChannelId: BRAND,
      searchTerms: 'acme OR акме',
      order: 'time',
      maxResults: '100',
      textFormat: 'plainText',
      pageToken: 'TOKEN2',
      key: KEY,
    });
    // Without a channel_id the channel stream is skipped.
    expect(youtubeAdapter.firstRequest(base, { stage: 'channel' }).url).toMatch(/\/search\?/);
  });

  it('never resumes a video fetch the last pull left unfinished: it goes on with the queue', () => {
    const cursor: YouTubeCursor = { stage: 'comments', current: { videoId: 'Rr2Bn7Dd4Ks', token: 'T' }, pending: [{ videoId: 'Hf5Wc1Uu9Jy' }] };
    expect(params(youtubeAdapter.firstRequest(withVideoComments, cursor).url)).toMatchObject({ videoId: 'Hf5Wc1Uu9Jy', searchTerms: 'acme OR акме' });
    expect(youtubeAdapter.firstRequest(withVideoComments, { ...cursor, pending: [] }).url).toMatch(/\/search\?/);
  });

  it('uses the url option as the API base', () => {
    expect(youtubeAdapter.firstRequest({ ...base, url: 'http://127.0.0.1:9' }, null).url).toMatch(/^http:\/\/127\.0\.0\.1:9\/youtube\/v3\/search\?/);
  });
});

describe('youtube: search.list pages', () => {
  const first = youtubeAdapter.firstRequest(withChannel, null);
  const page = youtubeAdapter.parsePage(withChannel, response(fixture('search.json'), first.url), null);

  it('maps a video: id, watch URL, channel as author, HTML-escaped title and description decoded', () => {
    expect(page.mentions[0]).toEqual({
      externalId: 'kX3vR9aPq2E',
      url: 'https://www.youtube.com/watch?v=kX3vR9aPq2E',
      author: 'Tech & Talk',
      authorUrl: 'https://www.youtube.com/channel/UCt7Kx2mPq9LrV4sNw8YbZ3d',
      authorReach: null,
      title: "Acme 5G review: is it worth it? 'Honest' test & speed results",
      text: 'We tested Acme\'s new 5G plan in Moscow for a week: speeds, coverage, price. Spoiler: the "unlimited" plan has limits…',
      lang: null,
      publishedAt: at('2026-11-20T17:30:00Z'),
      parentId: null,
      threadId: null,
    });
    expect(page.mentions.map((m) => m.externalId)).toEqual(['kX3vR9aPq2E', 'Zq8LmN3cT0w', 'Rr2Bn7Dd4Ks', 'Hf5Wc1Uu9Jy']);
    expect(page.mentions[3]).toMatchObject({ title: 'Акме отключили интернет — что делать? | Стрим', text: '', author: 'Дима Стримит' });
    expect(page.itemsSeen).toBe(4);
    expect(page.warnings).toEqual([]);
  });

  it('on the first poll reads one page only, sets the mark and moves on to the channel threads', () => {
    expect(page.cursor).toEqual({ stage: 'channel', videos: { mark: '2026-11-20T17:30:00Z' } });
    expect(params(page.next!.url)).toMatchObject({ allThreadsRelatedToChannelId: BRAND, key: KEY });
    expect(JSON.stringify(page.cursor)).not.toContain(KEY);
    const alone = youtubeAdapter.parsePage(base, response(fixture('search.json'), first.url), null);
    expect(alone.next).toBeNull();
    expect(alone.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' } });
  });

  it('pages back to the old mark with the page token, then sets the new mark', () => {
    const cursor: YouTubeCursor = { stage: 'videos', videos: { mark: '2026-11-19T00:00:00Z' } };
    const request = youtubeAdapter.firstRequest(base, cursor);
    const one = youtubeAdapter.parsePage(base, response(fixture('search.json'), request.url), cursor);
    expect(one.cursor).toEqual({
      stage: 'videos',
      videos: { mark: '2026-11-19T00:00:00Z', backfill: { before: '2026-11-19T21:40:00Z', newest: '2026-11-20T17:30:00Z', fetched: 4 } },
    });
    expect(params(one.next!.url)).toMatchObject({ pageToken: 'CAQQAA', publishedAfter: '2026-11-19T00:00:00Z', key: KEY });
    const two = youtubeAdapter.parsePage(base, response(fixture('search-page2.json'), one.next!.url), one.cursor);
    expect(two.mentions.map((m) => m.externalId)).toEqual(['Pp0Ee6Ss3Ll', 'Gg4Hh8Jj2Kk']);
    expect(two.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' } });
    expect(two.next).toBeNull();
  });

  it('continues below the oldest date when search stops at its ~500-result cap', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      kind: 'youtube#searchResult',
      id: { kind: 'youtube#video', videoId: `vid${String(i).padStart(8, '0')}` },
      snippet: { publishedAt: new Date(at('2026-11-20T12:00:00Z') - i * 60_000).toISOString(), channelId: BRAND, title: 'Acme', description: '', channelTitle: 'x' },
    }));
    const cursor: YouTubeCursor = { stage: 'videos', videos: { mark: '2026-11-19T00:00:00Z', backfill: { before: '2026-11-20T12:00:00Z', newest: '2026-11-20T17:30:00Z', fetched: 450 } } };
    const url = `${youtubeAdapter.firstRequest(base, { videos: { mark: '2026-11-19T00:00:00Z' } }).url}&pageToken=CMIDEAA`;
    const capped = youtubeAdapter.parsePage(base, response(JSON.stringify({ kind: 'youtube#searchListResponse', items }), url), cursor);
    expect(capped.cursor.videos).toEqual({ mark: '2026-11-19T00:00:00Z', backfill: { before: '2026-11-20T11:11:00Z', newest: '2026-11-20T17:30:00Z', fetched: 0 } });
    expect(params(capped.next!.url)).toMatchObject({ publishedAfter: '2026-11-19T00:00:00Z', publishedBefore: '2026-11-20T11:11:00Z' });
    expect(params(capped.next!.url)).not.toHaveProperty('pageToken');
  });

  it('skips a result that is not a video, with a warning', () => {
    const body = JSON.stringify({ kind: 'youtube#searchListResponse', items: [{ kind: 'youtube#searchResult', id: { kind: 'youtube#channel', channelId: BRAND }, snippet: {} }] });
    const result = youtubeAdapter.parsePage(base, response(body, first.url), null);
    expect(result.mentions).toEqual([]);
    expect(result.warnings).toEqual(['skipped search result 1: not a video with an id and a snippet']);
  });
});

describe('youtube: commentThreads pages', () => {
  const channelCursor: YouTubeCursor = { stage: 'channel', videos: { mark: '2026-11-20T17:30:00Z' } };
  const request = youtubeAdapter.firstRequest(withChannel, channelCursor);
  const page = youtubeAdapter.parsePage(withChannel, response(fixture('comment-threads.json'), request.url), channelCursor);

  it('maps a top-level comment: parent is the video, thread is the thread id', () => {
    expect(page.mentions[0]).toEqual({
      externalId: T1,
      url: `https://www.youtube.com/watch?v=${BRAND_VIDEO}&lc=${T1}`,
      author: '@irina_sokolova',
      authorUrl: 'http://www.youtube.com/@irina_sokolova',
      authorReach: null,
      title: null,
      text: 'Акме, третий день нет интернета в Марьино, а абонплату списали полностью. Когда вернёте деньги?',
      lang: null,
      publishedAt: at('2026-11-20T19:12:44Z'),
      parentId: BRAND_VIDEO,
      threadId: T1,
    });
  });

  it('includes the replies a thread carries, each pointing at its parent comment', () => {
    expect(page.mentions.map((m) => m.externalId)).toEqual([T1, R1, R2, 'UgzT8bW1cX5nR3mQ9kL2AaABAg', 'UgyP4dQ7sW2eR9tY6uI3AaABAg', 'UgwZ1xC5vB8nM2qW4eR7AaABAg']);
    expect(page.mentions[1]).toEqual({
      externalId: R1,
      url: `https://www.youtube.com/watch?v=${BRAND_VIDEO}&lc=${R1}`,
      author: '@AcmeMobile',
      authorUrl: 'http://www.youtube.com/@AcmeMobile',
      authorReach: null,
      title: null,
      text: 'Ирина, здравствуйте! Это Акме. Напишите номер заявки в чат поддержки в приложении — вернём деньги за дни без связи.',
      lang: null,
      publishedAt: at('2026-11-20T19:40:02Z'),
      parentId: T1,
      threadId: T1,
    });
    expect(page.itemsSeen).toBe(4);
  });

  it('falls back to textDisplay (entities decoded) and to null authors', () => {
    expect(page.mentions[3]!.text).toBe("Acme's eSIM activation took 2 minutes & worked on the first try. Great job!");
    expect(page.mentions[4]).toMatchObject({ author: null, authorUrl: null, text: 'Акме, когда будет 5G в Подольске?' });
  });

  it('on the first poll of the channel reads one page and marks its newest thread; the cycle ends', () => {
    expect(page.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' }, channel: { mark: { time: '2026-11-20T19:12:44.000Z', id: T1 } } });
    expect(page.next).toBeNull();
  });

  it('pages down with the token until it meets the marked thread', () => {
    const cursor: YouTubeCursor = { stage: 'channel', channel: { mark: { time: '2026-11-19T11:11:11.000Z', id: 'UgyM2nB5vC8xZ1aQ4wE7AaABAg' } } };
    const one = youtubeAdapter.parsePage(withChannel, response(fixture('comment-threads.json'), youtubeAdapter.firstRequest(withChannel, cursor).url), cursor);
    expect(one.cursor.channel).toEqual({
      mark: { time: '2026-11-19T11:11:11.000Z', id: 'UgyM2nB5vC8xZ1aQ4wE7AaABAg' },
      backfill: { token: 'Z2V0X25ld2VzdF9maXJzdC0tQ2dnSWdBUVZGN2ZST0JJRkNJZ2dHQUFTQmhtQTdTQUJHQVk', newest: { time: '2026-11-20T19:12:44.000Z', id: T1 } },
    });
    expect(one.cursor.stage).toBe('channel');
    expect(params(one.next!.url).pageToken).toBe('Z2V0X25ld2VzdF9maXJzdC0tQ2dnSWdBUVZGN2ZST0JJRkNJZ2dHQUFTQmhtQTdTQUJHQVk');
    const two = youtubeAdapter.parsePage(withChannel, response(fixture('comment-threads-page2.json'), one.next!.url), one.cursor);
    expect(two.cursor).toEqual({ stage: 'videos', channel: { mark: { time: '2026-11-20T19:12:44.000Z', id: T1 } } });
    expect(two.next).toBeNull();
  });

  it('stops at the mark without paging when the newest page already reaches it', () => {
    const cursor: YouTubeCursor = { stage: 'channel', channel: { mark: { time: '2026-11-20T19:12:44.000Z', id: T1 } } };
    const newer = youtubeAdapter.parsePage(withChannel, response(fixture('comment-threads-newer.json'), youtubeAdapter.firstRequest(withChannel, cursor).url), cursor);
    expect(newer.mentions.map((m) => m.externalId)).toEqual(['UgzN9mL6kJ3hG0fD7sA4AaABAg', T1, R1, R2]);
    expect(newer.cursor.channel).toEqual({ mark: { time: '2026-11-20T21:30:00.000Z', id: 'UgzN9mL6kJ3hG0fD7sA4AaABAg' } });
    expect(newer.next).toBeNull();
  });
});

describe('youtube: comments of the videos search found (video_comments: true)', () => {
  it('queues the videos of a search page and fetches their threads one by one', () => {
    const page = youtubeAdapter.parsePage(withVideoComments, response(fixture('search.json'), youtubeAdapter.firstRequest(withVideoComments, null).url), null);
    expect(page.cursor).toEqual({
      stage: 'comments',
      videos: { mark: '2026-11-20T17:30:00Z' },
      pending: [{ videoId: 'Zq8LmN3cT0w' }, { videoId: 'Rr2Bn7Dd4Ks' }, { videoId: 'Hf5Wc1Uu9Jy' }],
      current: { videoId: 'kX3vR9aPq2E' },
    });
    expect(params(page.next!.url)).toEqual({
      part: 'snippet,replies',
      videoId: 'kX3vR9aPq2E',
      searchTerms: 'acme OR акме',
      order: 'time',
      maxResults: '100',
      textFormat: 'plainText',
      key: KEY,
    });

    const cursor: YouTubeCursor = { stage: 'comments', current: { videoId: 'Zq8LmN3cT0w' }, pending: [{ videoId: 'Hf5Wc1Uu9Jy' }] };
    const url = youtubeAdapter.firstRequest(withVideoComments, { stage: 'comments', pending: [{ videoId: 'Zq8LmN3cT0w' }] }).url;
    const threads = youtubeAdapter.parsePage(withVideoComments, response(fixture('video-comment-threads.json'), url), cursor);
    expect(threads.mentions.map((m) => [m.externalId, m.parentId, m.threadId])).toEqual([
      [T8, 'Zq8LmN3cT0w', T8],
      [`${T8}.AHc1aB2cD3eAHc1fG4hI5j`, T8, T8],
    ]);
    expect(threads.mentions[0]!.url).toBe(`https://www.youtube.com/watch?v=Zq8LmN3cT0w&lc=${T8}`);
    expect(threads.cursor).toEqual({ stage: 'comments', current: { videoId: 'Hf5Wc1Uu9Jy' } });
    expect(params(threads.next!.url).videoId).toBe('Hf5Wc1Uu9Jy');
  });

  it('does not queue again the video at the mark, which publishedAfter returns again', () => {
    const cursor: YouTubeCursor = { stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' } };
    const page = youtubeAdapter.parsePage(withVideoComments, response(fixture('search-newer.json'), youtubeAdapter.firstRequest(withVideoComments, cursor).url), cursor);
    expect(page.cursor).toEqual({ stage: 'comments', videos: { mark: '2026-11-20T20:10:00Z' }, current: { videoId: 'Nn1Mm5Bb7Vv' } });
  });

  it('puts a video whose fetch was cut off back in the queue, and gives it up after the second time', () => {
    const searchUrl = youtubeAdapter.firstRequest(withVideoComments, { videos: { mark: '2026-11-20T17:30:00Z' } }).url;
    const empty = JSON.stringify({ kind: 'youtube#searchListResponse', items: [] });
    const once = youtubeAdapter.parsePage(withVideoComments, response(empty, searchUrl), { stage: 'comments', videos: { mark: '2026-11-20T17:30:00Z' }, current: { videoId: 'Rr2Bn7Dd4Ks' } });
    expect(once.cursor).toEqual({ stage: 'comments', videos: { mark: '2026-11-20T17:30:00Z' }, current: { videoId: 'Rr2Bn7Dd4Ks', attempts: 1 } });
    expect(once.warnings).toEqual([]);
    const twice = youtubeAdapter.parsePage(withVideoComments, response(empty, searchUrl), once.cursor);
    expect(twice.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' } });
    expect(twice.warnings).toEqual(['gave up fetching the comments of video Rr2Bn7Dd4Ks: 2 attempts were cut off (comments disabled, video removed, or the page cap)']);
  });

  it('caps the queue, with a warning', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      kind: 'youtube#searchResult',
      id: { kind: 'youtube#video', videoId: `v${String(i).padStart(10, '0')}` },
      snippet: { publishedAt: '2026-11-20T10:00:00Z', channelId: BRAND, title: 'Acme', description: '', channelTitle: 'x' },
    }));
    const page = youtubeAdapter.parsePage(
      withVideoComments,
      response(JSON.stringify({ kind: 'youtube#searchListResponse', items }), youtubeAdapter.firstRequest(withVideoComments, null).url),
      null,
    );
    expect(page.cursor.pending).toHaveLength(19);
    expect(page.cursor.current).toEqual({ videoId: 'v0000000000' });
    expect(page.warnings).toEqual(['5 video(s) not queued for comment fetching: the queue holds 20']);
  });
});

describe('youtube: errors and settings', () => {
  const searchUrl = youtubeAdapter.firstRequest(base, null).url;

  it('reads an error object in a 200 body, masking the key', () => {
    const quota = thrown(() => youtubeAdapter.parsePage(base, response(fixture('error-403-quota-exceeded.json'), searchUrl), null));
    expect(quota).toBeInstanceOf(SourceApiError);
    expect(quota.message).toBe(
      'youtube: API error 403 quotaExceeded (The request cannot be completed because you have exceeded your quota.): the daily quota is used up; it resets at midnight Pacific time',
    );
    const body = JSON.stringify({ error: { code: 400, message: `API key ${KEY} not valid.`, errors: [{ reason: 'keyInvalid' }] } });
    const invalid = thrown(() => youtubeAdapter.parsePage(base, response(body, searchUrl), null)) as SourceApiError;
    expect(invalid.message).toBe('youtube: API error 400 keyInvalid (API key *** not valid.)');
    expect(invalid.details).toEqual({ auth: true });
  });

  it('rejects an HTML page, a body without items, the wrong kind, and an unknown endpoint', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['<!doctype html><html><body>Sorry…</body></html>', searchUrl, /^youtube answered with an HTML page/],
      ['{"kind":"youtube#searchListResponse"}', searchUrl, /^youtube: expected a YouTube Data API list response/],
      ['{"kind":"youtube#videoListResponse","items":[]}', searchUrl, /^youtube: expected a youtube#searchListResponse but got a youtube#videoListResponse$/],
      ['{"kind":"youtube#videoListResponse","items":[]}', 'https://www.googleapis.com/youtube/v3/videos?id=x', /^youtube: the response is not from search or commentThreads/],
    ];
    for (const [body, url, message] of cases) {
      const err = thrown(() => youtubeAdapter.parsePage(base, response(body, url), null));
      expect(err).toBeInstanceOf(SourceFormatError);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(KEY);
    }
  });

  it('keeps the cursor on 304', () => {
    const cursor: YouTubeCursor = { stage: 'channel', videos: { mark: '2026-11-20T17:30:00Z' } };
    expect(youtubeAdapter.parsePage(base, response('', searchUrl, 304), cursor)).toMatchObject({ mentions: [], cursor, next: null });
  });

  it('checks query, api_key, channel_id and video_comments', () => {
    expect(youtubeAdapter.checkSettings!(withChannel)).toEqual([]);
    expect(youtubeAdapter.checkSettings!({ name: 'yt', type: 'youtube', options: { channel_id: '@AcmeMobile', video_comments: 'yes' } })).toEqual([
      'query: is required (the words to search videos and comments for)',
      'api_key: is required (a YouTube Data API key, e.g. api_key: ${YOUTUBE_API_KEY})',
      'channel_id: expected a channel id: 24 characters starting with "UC" (not a @handle or a URL)',
      'video_comments: must be true or false',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config text → adapter → HTTP on 127.0.0.1 → SQLite

const configFor = (url: string, extra: string[] = []) => `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: yt
    type: youtube
    query: acme OR акме
    api_key: \${YOUTUBE_API_KEY}
    url: ${url}
${extra.map((line) => `    ${line}`).join('\n')}
`;
const env = { YOUTUBE_API_KEY: KEY };

function send(res: ServerResponse, body: string | Buffer, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(body);
}

function query(req: IncomingMessage, seen: URLSearchParams[]): URLSearchParams {
  const params = new URL(req.url ?? '/', 'http://x').searchParams;
  seen.push(params);
  expect(params.get('key')).toBe(KEY);
  return params;
}

const emptyThreads = JSON.stringify({ kind: 'youtube#commentThreadListResponse', pageInfo: { totalResults: 0, resultsPerPage: 100 }, items: [] });

describe('youtube: pull', () => {
  const setup = useSourcePull();
  const serve = useTestServer();

  it('stores videos and channel comments field by field, then exactly the newer ones', async () => {
    let phase = 1;
    const searches: URLSearchParams[] = [];
    const threads: URLSearchParams[] = [];
    const server = await serve({
      '/youtube/v3/search': (req, res) => {
        const p = query(req, searches);
        send(res, fixture(phase === 1 ? (p.has('pageToken') ? 'search-page2.json' : 'search.json') : 'search-newer.json'));
      },
      '/youtube/v3/commentThreads': (req, res) => {
        const p = query(req, threads);
        send(res, fixture(phase === 1 ? (p.has('pageToken') ? 'comment-threads-page2.json' : 'comment-threads.json') : 'comment-threads-newer.json'));
      },
    });
    const harness = setup(configFor(server.url, [`channel_id: ${BRAND}`]));

    const first = await harness.pull({ env });
    expect(first.sources[0]).toMatchObject({ ok: true, pages: 2, fetched: 8, new: 8, duplicates: 0, unmatched: 2 });
    const rows = harness.mentions();
    expect(rows.map((r) => r.external_id)).toEqual([
      'Hf5Wc1Uu9Jy', T1, R1, R2, 'UgyP4dQ7sW2eR9tY6uI3AaABAg', 'UgzT8bW1cX5nR3mQ9kL2AaABAg', 'Zq8LmN3cT0w', 'kX3vR9aPq2E',
    ]);
    expect(rows.find((r) => r.external_id === 'kX3vR9aPq2E')).toEqual({
      external_id: 'kX3vR9aPq2E',
      url: 'https://www.youtube.com/watch?v=kX3vR9aPq2E',
      author: 'Tech & Talk',
      author_url: 'https://www.youtube.com/channel/UCt7Kx2mPq9LrV4sNw8YbZ3d',
      author_reach: null,
      title: "Acme 5G review: is it worth it? 'Honest' test & speed results",
      text: 'We tested Acme\'s new 5G plan in Moscow for a week: speeds, coverage, price. Spoiler: the "unlimited" plan has limits…',
      lang: 'en',
      published_at: at('2026-11-20T17:30:00Z'),
      parent_id: null,
      thread_id: null,
    });
    expect(rows.find((r) => r.external_id === R1)).toEqual({
      external_id: R1,
      url: `https://www.youtube.com/watch?v=${BRAND_VIDEO}&lc=${R1}`,
      author: '@AcmeMobile',
      author_url: 'http://www.youtube.com/@AcmeMobile',
      author_reach: null,
      title: null,
      text: 'Ирина, здравствуйте! Это Акме. Напишите номер заявки в чат поддержки в приложении — вернём деньги за дни без связи.',
      lang: 'ru',
      published_at: at('2026-11-20T19:40:02Z'),
      parent_id: T1,
      thread_id: T1,
    });
    const source = harness.source('yt')!;
    expect(source.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T17:30:00Z' }, channel: { mark: { time: '2026-11-20T19:12:44.000Z', id: T1 } } });
    expect(JSON.stringify([rows, source])).not.toContain(KEY);

    phase = 2;
    searches.length = 0;
    threads.length = 0;
    const second = await harness.pull({ env });
    expect(searches).toHaveLength(1);
    expect(searches[0]!.get('publishedAfter')).toBe('2026-11-20T17:30:00Z');
    expect(threads).toHaveLength(1);
    expect(threads[0]!.has('pageToken')).toBe(false);
    expect(threads[0]!.get('allThreadsRelatedToChannelId')).toBe(BRAND);
    // New: one video and one comment; the video at the mark and the marked thread (with its replies) are duplicates.
    expect(second.sources[0]).toMatchObject({ ok: true, new: 2, duplicates: 4 });
    expect(harness.mentions().map((r) => r.external_id)).toEqual(expect.arrayContaining(['Nn1Mm5Bb7Vv', 'UgzN9mL6kJ3hG0fD7sA4AaABAg']));
    expect(harness.mentions()).toHaveLength(10);
  });

  it('with max_pages: 1, pull after pull stores every video and comment exactly once', async () => {
    // Stand-ins for search.list (publishedAfter/publishedBefore inclusive, newest first) and commentThreads
    // (order=time, no time filter), 2 items per page, page tokens are offsets.
    const allVideos = ['search.json', 'search-page2.json', 'search-newer.json'].flatMap((f) => json(f).items);
    const videos = [...new Map(allVideos.map((v) => [(v['id'] as { videoId: string }).videoId, v])).values()];
    const allThreads = ['comment-threads.json', 'comment-threads-page2.json', 'comment-threads-newer.json'].flatMap((f) => json(f).items);
    const threadList = [...new Map(allThreads.map((t) => [t['id'] as string, t])).values()];
    const videoTime = (v: Record<string, unknown>) => Date.parse((v['snippet'] as { publishedAt: string }).publishedAt);
    const threadTime = (t: Record<string, unknown>) =>
      Date.parse((t['snippet'] as { topLevelComment: { snippet: { publishedAt: string } } }).topLevelComment.snippet.publishedAt);
    let liveSince = at('2026-11-19T20:00:00Z'); // at first only the older items exist
    const page = <T>(list: T[], p: URLSearchParams, kind: string) => {
      const offset = Number(p.get('pageToken') ?? 0);
      return JSON.stringify({ kind, ...(offset + 2 < list.length ? { nextPageToken: String(offset + 2) } : {}), items: list.slice(offset, offset + 2) });
    };
    const searches: URLSearchParams[] = [];
    const threads: URLSearchParams[] = [];
    const server = await serve({
      '/youtube/v3/search': (req, res) => {
        const p = query(req, searches);
        const after = p.has('publishedAfter') ? Date.parse(p.get('publishedAfter')!) : -Infinity;
        const before = p.has('publishedBefore') ? Date.parse(p.get('publishedBefore')!) : Infinity;
        const list = videos.filter((v) => videoTime(v) < liveSince && videoTime(v) >= after && videoTime(v) <= before).sort((a, b) => videoTime(b) - videoTime(a));
        send(res, page(list, p, 'youtube#searchListResponse'));
      },
      '/youtube/v3/commentThreads': (req, res) => {
        const p = query(req, threads);
        const list = threadList.filter((t) => threadTime(t) < liveSince).sort((a, b) => threadTime(b) - threadTime(a));
        send(res, page(list, p, 'youtube#commentThreadListResponse'));
      },
    });
    const harness = setup(configFor(server.url, [`channel_id: ${BRAND}`, 'max_pages: 1']));

    let totalNew = 0;
    for (let pull = 1; pull <= 16; pull++) {
      if (pull === 3) liveSince = Infinity; // everything newer appears after the first cycle
      const summary = await harness.pull({ env });
      expect(summary.sources[0]!.ok).toBe(true);
      totalNew += summary.sources[0]!.new;
    }
    const unmatched = new Set(['Rr2Bn7Dd4Ks', 'UgwZ1xC5vB8nM2qW4eR7AaABAg']);
    const expected = [
      ...videos.map((v) => (v['id'] as { videoId: string }).videoId),
      ...threadList.flatMap((t) => [t['id'] as string, ...(((t['replies'] as { comments: Array<{ id: string }> } | undefined)?.comments ?? []).map((c) => c.id))]),
    ]
      .filter((id) => !unmatched.has(id))
      .sort();
    expect(
      harness
        .mentions()
        .map((r) => r.external_id)
        .sort(),
    ).toEqual(expected);
    expect(totalNew).toBe(expected.length);
    expect(harness.source('yt')!.cursor).toMatchObject({ videos: { mark: '2026-11-20T20:10:00Z' }, channel: { mark: { id: 'UgzN9mL6kJ3hG0fD7sA4AaABAg' } } });
    // Searches resumed across pulls with publishedBefore; the channel listing could only resume with its page token.
    expect(searches.some((p) => p.has('publishedBefore') && !p.has('pageToken'))).toBe(true);
    expect(searches.every((p) => !p.has('pageToken'))).toBe(true);
    expect(threads.some((p) => p.has('pageToken'))).toBe(true);
  });

  it('a video with comments disabled fails two pulls at most, then is given up; the rest goes on', async () => {
    let phase = 1;
    const server = await serve({
      '/youtube/v3/search': (_req, res) => send(res, fixture(phase === 1 ? 'search.json' : 'search-newer.json')),
      '/youtube/v3/commentThreads': (req, res) => {
        const videoId = new URL(req.url ?? '/', 'http://x').searchParams.get('videoId');
        if (videoId === 'Rr2Bn7Dd4Ks') send(res, fixture('error-403-comments-disabled.json'), 403);
        else send(res, videoId === 'Zq8LmN3cT0w' ? fixture('video-comment-threads.json') : emptyThreads);
      },
    });
    const harness = setup(configFor(server.url, ['video_comments: true']));

    const first = await harness.pull({ env });
    expect(first.sources[0]).toMatchObject({ ok: false, pages: 3 });
    expect(first.sources[0]!.error).toBe('youtube: API error 403 commentsDisabled (The video identified by the videoId parameter has disabled comments.)');
    expect(harness.mentions().map((r) => r.external_id)).toEqual(expect.arrayContaining([T8, `${T8}.AHc1aB2cD3eAHc1fG4hI5j`]));
    expect(harness.source('yt')!.cursor).toMatchObject({ stage: 'comments', current: { videoId: 'Rr2Bn7Dd4Ks' }, pending: [{ videoId: 'Hf5Wc1Uu9Jy' }] });

    phase = 2;
    const second = await harness.pull({ env });
    expect(second.sources[0]!.ok).toBe(false);
    // The page stored before the failure reset the count, so each failed pull counts once.
    expect(harness.source('yt')!.consecutiveFailures).toBe(1);
    expect(harness.source('yt')!.cursor).toMatchObject({ stage: 'comments', current: { videoId: 'Rr2Bn7Dd4Ks', attempts: 1 } });

    const third = await harness.pull({ env });
    expect(third.sources[0]).toMatchObject({ ok: true, new: 1 });
    expect(third.sources[0]!.warnings).toEqual([
      'gave up fetching the comments of video Rr2Bn7Dd4Ks: 2 attempts were cut off (comments disabled, video removed, or the page cap)',
    ]);
    const source = harness.source('yt')!;
    expect(source.consecutiveFailures).toBe(0);
    expect(source.cursor).toEqual({ stage: 'videos', videos: { mark: '2026-11-20T20:10:00Z' } });
    expect(source.lastError).toBeNull();
  });

  it('quota exhaustion (HTTP 403) fails the source saying the quota is used up, not blaming the key, and counts each failure', async () => {
    const server = await serve({ '/youtube/v3/search': (_req, res) => send(res, fixture('error-403-quota-exceeded.json'), 403) });
    const harness = setup(configFor(server.url));
    const summary = await harness.pull({ env });
    expect(summary.sources[0]).toMatchObject({ ok: false, new: 0 });
    expect(summary.sources[0]!.error).toBe(
      'youtube: API error 403 quotaExceeded (The request cannot be completed because you have exceeded your quota.): the daily quota is used up; it resets at midnight Pacific time',
    );
    await harness.pull({ env });
    const source = harness.source('yt')!;
    expect(source.consecutiveFailures).toBe(2);
    expect(source.lastError).not.toContain(KEY);
    expect(source.cursor).toBeNull();
  });

  it('an error body that is not JSON keeps the HTTP message', async () => {
    const server = await serve({ '/youtube/v3/search': (_req, res) => void res.writeHead(403, { 'content-type': 'text/html' }).end('<html>denied</html>') });
    const summary = await setup(configFor(server.url)).pull({ env });
    expect(summary.sources[0]!.error).toMatch(/^HTTP 403 Forbidden from 127\.0\.0\.1:\d+: check the variable YOUTUBE_API_KEY$/);
  });
});
