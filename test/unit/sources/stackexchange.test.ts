import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { siteDomain, stackExchangeAdapter } from '../../../src/sources/stackexchange.js';
import type { StackExchangeCursor } from '../../../src/sources/stackexchange.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/stackexchange/${name}`, import.meta.url), 'utf8');
const fixture = (name: string) => new TextEncoder().encode(fixtureText(name));
/** A fixture with some wrapper fields replaced (has_more, quota_remaining, ...). */
const variant = (name: string, changes: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify({ ...JSON.parse(fixtureText(name)), ...changes }));
const unix = (iso: string) => Date.parse(iso) / 1000;

const SOURCE: SourceSettings = { name: 'so', type: 'stackexchange', query: 'acme', options: {} };

function response(body: Uint8Array): FetchedResponse {
  return { url: 'https://api.stackexchange.com/2.3/search/excerpts', status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}
const parse = (body: Uint8Array, cursor: StackExchangeCursor | null = null, source: SourceSettings = SOURCE) =>
  stackExchangeAdapter.parsePage(source, response(body), cursor);
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

const FIRST_IDS = ['a:79210090', 'q:79210001', 'a:79209944', 'q:79209890', 'q:79209512', 'q:79208733', 'q:79207011', 'a:79206420'];
const MARK_FIRST = unix('2026-11-20T09:40:00Z');
const NEWEST_SINCE = unix('2026-11-20T14:05:31Z');
const NEWEST_LATER = unix('2026-11-20T19:26:45Z');
const OLDEST_LATER = unix('2026-11-20T16:10:59Z');

describe('stackexchange: parsing /search/excerpts', () => {
  const page = parse(fixture('excerpts-first.json'));

  it('maps an answer field by field: decoded title and name, reputation as reach, the question as parent and thread', () => {
    expect(page.mentions[0]).toEqual({
      externalId: 'a:79210090',
      url: 'https://stackoverflow.com/a/79210090',
      author: 'Seán O\'Neil',
      authorUrl: 'https://stackoverflow.com/users/4471923/sean-oneil',
      authorReach: 48_210,
      title: 'How do I retry Acme SDK uploads after "429 Too Many Requests"?',
      text:
        'The SDK has this built in since 4.2: pass a RetryPolicy to the client instead of looping yourself.\n' +
        'client = acme.Client(retry=acme.RetryPolicy(max_attempts=5, respect_retry_after=True))\n' +
        'It reads the Retry-After header Acme sends with every 429, so you never hammer the API.',
      lang: null,
      publishedAt: Date.parse('2026-11-20T09:40:00Z'),
      parentId: 'q:79210001',
      threadId: 'q:79210001',
    });
  });

  it('keeps the API order (newest first) and every item', () => {
    expect(page.mentions.map((m) => m.externalId)).toEqual(FIRST_IDS);
    expect(page.itemsSeen).toBe(8);
    expect(page.warnings).toEqual([]);
    expect(page.backoffSeconds).toBeUndefined();
  });

  it('handles the edge items: deleted owner, community wiki without owner, escaped title, question as its own thread', () => {
    const byId = new Map(page.mentions.map((m) => [m.externalId, m]));
    expect(byId.get('q:79209890')).toMatchObject({ author: 'user24817390', authorUrl: null, authorReach: null, title: 'Acme CLI: <config> file ignored on Windows' });
    expect(byId.get('q:79207011')).toMatchObject({ author: null, authorUrl: null, authorReach: null });
    expect(byId.get('q:79207011')!.text).toBe(
      'A community list of the error codes the Acme REST API returns, since the official docs only list half of them.\nE1042 – webhook signature mismatch\nE2001 – card declined by issuer',
    );
    expect(byId.get('q:79210001')).toMatchObject({ url: 'https://stackoverflow.com/q/79210001', parentId: null, threadId: 'q:79210001' });
    expect(byId.get('q:79208733')!.text).toContain("is Acme's payout delay really 7 days?");
  });

  it('starts from the newest page on the first poll: the mark is the newest creation_date', () => {
    expect(page.cursor).toEqual({ site: 'stackoverflow', mark: MARK_FIRST });
    expect(page.next).toBeNull();
  });

  it('maps another site to its domain and language, and passes the API backoff on', () => {
    const ru = parse(fixture('excerpts-ru.json'), null, { ...SOURCE, options: { site: 'ru.stackoverflow' } });
    expect(ru.mentions.map((m) => [m.externalId, m.url, m.lang, m.parentId])).toEqual([
      ['a:1620451', 'https://ru.stackoverflow.com/a/1620451', 'ru', 'q:1620417'],
      ['q:1620417', 'https://ru.stackoverflow.com/q/1620417', 'ru', null],
    ]);
    expect(ru.mentions[0]!.author).toBe('Ольга "oleg" Смирнова');
    expect(ru.backoffSeconds).toBe(10);
    expect(siteDomain('stackoverflow')).toBe('stackoverflow.com');
    expect(siteDomain('superuser')).toBe('superuser.com');
    expect(siteDomain('mathoverflow')).toBe('mathoverflow.net');
    expect(siteDomain('pt.stackoverflow')).toBe('pt.stackoverflow.com');
    expect(siteDomain('unix')).toBe('unix.stackexchange.com');
    expect(siteDomain('meta.unix')).toBe('unix.meta.stackexchange.com');
    expect(siteDomain('askubuntu.com')).toBe('askubuntu.com');
  });

  it('skips a malformed item with a warning and warns when the daily quota runs low', () => {
    const body = JSON.parse(fixtureText('excerpts-first.json')) as { items: Array<Record<string, unknown>> };
    delete body.items[2]!['creation_date'];
    body.items[4]!['item_type'] = 'comment';
    const page = parse(new TextEncoder().encode(JSON.stringify({ ...body, quota_remaining: 12 })));
    expect(page.mentions).toHaveLength(6);
    expect(page.itemsSeen).toBe(8);
    expect(page.warnings).toEqual([
      'stackexchange: skipped item 3: answer 79209944 has no creation_date',
      'stackexchange: skipped item 5: unknown item_type "comment"',
      "stackexchange: only 12 of 300 requests left in today's API quota (a key raises it to 10,000)",
    ]);
  });
});

describe('stackexchange: requests and cursor', () => {
  it('asks for the newest items, with the key when configured', () => {
    const request = stackExchangeAdapter.firstRequest({ ...SOURCE, options: { key: 'k3y((' } }, null);
    expect(request.url.startsWith('https://api.stackexchange.com/2.3/search/excerpts?')).toBe(true);
    expect(params(request.url)).toEqual({ q: 'acme', site: 'stackoverflow', sort: 'creation', order: 'desc', pagesize: '100', page: '1', key: 'k3y((' });
  });

  it('asks for everything since the mark, re-reading the last 10 minutes', () => {
    const request = stackExchangeAdapter.firstRequest(SOURCE, { site: 'stackoverflow', mark: MARK_FIRST });
    expect(params(request.url)).toMatchObject({ fromdate: String(MARK_FIRST - 600), page: '1' });
    expect(params(request.url).todate).toBeUndefined();
  });

  it('moves the mark when the page holds everything since it', () => {
    const page = parse(fixture('excerpts-since.json'), { site: 'stackoverflow', mark: MARK_FIRST });
    expect(page.cursor).toEqual({ site: 'stackoverflow', mark: NEWEST_SINCE });
    expect(page.next).toBeNull();
  });

  it('pages back through a fixed todate window when there is more, keeping the mark until the window is done', () => {
    const page = parse(fixture('excerpts-later.json'), { site: 'stackoverflow', mark: MARK_FIRST });
    expect(page.cursor).toEqual({ site: 'stackoverflow', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } });
    expect(params(page.next!.url)).toMatchObject({ fromdate: String(MARK_FIRST - 600), todate: String(OLDEST_LATER), page: '1' });

    const done = parse(fixture('excerpts-since.json'), page.cursor);
    expect(done.cursor).toEqual({ site: 'stackoverflow', mark: NEWEST_LATER });
    // then once more for anything newer than the new mark
    expect(params(done.next!.url)).toMatchObject({ fromdate: String(NEWEST_LATER - 600), page: '1' });
    expect(params(done.next!.url).todate).toBeUndefined();
  });

  it('turns the page instead of the window when a whole page shares one second', () => {
    const sameSecond = JSON.parse(fixtureText('excerpts-later.json')) as { items: Array<Record<string, unknown>> };
    for (const item of sameSecond.items) item['creation_date'] = OLDEST_LATER;
    const cursor: StackExchangeCursor = { site: 'stackoverflow', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } };
    const page = parse(new TextEncoder().encode(JSON.stringify(sameSecond)), cursor);
    expect(page.cursor.backfill).toEqual({ top: NEWEST_LATER, to: OLDEST_LATER, page: 2 });
    expect(params(page.next!.url)).toMatchObject({ todate: String(OLDEST_LATER), page: '2' });
  });

  it('ignores a cursor written for another site', () => {
    const cursor: StackExchangeCursor = { site: 'superuser', mark: 5, backfill: { top: 9, to: 7, page: 3 } };
    expect(params(stackExchangeAdapter.firstRequest(SOURCE, cursor).url).fromdate).toBeUndefined();
  });
});

