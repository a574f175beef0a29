import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { backBy, compareIds, MASTODON_OVERLAP_MS, mastodonAdapter, parseLinkHeader } from '../../../src/sources/mastodon.js';
import type { MastodonCursor } from '../../../src/sources/mastodon.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, MentionDraft, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/mastodon/${name}`, import.meta.url), 'utf8');
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/mastodon/${name}`, import.meta.url)));
const at = (iso: string) => Date.parse(iso);

type Status = { id: string; [key: string]: unknown };
const timelineFixture = (name: string) => JSON.parse(fixtureText(name)) as Status[];
const searchFixture = (name: string) => (JSON.parse(fixtureText(name)) as { statuses: Status[] }).statuses;
/** The statuses of both lists, each once (the "newer" fixtures repeat the old mark's status). */
const union = (newer: Status[], older: Status[]) => [...newer, ...older.filter((s) => !newer.some((n) => n.id === s.id))];

const JSON_TYPE = 'application/json; charset=utf-8';
const TOKEN = 'Zq3x9Vd0bK4mT1sYhRw8LcPn2EaGfJu7oIeN5kXy6Ds';
const TAG: SourceSettings = { name: 'masto', type: 'mastodon', url: 'https://mastodon.social', options: { hashtag: 'acme' } };
const SEARCH: SourceSettings = { name: 'masto', type: 'mastodon', url: 'https://mastodon.social', query: 'acme', options: { token: TOKEN } };

// Status ids of the fixtures (snowflakes: creation time << 16).
const A1 = '117649764398177467'; // nadia, 2026-11-20 16:42:18 (newest of the first timeline page)
const A2 = '117649148984117036'; // lena@fosstodon.org, spoiler
const A3 = '117648540933344043'; // ivan_petrov, Russian
const A5 = '117645542039094152'; // markets@news.example.org: no url, no language
const A4 = '117644486398250222'; // tom_k, a reply
const A4_PARENT = '117644402431814652';
const N1 = '117650320318864937'; // AcmeSupport's reply to A3
const N2 = '117650051065609349'; // dev_oli@hachyderm.io
const N3 = '117649747519418084'; // sasha@mastodon.ru, federated late: below A1
const S4 = '117650200363801433'; // jp@hachyderm.io, a reply to S1
const S1 = '117650151460702253'; // kate_dev
const S2 = '117649547073728566'; // boris@mastodon.ru
const S3 = '117648901529272540'; // sam@woodworking.social, Acme only in the image description
const SN1 = '117650597449051765'; // AcmeSupport's reply to S1
const SN2 = '117650465176486389'; // olga@mastodon.ru
const SN3 = '117650275507795802'; // maria_l

function response(body: Uint8Array | string, headers: Record<string, string> = {}, status = 200, url = 'https://mastodon.social/api/v1/timelines/tag/acme?limit=40'): FetchedResponse {
  return { url, status, headers: { 'content-type': JSON_TYPE, ...headers }, body: typeof body === 'string' ? new TextEncoder().encode(body) : body };
}

const ids = (mentions: MentionDraft[]) => mentions.map((m) => m.externalId);
const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
/** One second later on a snowflake id (what search paging adds to max_id). */
const plusSecond = (id: string) => (BigInt(id) + (1000n << 16n)).toString();

describe('mastodon parsePage: hashtag timeline', () => {
  const first = mastodonAdapter.parsePage(TAG, response(fixtureBytes('tag-acme.json')), null);

  it('maps a local status field by field: instance id, HTML to text, acct and followers', () => {
    expect(first.mentions[0]).toEqual({
      externalId: A1,
      url: `https://mastodon.social/@nadia_writes/${A1}`,
      author: 'nadia_writes',
      authorUrl: 'https://mastodon.social/@nadia_writes',
      authorReach: 1204,
      title: null,
      text: 'Third day waiting for @AcmeSupport to answer. Order #4471 still says "processing" & nobody replies.\nNot great, Acme. #acme',
      lang: 'en',
      publishedAt: at('2026-11-20T16:42:18.204Z'),
      parentId: null,
      threadId: A1,
    } satisfies MentionDraft);
  });

  it('lists every status newest first, without warnings', () => {
    expect(ids(first.mentions)).toEqual([A1, A2, A3, A5, A4]);
    expect(first.itemsSeen).toBe(5);
    expect(first.warnings).toEqual([]);
  });

  it('maps a remote status: acct with domain, its own web URL, the content warning before the text', () => {
    expect(first.mentions[1]).toEqual({
      externalId: A2,
      url: 'https://fosstodon.org/@lena/117649148930433875',
      author: 'lena@fosstodon.org',
      authorUrl: 'https://fosstodon.org/@lena',
      authorReach: 2311,
      title: null,
      text: 'Acme router rant\nThe 2.4 firmware for the Acme AX3000 broke VLAN tagging again. Third time this year.\nRolling back to 2.3.1 until they fix it. #acme #homelab',
      lang: 'en',
      publishedAt: at('2026-11-20T14:05:47.000Z'),
      parentId: null,
      threadId: A2,
    } satisfies MentionDraft);
  });

  it('keeps a reply\'s parent as the instance id it replies to; decodes entities; falls back to the uri without a url', () => {
    expect(first.mentions.find((m) => m.externalId === A4)).toMatchObject({
      text: "@maria_l Acme's return window is 30 days, keep the receipt! #acme",
      parentId: A4_PARENT,
      threadId: null,
    });
    expect(first.mentions.find((m) => m.externalId === A3)).toMatchObject({
      author: 'ivan_petrov',
      text: 'Купил робот-пылесос Акме X5, через неделю перестал заряжаться. Поддержка молчит третий день.\nКто-нибудь сталкивался? #acme #акме',
      lang: 'ru',
    });
    expect(first.mentions.find((m) => m.externalId === A5)).toMatchObject({
      url: 'https://news.example.org/objects/6f1c0b2e-8d43-4a5e-9b7c-2d1e0f3a4b5c',
      author: 'markets@news.example.org',
      text: 'Acme Corp <NASDAQ: ACME> shares fall 4% after Q3 guidance cut… https://news.example.org/acme-q3-guidance #acme',
      lang: null,
    });
  });

  it('the first poll takes the newest page only: the cursor holds its newest id, rel="next" is not followed', () => {
    const link = '<https://mastodon.social/api/v1/timelines/tag/acme?limit=40&max_id=117644486398250222>; rel="next", <https://mastodon.social/api/v1/timelines/tag/acme?limit=40&min_id=117649764398177467>; rel="prev"';
    const page = mastodonAdapter.parsePage(TAG, response(fixtureBytes('tag-acme.json'), { link }), null);
    expect(page.cursor).toEqual({ newestId: A1 });
    expect(page.next).toBeNull();
  });

  it('pages forward with the Link header\'s rel="prev" and keeps the newest id with resume while walking', () => {
    const link = `<https://mastodon.social/api/v1/timelines/tag/acme?limit=40&max_id=${N3}>; rel="next", <https://mastodon.social/api/v1/timelines/tag/acme?min_id=${N1}&limit=40>; rel="prev"`;
    const page = mastodonAdapter.parsePage(TAG, response(fixtureBytes('tag-acme-newer.json'), { link }), { newestId: A1 });
    expect(ids(page.mentions)).toEqual([N1, N2, A1, N3]);
    expect(page.cursor).toEqual({ newestId: N1, resume: true });
    expect(page.next).toEqual({
      url: `https://mastodon.social/api/v1/timelines/tag/acme?min_id=${N1}&limit=40`,
      method: 'GET',
      headers: { Accept: 'application/json' },
    });
  });

  it('builds the next page itself when the Link header is missing or points elsewhere (the token never leaves the instance)', () => {
    const settings = { ...TAG, options: { hashtag: 'acme', token: TOKEN } };
    const variants: Array<Record<string, string>> = [{}, { link: `<https://evil.example/api/v1/timelines/tag/acme?min_id=${N1}>; rel="prev"` }];
    for (const headers of variants) {
      const page = mastodonAdapter.parsePage(settings, response(fixtureBytes('tag-acme-newer.json'), headers), { newestId: A1 });
      expect(page.next).toEqual({
        url: `https://mastodon.social/api/v1/timelines/tag/acme?limit=40&min_id=${N1}`,
        method: 'GET',
        headers: { Accept: 'application/json', Authorization: `Bearer ${TOKEN}` },
      });
    }
  });

  it('an empty page ends the walk and drops resume; the mark never moves back; a 304 keeps the cursor', () => {
    expect(mastodonAdapter.parsePage(TAG, response('[]'), { newestId: N1, resume: true })).toEqual({ mentions: [], cursor: { newestId: N1 }, next: null, itemsSeen: 0, warnings: [] });
    // The overlap page holds only statuses below the mark: the mark stays.
    const overlap = mastodonAdapter.parsePage(TAG, response(JSON.stringify([timelineFixture('tag-acme.json')[0]])), { newestId: N1 });
    expect(overlap.cursor).toEqual({ newestId: N1, resume: true });
    expect(mastodonAdapter.parsePage(TAG, response('', {}, 304), { newestId: A1 })).toEqual({ mentions: [], cursor: { newestId: A1 }, next: null, itemsSeen: 0, warnings: [] });
    expect(mastodonAdapter.parsePage(TAG, response('[]'), null)).toMatchObject({ cursor: {}, next: null });
  });

  it('maps a boost as its original and keeps one mention for the original and its boosts', () => {
    const [a1, , a3] = timelineFixture('tag-acme.json');
    const boostId = '117650400000000001';
    const boost = { ...a1!, id: boostId, uri: `https://mastodon.social/users/nadia_writes/statuses/${boostId}/activity`, url: null, content: '', reblog: a3 };
    const page = mastodonAdapter.parsePage(TAG, response(JSON.stringify([boost, a3])), { newestId: A1 });
    expect(ids(page.mentions)).toEqual([A3]);
    expect(page.mentions[0]).toMatchObject({ author: 'ivan_petrov', url: `https://mastodon.social/@ivan_petrov/${A3}` });
    // The boost's own id is the timeline position the cursor moves to.
    expect(page.cursor).toEqual({ newestId: boostId, resume: true });
  });

  it('skips malformed statuses with a warning and keeps the rest', () => {
    const statuses: unknown[] = timelineFixture('tag-acme.json');
    statuses.splice(1, 0, 'junk', { id: '117649700000000000', content: null, account: {} }, { content: '<p>no id</p>' });
    const page = mastodonAdapter.parsePage(TAG, response(JSON.stringify(statuses)), null);
    expect(ids(page.mentions)).toEqual([A1, A2, A3, A5, A4]);
    expect(page.itemsSeen).toBe(8);
    expect(page.warnings).toEqual(['item 2: skipped, not a status', 'item 3 (117649700000000000): skipped, the status has no content', 'item 4: skipped, the status has no id']);
  });

  it('reports an error body as a SourceApiError, other JSON and HTML as format errors', () => {
    const err = thrown(() => mastodonAdapter.parsePage(TAG, response(fixtureBytes('error-token-invalid.json')), null));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('mastodon API error: The access token is invalid');
    expect((err as SourceApiError).details.auth).toBe(true);
    expect(thrown(() => mastodonAdapter.parsePage(TAG, response('{"statuses": []}'), null)).message).toBe(
      'the mastodon hashtag timeline answered with JSON that is not a list of statuses',
    );
    const html = thrown(() => mastodonAdapter.parsePage(TAG, response('<!DOCTYPE html><html><body>Maintenance</body></html>', { 'content-type': 'text/html' }), null));
    expect(html).toBeInstanceOf(SourceFormatError);
  });
});

