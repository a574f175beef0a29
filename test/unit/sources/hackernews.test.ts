import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HACKERNEWS_OVERLAP_SECONDS, hackerNewsAdapter } from '../../../src/sources/hackernews.js';
import type { HackerNewsCursor } from '../../../src/sources/hackernews.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, MentionDraft, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/hackernews/${name}`, import.meta.url), 'utf8');
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/hackernews/${name}`, import.meta.url)));
const at = (iso: string) => Date.parse(iso);
const seconds = (iso: string) => Date.parse(iso) / 1000;

const JSON_TYPE = 'application/json; charset=utf-8';
const SETTINGS: SourceSettings = { name: 'hn', type: 'hackernews', query: 'acme', options: {} };

function response(body: Uint8Array | string, contentType = JSON_TYPE, status = 200): FetchedResponse {
  return {
    url: 'https://hn.algolia.com/api/v1/search_by_date',
    status,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}

const parse = (name: string, cursor: HackerNewsCursor | null) => hackerNewsAdapter.parsePage(SETTINGS, response(fixtureBytes(name)), cursor);
const ids = (mentions: MentionDraft[]) => mentions.map((m) => m.externalId);
const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

const NEWEST = seconds('2026-11-20T19:48:27Z');
const PAGE1_OLDEST = seconds('2026-11-20T12:01:55Z');
const DELETED_WARNING = (hit: number) => `hit ${hit} (46018702): skipped, the comment has no text (deleted or flagged)`;

describe('hackernews parsePage', () => {
  const first = parse('search-page1.json', null);

  it('maps a reply comment field by field: HTML to text, HN item and user links, parent and story ids', () => {
    expect(first.mentions[0]).toEqual({
      externalId: '46021377',
      url: 'https://news.ycombinator.com/item?id=46021377',
      author: 'kestrel_ops',
      authorUrl: 'https://news.ycombinator.com/user?id=kestrel_ops',
      authorReach: null,
      title: null,
      text:
        "Acme's status page was green the whole time. We moved the billing alerts off it after this.\n" +
        'Their "enterprise" support told us to wait for the post-mortem. See https://status.acme.example/incidents/8812',
      lang: null,
      publishedAt: at('2026-11-20T19:48:27Z'),
      parentId: '46020911',
      threadId: '46020544',
    } satisfies MentionDraft);
  });

  it('maps an Ask HN story with story_text, and a link story whose text is its title', () => {
    expect(first.mentions[1]).toEqual({
      externalId: '46020544',
      url: 'https://news.ycombinator.com/item?id=46020544',
      author: 'mirabel_dev',
      authorUrl: 'https://news.ycombinator.com/user?id=mirabel_dev',
      authorReach: null,
      title: "Ask HN: Is anyone else's Acme Cloud bill 3x this month?",
      text: "Our Acme Cloud invoice for November is 3.1x October's, with the same workload. Support says the new \"egress tiers\" apply retroactively.\nDid anyone get this reversed?",
      lang: null,
      publishedAt: at('2026-11-20T18:05:12Z'),
      parentId: null,
      threadId: '46020544',
    } satisfies MentionDraft);
    expect(first.mentions[3]).toMatchObject({ externalId: '46019840', title: 'Acme acquires Driftvault', text: 'Acme acquires Driftvault', threadId: '46019840' });
    // A top-level comment: its parent is the story, the same id as the story's externalId.
    expect(first.mentions[2]).toMatchObject({ externalId: '46019977', parentId: '46019840', threadId: '46019840', author: 'a_petrov' });
  });

  it('lists the hits, skipping the deleted comment with a warning', () => {
    expect(ids(first.mentions)).toEqual(['46021377', '46020544', '46019977', '46019840']);
    expect(first.itemsSeen).toBe(5);
    expect(first.warnings).toEqual([DELETED_WARNING(5)]);
  });

  it('first run: no lower bound on the first page; then windows back from the oldest second seen', () => {
    expect(paramsOf(hackerNewsAdapter.firstRequest(SETTINGS, null).url)).toEqual({
      query: 'acme',
      tags: '(story,comment)',
      hitsPerPage: '100',
      page: '0',
    });
    expect(first.cursor).toEqual({ backfill: { top: NEWEST, floor: NEWEST - 7 * 86_400, before: PAGE1_OLDEST } });
    expect(first.next!.url.startsWith('https://hn.algolia.com/api/v1/search_by_date?')).toBe(true);
    expect(paramsOf(first.next!.url)).toEqual({
      query: 'acme',
      tags: '(story,comment)',
      numericFilters: `created_at_i>=${NEWEST - 7 * 86_400},created_at_i<=${PAGE1_OLDEST}`,
      hitsPerPage: '100',
      page: '0',
    });
  });

  it('ends the run on the last page: since becomes the run top; entities in story_text decode', () => {
    const second = parse('search-page2.json', first.cursor);
    expect(ids(second.mentions)).toEqual(['46011234', '46008890', '46004411']);
    expect(second.warnings).toEqual([DELETED_WARNING(1)]);
    expect(second.mentions[1]).toEqual({
      externalId: '46008890',
      url: 'https://news.ycombinator.com/item?id=46008890',
      author: 'oss_hana',
      authorUrl: 'https://news.ycombinator.com/user?id=oss_hana',
      authorReach: null,
      title: 'Show HN: Birdseye – an open-source alternative to Acme Analytics',
      text: 'Hi HN! We built Birdseye after Acme Analytics dropped the free tier. Self-hosted, SQLite & DuckDB backends, <5 MB binary.',
      lang: null,
      publishedAt: at('2026-11-19T15:20:31Z'),
      parentId: null,
      threadId: '46008890',
    } satisfies MentionDraft);
    expect(second.cursor).toEqual({ since: NEWEST });
    expect(second.next).toBeNull();
  });

  it('a new run asks from since minus the overlap and ends when Algolia has no more pages', () => {
    const request = hackerNewsAdapter.firstRequest(SETTINGS, { since: NEWEST });
    expect(paramsOf(request.url).numericFilters).toBe(`created_at_i>=${NEWEST - HACKERNEWS_OVERLAP_SECONDS}`);
    const page = parse('search-newer.json', { since: NEWEST });
    expect(ids(page.mentions)).toEqual(['46022690', '46022015', '46021377']);
    expect(page.cursor).toEqual({ since: seconds('2026-11-20T21:14:03Z') });
    expect(page.next).toBeNull();
  });

  it('a new run with more pages keeps the old since until it completes', () => {
    const since = seconds('2026-11-20T10:00:00Z');
    const page = parse('search-page1.json', { since });
    expect(page.cursor).toEqual({ since, backfill: { top: NEWEST, floor: since - HACKERNEWS_OVERLAP_SECONDS, before: PAGE1_OLDEST } });
    expect(paramsOf(page.next!.url).numericFilters).toBe(`created_at_i>=${since - HACKERNEWS_OVERLAP_SECONDS},created_at_i<=${PAGE1_OLDEST}`);
  });

  it('pages within one second only when a whole page of hits shares it', () => {
    const hit = (id: number) => ({ _tags: ['comment'], author: 'a', comment_text: 'Acme', created_at_i: 1000, objectID: String(id), parent_id: 1, story_id: 1 });
    const body = JSON.stringify({ hits: Array.from({ length: 100 }, (_, i) => hit(2000 - i)), nbHits: 250, nbPages: 3, page: 0, hitsPerPage: 100 });
    const cursor: HackerNewsCursor = { since: 500, backfill: { top: 1200, floor: 200, before: 1000 } };
    const page = hackerNewsAdapter.parsePage(SETTINGS, response(body), cursor);
    expect(page.cursor).toEqual({ since: 500, backfill: { top: 1200, floor: 200, before: 1000, page: 1 } });
    expect(paramsOf(page.next!.url)).toMatchObject({ numericFilters: 'created_at_i>=200,created_at_i<=1000', page: '1' });
  });

  it('an empty result keeps the cursor; a 304 keeps it too', () => {
    const empty = JSON.stringify({ hits: [], nbHits: 0, nbPages: 0, page: 0, hitsPerPage: 100 });
    expect(hackerNewsAdapter.parsePage(SETTINGS, response(empty), { since: NEWEST })).toMatchObject({ mentions: [], cursor: { since: NEWEST }, next: null });
    expect(hackerNewsAdapter.parsePage(SETTINGS, response('', JSON_TYPE, 304), { since: NEWEST })).toEqual({
      mentions: [],
      cursor: { since: NEWEST },
      next: null,
      itemsSeen: 0,
      warnings: [],
    });
  });

  it('an Algolia error body is a SourceApiError; an HTML page or JSON without hits a format error', () => {
    const err = thrown(() => hackerNewsAdapter.parsePage(SETTINGS, response(fixtureBytes('error-invalid-filter.json')), null));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('hackernews: Algolia error 400: invalid numeric filter: created_at_i>=abc');
    const html = thrown(() => hackerNewsAdapter.parsePage(SETTINGS, response('<!DOCTYPE html><html><body>Bad gateway</body></html>', 'text/html'), null));
    expect(html).toBeInstanceOf(SourceFormatError);
    expect(html.message).toBe('the Hacker News search (Algolia) answered with an HTML page instead of JSON (blocked, or a login page?)');
    expect(thrown(() => hackerNewsAdapter.parsePage(SETTINGS, response('{"nbHits": 3}'), null))).toBeInstanceOf(SourceFormatError);
  });

  it('skips malformed hits with a warning and keeps the rest', () => {
    const result = JSON.parse(fixtureText('search-newer.json')) as { hits: unknown[] };
    result.hits.splice(1, 0, 42, { _tags: ['story'], title: 'Acme', created_at_i: 1_795_200_000 });
    const page = hackerNewsAdapter.parsePage(SETTINGS, response(JSON.stringify(result)), { since: NEWEST });
    expect(ids(page.mentions)).toEqual(['46022690', '46022015', '46021377']);
    expect(page.warnings).toEqual(['hit 2: skipped, not an object', 'hit 3: skipped, it has no usable objectID']);
  });

  it('checks settings by field', () => {
    expect(hackerNewsAdapter.checkSettings!(SETTINGS)).toEqual([]);
    expect(hackerNewsAdapter.checkSettings!({ ...SETTINGS, query: '', options: { backfill_days: 'week' } })).toEqual([
      'query: is required (the Hacker News search query)',
      'backfill_days: must be a number of days, 0 or more',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → HTTP → classify → SQLite

function configFor(serverUrl: string, extra = ''): string {
  return `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: hn
    type: hackernews
    query: acme
    url: ${serverUrl}
