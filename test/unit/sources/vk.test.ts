import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { vkAdapter, vkText } from '../../../src/sources/vk.js';
import type { VkCursor } from '../../../src/sources/vk.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/vk/${name}`, import.meta.url));
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as { response: { items: Array<Record<string, unknown>>; profiles: unknown[]; groups: unknown[] } };

const TOKEN = 'vk1.a.fixture-service-token-5b1e0c7d';
const API = 'https://api.vk.com/method/newsfeed.search';
const settings: SourceSettings = { name: 'vk', type: 'vk', query: 'acme OR акме', options: { token: TOKEN } };

function response(body: Uint8Array | string, url: string, status = 200): FetchedResponse {
  return {
    url,
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
  };
}

const parse = (name: string, url: string, cursor: VkCursor | null = null) => vkAdapter.parsePage(settings, response(fixture(name), url), cursor);
const at = (iso: string) => Date.parse(iso);
const unix = (iso: string) => Date.parse(iso) / 1000;

describe('vk: firstRequest', () => {
  it('asks newsfeed.search for the query with authors, the token only in the Authorization header', () => {
    const request = vkAdapter.firstRequest(settings, null);
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(API);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'acme OR акме',
      extended: '1',
      count: '200',
      fields: 'followers_count,members_count,screen_name',
      v: '5.199',
    });
    expect(request.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
    expect(request.url).not.toContain(TOKEN);
  });

  it('starts a new window at the mark, and resumes an unfinished one below the oldest date seen', () => {
    const fresh = new URL(vkAdapter.firstRequest(settings, { mark: 1795200130 }).url);
    expect(fresh.searchParams.get('start_time')).toBe('1795200130');
    expect(fresh.searchParams.has('end_time')).toBe(false);
    const resumed = new URL(vkAdapter.firstRequest(settings, { mark: 1795000000, backfill: { until: 1795126200, newest: 1795200130, fetched: 7 } }).url);
    expect(resumed.searchParams.get('start_time')).toBe('1795000000');
    expect(resumed.searchParams.get('end_time')).toBe('1795126200');
    expect(resumed.searchParams.has('start_from')).toBe(false);
  });

  it('uses the url option as the API base', () => {
    expect(vkAdapter.firstRequest({ ...settings, url: 'http://127.0.0.1:9/' }, null).url).toMatch(/^http:\/\/127\.0\.0\.1:9\/method\/newsfeed\.search\?/);
  });
});