describe('mastodon parsePage: search', () => {
  const first = mastodonAdapter.parsePage(SEARCH, response(fixtureBytes('search-acme.json')), null);

  it('maps a search hit field by field and a reply whose parent is another hit\'s external id', () => {
    expect(first.mentions.find((m) => m.externalId === S1)).toEqual({
      externalId: S1,
      url: `https://mastodon.social/@kate_dev/${S1}`,
      author: 'kate_dev',
      authorUrl: 'https://mastodon.social/@kate_dev',
      authorReach: 930,
      title: null,
      text: 'Switched our team from Acme Cloud to self-hosting last month.\nBill went from $1,240 to $310/month. Should have done it a year ago.',
      lang: 'en',
      publishedAt: at('2026-11-20T18:20:44.310Z'),
      parentId: null,
      threadId: S1,
    } satisfies MentionDraft);
    const reply = first.mentions.find((m) => m.externalId === S4)!;
    expect(reply).toMatchObject({ author: 'jp@hachyderm.io', parentId: S1, threadId: null });
    expect(reply.text).toBe("@kate_dev how did you handle Acme's egress fees on the way out? That's what keeps us there.");
  });

  it('the first poll takes the newest page only', () => {
    expect(ids(first.mentions)).toEqual([S4, S1, S2, S3]);
    expect(first.cursor).toEqual({ newestId: S4 });
    expect(first.next).toBeNull();
  });

  it('a run pages back with max_id (one second wider) above the floor, then moves the mark to its top', () => {
    const floor = backBy(S4, MASTODON_OVERLAP_MS);
    const page = mastodonAdapter.parsePage(SEARCH, response(fixtureBytes('search-acme-newer.json')), { newestId: S4 });
    expect(ids(page.mentions)).toEqual([SN1, SN2, SN3, S4]);
    expect(page.cursor).toEqual({ newestId: S4, backfill: { maxId: plusSecond(S4), minId: floor, top: SN1 } });
    expect(paramsOf(page.next!.url)).toEqual({ q: 'acme', type: 'statuses', limit: '40', max_id: plusSecond(S4), min_id: floor });
    expect(page.next!.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });

    const end = mastodonAdapter.parsePage(SEARCH, response('{"accounts": [], "statuses": [], "hashtags": []}'), page.cursor);
    expect(end).toMatchObject({ mentions: [], cursor: { newestId: SN1 }, next: null });
  });

  it('uses the exact id when widening would not move back, and stops when the server ignores max_id', () => {
    const body = JSON.stringify({ accounts: [], statuses: [searchFixture('search-acme.json')[0]], hashtags: [] });
    const cursor: MastodonCursor = { newestId: S1, backfill: { maxId: plusSecond(S4), minId: null, top: SN1 } };
    const page = mastodonAdapter.parsePage(SEARCH, response(body), cursor);
    expect(page.cursor).toEqual({ newestId: S1, backfill: { maxId: S4, minId: null, top: SN1 } });
    const ignored = mastodonAdapter.parsePage(SEARCH, response(body), { newestId: S1, backfill: { maxId: S4, minId: null, top: SN1 } });
    expect(ignored.cursor).toEqual({ newestId: SN1 });
    expect(ignored.next).toBeNull();
    expect(ignored.warnings).toEqual(['mastodon search returned statuses above the requested max_id; the run stops here']);
  });

  it('rejects a body without a statuses list', () => {
    const err = thrown(() => mastodonAdapter.parsePage(SEARCH, response('[]'), null));
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toBe('mastodon search answered with JSON that has no "statuses" list');
  });
});