describe('stackexchange: errors', () => {
  it('turns an error wrapper in a 200 into an API error: throttling with its wait, refused keys as auth', () => {
    const throttle = thrown(() => parse(fixture('error-throttle.json')));
    expect(throttle).toBeInstanceOf(SourceApiError);
    expect(throttle.message).toBe(
      'stackexchange API error 502 throttle_violation: too many requests from this IP, more requests available in 82696 seconds',
    );
    expect((throttle as SourceApiError).details).toEqual({ retryAfterSeconds: 82_696 });
    const key = thrown(() => parse(fixture('error-key.json')));
    expect((key as SourceApiError).details).toEqual({ auth: true });
  });

  it('never repeats the key, even when the API message does', () => {
    const body = new TextEncoder().encode(JSON.stringify({ error_id: 400, error_name: 'bad_parameter', error_message: 'key k3y(( is not valid' }));
    const err = thrown(() => parse(body, null, { ...SOURCE, options: { key: 'k3y((' } }));
    expect(err.message).toBe('stackexchange API error 400 bad_parameter: key (key) is not valid');
  });

  it('rejects bodies that are not a search result', () => {
    expect(thrown(() => parse(new TextEncoder().encode('{"quota_max":300}')))).toBeInstanceOf(SourceFormatError);
    expect(thrown(() => parse(new TextEncoder().encode('<!DOCTYPE html><html><body>Blocked</body></html>'))).message).toBe(
      'stackexchange answered with an HTML page instead of JSON (blocked, or a login page?)',
    );
  });

  it('checks the settings', () => {
    const check = (source: Partial<SourceSettings>) => stackExchangeAdapter.checkSettings!({ ...SOURCE, ...source });
    expect(check({ options: { site: 'ru.stackoverflow', key: 'abc' } })).toEqual([]);
    expect(check({ query: undefined, options: { site: 'stack overflow', key: '', tags: 'x' } })).toEqual([
      'tags: unknown option for a stackexchange source (known: site, key)',
      'query: is required (the words to search for)',
      'site: expected a Stack Exchange site name such as stackoverflow, superuser or ru.stackoverflow',
      'key: expected an API key (a string), or remove it',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → adapter → HTTP → classify → SQLite

const KEY = 'se-key-Zq81((';
const config = (url: string, extra = '') => `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: so
    type: stackexchange
    query: acme
    key: \${SE_KEY}
    url: ${url}
${extra}`;

interface ApiState {
  /** What a request without todate gets. */
  top: () => Uint8Array;
  requests: Array<Record<string, string>>;
}

/** The API stand-in: a todate window gets excerpts-since.json (the page below excerpts-later.json). */
async function apiServer(serve: ReturnType<typeof useTestServer>, state: ApiState) {
  return serve({
    '/2.3/search/excerpts': (req, res) => {
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
      state.requests.push(query);
      const body = query['todate'] !== undefined ? fixture('excerpts-since.json') : state.top();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    },
  });
}

describe('stackexchange: pulling', () => {
  const serve = useTestServer();
  const harness = useSourcePull();
  const env = { SE_KEY: KEY };

  it('stores the newest page, then exactly the items since the mark', async () => {
    const state: ApiState = { top: () => fixture('excerpts-first.json'), requests: [] };
    const server = await apiServer(serve, state);
    const h = harness(config(server.url));

    const first = await h.pull({ env });
    // "Vendor SDK upload hangs…" matched the search through its acme-sdk tag only: unmatched here.
    expect(first.sources[0]).toMatchObject({ ok: true, fetched: 8, new: 7, duplicates: 0, unmatched: 1, pages: 1 });
    expect(state.requests).toEqual([{ q: 'acme', site: 'stackoverflow', sort: 'creation', order: 'desc', pagesize: '100', page: '1', key: KEY }]);
    const rows = h.mentions();
    expect(rows.map((r) => r.external_id)).toEqual(FIRST_IDS.filter((id) => id !== 'q:79209512').sort());
    expect(rows.find((r) => r.external_id === 'a:79206420')).toEqual({
      external_id: 'a:79206420',
      url: 'https://stackoverflow.com/a/79206420',
      author: 'Acme Support',
      author_url: 'https://stackoverflow.com/users/15550001/acme-support',
      author_reach: 2874,
      title: 'Acme webhook signature check fails in Django',
      text: "Acme Support here. Django's request.body is what you need; request.POST re-encodes the payload and the HMAC no longer matches. We have added this to the docs, thanks for the report!",
      lang: 'en',
      published_at: Date.parse('2026-11-19T12:00:00Z'),
      parent_id: 'q:79205555',
      thread_id: 'q:79205555',
    });
    expect(h.source('so')!.cursor).toEqual({ site: 'stackoverflow', mark: MARK_FIRST });

    state.top = () => fixture('excerpts-since.json');
    state.requests = [];
    const second = await h.pull({ env });
    expect(state.requests).toEqual([
      { q: 'acme', site: 'stackoverflow', sort: 'creation', order: 'desc', fromdate: String(MARK_FIRST - 600), pagesize: '100', page: '1', key: KEY },
    ]);
    expect(second.sources[0]).toMatchObject({ ok: true, fetched: 4, new: 3, duplicates: 1, unmatched: 0, pages: 1 });
    expect(h.source('so')!.cursor).toEqual({ site: 'stackoverflow', mark: NEWEST_SINCE });
  });

  it('with max_pages: 1, finishes an interrupted page-back on the next pull and stores every item once', async () => {
    const state: ApiState = { top: () => fixture('excerpts-first.json'), requests: [] };
    const server = await apiServer(serve, state);
    const h = harness(config(server.url, '    max_pages: 1'));

    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 7 });
    state.top = () => fixture('excerpts-later.json');
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 3, pages: 1 });
    expect(h.source('so')!.cursor).toEqual({ site: 'stackoverflow', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } });
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 3, duplicates: 1, pages: 1 });
    expect(h.source('so')!.cursor).toEqual({ site: 'stackoverflow', mark: NEWEST_LATER });
    state.top = () => variant('excerpts-later.json', { has_more: false });
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 0, duplicates: 3, pages: 1 });

    expect(state.requests.map((r) => [r['fromdate'] ?? null, r['todate'] ?? null])).toEqual([
      [null, null],
      [String(MARK_FIRST - 600), null],
      [String(MARK_FIRST - 600), String(OLDEST_LATER)],
      [String(NEWEST_LATER - 600), null],
    ]);
    const all = [
      ...FIRST_IDS.filter((id) => id !== 'q:79209512'),
      'q:79211702', 'a:79211288', 'q:79211102',
      'a:79212950', 'q:79212511', 'q:79212230',
    ];
    expect(h.mentions().map((r) => r.external_id)).toEqual(all.sort());
  });

  it('fails the source on an API error body, counts the failures, and never shows the key', async () => {
    const server = await serve({
      '/2.3/search/excerpts': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture('error-throttle.json')),
    });
    const h = harness(config(server.url));
    const result = (await h.pull({ env })).sources[0]!;
    expect(result).toMatchObject({
      ok: false,
      error: 'stackexchange API error 502 throttle_violation: too many requests from this IP, more requests available in 82696 seconds',
    });
    await h.pull({ env });
    const row = h.source('so')!;
    expect(row.consecutiveFailures).toBe(2);
    expect(row.lastError).not.toContain(KEY);
    expect(JSON.stringify(row)).not.toContain(KEY);
  });

  it('reports a refused key as a credentials problem', async () => {
    const server = await serve({
      '/2.3/search/excerpts': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture('error-key.json')),
    });
    const result = (await harness(config(server.url)).pull({ env })).sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe(
      "stackexchange API error 403 access_denied: `key` is not valid for passed `access_token`, token not found. (check the credentials in this source's config and environment)",
    );
  });

  it('an error wrapper sent with HTTP 400 is read for the API\'s own message', async () => {
    const server = await serve({
      '/2.3/search/excerpts': (_req, res) =>
        void res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' }).end('{"error_id":400,"error_message":"site","error_name":"bad_parameter"}'),
    });
    const result = (await harness(config(server.url)).pull({ env })).sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe('stackexchange API error 400 bad_parameter: site');
  });
});
