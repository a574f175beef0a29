import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { REDDIT_OVERLAP_SECONDS, redditAdapter } from '../../../src/sources/reddit.js';
import type { RedditCursor } from '../../../src/sources/reddit.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, MentionDraft, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/reddit/${name}`, import.meta.url), 'utf8');
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/reddit/${name}`, import.meta.url)));
const at = (iso: string) => Date.parse(iso);
const seconds = (iso: string) => Date.parse(iso) / 1000;

const JSON_TYPE = 'application/json; charset=UTF-8';
const CLIENT_ID = 'p-jcoLKBynTLew';
const CLIENT_SECRET = 'gko_LXELoV07ZBNUXrvWZfzE3aI';

const SETTINGS: SourceSettings = {
  name: 'reddit',
  type: 'reddit',
  query: 'acme OR акме',
  options: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
};

function response(body: Uint8Array | string, contentType = JSON_TYPE, status = 200): FetchedResponse {
  return {
    url: 'https://oauth.reddit.com/search',
    status,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}

const parse = (name: string, cursor: RedditCursor | null, settings = SETTINGS) => redditAdapter.parsePage(settings, response(fixtureBytes(name)), cursor);

/** The external ids of a page's mentions. */
const ids = (mentions: MentionDraft[]) => mentions.map((m) => m.externalId);

const PAGE1_IDS = ['t1_nx4k2pa', 't1_nx4a1mm', 't3_1p9kq7w', 't3_1p9f3kd', 't1_nx3q7vb', 't3_1p97zzt'];
const PAGE2_IDS = ['t3_1p8xw2c', 't1_nx2c9fe', 't3_1p8rk0n'];
const NEWEST = seconds('2026-11-20T18:42:10Z');

describe('reddit parsePage', () => {
  const first = parse('search-page1.json', null);

  it('maps a comment field by field: fullname id, permalink URL, Markdown as plain text, parent and thread', () => {
    expect(first.mentions[0]).toEqual({
      externalId: 't1_nx4k2pa',
      url: 'https://www.reddit.com/r/sysadmin/comments/1p9f3kd/acme_cloud_down_for_anyone_else/nx4k2pa/',
      author: 'quietpacket',
      authorUrl: 'https://www.reddit.com/user/quietpacket',
      authorReach: null,
      title: null,
      text:
        'Same here. Acme support finally answered after 3 hours: "we\'re aware of the issue & working on it".\n' +
        '> just move everything off Acme\n' +
        'Easier said than done when the contract runs until 2027.',
      lang: null,
      publishedAt: at('2026-11-20T18:42:10Z'),
      parentId: 't1_nx3z8qe',
      threadId: 't3_1p9f3kd',
    } satisfies MentionDraft);
  });

  it('maps a post: title, selftext, ?ref stripped from the permalink, the thread is the post itself', () => {
    expect(first.mentions.find((m) => m.externalId === 't3_1p9f3kd')).toEqual({
      externalId: 't3_1p9f3kd',
      url: 'https://www.reddit.com/r/sysadmin/comments/1p9f3kd/acme_cloud_down_for_anyone_else/',
      author: 'dnsweather',
      authorUrl: 'https://www.reddit.com/user/dnsweather',
      authorReach: null,
      title: 'Acme Cloud down for anyone else?',
      text: 'Our Acme Cloud VMs in eu-central stopped answering around 14:40 UTC. Status page still says "All systems operational".\nAnyone else seeing this, or is it just us?',
      lang: null,
      publishedAt: at('2026-11-20T15:05:00Z'),
      parentId: null,
      threadId: 't3_1p9f3kd',
    } satisfies MentionDraft);
  });

  it('lists every usable item, skips the removed comment with a warning', () => {
    expect(ids(first.mentions)).toEqual(PAGE1_IDS);
    expect(first.itemsSeen).toBe(7);
    expect(first.warnings).toEqual(['item 4 (t1_nx3xr0d): skipped, the comment was deleted or removed']);
  });

  it('decodes the entities Reddit keeps in Markdown and drops its zero-width filler paragraphs', () => {
    const post = first.mentions.find((m) => m.externalId === 't3_1p9kq7w')!;
    expect(post.title).toBe('Акме снова списали деньги за подписку — что делать?');
    expect(post.text).toBe(
      'Второй месяц подряд Акме списывает 499 ₽ за «Премиум», хотя я отключил автопродление ещё в сентябре.\n' +
        'Поддержка отвечает шаблоном & закрывает тикет. Кто-нибудь добился возврата? [Скрин из приложения](https://i.imgur.com/r8XbQ2k.png)',
    );
    const reply = first.mentions.find((m) => m.externalId === 't1_nx4a1mm')!;
    expect(reply.text).toBe('У меня так же было с Акме. Написала в поддержку через приложение, деньги вернули через 5 дней.\nГлавное — сохраните скриншот списания.');
    // A reply to the post: its parent is the post's own external id.
    expect(reply).toMatchObject({ parentId: 't3_1p9kq7w', threadId: 't3_1p9kq7w' });
    expect(reply.url).toBe(new URL('https://www.reddit.com/r/AskARussian/comments/1p9kq7w/акме_снова_списали_деньги_за_подписку_что_делать/nx4a1mm/').href);
  });

  it('keeps a link post with its title and an empty text', () => {
    expect(first.mentions.at(-1)).toMatchObject({ externalId: 't3_1p97zzt', title: 'Acme to buy cloud backup startup Driftvault for $120 million', text: '' });
  });

  it('starts a run: the cursor holds the after anchor, the run top and the first-run horizon; next pages back', () => {
    expect(first.cursor).toEqual({
      backfill: { after: 't3_1p97zzt', top: NEWEST, topId: 't1_nx4k2pa', floor: NEWEST - 7 * 86_400 },
    });
    const next = new URL(first.next!.url);
    expect(`${next.origin}${next.pathname}`).toBe('https://oauth.reddit.com/search');
    expect(Object.fromEntries(next.searchParams)).toEqual({
      q: 'acme OR акме',
      sort: 'new',
      limit: '100',
      raw_json: '1',
      type: 'link,comment',
      after: 't3_1p97zzt',
    });
  });

  it('ends the run at the end of the listing: since moves to the run top; a deleted post keeps its title only', () => {
    const second = parse('search-page2.json', first.cursor);
    expect(ids(second.mentions)).toEqual(PAGE2_IDS);
    expect(second.mentions[0]).toEqual({
      externalId: 't3_1p8xw2c',
      url: 'https://www.reddit.com/r/CloudHosting/comments/1p8xw2c/acme_refund_took_3_weeks_is_this_normal/',
      author: null,
      authorUrl: null,
      authorReach: null,
      title: 'Acme refund took 3 weeks, is this normal?',
      text: '',
      lang: null,
      publishedAt: at('2026-11-19T22:15:40Z'),
      parentId: null,
      threadId: 't3_1p8xw2c',
    } satisfies MentionDraft);
    expect(second.mentions[2]!.text).toBe('Hi all, Nina from the Acme hosting team here. Ask us anything about the new regions, pricing & migration.\nWe read every question <3');
    expect(second.cursor).toEqual({ since: NEWEST, newest: 't1_nx4k2pa' });
    expect(second.next).toBeNull();
  });

  it('a new run stops at the first page that reaches since minus the overlap', () => {
    const page = parse('search-newer.json', { since: NEWEST, newest: 't1_nx4k2pa' });
    expect(ids(page.mentions).slice(0, 2)).toEqual(['t1_nx5b7te', 't3_1pa2m4x']);
    expect(page.cursor).toEqual({ since: seconds('2026-11-20T21:10:00Z'), newest: 't1_nx5b7te' });
    expect(page.next).toBeNull();
  });

  it('a new run whose page does not reach back that far goes on with after, keeping the old since', () => {
    const since = seconds('2026-11-20T11:00:00Z');
    const page = parse('search-newer.json', { since, newest: 't3_1p96aaa' });
    expect(page.cursor).toEqual({
      since,
      newest: 't3_1p96aaa',
      backfill: { after: 't3_1p97zzt', top: seconds('2026-11-20T21:10:00Z'), topId: 't1_nx5b7te', floor: since - REDDIT_OVERLAP_SECONDS },
    });
    expect(new URL(page.next!.url).searchParams.get('after')).toBe('t3_1p97zzt');
  });

  it('an empty listing keeps the cursor; a 304 keeps it too', () => {
    const empty = JSON.stringify({ kind: 'Listing', data: { after: null, dist: 0, modhash: null, geo_filter: '', children: [], before: null } });
    const cursor = { since: NEWEST, newest: 't1_nx4k2pa' };
    expect(redditAdapter.parsePage(SETTINGS, response(empty), cursor)).toMatchObject({ mentions: [], cursor, next: null, itemsSeen: 0 });
    expect(redditAdapter.parsePage(SETTINGS, response('', JSON_TYPE, 304), cursor)).toEqual({ mentions: [], cursor, next: null, itemsSeen: 0, warnings: [] });
  });

  it('an anchored page that comes back empty starts the run over from the newest result, once', () => {
    const empty = JSON.stringify({ kind: 'Listing', data: { after: null, dist: 0, modhash: null, geo_filter: '', children: [], before: null } });
    const since = NEWEST - 3000;
    const backfill = { after: 't3_1p9gone', top: NEWEST, topId: 't1_nx4k2pa', floor: since - REDDIT_OVERLAP_SECONDS };
    const restart = redditAdapter.parsePage(SETTINGS, response(empty), { since, backfill });
    expect(restart.warnings).toEqual(['the listing ended early after t3_1p9gone (deleted or no longer in search?); paging again from the newest result']);
    expect(restart.cursor).toEqual({ since, backfill: { top: NEWEST, topId: 't1_nx4k2pa', floor: since - REDDIT_OVERLAP_SECONDS, restarted: true } });
    expect(new URL(restart.next!.url).searchParams.get('after')).toBeNull();
    expect(new URL(redditAdapter.firstRequest(SETTINGS, restart.cursor).url).searchParams.get('after')).toBeNull();

    // The restarted run takes in newer items and ends at its floor as usual.
    const again = parse('search-newer.json', restart.cursor);
    expect(again.cursor).toEqual({ since: seconds('2026-11-20T21:10:00Z'), newest: 't1_nx5b7te' });

    // A second dead end in the same run is not retried forever.
    const twice = redditAdapter.parsePage(SETTINGS, response(empty), { since, backfill: { ...backfill, restarted: true } });
    expect(twice.warnings).toEqual(['the listing ended early after t3_1p9gone again; older items of this run may be missing']);
    expect(twice.cursor).toEqual({ since: NEWEST, newest: 't1_nx4k2pa' });
    expect(twice.next).toBeNull();
  });

  it('names an HTML block page served with 200 instead of failing on JSON syntax', () => {
    const err = thrown(() => redditAdapter.parsePage(SETTINGS, response(fixtureBytes('blocked.html'), 'text/html; charset=utf-8'), null));
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toBe('reddit search answered with an HTML page instead of JSON (blocked, or a login page?)');
  });

  it('reports an error body as a SourceApiError, and JSON that is not a Listing as a format error', () => {
    const err = thrown(() => redditAdapter.parsePage(SETTINGS, response('{"message": "Forbidden", "error": 403}'), null));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('reddit API error 403: Forbidden');
    expect((err as SourceApiError).details.auth).toBe(true);
    expect(thrown(() => redditAdapter.parsePage(SETTINGS, response('{"kind": "t3", "data": {}}'), null))).toBeInstanceOf(SourceFormatError);
  });

  it('skips malformed children with a warning and keeps the rest', () => {
    const listing = JSON.parse(fixtureText('search-page2.json')) as { data: { children: unknown[] } };
    listing.data.children.unshift('junk', { kind: 't5', data: { name: 't5_2qh16', created_utc: 1_795_000_000 } });
    const page = redditAdapter.parsePage(SETTINGS, response(JSON.stringify(listing)), null);
    expect(ids(page.mentions)).toEqual(PAGE2_IDS);
    expect(page.warnings).toEqual(['item 1: skipped, not a Reddit thing', 'item 2: skipped, kind "t5" is neither a post nor a comment']);
  });
});

describe('reddit requests and settings', () => {
  it('searches newest first, in one subreddit with restrict_sr when set', () => {
    const all = new URL(redditAdapter.firstRequest(SETTINGS, null).url);
    expect(`${all.origin}${all.pathname}`).toBe('https://oauth.reddit.com/search');
    expect(all.searchParams.get('after')).toBeNull();
    const sub = new URL(redditAdapter.firstRequest({ ...SETTINGS, options: { ...SETTINGS.options, subreddit: 'r/Acme' } }, null).url);
    expect(sub.pathname).toBe('/r/Acme/search');
    expect(sub.searchParams.get('restrict_sr')).toBe('1');
  });

  it('resumes a stored backfill with its after anchor', () => {
    const request = redditAdapter.firstRequest(SETTINGS, { since: 1, backfill: { after: 't1_abc', top: 5, topId: 't1_top', floor: 0 } });
    expect(new URL(request.url).searchParams.get('after')).toBe('t1_abc');
  });

  it('logs in with HTTP Basic client credentials and yields a bearer header', () => {
    const login = redditAdapter.login!;
    const request = login.request({ ...SETTINGS, options: { ...SETTINGS.options, user_agent: 'linux:acme-mentions:v1 (by /u/acme_smm)' } });
    expect(request).toEqual({
      url: 'https://www.reddit.com/api/v1/access_token',
      method: 'POST',
      headers: {
        'user-agent': 'linux:acme-mentions:v1 (by /u/acme_smm)',
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    const token = JSON.parse(fixtureText('token.json')) as { access_token: string };
    expect(login.parse(SETTINGS, response(fixtureBytes('token.json')))).toEqual({ headers: { Authorization: `bearer ${token.access_token}` } });
  });

  it('a refused grant in a 200 body is an auth error', () => {
    const err = thrown(() => redditAdapter.login!.parse(SETTINGS, response(fixtureBytes('token-invalid-grant.json'))));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('reddit refused the token request: invalid_grant');
    expect((err as SourceApiError).details.auth).toBe(true);
  });

  it('checks settings by field without echoing values', () => {
    expect(redditAdapter.checkSettings!(SETTINGS)).toEqual([]);
    expect(
      redditAdapter.checkSettings!({
        name: 'r',
        type: 'reddit',
        query: ' ',
        options: { client_secret: 42, subreddit: 'no spaces allowed', auth_url: 'ftp://x', backfill_days: -1 },
      }),
    ).toEqual([
      'query: is required (the Reddit search query)',
      'client_id: is required (write ${REDDIT_CLIENT_ID} and set that variable)',
      'client_secret: must be a non-empty string',
      'subreddit: must be a subreddit name such as "acme" or "acme+acmesupport"',
      'auth_url: must be an http:// or https:// URL',
      'backfill_days: must be a number of days, 0 or more',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → login → HTTP → classify → SQLite

const ENV = { REDDIT_CLIENT_ID: CLIENT_ID, REDDIT_CLIENT_SECRET: CLIENT_SECRET };
const TOKEN = (JSON.parse(fixtureText('token.json')) as { access_token: string }).access_token;

function configFor(serverUrl: string, extra = ''): string {
  return `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: reddit
    type: reddit
    query: acme OR акме
    url: ${serverUrl}
    auth_url: ${serverUrl}/api/v1/access_token
    client_id: \${REDDIT_CLIENT_ID}
    client_secret: \${REDDIT_CLIENT_SECRET}