describe('mastodon requests, ids and settings', () => {
  it('asks the hashtag timeline for the newest page, then from 10 minutes below the mark, or exactly at it when resuming', () => {
    expect(mastodonAdapter.firstRequest(TAG, null)).toEqual({
      url: 'https://mastodon.social/api/v1/timelines/tag/acme?limit=40',
      method: 'GET',
      headers: { Accept: 'application/json' },
    });
    expect(paramsOf(mastodonAdapter.firstRequest(TAG, { newestId: A1 }).url)).toEqual({ limit: '40', min_id: backBy(A1, 600_000) });
    expect(paramsOf(mastodonAdapter.firstRequest(TAG, { newestId: A1, resume: true }).url)).toEqual({ limit: '40', min_id: A1 });
    const russian = mastodonAdapter.firstRequest({ ...TAG, url: 'https://mastodon.social/', options: { hashtag: '#Акме' } }, null);
    expect(new URL(russian.url).pathname).toBe('/api/v1/timelines/tag/%D0%90%D0%BA%D0%BC%D0%B5');
  });

  it('searches with the token, resuming a stored run with its max_id and floor', () => {
    const request = mastodonAdapter.firstRequest(SEARCH, null);
    expect(request.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });
    expect(paramsOf(request.url)).toEqual({ q: 'acme', type: 'statuses', limit: '40' });
    expect(paramsOf(mastodonAdapter.firstRequest(SEARCH, { newestId: S4 }).url)).toMatchObject({ min_id: backBy(S4, 600_000) });
    expect(paramsOf(mastodonAdapter.firstRequest(SEARCH, { newestId: S4, backfill: { maxId: SN2, minId: S2, top: SN1 } }).url)).toMatchObject({ max_id: SN2, min_id: S2 });
  });

  it('compares ids as integers, never as text; moves only snowflakes back in time', () => {
    expect(compareIds('99', '100')).toBeLessThan(0);
    expect(compareIds('117650597449051765', '117650465176486389')).toBeGreaterThan(0);
    expect(compareIds('01HZY3KXA0', '01HZY3KX9Z')).toBeGreaterThan(0);
    expect(backBy(A1, 600_000)).toBe(((BigInt(at('2026-11-20T16:32:18.204Z')) << 16n) + 40123n).toString());
    expect(backBy('12345', 600_000)).toBe('12345');
    expect(backBy('9fUJZsWk8ZsIDMlgGG', 600_000)).toBe('9fUJZsWk8ZsIDMlgGG');
  });

  it('reads Link headers', () => {
    expect(parseLinkHeader('<https://m.example/a?max_id=1>; rel="next", <https://m.example/a?min_id=2>; rel="prev"')).toEqual({
      next: 'https://m.example/a?max_id=1',
      prev: 'https://m.example/a?min_id=2',
    });
    expect(parseLinkHeader('')).toEqual({});
  });

  it('checks settings by field without echoing values', () => {
    expect(mastodonAdapter.checkSettings!(TAG)).toEqual([]);
    expect(mastodonAdapter.checkSettings!(SEARCH)).toEqual([]);
    expect(mastodonAdapter.checkSettings!({ name: 'm', type: 'mastodon', options: {} })).toEqual([
      'url: is required (the instance, e.g. https://mastodon.social)',
      'query: is required unless hashtag is set (the search query)',
      'token: is required for search (write ${MASTODON_TOKEN} and set that variable), or set hashtag to poll a public hashtag timeline',
    ]);
    expect(mastodonAdapter.checkSettings!({ name: 'm', type: 'mastodon', url: 'ftp://x', options: { hashtag: 'acme corp', token: 7 } })).toEqual([
      'url: must be an http:// or https:// URL',
      'hashtag: must be one hashtag such as "acme" (letters, digits and _, no spaces)',
      'token: must be a non-empty string',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → HTTP → classify → SQLite

const ENV = { MASTODON_TOKEN: TOKEN };

function configFor(serverUrl: string, mode: 'tag' | 'search', extra = ''): string {
  const how = mode === 'tag' ? '    hashtag: acme' : '    query: acme\n    token: ${MASTODON_TOKEN}';
  return `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: masto
    type: mastodon
    url: ${serverUrl}
${how}
${extra}`;
}

interface SeenRequest {
  path: string;
  /** The raw query string, in the order the client wrote it. */
  search: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

function record(seen: SeenRequest[], req: IncomingMessage): URL {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ path: url.pathname, search: url.search, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization });
  return url;
}

const byIdDesc = (a: Status, b: Status) => compareIds(b.id, a.id);
const sendJson = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(200, { 'content-type': JSON_TYPE, ...headers }).end(JSON.stringify(body));

/**
 * Mastodon's hashtag timeline over a list of statuses: max_id/since_id/min_id
 * as the API guidelines define them (min_id = the page immediately above it),
 * newest first, and the Link header with rel="next" (max_id) and rel="prev" (min_id).
 */
function serveTimeline(statuses: () => Status[], pageSize: () => number, seen: SeenRequest[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = record(seen, req);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), pageSize());
    const maxId = url.searchParams.get('max_id');
    const minId = url.searchParams.get('min_id');
    let items = statuses().filter((s) => maxId === null || compareIds(s.id, maxId) < 0).sort(byIdDesc);
    if (minId !== null) items = items.filter((s) => compareIds(s.id, minId) > 0).slice(-limit);
    else items = items.slice(0, limit);
    const headers: Record<string, string> = {};
    if (items.length > 0) {
      const base = `http://${req.headers.host}${url.pathname}`;
      // Mastodon writes min_id before limit here; a rebuilt URL would put limit first.
      headers['link'] = `<${base}?limit=${limit}&max_id=${items.at(-1)!.id}>; rel="next", <${base}?min_id=${items[0]!.id}&limit=${limit}>; rel="prev"`;
    }
    sendJson(res, items, headers);
  };
}

/** Mastodon search over a list of statuses: newest first between min_id and max_id, 401 without the token. */
function serveSearch(statuses: () => Status[], pageSize: () => number, seen: SeenRequest[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = record(seen, req);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': JSON_TYPE }).end(fixtureText('error-token-invalid.json'));
      return;
    }
    const maxId = url.searchParams.get('max_id');
    const minId = url.searchParams.get('min_id');
    const items = statuses()
      .filter((s) => (maxId === null || compareIds(s.id, maxId) < 0) && (minId === null || compareIds(s.id, minId) > 0))
      .sort(byIdDesc)
      .slice(0, Math.min(Number(url.searchParams.get('limit') ?? 20), pageSize()));
    sendJson(res, { accounts: [], statuses: items, hashtags: [] });
  };
}

describe('mastodon pull against a local server', () => {
  const harness = useSourcePull();
  const serve = useTestServer();
  const TAG_PATH = '/api/v1/timelines/tag/acme';

  it('hashtag: stores the newest page field by field, then walks forward with min_id and rel="prev" and adds exactly the new statuses', async () => {
    const seen: SeenRequest[] = [];
    let timeline = timelineFixture('tag-acme.json');
    const server = await serve({ [TAG_PATH]: serveTimeline(() => timeline, () => 40, seen) });
    const h = harness(configFor(server.url, 'tag'));

    const summary = await h.pull();
    expect(summary.sources[0]).toMatchObject({ ok: true, error: null, pages: 1, fetched: 5, new: 5, duplicates: 0, unmatched: 0, warnings: [] });
    expect(seen).toEqual([{ path: TAG_PATH, search: '?limit=40', query: { limit: '40' }, authorization: undefined }]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([A4, A5, A3, A2, A1]);
    const byId = new Map(h.mentions().map((m) => [m.external_id, m]));
    expect(byId.get(A3)).toEqual({
      external_id: A3,
      url: `https://mastodon.social/@ivan_petrov/${A3}`,
      author: 'ivan_petrov',
      author_url: 'https://mastodon.social/@ivan_petrov',
      author_reach: 87,
      title: null,
      text: 'Купил робот-пылесос Акме X5, через неделю перестал заряжаться. Поддержка молчит третий день.\nКто-нибудь сталкивался? #acme #акме',
      lang: 'ru',
      published_at: at('2026-11-20T11:31:09.612Z'),
      parent_id: null,
      thread_id: A3,
    });
    expect(byId.get(A4)).toEqual({
      external_id: A4,
      url: `https://mastodon.social/@tom_k/${A4}`,
      author: 'tom_k',
      author_url: 'https://mastodon.social/@tom_k',
      author_reach: 356,
      title: null,
      text: "@maria_l Acme's return window is 30 days, keep the receipt! #acme",
      lang: 'en',
      published_at: at('2026-11-19T18:20:02.317Z'),
      parent_id: A4_PARENT,
      thread_id: null,
    });
    expect(h.source('masto')!.cursor).toEqual({ newestId: A1 });

    // New statuses arrive, one of them federated late with an id below the mark.
    timeline = union(timelineFixture('tag-acme-newer.json'), timeline);
    seen.length = 0;
    const again = await h.pull();
    expect(again.sources[0]).toMatchObject({ ok: true, pages: 2, fetched: 4, new: 3, duplicates: 1, unmatched: 0 });
    // 10 minutes below the mark; then exactly the rel="prev" link Mastodon sent; that page is empty.
    expect(seen.map((r) => r.search)).toEqual([`?limit=40&min_id=${backBy(A1, MASTODON_OVERLAP_MS)}`, `?min_id=${N1}&limit=40`]);
    const added = h.mentions().filter((m) => [N1, N2, N3].includes(m.external_id));
    expect(added.map((m) => m.external_id)).toEqual([N3, N2, N1]);
    // The brand's reply carries its complaint's id as parent: the reply is detectable.
    expect(added[2]).toEqual({
      external_id: N1,
      url: `https://mastodon.social/@AcmeSupport/${N1}`,
      author: 'AcmeSupport',
      author_url: 'https://mastodon.social/@AcmeSupport',
      author_reach: 15830,
      title: null,
      text: '@ivan_petrov Здравствуйте, Иван! Это поддержка Акме. Напишите, пожалуйста, номер заказа в личные сообщения — заменим зарядную станцию. #acme',
      lang: 'ru',
      published_at: at('2026-11-20T19:03:40.881Z'),
      parent_id: A3,
      thread_id: null,
    });
    expect(added[0]).toMatchObject({ author: 'sasha@mastodon.ru', url: 'https://mastodon.ru/@sasha/117649747468224752', published_at: at('2026-11-20T16:38:00.000Z') });
    expect(h.source('masto')!.cursor).toEqual({ newestId: N1 });
  });

  it('search: sends the token, stores the newest page, then pages a run back with max_id and counts the unmatched hit', async () => {
    const seen: SeenRequest[] = [];
    let statuses = searchFixture('search-acme.json');
    let pageSize = 40;
    const server = await serve({ '/api/v2/search': serveSearch(() => statuses, () => pageSize, seen) });
    const h = harness(configFor(server.url, 'search'));

    const summary = await h.pull({ env: ENV });
    // The image-description hit never names the brand in its text.
    expect(summary.sources[0]).toMatchObject({ ok: true, pages: 1, fetched: 4, new: 3, duplicates: 0, unmatched: 1 });
    expect(seen).toEqual([{ path: '/api/v2/search', search: '?q=acme&type=statuses&limit=40', query: { q: 'acme', type: 'statuses', limit: '40' }, authorization: `Bearer ${TOKEN}` }]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([S2, S1, S4]);
    expect(h.mentions().find((m) => m.external_id === S4)).toEqual({
      external_id: S4,
      url: 'https://hachyderm.io/@jp/117650200321819066',
      author: 'jp@hachyderm.io',
      author_url: 'https://hachyderm.io/@jp',
      author_reach: 287,
      title: null,
      text: "@kate_dev how did you handle Acme's egress fees on the way out? That's what keeps us there.",
      lang: 'en',
      published_at: at('2026-11-20T18:33:10.000Z'),
      parent_id: S1,
      thread_id: null,
    });
    expect(h.mentions().find((m) => m.external_id === S2)).toMatchObject({ author: 'boris@mastodon.ru', author_reach: 64, lang: 'ru' });
    expect(h.source('masto')!.cursor).toEqual({ newestId: S4 });

    statuses = union(searchFixture('search-acme-newer.json'), statuses);
    pageSize = 3;
    seen.length = 0;
    const again = await h.pull({ env: ENV });
    const floor = backBy(S4, MASTODON_OVERLAP_MS);
    expect(seen.map((r) => [r.query['max_id'] ?? null, r.query['min_id'] ?? null])).toEqual([
      [null, floor],
      [plusSecond(SN3), floor],
      [plusSecond(S4), floor],
      [S4, floor],
    ]);
    expect(again.sources[0]).toMatchObject({ ok: true, pages: 4, fetched: 6, new: 3, duplicates: 3, unmatched: 0 });
    expect(h.mentions().map((m) => m.external_id)).toEqual([S2, S1, S4, SN3, SN2, SN1]);
    expect(h.mentions().find((m) => m.external_id === SN1)).toMatchObject({ author: 'AcmeSupport', parent_id: S1, thread_id: null });
    expect(h.source('masto')!.cursor).toEqual({ newestId: SN1 });
  });

  it('hashtag with max_pages: 1: over several pulls every status is stored exactly once', async () => {
    const seen: SeenRequest[] = [];
    let timeline = timelineFixture('tag-acme.json');
    const server = await serve({ [TAG_PATH]: serveTimeline(() => timeline, () => 2, seen) });
    const h = harness(configFor(server.url, 'tag', '    max_pages: 1'));

    let stored = 0;
    for (let pull = 1; pull <= 6; pull++) {
      if (pull === 2) timeline = union(timelineFixture('tag-acme-newer.json'), timeline);
      const summary = await h.pull();
      expect(summary.sources[0]).toMatchObject({ ok: true, pages: 1 });
      stored += summary.sources[0]!.new;
    }
    const overlap = (id: string) => backBy(id, MASTODON_OVERLAP_MS);
    // 1: the newest page; 2: from below the mark up (the late status, the mark); 3: resumes at the
    // mark; 4: empty, the walk is done; 5–6: the next walk finds nothing new.
    expect(seen.map((r) => r.query['min_id'] ?? null)).toEqual([null, overlap(A1), A1, N1, overlap(N1), N1]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([A2, N3, A1, N2, N1]);
    expect(stored).toBe(5);
    expect(h.source('masto')!.cursor).toEqual({ newestId: N1 });
  });

  it('search with max_pages: 1: a run cut short is finished by the next pulls, without gaps or repeats', async () => {
    const seen: SeenRequest[] = [];
    let statuses = searchFixture('search-acme.json');
    const server = await serve({ '/api/v2/search': serveSearch(() => statuses, () => 2, seen) });
    const h = harness(configFor(server.url, 'search', '    max_pages: 1'));

    let stored = 0;
    const cursors: unknown[] = [];
    for (let pull = 1; pull <= 6; pull++) {
      if (pull === 2) statuses = union(searchFixture('search-acme-newer.json'), statuses);
      const summary = await h.pull({ env: ENV });
      expect(summary.sources[0]).toMatchObject({ ok: true, pages: 1 });
      stored += summary.sources[0]!.new;
      cursors.push(h.source('masto')!.cursor);
    }
    const floor = backBy(S4, MASTODON_OVERLAP_MS);
    expect(seen.map((r) => [r.query['max_id'] ?? null, r.query['min_id'] ?? null])).toEqual([
      [null, null],
      [null, floor],
      [plusSecond(SN2), floor],
      [plusSecond(SN3), floor],
      [plusSecond(S4), floor],
      [S4, floor],
    ]);
    // The mark stays at S4 while the run is under way and moves to its top when it ends.
    expect(cursors.map((c) => (c as MastodonCursor).newestId)).toEqual([S4, S4, S4, S4, S4, SN1]);
    expect(h.mentions().map((m) => m.external_id)).toEqual([S1, S4, SN3, SN2, SN1]);
    expect(stored).toBe(5);
  });

  it('a refused token fails the source naming the variable, never the token, and is counted', async () => {
    const seen: SeenRequest[] = [];
    const server = await serve({ '/api/v2/search': serveSearch(() => searchFixture('search-acme.json'), () => 40, seen) });
    const h = harness(configFor(server.url, 'search'));
    const wrong = { MASTODON_TOKEN: 'revoked-token-0000000000000000000000000' };

    const summary = await h.pull({ env: wrong });
    const result = summary.sources[0]!;
    expect(result).toMatchObject({ ok: false, new: 0 });
    expect(result.error).toBe(`HTTP 401 Unauthorized from ${new URL(server.url).host}: check the variable MASTODON_TOKEN`);
    await h.pull({ env: wrong });
    const row = h.source('masto')!;
    expect(row.consecutiveFailures).toBe(2);
    expect(row.lastError).toBe(result.error);
    expect(row.cursor).toBeNull();
    for (const text of [result.error!, row.lastError!]) expect(text).not.toContain(wrong.MASTODON_TOKEN);
    expect(h.mentions()).toEqual([]);
  });
});