describe('vk: parsePage', () => {
  const page = parse('newsfeed-search.json', vkAdapter.firstRequest(settings, null).url);

  it('maps a user post: id, wall URL, author from profiles with followers, VK mention markup unwrapped', () => {
    expect(page.mentions[0]).toEqual({
      externalId: '5120447_3391',
      url: 'https://vk.com/wall5120447_3391',
      author: 'Ирина Соколова',
      authorUrl: 'https://vk.com/irina.sokolova',
      authorReach: 1843,
      title: null,
      text: 'Второй день нет мобильного интернета в Марьино. Акме, когда почините?\nЗаявка № 4417-220 висит без ответа, а абонплату списали в полном объёме 😡',
      lang: null,
      publishedAt: at('2026-11-20T18:42:10Z'),
      parentId: null,
      threadId: null,
    });
  });

  it('keeps every usable item, skips the deleted one with a warning', () => {
    expect(page.itemsSeen).toBe(7);
    expect(page.mentions.map((m) => m.externalId)).toEqual(['5120447_3391', '-118502_77120', '-118502_77135', '40955120_612', '9001234_4410', '-55110_2290']);
    expect(page.warnings).toEqual(['skipped deleted post 5832211_98']);
  });

  it('takes a community author from groups by -from_id, with members as reach and entities decoded', () => {
    expect(page.mentions[1]).toMatchObject({
      url: 'https://vk.com/wall-118502_77120',
      author: 'Техно "Обзор" | новости связи',
      authorUrl: 'https://vk.com/tehnoobzor',
      authorReach: 48211,
    });
  });

  it('maps a comment: link to the parent post with ?reply=, parent and thread = the post', () => {
    expect(page.mentions[2]).toEqual({
      externalId: '-118502_77135',
      url: 'https://vk.com/wall-118502_77120?reply=77135',
      author: 'Дмитрий Волков',
      authorUrl: 'https://vk.com/id7733021',
      authorReach: null,
      title: null,
      text: 'Ирина, у нас в Казани с Акме та же история: интернет пропадает каждый вечер с 21 до 23',
      lang: null,
      publishedAt: at('2026-11-20T14:30:00Z'),
      parentId: '-118502_77120',
      threadId: '-118502_77120',
    });
  });

  it('reads an English post and the text of a repost', () => {
    expect(page.mentions[3]).toMatchObject({ author: 'John Miller', authorReach: 312, text: expect.stringMatching(/^Acme roaming in Georgia/) });
    expect(page.mentions[4]).toMatchObject({
      externalId: '9001234_4410',
      author: 'Ольга Ким',
      text: 'Акме снижает цены на безлимитный интернет с 1 декабря: 490 ₽ в месяц вместо 650 ₽.\nПодключить новый тариф можно в приложении или в любом салоне Акме.',
    });
  });

  it('records the unfinished window and asks for the next page with start_from', () => {
    expect(page.cursor).toEqual({ backfill: { until: unix('2026-11-19T22:10:00Z'), newest: unix('2026-11-20T18:42:10Z'), fetched: 7 } });
    const next = new URL(page.next!.url);
    expect(next.searchParams.get('start_from')).toBe('7/-55110_2290');
    expect(next.searchParams.get('q')).toBe('acme OR акме');
    expect(page.next!.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it('marks the window done on its last page; a nested comment names its direct parent', () => {
    const last = parse('newsfeed-search-page2.json', page.next!.url, page.cursor);
    expect(last.cursor).toEqual({ mark: unix('2026-11-20T18:42:10Z') });
    expect(last.next).toBeNull();
    expect(last.mentions.map((m) => m.externalId)).toEqual(['-201334_5540', '71230045_1520', '-201334_5531']);
    expect(last.mentions[0]).toMatchObject({
      url: 'https://vk.com/wall-201334_5531?reply=5540',
      author: 'Сергей Петров',
      authorReach: 97,
      text: 'Акме, а на старые тарифы скидка будет?',
      parentId: '-201334_5536',
      threadId: '-201334_5531',
    });
    expect(last.mentions[2]).toMatchObject({ author: 'Акме — мобильная связь', authorUrl: 'https://vk.com/acme_mobile', authorReach: 125400 });
  });

  it('after a resumed backfill, sets the mark and goes on with a fresh window from it', () => {
    const resumedUrl = vkAdapter.firstRequest(settings, page.cursor).url;
    const last = parse('newsfeed-search-page2.json', resumedUrl, page.cursor);
    expect(last.cursor).toEqual({ mark: unix('2026-11-20T18:42:10Z') });
    const next = new URL(last.next!.url);
    expect(next.searchParams.get('start_time')).toBe(String(unix('2026-11-20T18:42:10Z')));
    expect(next.searchParams.has('end_time')).toBe(false);
  });

  it('keeps the mark when a new window is empty, and keeps the cursor on 304', () => {
    const empty = vkAdapter.parsePage(settings, response('{"response":{"count":0,"items":[],"profiles":[],"groups":[]}}', `${API}?start_time=5`), { mark: 5 });
    expect(empty).toMatchObject({ mentions: [], cursor: { mark: 5 }, next: null, itemsSeen: 0 });
    const notModified = vkAdapter.parsePage(settings, response('', API, 304), { mark: 5 });
    expect(notModified).toMatchObject({ mentions: [], cursor: { mark: 5 }, next: null });
  });

  it('continues below the oldest date when VK stops at its 1000-result cap above the mark', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: 1000 + i, owner_id: 42, from_id: 42, date: 1795200000 - i * 60, post_type: 'post', text: 'Акме' }));
    const body = JSON.stringify({ response: { count: 200, items, profiles: [], groups: [] } });
    const cursor: VkCursor = { mark: 1795000000, backfill: { until: 1795200000, newest: 1795200500, fetched: 800 } };
    const capped = vkAdapter.parsePage(settings, response(body, `${API}?start_time=1795000000&start_from=800`), cursor);
    expect(capped.cursor).toEqual({ mark: 1795000000, backfill: { until: 1795200000 - 199 * 60, newest: 1795200500, fetched: 0 } });
    const next = new URL(capped.next!.url);
    expect(next.searchParams.get('end_time')).toBe(String(1795200000 - 199 * 60));
    expect(next.searchParams.get('start_time')).toBe('1795000000');
    expect(next.searchParams.has('start_from')).toBe(false);
  });

  it('skips malformed items with a warning', () => {
    const body = JSON.stringify({ response: { items: [{ id: 1, text: 'Акме' }, 'x', { id: 2, owner_id: 3, date: 1795200000, text: 'Акме' }], profiles: [], groups: [] } });
    const result = vkAdapter.parsePage(settings, response(body, API), null);
    expect(result.mentions.map((m) => m.externalId)).toEqual(['3_2']);
    expect(result.mentions[0]).toMatchObject({ author: null, authorUrl: 'https://vk.com/id3', authorReach: null });
    expect(result.warnings).toEqual(['skipped item 1: no owner_id/id', 'skipped item 2: not an object']);
  });
});

