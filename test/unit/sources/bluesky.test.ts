import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BLUESKY_OVERLAP_SECONDS, blueskyAdapter } from '../../../src/sources/bluesky.js';
import type { BlueskyCursor } from '../../../src/sources/bluesky.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, MentionDraft, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/bluesky/${name}`, import.meta.url), 'utf8');
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/bluesky/${name}`, import.meta.url)));
const at = (iso: string) => Date.parse(iso);

type PostView = { uri: string; indexedAt: string; record: { createdAt: string }; [key: string]: unknown };
const postsOf = (name: string) => (JSON.parse(fixtureText(name)) as { posts: PostView[] }).posts;

const JSON_TYPE = 'application/json; charset=utf-8';
const HANDLE = 'acme-smm.bsky.social';
const APP_PASSWORD = 'k3vq-7ztm-2wxa-9npd';
const ACCESS_JWT = (JSON.parse(fixtureText('create-session.json')) as { accessJwt: string }).accessJwt;
const SETTINGS: SourceSettings = { name: 'bsky', type: 'bluesky', query: 'acme', options: { handle: HANDLE, app_password: APP_PASSWORD } };

const P1 = 'at://did:plc:xxtjv2uv22i7bjq3su5kphcx/app.bsky.feed.post/3n2r7trap6h2b'; // kate-builds: price increase
const P2 = 'at://did:plc:bpwzh6rsktuupd5j5n5wdrw3/app.bsky.feed.post/3n2qxp7tdkh2b'; // olga-spb (!no-unauthenticated), Russian
const P3 = 'at://did:plc:b6muzlsxheelwj5or4qjztf6/app.bsky.feed.post/3n2raq34scx2b'; // jpdev: a reply in P1's thread
const P4 = 'at://did:plc:usnhaexgvvywkrd6gob5dmrt/app.bsky.feed.post/3n2qkradlvx2b'; // ads.watcher: & and <3
const P5 = 'at://did:plc:qczb3raykwktfb3ne65ymn6n/app.bsky.feed.post/3n2qd6oiovx2b'; // handle.invalid, no langs, indexed late
const P6 = 'at://did:plc:gmnzpeshpnprbjpmdiyv3cem/app.bsky.feed.post/3n2ozw535dx2b'; // link card only: unmatched
const MID = 'at://did:plc:ipc5k2y72krs4kddglzmapzr/app.bsky.feed.post/3n2raclrp3x25'; // the post P3 answers
const Q1 = 'at://did:plc:hrio2aojbemtucfmyruwymrj/app.bsky.feed.post/3n2rcpoxmkp2b'; // acme.bsky.social answers P2
const Q2 = 'at://did:plc:ji2mgwxknajgronxn4qvsyz7/app.bsky.feed.post/3n2rf3lq2bh2b'; // sre-oli, langs en-US
const Q3 = 'at://did:plc:k4xuoutf5abvh6cy3ky237nq/app.bsky.feed.post/3n2raddsqhx2b'; // dima: written 18:40, indexed 19:01
/** sortAt of P3, the newest post of the first page (its createdAt, earlier than its indexedAt). */
const MARK = '2026-11-20T18:47:12.300Z';
const minusOverlap = (iso: string) => new Date(at(iso) - BLUESKY_OVERLAP_SECONDS * 1000).toISOString();

function response(body: Uint8Array | string, status = 200, contentType = JSON_TYPE): FetchedResponse {
  return {
    url: 'https://bsky.social/xrpc/app.bsky.feed.searchPosts',
    status,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}

const parse = (body: Uint8Array | string, cursor: BlueskyCursor | null) => blueskyAdapter.parsePage(SETTINGS, response(body), cursor);
const ids = (mentions: MentionDraft[]) => mentions.map((m) => m.externalId);
const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
const withCursor = (name: string, cursor: string) => JSON.stringify({ ...(JSON.parse(fixtureText(name)) as object), cursor });

describe('bluesky parsePage', () => {
  const first = parse(fixtureBytes('search-acme.json'), null);

  it('maps a post field by field: at:// uri as id, bsky.app links, record text, first language', () => {
    expect(first.mentions.find((m) => m.externalId === P1)).toEqual({
      externalId: P1,
      url: 'https://bsky.app/profile/kate-builds.bsky.social/post/3n2r7trap6h2b',
      author: 'kate-builds.bsky.social',
      authorUrl: 'https://bsky.app/profile/kate-builds.bsky.social',
      authorReach: null,
      title: null,
      text: "Acme Cloud just emailed us a 40% price increase with 14 days' notice.\nLooking at alternatives now. Anyone migrated off Acme recently?",
      lang: 'en',
      publishedAt: at('2026-11-20T18:31:22.418Z'),
      parentId: null,
      threadId: P1,
    } satisfies MentionDraft);
  });

  it('maps a reply: parent and root from the record\'s reply refs', () => {
    expect(first.mentions[0]).toEqual({
      externalId: P3,
      url: 'https://bsky.app/profile/jpdev.bsky.social/post/3n2raq34scx2b',
      author: 'jpdev.bsky.social',
      authorUrl: 'https://bsky.app/profile/jpdev.bsky.social',
      authorReach: null,
      title: null,
      text: '@kate-builds.bsky.social we left Acme in the spring, the egress fees were the worst part. Happy to share our runbook.',
      lang: 'en',
      publishedAt: at('2026-11-20T18:47:12.300Z'),
      parentId: MID,
      threadId: P1,
    } satisfies MentionDraft);
  });

  it('lists every post; keeps plain text as written; a handle.invalid author is named by DID; no langs is no language', () => {
    expect(ids(first.mentions)).toEqual([P3, P1, P2, P4, P5, P6]);
    expect(first.itemsSeen).toBe(6);
    expect(first.warnings).toEqual([]);
    expect(first.mentions.find((m) => m.externalId === P4)!.text).toBe('Acme\'s new billboard: "Fast & simple" <3\nnot sure about the font tho');
    // The author opted out of logged-out views (!no-unauthenticated): stored all the same, see the docs.
    expect(first.mentions.find((m) => m.externalId === P2)).toMatchObject({
      author: 'olga-spb.bsky.social',
      text: 'Акме снова задерживает доставку — заказ от 12 ноября до сих пор «в пути». Поддержка отвечает шаблонами 😤',
      lang: 'ru',
    });
    expect(first.mentions.find((m) => m.externalId === P5)).toEqual({
      externalId: P5,
      url: 'https://bsky.app/profile/did%3Aplc%3Aqczb3raykwktfb3ne65ymn6n/post/3n2qd6oiovx2b',
      author: 'did:plc:qczb3raykwktfb3ne65ymn6n',
      authorUrl: 'https://bsky.app/profile/did%3Aplc%3Aqczb3raykwktfb3ne65ymn6n',
      authorReach: null,
      title: null,
      text: 'acme anvil drop test 🧪 #acme',
      lang: null,
      publishedAt: at('2026-11-20T09:58:30.120Z'),
      parentId: null,
      threadId: P5,
    } satisfies MentionDraft);
  });

  it('the first poll takes the newest page only: since = the newest sortAt, the API cursor is not followed', () => {
    expect(first.cursor).toEqual({ since: MARK });
    expect(first.next).toBeNull();
    expect(parse(withCursor('search-acme.json', '100'), null)).toMatchObject({ cursor: { since: MARK }, next: null });
  });

  it('a run that reaches the end of the results moves since to its newest sortAt', () => {
    const page = parse(fixtureBytes('search-acme-newer.json'), { since: MARK });
    expect(ids(page.mentions)).toEqual([Q2, Q1, P3, Q3]);
    expect(page.cursor).toEqual({ since: '2026-11-20T20:05:13.774Z' });
    expect(page.next).toBeNull();
  });

  it('a run with more results pages on with the API cursor, keeping since until it ends', () => {
    const page = parse(withCursor('search-acme-newer.json', '100'), { since: MARK });
    expect(page.cursor).toEqual({ since: MARK, backfill: { cursor: '100', top: '2026-11-20T20:05:13.774Z' } });
    expect(paramsOf(page.next!.url)).toEqual({ q: 'acme', sort: 'latest', limit: '100', since: minusOverlap(MARK), cursor: '100' });
    const last = parse(JSON.stringify({ posts: [] }), page.cursor);
    expect(last).toMatchObject({ mentions: [], cursor: { since: '2026-11-20T20:05:13.774Z' }, next: null });
    // The same cursor again, or a page below the run's floor (since was ignored), also ends the run.
    expect(parse(withCursor('search-acme-newer.json', '100'), page.cursor).next).toBeNull();
    expect(parse(withCursor('search-acme.json', '200'), { since: '2026-11-20T19:00:00.000Z' })).toMatchObject({ cursor: { since: '2026-11-20T19:00:00.000Z' }, next: null });
  });

  it('takes sortAt as the earlier of indexedAt and createdAt', () => {
    // P5 was indexed 7 minutes after its createdAt; alone on the first page it sets since to the createdAt.
    const onlyP5 = JSON.stringify({ posts: postsOf('search-acme.json').filter((p) => p.uri === P5) });
    expect(parse(onlyP5, null).cursor).toEqual({ since: '2026-11-20T09:58:30.120Z' });
  });

  it('an empty first page keeps no cursor; a 304 keeps the cursor', () => {
    expect(parse('{"posts": []}', null)).toEqual({ mentions: [], cursor: {}, next: null, itemsSeen: 0, warnings: [] });
    expect(blueskyAdapter.parsePage(SETTINGS, response('', 304), { since: MARK })).toEqual({ mentions: [], cursor: { since: MARK }, next: null, itemsSeen: 0, warnings: [] });
  });

  it('skips malformed post views with a warning and keeps the rest', () => {
    const posts: unknown[] = postsOf('search-acme.json');
    posts.splice(1, 0, 7, { uri: 'at://did:plc:abc/app.bsky.feed.like/3n2r7trap6h2c', record: { text: 'x' } }, { uri: P1.replace('h2b', 'h2c'), indexedAt: '2026-11-20T18:00:00.000Z' });
    const page = parse(JSON.stringify({ posts }), null);
    expect(ids(page.mentions)).toEqual([P3, P1, P2, P4, P5, P6]);
    expect(page.itemsSeen).toBe(9);
    expect(page.warnings).toEqual([
      'item 2: skipped, not a post view',
      'item 3: skipped, no post uri',
      `item 4 (${P1.replace('h2b', 'h2c')}): skipped, the post record has no text`,
    ]);
  });

  it('reports XRPC error bodies as SourceApiError, other JSON as format errors', () => {
    const err = thrown(() => parse(fixtureBytes('error-expired-token.json'), null));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('bluesky API error ExpiredToken: Token has expired');
    expect((err as SourceApiError).details.auth).toBe(true);
    const bad = thrown(() => parse('{"error": "BadQueryString", "message": "Error parsing query"}', null));
    expect(bad.message).toBe('bluesky API error BadQueryString: Error parsing query');
    expect((bad as SourceApiError).details.auth).toBe(false);
    expect(thrown(() => parse('[]', null))).toBeInstanceOf(SourceFormatError);
    expect(thrown(() => parse('{"feed": []}', null)).message).toBe('bluesky searchPosts answered with JSON that has no "posts" list');
  });
});

describe('bluesky login, requests and settings', () => {
  it('logs in with handle and app password as JSON and yields a bearer header', () => {
    const login = blueskyAdapter.login!;
    expect(login.request({ ...SETTINGS, options: { handle: '@acme-smm.bsky.social', app_password: APP_PASSWORD } })).toEqual({
      url: 'https://bsky.social/xrpc/com.atproto.server.createSession',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ identifier: HANDLE, password: APP_PASSWORD }),
    });
    expect(login.parse(SETTINGS, response(fixtureBytes('create-session.json')))).toEqual({ headers: { Authorization: `Bearer ${ACCESS_JWT}` } });
  });

  it('a refused or inactive login is an auth error; a session without a token a format error', () => {
    const login = blueskyAdapter.login!;
    const refused = thrown(() => login.parse(SETTINGS, response(fixtureBytes('create-session-401.json'))));
    expect(refused).toBeInstanceOf(SourceApiError);
    expect(refused.message).toBe('bluesky refused the login: AuthenticationRequired: Invalid identifier or password');
    expect((refused as SourceApiError).details.auth).toBe(true);
    const session = JSON.parse(fixtureText('create-session.json')) as Record<string, unknown>;
    const inactive = thrown(() => login.parse(SETTINGS, response(JSON.stringify({ ...session, active: false, status: 'takendown' }))));
    expect(inactive.message).toBe('bluesky account is not active (takendown)');
    expect(thrown(() => login.parse(SETTINGS, response(JSON.stringify({ ...session, accessJwt: undefined }))))).toBeInstanceOf(SourceFormatError);
  });

  it('searches latest first; a stored run resumes with its cursor and the since minus the overlap', () => {
    const request = blueskyAdapter.firstRequest(SETTINGS, null);
    expect(request).toEqual({ url: 'https://bsky.social/xrpc/app.bsky.feed.searchPosts?q=acme&sort=latest&limit=100', method: 'GET', headers: { Accept: 'application/json' } });
    expect(paramsOf(blueskyAdapter.firstRequest(SETTINGS, { since: MARK }).url)).toEqual({ q: 'acme', sort: 'latest', limit: '100', since: '2026-11-20T18:37:12.300Z' });
    const resumed = blueskyAdapter.firstRequest({ ...SETTINGS, url: 'https://pds.example.com/' }, { since: MARK, backfill: { cursor: '200', top: MARK } });
    expect(resumed.url).toBe('https://pds.example.com/xrpc/app.bsky.feed.searchPosts?q=acme&sort=latest&limit=100&since=2026-11-20T18%3A37%3A12.300Z&cursor=200');
  });

  it('checks settings by field without echoing values', () => {
    expect(blueskyAdapter.checkSettings!(SETTINGS)).toEqual([]);
    expect(blueskyAdapter.checkSettings!({ name: 'b', type: 'bluesky', options: {} })).toEqual([
      'query: is required (the Bluesky search query)',
      'handle: is required (the account that logs in, e.g. acme.bsky.social)',
      'app_password: is required (write ${BLUESKY_APP_PASSWORD} and set that variable to an app password)',
    ]);
    expect(blueskyAdapter.checkSettings!({ name: 'b', type: 'bluesky', query: 'acme', url: 'ftp://x', options: { handle: '@', app_password: 1234 } })).toEqual([
      'handle: must be a non-empty string',
      'app_password: must be a non-empty string',
      'url: must be an http:// or https:// URL',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → login → HTTP → classify → SQLite

const ENV = { BLUESKY_APP_PASSWORD: APP_PASSWORD };

function configFor(serverUrl: string, extra = ''): string {
  return `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: bsky
    type: bluesky
    query: acme
    url: ${serverUrl}
    handle: ${HANDLE}
    app_password: \${BLUESKY_APP_PASSWORD}