${extra}`;
}

interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** Records every request (with its body) before answering it. */
function recording(seen: SeenRequest[], answer: (request: SeenRequest, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const request: SeenRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      answer(request, res);
    });
  };
}

const sendJson = (res: ServerResponse, body: string | Uint8Array, status = 200) => res.writeHead(status, { 'content-type': JSON_TYPE }).end(body);

describe('reddit pull against a local server', () => {
  const harness = useSourcePull();
  const serve = useTestServer();

  it('logs in, stores both pages field by field, then picks up exactly the newer items', async () => {
    const seen: SeenRequest[] = [];
    let newer = false;
    const server = await serve({
      '/api/v1/access_token': recording(seen, (_r, res) => sendJson(res, fixtureBytes('token.json'))),
      '/search': recording(seen, (request, res) => {
        if (request.query['after'] === 't3_1p97zzt' && !newer) return sendJson(res, fixtureBytes('search-page2.json'));
        sendJson(res, fixtureBytes(newer ? 'search-newer.json' : 'search-page1.json'));
      }),
    });
    const h = harness(configFor(server.url));

    const summary = await h.pull({ env: ENV });
    expect(summary.sources[0]).toMatchObject({ ok: true, error: null, pages: 2, fetched: 10, new: 8, duplicates: 0, unmatched: 1 });
    expect(summary.sources[0]!.warnings).toEqual(['item 4 (t1_nx3xr0d): skipped, the comment was deleted or removed']);

    // The login: Basic client credentials and the grant type, form-encoded.
    expect(seen[0]).toEqual({
      method: 'POST',
      path: '/api/v1/access_token',
      query: {},
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      body: 'grant_type=client_credentials',
    });
    // Every search carries the bearer token; the second one pages back with after.
    expect(seen.slice(1).map((r) => [r.method, r.path, r.authorization, r.query['after'] ?? null])).toEqual([
      ['GET', '/search', `bearer ${TOKEN}`, null],
      ['GET', '/search', `bearer ${TOKEN}`, 't3_1p97zzt'],
    ]);
    expect(seen[1]!.query).toEqual({ q: 'acme OR акме', sort: 'new', limit: '100', raw_json: '1', type: 'link,comment' });

    expect(h.mentions().map((m) => m.external_id)).toEqual(
      ['t1_nx2c9fe', 't1_nx4a1mm', 't1_nx4k2pa', 't3_1p8rk0n', 't3_1p8xw2c', 't3_1p97zzt', 't3_1p9f3kd', 't3_1p9kq7w'],
    );
    const byId = new Map(h.mentions().map((m) => [m.external_id, m]));
    expect(byId.get('t1_nx4k2pa')).toEqual({
      external_id: 't1_nx4k2pa',
      url: 'https://www.reddit.com/r/sysadmin/comments/1p9f3kd/acme_cloud_down_for_anyone_else/nx4k2pa/',
      author: 'quietpacket',
      author_url: 'https://www.reddit.com/user/quietpacket',
      author_reach: null,
      title: null,
      text:
        'Same here. Acme support finally answered after 3 hours: "we\'re aware of the issue & working on it".\n' +
        '> just move everything off Acme\n' +
        'Easier said than done when the contract runs until 2027.',
      // Reddit states no language; the classifier's detection is what gets stored.
      lang: 'en',
      published_at: at('2026-11-20T18:42:10Z'),
      parent_id: 't1_nx3z8qe',
      thread_id: 't3_1p9f3kd',
    });
    expect(byId.get('t1_nx2c9fe')).toEqual({
      external_id: 't1_nx2c9fe',
      url: new URL('https://www.reddit.com/r/russia/comments/1p8m0aa/какой_провайдер_выбрать_в_тольятти/nx2c9fe/').href,
      author: 'sergey_tlt',
      author_url: 'https://www.reddit.com/user/sergey_tlt',
      author_reach: null,
      title: null,
      text: 'Акме в Тольятти работает нормально, интернет не падал ни разу за год.',
      lang: 'ru',
      published_at: at('2026-11-19T19:30:05Z'),
      parent_id: 't3_1p8m0aa',
      thread_id: 't3_1p8m0aa',
    });
    expect(byId.get('t3_1p8xw2c')).toMatchObject({ author: null, author_url: null, title: 'Acme refund took 3 weeks, is this normal?', text: '' });
    expect(h.source('reddit')!.cursor).toEqual({ since: NEWEST, newest: 't1_nx4k2pa' });

    // Newer items arrive: the next pull starts a new run from the top and stops once it reaches what it has.
    newer = true;
    seen.length = 0;
    const again = await h.pull({ env: ENV });
    expect(again.sources[0]).toMatchObject({ ok: true, pages: 1, fetched: 9, new: 2, duplicates: 5, unmatched: 1 });
    expect(seen.map((r) => [r.path, r.query['after'] ?? null, r.authorization])).toEqual([
      ['/api/v1/access_token', null, `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`],
      ['/search', null, `bearer ${TOKEN}`],
    ]);
    const added = h.mentions().filter((m) => m.external_id === 't1_nx5b7te' || m.external_id === 't3_1pa2m4x');
    expect(added).toEqual([
      {
        external_id: 't1_nx5b7te',
        url: 'https://www.reddit.com/r/sysadmin/comments/1p9f3kd/acme_cloud_down_for_anyone_else/nx5b7te/',
        author: 'dnsweather',
        author_url: 'https://www.reddit.com/user/dnsweather',
        author_reach: null,
        title: null,
        text: 'Update: Acme says it was a failed storage controller, VMs are back since 20:55 UTC. Post-mortem promised for Monday.',
        lang: 'en',
        published_at: at('2026-11-20T21:10:00Z'),
        parent_id: 't3_1p9f3kd',
        thread_id: 't3_1p9f3kd',
      },
      {
        external_id: 't3_1pa2m4x',
        url: new URL('https://www.reddit.com/r/russia/comments/1pa2m4x/акме_купила_driftvault_что_будет_с_нашими_бэкапами/').href,
        author: 'kira_msk',
        author_url: 'https://www.reddit.com/user/kira_msk',
        author_reach: null,
        title: 'Акме купила Driftvault — что будет с нашими бэкапами?',
        text: 'Пользуюсь Driftvault для бэкапов. Теперь это Акме. Кто знает, переведут ли старые тарифы?',
        lang: 'ru',
        published_at: at('2026-11-20T20:33:51Z'),
        parent_id: null,
        thread_id: 't3_1pa2m4x',
      },
    ]);
    expect(h.source('reddit')!.cursor).toEqual({ since: seconds('2026-11-20T21:10:00Z'), newest: 't1_nx5b7te' });
  });

  it('with max_pages: 1 every item is stored exactly once over several pulls, also when newer items arrive mid-backfill', async () => {
    type Child = { kind: string; data: { name: string } };
    const childrenOf = (name: string) => (JSON.parse(fixtureText(name)) as { data: { children: Child[] } }).data.children;
    const page1 = childrenOf('search-page1.json');
    const older = childrenOf('search-page2.json');
    const newest = childrenOf('search-newer.json').slice(0, 2);
    let timeline = [...page1, ...older];
    const PAGE = 3;
    const afters: Array<string | null> = [];
    const server = await serve({
      '/api/v1/access_token': (_req, res) => sendJson(res, fixtureBytes('token.json')),
      // A listing over the timeline, newest first, PAGE items at a time, anchored on `after` like Reddit's.
      '/search': (req, res) => {
        const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
        afters.push(after);
        const start = after === null ? 0 : timeline.findIndex((c) => c.data.name === after) + 1;
        const children = timeline.slice(start, start + PAGE);
        const more = start + PAGE < timeline.length;
        const body = { kind: 'Listing', data: { after: more ? children.at(-1)!.data.name : null, dist: children.length, modhash: null, geo_filter: '', children, before: null } };
        sendJson(res, JSON.stringify(body));
      },
    });
    const h = harness(configFor(server.url, '    max_pages: 1'));

    let stored = 0;
    for (let pull = 1; pull <= 7; pull++) {
      if (pull === 3) timeline = [...newest, ...timeline];
      const summary = await h.pull({ env: ENV });
      expect(summary.sources[0]!.ok).toBe(true);
      expect(summary.sources[0]!.pages).toBe(1);
      stored += summary.sources[0]!.new;
    }
    // Pulls 1–4 walk the first run down to the end of the listing; 5–6 are the run that
    // picks up the two newer items and pages back until it meets the old since; 7 finds nothing new.
    expect(afters).toEqual([null, 't3_1p9kq7w', 't1_nx3q7vb', 't1_nx2c9fe', null, 't1_nx4k2pa', null]);
    const expected = ['t1_nx2c9fe', 't1_nx4a1mm', 't1_nx4k2pa', 't1_nx5b7te', 't3_1p8rk0n', 't3_1p8xw2c', 't3_1p97zzt', 't3_1p9f3kd', 't3_1p9kq7w', 't3_1pa2m4x'];
    expect(h.mentions().map((m) => m.external_id)).toEqual(expected);
    expect(stored).toBe(expected.length);
    expect(h.source('reddit')!.cursor).toEqual({ since: seconds('2026-11-20T21:10:00Z'), newest: 't1_nx5b7te' });
  });

  it('a 401 from the token endpoint fails the source naming the variables, never the secret, and is counted', async () => {
    let searched = 0;
    const server = await serve({
      '/api/v1/access_token': (_req, res) => res.writeHead(401, { 'content-type': JSON_TYPE }).end('{"message": "Unauthorized", "error": 401}'),
      '/search': (_req, res) => {
        searched++;
        sendJson(res, fixtureBytes('search-page1.json'));
      },
    });
    const h = harness(configFor(server.url));

    const summary = await h.pull({ env: ENV });
    const result = summary.sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`HTTP 401 Unauthorized from ${new URL(server.url).host}: check the variables REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET`);
    await h.pull({ env: ENV });
    const row = h.source('reddit')!;
    expect(row.consecutiveFailures).toBe(2);
    expect(row.lastError).toBe(result.error);
    expect(searched).toBe(0);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    for (const text of [result.error!, row.lastError!, JSON.stringify(row.cursor)]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(basic);
    }
  });

  it('a refused grant and a block page fail the source with a clear message, without the token', async () => {
    let grant = '{"error": "invalid_grant"}';
    const server = await serve({
      '/api/v1/access_token': (_req, res) => sendJson(res, grant),
      '/search': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixtureText('blocked.html')),
    });
    const h = harness(configFor(server.url));

    const refused = await h.pull({ env: ENV });
    expect(refused.sources[0]).toMatchObject({
      ok: false,
      error: "reddit refused the token request: invalid_grant (check the credentials in this source's config and environment)",
    });

    grant = fixtureText('token.json');
    const blocked = await h.pull({ env: ENV });
    expect(blocked.sources[0]).toMatchObject({ ok: false, error: 'reddit search answered with an HTML page instead of JSON (blocked, or a login page?)' });
    expect(blocked.sources[0]!.error).not.toContain(TOKEN);
    expect(h.source('reddit')).toMatchObject({ consecutiveFailures: 2, cursor: null });
    expect(h.mentions()).toEqual([]);
  });
});