describe('vk: API errors', () => {
  const error = (name: string) => thrown(() => parse(name, API)) as SourceApiError;

  it('error 6 is throttling: retried after a second', () => {
    const err = error('error-6-too-many-requests.json');
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('vk: API error 6 (Too many requests per second)');
    expect(err.details).toEqual({ retryAfterSeconds: 1 });
  });

  it('error 29 means the daily quota is used up: no retry', () => {
    const err = error('error-29-rate-limit.json');
    expect(err.message).toBe('vk: API error 29 (Rate limit reached): the daily request quota for newsfeed.search is used up; polling resumes when VK resets it');
    expect(err.details).toEqual({});
  });

  it('error 5 is an auth failure; request_params (which echo the token) never reach the message', () => {
    const err = error('error-5-auth-failed.json');
    expect(err.message).toBe('vk: API error 5 (User authorization failed: invalid access_token (4).): the service token was refused');
    expect(err.details).toEqual({ auth: true });
    expect(err.message).not.toContain(TOKEN);
  });

  it('other codes name the code and VK message; a token inside the message is masked', () => {
    expect(error('error-100-invalid-param.json').message).toBe(
      'vk: API error 100 (One of the parameters specified was missing or invalid: start_time should be less than end_time)',
    );
    const body = JSON.stringify({ error: { error_code: 15, error_msg: `Access denied: token ${TOKEN} is not allowed` } });
    const err = thrown(() => vkAdapter.parsePage(settings, response(body, API), null));
    expect(err.message).toBe('vk: API error 15 (Access denied: token *** is not allowed)');
  });

  it('an HTML page or JSON without response.items is a format error', () => {
    const html = thrown(() => vkAdapter.parsePage(settings, response('<!DOCTYPE html><html><body>blocked</body></html>', API), null));
    expect(html).toBeInstanceOf(SourceFormatError);
    expect(html.message).toMatch(/^vk answered with an HTML page/);
    const shape = thrown(() => vkAdapter.parsePage(settings, response('{"response":[]}', API), null));
    expect(shape).toBeInstanceOf(SourceFormatError);
    expect(shape.message).toMatch(/^vk: expected a newsfeed\.search response/);
  });
});