${extra}`;
}

interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: string;
}

/** Records every request (with its body) before answering it. */
function recording(seen: SeenRequest[], answer: (request: SeenRequest, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const request = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      answer(request, res);
    });
  };
}

const send = (res: ServerResponse, body: string | Uint8Array, status = 200) => res.writeHead(status, { 'content-type': JSON_TYPE }).end(body);
const sortAt = (post: PostView) => Math.min(at(post.indexedAt), at(post.record.createdAt));

/** createSession that accepts exactly our handle and app password. */
const createSession = (seen: SeenRequest[]) =>
  recording(seen, (request, res) => {
    const { identifier, password } = JSON.parse(request.body) as { identifier: string; password: string };
    if (identifier === HANDLE && password === APP_PASSWORD) send(res, fixtureBytes('create-session.json'));
    else send(res, fixtureBytes('create-session-401.json'), 401);
  });

/** searchPosts over a list of posts: sortAt ≥ since, newest first, offset cursors; 401 without the session token. */
const searchPosts = (seen: SeenRequest[], posts: () => PostView[], pageSize: () => number) =>
  recording(seen, (request, res) => {
    if (request.authorization !== `Bearer ${ACCESS_JWT}`) return send(res, '{"error": "AuthenticationRequired", "message": "Authentication Required"}', 401);
    const since = request.query['since'] ? at(request.query['since']) : -Infinity;
    const matching = posts().filter((p) => sortAt(p) >= since).sort((a, b) => sortAt(b) - sortAt(a));
    const offset = Number(request.query['cursor'] ?? 0);
    const size = Math.min(Number(request.query['limit'] ?? 25), pageSize());
    const page = matching.slice(offset, offset + size);
    const body: Record<string, unknown> = { posts: page };
    if (offset + size < matching.length) body['cursor'] = String(offset + size);
    send(res, JSON.stringify(body));
  });

describe('bluesky pull against a local server', () => {
  const harness = useSourcePull();
  const serve = useTestServer();
  const SESSION_PATH = '/xrpc/com.atproto.server.createSession';
  const SEARCH_PATH = '/xrpc/app.bsky.feed.searchPosts';

  it('logs in, stores the newest page field by field, then picks up exactly the newer posts with since', async () => {
    const seen: SeenRequest[] = [];
    let posts = postsOf('search-acme.json');
    const server = await serve({ [SESSION_PATH]: createSession(seen), [SEARCH_PATH]: searchPosts(seen, () => posts, () => 100) });
    const h = harness(configFor(server.url));

    const summary = await h.pull({ env: ENV });
    // The link-card post never names the brand in its text.
    expect(summary.sources[0]).toMatchObject({ ok: true, error: null, pages: 1, fetched: 6, new: 5, duplicates: 0, unmatched: 1, warnings: [] });
    expect(seen).toEqual([
      { method: 'POST', path: SESSION_PATH, query: {}, authorization: undefined, body: JSON.stringify({ identifier: HANDLE, password: APP_PASSWORD }) },
      { method: 'GET', path: SEARCH_PATH, query: { q: 'acme', sort: 'latest', limit: '100' }, authorization: `Bearer ${ACCESS_JWT}`, body: '' },
    ]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([P3, P2, P5, P4, P1].sort());
    const byId = new Map(h.mentions().map((m) => [m.external_id, m]));
    expect(byId.get(P3)).toEqual({
      external_id: P3,
      url: 'https://bsky.app/profile/jpdev.bsky.social/post/3n2raq34scx2b',
      author: 'jpdev.bsky.social',
      author_url: 'https://bsky.app/profile/jpdev.bsky.social',
      author_reach: null,
      title: null,
      text: '@kate-builds.bsky.social we left Acme in the spring, the egress fees were the worst part. Happy to share our runbook.',
      lang: 'en',
      published_at: at('2026-11-20T18:47:12.300Z'),
      parent_id: MID,
      thread_id: P1,
    });
    expect(byId.get(P2)).toEqual({
      external_id: P2,
      url: 'https://bsky.app/profile/olga-spb.bsky.social/post/3n2qxp7tdkh2b',
      author: 'olga-spb.bsky.social',
      author_url: 'https://bsky.app/profile/olga-spb.bsky.social',
      author_reach: null,
      title: null,
      text: 'Акме снова задерживает доставку — заказ от 12 ноября до сих пор «в пути». Поддержка отвечает шаблонами 😤',
      lang: 'ru',
      published_at: at('2026-11-20T16:05:40.002Z'),
      parent_id: null,
      thread_id: P2,
    });
    expect(h.source('bsky')!.cursor).toEqual({ since: MARK });

    // Newer posts, one of them indexed late (its sortAt is below the mark).
    posts = [...postsOf('search-acme-newer.json').filter((p) => p.uri !== P3), ...posts];
    seen.length = 0;
    const again = await h.pull({ env: ENV });
    expect(again.sources[0]).toMatchObject({ ok: true, pages: 1, fetched: 4, new: 3, duplicates: 1, unmatched: 0 });
    expect(seen.map((r) => [r.path, r.query['since'] ?? null, r.query['cursor'] ?? null])).toEqual([
      [SESSION_PATH, null, null],
      [SEARCH_PATH, minusOverlap(MARK), null],
    ]);
    // The brand's answer names the complaint as its parent: the reply is detectable.
    expect(h.mentions().find((m) => m.external_id === Q1)).toEqual({
      external_id: Q1,
      url: 'https://bsky.app/profile/acme.bsky.social/post/3n2rcpoxmkp2b',
      author: 'acme.bsky.social',
      author_url: 'https://bsky.app/profile/acme.bsky.social',
      author_reach: null,
      title: null,
      text: '@olga-spb.bsky.social Ольга, здравствуйте! Это поддержка Акме. Пришлите, пожалуйста, номер заказа в личные сообщения — проверим доставку сегодня же.',
      lang: 'ru',
      published_at: at('2026-11-20T19:22:47.031Z'),
      parent_id: P2,
      thread_id: P2,
    });
    expect(h.mentions().find((m) => m.external_id === Q2)).toMatchObject({ author: 'sre-oli.bsky.social', lang: 'en' });
    expect(h.mentions().find((m) => m.external_id === Q3)).toMatchObject({ author: 'dima.bsky.social', published_at: at('2026-11-20T18:40:05.200Z') });
    expect(h.mentions()).toHaveLength(8);
    expect(h.source('bsky')!.cursor).toEqual({ since: '2026-11-20T20:05:13.774Z' });
  });

  it('with max_pages: 1 every post is stored exactly once over several pulls, also when newer posts arrive mid-run', async () => {
    const seen: SeenRequest[] = [];
    const newer = postsOf('search-acme-newer.json');
    const pick = (uri: string) => newer.find((p) => p.uri === uri)!;
    let posts = postsOf('search-acme.json');
    const server = await serve({ [SESSION_PATH]: createSession(seen), [SEARCH_PATH]: searchPosts(seen, () => posts, () => 2) });
    const h = harness(configFor(server.url, '    max_pages: 1'));

    let stored = 0;
    for (let pull = 1; pull <= 5; pull++) {
      if (pull === 2) posts = [pick(Q1), pick(Q3), ...posts];
      if (pull === 3) posts = [pick(Q2), ...posts];
      const summary = await h.pull({ env: ENV });
      expect(summary.sources[0]).toMatchObject({ ok: true, pages: 1 });
      stored += summary.sources[0]!.new;
    }
    const searches = seen.filter((r) => r.path === SEARCH_PATH).map((r) => [r.query['since'] ?? null, r.query['cursor'] ?? null]);
    // 1: the newest page; 2: a run from the mark, cut short; 3: the run goes on with its cursor (Q2,
    // newer, shifts the offsets: a repeat, no gap) and ends; 4: a run from Q1 finds Q2; 5: nothing new.
    expect(searches).toEqual([
      [null, null],
      [minusOverlap(MARK), null],
      [minusOverlap(MARK), '2'],
      [minusOverlap('2026-11-20T19:22:47.031Z'), null],
      [minusOverlap('2026-11-20T20:05:13.774Z'), null],
    ]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([P1, P3, Q1, Q2, Q3].sort());
    expect(stored).toBe(5);
    expect(h.source('bsky')!.cursor).toEqual({ since: '2026-11-20T20:05:13.774Z' });
  });

  it('a refused login (401) fails the source naming the variable, never the password, and is counted', async () => {
    const seen: SeenRequest[] = [];
    const server = await serve({ [SESSION_PATH]: createSession(seen), [SEARCH_PATH]: searchPosts(seen, () => postsOf('search-acme.json'), () => 100) });
    const h = harness(configFor(server.url));
    const wrong = { BLUESKY_APP_PASSWORD: 'aaaa-bbbb-cccc-dddd' };

    const summary = await h.pull({ env: wrong });
    const result = summary.sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`HTTP 401 Unauthorized from ${new URL(server.url).host}: check the variable BLUESKY_APP_PASSWORD`);
    await h.pull({ env: wrong });
    const row = h.source('bsky')!;
    expect(row).toMatchObject({ consecutiveFailures: 2, lastError: result.error, cursor: null });
    expect(seen.map((r) => r.path)).toEqual([SESSION_PATH, SESSION_PATH]);
    for (const text of [result.error!, row.lastError!]) {
      expect(text).not.toContain(wrong.BLUESKY_APP_PASSWORD);
      expect(text).not.toContain(APP_PASSWORD);
    }
    expect(h.mentions()).toEqual([]);
  });

  it('a search the AppView refuses (HTTP 400) says why, from the XRPC error body', async () => {
    const seen: SeenRequest[] = [];
    const server = await serve({
      [SESSION_PATH]: createSession(seen),
      [SEARCH_PATH]: (_req, res) =>
        void res.writeHead(400, { 'content-type': JSON_TYPE }).end('{"error":"BadQueryString","message":"Error parsing query"}'),
    });
    const summary = await harness(configFor(server.url)).pull({ env: { BLUESKY_APP_PASSWORD: APP_PASSWORD } });
    expect(summary.sources[0]!.error).toBe('bluesky API error (HTTP 400) BadQueryString: Error parsing query');
  });
});