${extra}`;
}

const sendJson = (res: ServerResponse, body: string | Uint8Array, status = 200) => res.writeHead(status, { 'content-type': JSON_TYPE }).end(body);

describe('hackernews pull against a local server', () => {
  const harness = useSourcePull();
  const serve = useTestServer();

  it('stores both pages field by field, then asks from the mark and adds exactly the newer items', async () => {
    const asked: Array<Record<string, string>> = [];
    let newer = false;
    const server = await serve({
      '/api/v1/search_by_date': (req, res) => {
        const params = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
        asked.push(params);
        if (newer) return sendJson(res, fixtureBytes('search-newer.json'));
        sendJson(res, fixtureBytes(params['numericFilters'] ? 'search-page2.json' : 'search-page1.json'));
      },
    });
    const h = harness(configFor(server.url));

    const summary = await h.pull();
    expect(summary.sources[0]).toMatchObject({ ok: true, error: null, pages: 2, fetched: 9, new: 6, duplicates: 0, unmatched: 1 });
    expect(summary.sources[0]!.warnings).toEqual([DELETED_WARNING(5), DELETED_WARNING(1)]);
    expect(asked.map((p) => p['numericFilters'] ?? null)).toEqual([null, `created_at_i>=${NEWEST - 7 * 86_400},created_at_i<=${PAGE1_OLDEST}`]);

    expect(h.mentions().map((m) => m.external_id)).toEqual(['46004411', '46008890', '46019840', '46019977', '46020544', '46021377']);
    const byId = new Map(h.mentions().map((m) => [m.external_id, m]));
    expect(byId.get('46021377')).toEqual({
      external_id: '46021377',
      url: 'https://news.ycombinator.com/item?id=46021377',
      author: 'kestrel_ops',
      author_url: 'https://news.ycombinator.com/user?id=kestrel_ops',
      author_reach: null,
      title: null,
      text:
        "Acme's status page was green the whole time. We moved the billing alerts off it after this.\n" +
        'Their "enterprise" support told us to wait for the post-mortem. See https://status.acme.example/incidents/8812',
      // Algolia states no language; the classifier's detection is what gets stored.
      lang: 'en',
      published_at: at('2026-11-20T19:48:27Z'),
      parent_id: '46020911',
      thread_id: '46020544',
    });
    expect(byId.get('46004411')).toEqual({
      external_id: '46004411',
      url: 'https://news.ycombinator.com/item?id=46004411',
      author: 'dmitry_k',
      author_url: 'https://news.ycombinator.com/user?id=dmitry_k',
      author_reach: null,
      title: null,
      text: 'Акме (Acme) в России продаёт то же самое через партнёров, но поддержка отвечает на русском только по будням.',
      lang: 'ru',
      published_at: at('2026-11-19T08:05:17Z'),
      parent_id: '46003300',
      thread_id: '46003300',
    });
    expect(h.source('hn')!.cursor).toEqual({ since: NEWEST });

    newer = true;
    asked.length = 0;
    const again = await h.pull();
    expect(asked).toEqual([
      { query: 'acme', tags: '(story,comment)', numericFilters: `created_at_i>=${NEWEST - HACKERNEWS_OVERLAP_SECONDS}`, hitsPerPage: '100', page: '0' },
    ]);
    expect(again.sources[0]).toMatchObject({ ok: true, pages: 1, fetched: 3, new: 2, duplicates: 1, unmatched: 0 });
    const added = h.mentions().filter((m) => m.external_id === '46022015' || m.external_id === '46022690');
    expect(added).toEqual([
      {
        external_id: '46022015',
        url: 'https://news.ycombinator.com/item?id=46022015',
        author: 'kestrel_ops',
        author_url: 'https://news.ycombinator.com/user?id=kestrel_ops',
        author_reach: null,
        title: 'Acme Cloud post-mortem: storage controller failure in eu-central',
        text: 'Acme Cloud post-mortem: storage controller failure in eu-central',
        lang: 'en',
        published_at: at('2026-11-20T20:02:44Z'),
        parent_id: null,
        thread_id: '46022015',
      },
      {
        external_id: '46022690',
        url: 'https://news.ycombinator.com/item?id=46022690',
        author: 'mirabel_dev',
        author_url: 'https://news.ycombinator.com/user?id=mirabel_dev',
        author_reach: null,
        title: null,
        text: 'Update: Acme reversed the November egress charges for us after I quoted their own pricing page back to them.',
        lang: 'en',
        published_at: at('2026-11-20T21:14:03Z'),
        parent_id: '46020544',
        thread_id: '46020544',
      },
    ]);
    expect(h.source('hn')!.cursor).toEqual({ since: seconds('2026-11-20T21:14:03Z') });
  });

  it('with max_pages: 1 every item is stored exactly once over several pulls, also when newer items arrive mid-backfill', async () => {
    type Hit = { objectID: string; created_at_i: number };
    const hitsOf = (name: string) => (JSON.parse(fixtureText(name)) as { hits: Hit[] }).hits;
    const unique = (hits: Hit[]) => [...new Map(hits.map((h) => [h.objectID, h])).values()].sort((a, b) => b.created_at_i - a.created_at_i);
    let index = unique([...hitsOf('search-page1.json'), ...hitsOf('search-page2.json')]);
    const later = hitsOf('search-newer.json').slice(0, 2);
    const PER_PAGE = 3;
    const filters: Array<string | null> = [];
    const server = await serve({
      // Algolia over the index: numericFilters on created_at_i, newest first, PER_PAGE hits a page.
      '/api/v1/search_by_date': (req, res) => {
        const params = new URL(req.url ?? '/', 'http://x').searchParams;
        const numeric = params.get('numericFilters');
        filters.push(numeric);
        const tests = (numeric ?? '').split(',').filter(Boolean).map((f) => /^created_at_i(>=|<=)(\d+)$/.exec(f)!);
        const matching = index.filter((hit) => tests.every(([, op, value]) => (op === '>=' ? hit.created_at_i >= Number(value) : hit.created_at_i <= Number(value))));
        const page = Number(params.get('page') ?? 0);
        const hits = matching.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
        sendJson(res, JSON.stringify({ hits, nbHits: matching.length, nbPages: Math.ceil(matching.length / PER_PAGE), page, hitsPerPage: PER_PAGE }));
      },
    });
    const h = harness(configFor(server.url, '    max_pages: 1'));

    let stored = 0;
    for (let pull = 1; pull <= 6; pull++) {
      if (pull === 3) index = unique([...later, ...index]);
      const summary = await h.pull();
      expect(summary.sources[0]!.ok).toBe(true);
      stored += summary.sources[0]!.new;
    }
    const t = (iso: string) => seconds(iso);
    const floor = NEWEST - 7 * 86_400;
    const overlapFloor = NEWEST - HACKERNEWS_OVERLAP_SECONDS;
    expect(filters).toEqual([
      // The first run: newest page, then windows back to the seven-day horizon.
      null,
      `created_at_i>=${floor},created_at_i<=${t('2026-11-20T16:30:40Z')}`,
      `created_at_i>=${floor},created_at_i<=${t('2026-11-20T12:01:55Z')}`,
      `created_at_i>=${floor},created_at_i<=${t('2026-11-19T15:20:31Z')}`,
      // Complete: a new run from the mark (with overlap) finds the two newer items at once.
      `created_at_i>=${overlapFloor}`,
      `created_at_i>=${t('2026-11-20T21:14:03Z') - HACKERNEWS_OVERLAP_SECONDS}`,
    ]);
    const expected = ['46004411', '46008890', '46019840', '46019977', '46020544', '46021377', '46022015', '46022690'];
    expect(h.mentions().map((m) => m.external_id)).toEqual(expected);
    expect(stored).toBe(expected.length);
    expect(h.source('hn')!.cursor).toEqual({ since: t('2026-11-20T21:14:03Z') });
  });

  it('an API error body or a block page fails the source with a clear message and is counted', async () => {
    let answer: (res: ServerResponse) => void = (res) => sendJson(res, fixtureBytes('error-invalid-filter.json'));
    const server = await serve({ '/api/v1/search_by_date': (_req, res) => answer(res) });
    const h = harness(configFor(server.url));

    const failed = await h.pull();
    expect(failed.sources[0]).toMatchObject({ ok: false, error: 'hackernews: Algolia error 400: invalid numeric filter: created_at_i>=abc' });
    answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    const blocked = await h.pull();
    expect(blocked.sources[0]).toMatchObject({
      ok: false,
      error: 'the Hacker News search (Algolia) answered with an HTML page instead of JSON (blocked, or a login page?)',
    });
    expect(h.source('hn')).toMatchObject({ consecutiveFailures: 2, cursor: null, lastError: blocked.sources[0]!.error });

    answer = (res) => sendJson(res, fixtureBytes('search-newer.json'));
    const recovered = await h.pull();
    expect(recovered.sources[0]).toMatchObject({ ok: true, new: 3 });
    expect(h.source('hn')!.consecutiveFailures).toBe(0);
  });
});