describe('vk: settings and text', () => {
  it('requires a query and a token', () => {
    expect(vkAdapter.checkSettings!(settings)).toEqual([]);
    expect(vkAdapter.checkSettings!({ name: 'vk', type: 'vk', options: {} })).toEqual([
      'query: is required (the words to search VK posts for)',
      'token: is required (a VK service token, e.g. token: ${VK_SERVICE_TOKEN})',
    ]);
    expect(vkAdapter.checkSettings!({ ...settings, options: { token: 42 } })).toEqual(['token: must be a non-empty string']);
  });

  it('unwraps VK mention and link markup, leaves other brackets alone', () => {
    expect(vkText('[id1|Павел], [club201334|Акме] и [public55|паблик]')).toBe('Павел, Акме и паблик');
    expect(vkText('[id7:bp-201334_5531|Сергей], смотрите [https://vk.com/acme_mobile|сообщество]')).toBe('Сергей, смотрите сообщество');
    expect(vkText('[vk.com/acme_mobile|Акме]: цены [обновлены]')).toBe('Акме: цены [обновлены]');
    expect(vkText('AT&amp;T vs &quot;Акме&quot;')).toBe('AT&T vs "Акме"');
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config text → adapter → HTTP on 127.0.0.1 → SQLite

const configFor = (url: string, extra = '') => `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: vk
    type: vk
    query: acme OR акме
    token: \${VK_SERVICE_TOKEN}
    url: ${url}
${extra}`;
const env = { VK_SERVICE_TOKEN: TOKEN };

interface SeenRequest {
  params: URLSearchParams;
  authorization: string | undefined;
  url: string;
}

function send(res: ServerResponse, body: string | Buffer): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

function record(req: IncomingMessage, seen: SeenRequest[]): URLSearchParams {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ params: url.searchParams, authorization: req.headers.authorization, url: req.url ?? '' });
  return url.searchParams;
}

describe('vk: pull', () => {
  const setup = useSourcePull();
  const serve = useTestServer();

  it('stores the fixture pages field by field, then exactly the newer posts from the mark', async () => {
    const seen: SeenRequest[] = [];
    const server = await serve({
      '/method/newsfeed.search': (req, res) => {
        const params = record(req, seen);
        if (params.has('start_time')) send(res, fixture('newsfeed-search-newer.json'));
        else send(res, fixture(params.has('start_from') ? 'newsfeed-search-page2.json' : 'newsfeed-search.json'));
      },
    });
    const harness = setup(configFor(server.url));

    const first = await harness.pull({ env });
    expect(first.sources[0]).toMatchObject({ ok: true, pages: 2, fetched: 10, new: 8, duplicates: 0, unmatched: 1, warnings: ['skipped deleted post 5832211_98'] });
    expect(seen.map((r) => r.params.get('start_from'))).toEqual([null, '7/-55110_2290']);
    for (const request of seen) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.url).not.toContain(TOKEN);
    }

    const rows = harness.mentions();
    expect(rows.map((r) => r.external_id)).toEqual([
      '-118502_77120', '-118502_77135', '-201334_5531', '-201334_5540', '40955120_612', '5120447_3391', '71230045_1520', '9001234_4410',
    ]);
    expect(rows.find((r) => r.external_id === '5120447_3391')).toEqual({
      external_id: '5120447_3391',
      url: 'https://vk.com/wall5120447_3391',
      author: 'Ирина Соколова',
      author_url: 'https://vk.com/irina.sokolova',
      author_reach: 1843,
      title: null,
      text: 'Второй день нет мобильного интернета в Марьино. Акме, когда почините?\nЗаявка № 4417-220 висит без ответа, а абонплату списали в полном объёме 😡',
      lang: 'ru',
      published_at: at('2026-11-20T18:42:10Z'),
      parent_id: null,
      thread_id: null,
    });
    expect(rows.find((r) => r.external_id === '-201334_5540')).toEqual({
      external_id: '-201334_5540',
      url: 'https://vk.com/wall-201334_5531?reply=5540',
      author: 'Сергей Петров',
      author_url: 'https://vk.com/spetrov',
      author_reach: 97,
      title: null,
      text: 'Акме, а на старые тарифы скидка будет?',
      lang: 'ru',
      published_at: at('2026-11-19T19:30:00Z'),
      parent_id: '-201334_5536',
      thread_id: '-201334_5531',
    });
    expect(rows.find((r) => r.external_id === '40955120_612')).toMatchObject({ author: 'John Miller', author_reach: 312, lang: 'en' });
    expect(harness.source('vk')!.cursor).toEqual({ mark: unix('2026-11-20T18:42:10Z') });

    seen.length = 0;
    const second = await harness.pull({ env });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.params.get('start_time')).toBe(String(unix('2026-11-20T18:42:10Z')));
    expect(seen[0]!.params.has('end_time')).toBe(false);
    expect(second.sources[0]).toMatchObject({ ok: true, new: 2, duplicates: 1 });
    const reply = harness.mentions().find((r) => r.external_id === '5120447_3398');
    // The brand's reply points at the complaint it answers.
    expect(reply).toMatchObject({ author: 'Акме — мобильная связь', parent_id: '5120447_3391', thread_id: '5120447_3391', url: 'https://vk.com/wall5120447_3391?reply=3398' });
    expect(harness.mentions()).toHaveLength(10);
    expect(harness.source('vk')!.cursor).toEqual({ mark: unix('2026-11-20T21:03:00Z') });
  });

  it('with max_pages: 1, pull after pull stores every post exactly once, also posts that arrive mid-backfill', async () => {
    // A small stand-in for newsfeed.search over all fixture posts: filters by start_time/end_time
    // (inclusive), newest first, 3 per page, next_from an offset.
    const pages = ['newsfeed-search.json', 'newsfeed-search-page2.json', 'newsfeed-search-newer.json'].map(json);
    const byId = new Map<string, Record<string, unknown>>();
    for (const page of pages) for (const item of page.response.items) byId.set(`${String(item['owner_id'])}_${String(item['id'])}`, item);
    const newerIds = new Set(json('newsfeed-search-newer.json').response.items.map((i) => `${String(i['owner_id'])}_${String(i['id'])}`));
    let live = [...byId.entries()].filter(([id]) => !newerIds.has(id) || id === '5120447_3391');
    const profiles = pages.flatMap((p) => p.response.profiles);
    const groups = pages.flatMap((p) => p.response.groups);
    const seen: SeenRequest[] = [];
    const server = await serve({
      '/method/newsfeed.search': (req, res) => {
        const params = record(req, seen);
        const from = Number(params.get('start_time') ?? 0);
        const to = Number(params.get('end_time') ?? Infinity);
        const offset = Number(params.get('start_from') ?? 0);
        const matching = live
          .map(([, item]) => item)
          .filter((item) => (item['date'] as number) >= from && (item['date'] as number) <= to)
          .sort((a, b) => (b['date'] as number) - (a['date'] as number));
        const items = matching.slice(offset, offset + 3);
        const nextFrom = offset + 3 < matching.length ? { next_from: String(offset + 3) } : {};
        send(res, JSON.stringify({ response: { items, profiles, groups, count: items.length, ...nextFrom } }));
      },
    });
    const harness = setup(configFor(server.url, '    max_pages: 1'));

    let totalNew = 0;
    for (let pull = 1; pull <= 12; pull++) {
      if (pull === 3) live = [...byId.entries()]; // two newer posts appear while the first window is still being backfilled
      const summary = await harness.pull({ env });
      expect(summary.sources[0]!.ok).toBe(true);
      expect(summary.sources[0]!.pages).toBe(1);
      totalNew += summary.sources[0]!.new;
    }
    const expected = [...byId.keys()].filter((id) => id !== '5832211_98' && id !== '-55110_2290').sort();
    const stored = harness.mentions().map((r) => r.external_id);
    expect([...stored].sort()).toEqual(expected);
    expect(totalNew).toBe(expected.length);
    expect(harness.source('vk')!.cursor).toEqual({ mark: unix('2026-11-20T21:03:00Z') });
    // The pulls resumed with end_time, never with a next_from carried over from an earlier pull.
    expect(seen.some((r) => r.params.has('end_time') && !r.params.has('start_from'))).toBe(true);
    expect(seen.every((r) => !r.params.has('start_from'))).toBe(true);
  });

  it('an auth error fails the source, counts the failure and never shows the token', async () => {
    const server = await serve({ '/method/newsfeed.search': (_req, res) => send(res, fixture('error-5-auth-failed.json')) });
    const harness = setup(configFor(server.url));
    const summary = await harness.pull({ env });
    expect(summary.sources[0]).toMatchObject({ ok: false, new: 0 });
    expect(summary.sources[0]!.error).toBe(
      "vk: API error 5 (User authorization failed: invalid access_token (4).): the service token was refused (check the credentials in this source's config and environment)",
    );
    await harness.pull({ env });
    const source = harness.source('vk')!;
    expect(source.consecutiveFailures).toBe(2);
    expect(source.lastError).not.toContain(TOKEN);
    expect(source.cursor).toBeNull();
  });

  it('error 6 is retried and the page then stored; error 29 fails with the quota message', async () => {
    let calls = 0;
    const server = await serve({
      '/method/newsfeed.search': (_req, res) => {
        calls++;
        send(res, fixture(calls === 1 ? 'error-6-too-many-requests.json' : 'newsfeed-search-page2.json'));
      },
      '/quota/method/newsfeed.search': (_req, res) => send(res, fixture('error-29-rate-limit.json')),
    });
    const harness = setup(configFor(server.url));
    const summary = await harness.pull({ env });
    expect(calls).toBe(2);
    expect(summary.sources[0]).toMatchObject({ ok: true, new: 3 });

    const quota = setup(configFor(`${server.url}/quota`));
    const failed = await quota.pull({ env });
    expect(failed.sources[0]).toMatchObject({ ok: false });
    expect(failed.sources[0]!.error).toMatch(/^vk: API error 29 \(Rate limit reached\): the daily request quota/);
    expect(quota.source('vk')!.consecutiveFailures).toBe(1);
  });
});
