import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { githubAdapter, hasNextLink, searchQuery } from '../../../src/sources/github.js';
import type { GithubCursor } from '../../../src/sources/github.js';
import { SourceApiError, SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';
import { thrown } from '../../helpers/thrown.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../../fixtures/github/${name}`, import.meta.url), 'utf8');
const fixture = (name: string) => new TextEncoder().encode(fixtureText(name));
const unix = (iso: string) => Date.parse(iso) / 1000;

const SOURCE: SourceSettings = { name: 'gh', type: 'github', query: 'acme', options: {} };
const NEXT_LINK =
  '<https://api.github.com/search/issues?q=acme&sort=created&order=desc&per_page=100&page=2>; rel="next", ' +
  '<https://api.github.com/search/issues?q=acme&sort=created&order=desc&per_page=100&page=3>; rel="last"';

function response(body: Uint8Array, headers: Record<string, string> = {}): FetchedResponse {
  return { url: 'https://api.github.com/search/issues', status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}
const parse = (body: Uint8Array, cursor: GithubCursor | null = null, headers: Record<string, string> = {}, source: SourceSettings = SOURCE) =>
  githubAdapter.parsePage(source, response(body, headers), cursor);
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

const FIRST_IDS = ['3512204871', '3512151920', '3512007713', '3511934456', '3511648820', '3511290037', '3510921180', '3510690022'];
const UNRELATED = '3511648820'; // "Build fails on ARM64 runners": matched on a comment, which search does not return
const MARK_FIRST = unix('2026-11-20T10:02:48Z');
const NEWEST_SINCE = unix('2026-11-20T15:48:02Z');
const NEWEST_LATER = unix('2026-11-20T21:58:31Z');
const OLDEST_LATER = unix('2026-11-20T17:40:44Z');

describe('github: parsing /search/issues', () => {
  const page = parse(fixture('search-first.json'));

  it('maps an issue field by field: numeric id, login, Markdown body without template comments, itself as thread', () => {
    expect(page.mentions[1]).toEqual({
      externalId: '3512151920',
      url: 'https://github.com/acme-corp/acme-js/issues/412',
      author: 'jdoe-dev',
      authorUrl: 'https://github.com/jdoe-dev',
      authorReach: null,
      title: 'Acme client throws TypeError on Node 22',
      text: '### Describe the bug\n`new AcmeClient({ apiKey })` throws `TypeError: process.binding is not a function` on Node 22.11.\n### Version\nacme-js 4.8.0',
      lang: null,
      publishedAt: Date.parse('2026-11-20T09:21:07Z'),
      parentId: null,
      threadId: '3512151920',
    });
  });

  it('keeps the API order (newest first) and every item', () => {
    expect(page.mentions.map((m) => m.externalId)).toEqual(FIRST_IDS);
    expect(page.itemsSeen).toBe(8);
    expect(page.warnings).toEqual([]);
  });

  it('handles the edge items: pull request, null body, deleted user (ghost), markup in a title', () => {
    const byId = new Map(page.mentions.map((m) => [m.externalId, m]));
    expect(byId.get('3512204871')!.url).toBe('https://github.com/acme-corp/acme-js/pull/413');
    expect(byId.get('3512007713')).toMatchObject({ title: 'Migrate from Acme Pay to Stripe?', text: '' });
    expect(byId.get('3511934456')).toMatchObject({ author: 'ghost', authorUrl: 'https://github.com/ghost', title: 'Акме SDK: не проходит оплата через СБП' });
    expect(byId.get('3511290037')!.title).toBe('docs: add <AcmeProvider> example & fix typos');
  });

  it('starts from the newest page on the first poll: the mark is the newest created_at', () => {
    expect(page.cursor).toEqual({ kind: 'both', mark: MARK_FIRST });
    expect(page.next).toBeNull();
  });

  it('warns about incomplete results and skips a malformed item', () => {
    const body = JSON.parse(fixtureText('search-first.json')) as { items: Array<Record<string, unknown>> };
    body.items[3]!['created_at'] = null;
    const page = parse(new TextEncoder().encode(JSON.stringify({ ...body, incomplete_results: true })));
    expect(page.mentions).toHaveLength(7);
    expect(page.warnings).toEqual([
      "github: the search timed out on GitHub's side and returned incomplete results (incomplete_results: true); some items may be missing",
      'github: skipped item 4: item 3511934456 has no readable created_at',
    ]);
  });
});

describe('github: requests and cursor', () => {
  it('sends the versioned Accept headers, and the token only when configured', () => {
    const anonymous = githubAdapter.firstRequest(SOURCE, null);
    expect(anonymous.headers).toEqual({ Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' });
    expect(params(anonymous.url)).toEqual({ q: 'acme', sort: 'created', order: 'desc', per_page: '100', page: '1' });
    const withToken = githubAdapter.firstRequest({ ...SOURCE, options: { token: 'ghp_x' } }, null);
    expect(withToken.headers?.['Authorization']).toBe('Bearer ghp_x');
  });

  it('builds the query: created window re-reading 10 minutes, and the kind', () => {
    expect(searchQuery('acme', 'both', MARK_FIRST, null)).toBe('acme created:>=2026-11-20T09:52:48Z');
    expect(searchQuery('acme', 'issues', MARK_FIRST, OLDEST_LATER)).toBe('acme created:2026-11-20T09:52:48Z..2026-11-20T17:40:44Z is:issue');
    expect(searchQuery('"acme cloud" repo:acme-corp/acme-js', 'prs', null, null)).toBe('"acme cloud" repo:acme-corp/acme-js is:pr');
    const request = githubAdapter.firstRequest({ ...SOURCE, url: 'https://ghe.example/api/v3/', options: { kind: 'issues' } }, { kind: 'issues', mark: MARK_FIRST });
    expect(request.url.startsWith('https://ghe.example/api/v3/search/issues?')).toBe(true);
    expect(params(request.url).q).toBe('acme created:>=2026-11-20T09:52:48Z is:issue');
  });

  it('reads rel="next" from the Link header', () => {
    expect(hasNextLink(NEXT_LINK)).toBe(true);
    expect(hasNextLink('<https://api.github.com/search/issues?q=acme&page=1>; rel="prev", <https://api.github.com/search/issues?q=acme&page=1>; rel="first"')).toBe(false);
    expect(hasNextLink(undefined)).toBe(false);
  });

  it('moves the mark when there is no next page', () => {
    const page = parse(fixture('search-since.json'), { kind: 'both', mark: MARK_FIRST });
    expect(page.cursor).toEqual({ kind: 'both', mark: NEWEST_SINCE });
    expect(page.next).toBeNull();
  });

  it('pages back through a fixed created window when there is a next page, keeping the mark until it is done', () => {
    const page = parse(fixture('search-later.json'), { kind: 'both', mark: MARK_FIRST }, { link: NEXT_LINK });
    expect(page.cursor).toEqual({ kind: 'both', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } });
    expect(params(page.next!.url)).toMatchObject({ q: 'acme created:2026-11-20T09:52:48Z..2026-11-20T17:40:44Z', page: '1' });

    const done = parse(fixture('search-since.json'), page.cursor);
    expect(done.cursor).toEqual({ kind: 'both', mark: NEWEST_LATER });
    expect(params(done.next!.url)).toMatchObject({ q: 'acme created:>=2026-11-20T21:48:31Z', page: '1' });
  });

  it('turns the page instead of the window when a whole page shares one second', () => {
    const body = JSON.parse(fixtureText('search-later.json')) as { items: Array<Record<string, unknown>> };
    for (const item of body.items) item['created_at'] = '2026-11-20T17:40:44Z';
    const cursor: GithubCursor = { kind: 'both', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } };
    const page = parse(new TextEncoder().encode(JSON.stringify(body)), cursor, { link: NEXT_LINK });
    expect(page.cursor.backfill).toEqual({ top: NEWEST_LATER, to: OLDEST_LATER, page: 2 });
    expect(params(page.next!.url).page).toBe('2');
  });

  it('ignores a cursor written for another kind', () => {
    const request = githubAdapter.firstRequest({ ...SOURCE, options: { kind: 'prs' } }, { kind: 'issues', mark: MARK_FIRST });
    expect(params(request.url).q).toBe('acme is:pr');
  });
});

describe('github: errors and settings', () => {
  it('turns a 200 error message into an API error and anything else into a format error', () => {
    const err = thrown(() => parse(fixture('error-validation.json')));
    expect(err).toBeInstanceOf(SourceApiError);
    expect(err.message).toBe('github API error: Validation Failed');
    expect(thrown(() => parse(new TextEncoder().encode('[]')))).toBeInstanceOf(SourceFormatError);
  });

  it('checks the settings', () => {
    const check = (source: Partial<SourceSettings>) => githubAdapter.checkSettings!({ ...SOURCE, ...source });
    expect(check({ options: { kind: 'prs', token: 'ghp_x' } })).toEqual([]);
    expect(check({ query: ' ', options: { kind: 'pulls', token: '', repo: 'x' } })).toEqual([
      'repo: unknown option for a github source (known: token, kind)',
      'query: is required (GitHub issue search syntax, e.g. acme or "acme cloud")',
      'kind: expected issues, prs or both',
      'token: is empty (set the variable it names, e.g. GITHUB_TOKEN, or remove the line)',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → adapter → HTTP → classify → SQLite

const TOKEN = 'ghp_TestToken0000000000000000000000000';
const config = (url: string, extra = '') => `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: gh
    type: github
    query: acme
    token: \${GITHUB_TOKEN}
    url: ${url}
${extra}`;

interface ApiState {
  /** What a request without an upper bound gets, and its Link header. */
  top: () => { body: Uint8Array; link?: string };
  requests: Array<{ query: Record<string, string>; headers: Record<string, string | string[] | undefined> }>;
}

/** The API stand-in: a created:<from>..<to> window gets search-since.json (the page below search-later.json). */
async function apiServer(serve: ReturnType<typeof useTestServer>, state: ApiState) {
  return serve({
    '/search/issues': (req, res) => {
      const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
      state.requests.push({ query, headers: req.headers });
      const page = (query['q'] ?? '').includes('..') ? { body: fixture('search-since.json') } : state.top();
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '29', 'x-ratelimit-reset': '1795200000', 'x-ratelimit-resource': 'search' };
      if (page.link) headers['link'] = page.link;
      res.writeHead(200, headers).end(page.body);
    },
  });
}

describe('github: pulling', () => {
  const serve = useTestServer();
  const harness = useSourcePull();
  const env = { GITHUB_TOKEN: TOKEN };

  it('stores the newest page, then exactly the items created since the mark', async () => {
    const state: ApiState = { top: () => ({ body: fixture('search-first.json') }), requests: [] };
    const server = await apiServer(serve, state);
    const h = harness(config(server.url));

    const first = await h.pull({ env });
    expect(first.sources[0]).toMatchObject({ ok: true, fetched: 8, new: 7, duplicates: 0, unmatched: 1, pages: 1 });
    expect(state.requests.map((r) => r.query)).toEqual([{ q: 'acme', sort: 'created', order: 'desc', per_page: '100', page: '1' }]);
    expect(state.requests[0]!.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: `Bearer ${TOKEN}`,
    });
    const rows = h.mentions();
    expect(rows.map((r) => r.external_id)).toEqual(FIRST_IDS.filter((id) => id !== UNRELATED).sort());
    expect(rows.find((r) => r.external_id === '3510690022')).toEqual({
      external_id: '3510690022',
      url: 'https://github.com/acme-corp/docs/issues/1201',
      author: 'ivan-sorokin',
      author_url: 'https://github.com/ivan-sorokin',
      author_reach: null,
      title: 'Акме: документация по API устарела',
      text: 'Раздел «Вебхуки» описывает поля v1, а API уже отдаёт v2 (`event.data.object`). Пожалуйста, обновите примеры.',
      lang: 'ru',
      published_at: Date.parse('2026-11-19T08:15:52Z'),
      parent_id: null,
      thread_id: '3510690022',
    });
    expect(h.source('gh')!.cursor).toEqual({ kind: 'both', mark: MARK_FIRST });

    state.top = () => ({ body: fixture('search-since.json') });
    state.requests = [];
    const second = await h.pull({ env });
    expect(state.requests.map((r) => r.query)).toEqual([
      { q: 'acme created:>=2026-11-20T09:52:48Z', sort: 'created', order: 'desc', per_page: '100', page: '1' },
    ]);
    expect(second.sources[0]).toMatchObject({ ok: true, fetched: 4, new: 3, duplicates: 1, unmatched: 0, pages: 1 });
    expect(h.source('gh')!.cursor).toEqual({ kind: 'both', mark: NEWEST_SINCE });
  });

  it('with max_pages: 1, finishes an interrupted page-back on the next pull and stores every item once', async () => {
    const state: ApiState = { top: () => ({ body: fixture('search-first.json') }), requests: [] };
    const server = await apiServer(serve, state);
    const h = harness(config(server.url, '    max_pages: 1'));

    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 7 });
    state.top = () => ({ body: fixture('search-later.json'), link: NEXT_LINK });
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 3, pages: 1 });
    expect(h.source('gh')!.cursor).toEqual({ kind: 'both', mark: MARK_FIRST, backfill: { top: NEWEST_LATER, to: OLDEST_LATER, page: 1 } });
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 3, duplicates: 1, pages: 1 });
    expect(h.source('gh')!.cursor).toEqual({ kind: 'both', mark: NEWEST_LATER });
    state.top = () => ({ body: fixture('search-later.json') });
    expect((await h.pull({ env })).sources[0]).toMatchObject({ ok: true, new: 0, duplicates: 3, pages: 1 });

    expect(state.requests.map((r) => r.query['q'])).toEqual([
      'acme',
      'acme created:>=2026-11-20T09:52:48Z',
      'acme created:2026-11-20T09:52:48Z..2026-11-20T17:40:44Z',
      'acme created:>=2026-11-20T21:48:31Z',
    ]);
    const all = [...FIRST_IDS.filter((id) => id !== UNRELATED), '3512631007', '3512540911', '3512409766', '3513102287', '3512987455', '3512850032'];
    expect(h.mentions().map((r) => r.external_id)).toEqual(all.sort());
  });

  it('fails the source on a refused token, names the variable, counts the failures, and never shows the token', async () => {
    const server = await serve({
      '/search/issues': (_req, res) => void res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' }).end(fixture('error-bad-credentials.json')),
    });
    const h = harness(config(server.url));
    const result = (await h.pull({ env })).sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`HTTP 401 Unauthorized from ${new URL(server.url).host}: check the variable GITHUB_TOKEN`);
    await h.pull({ env });
    const row = h.source('gh')!;
    expect(row.consecutiveFailures).toBe(2);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
  });

  it('fails the source on an error message in a 200 body', async () => {
    const server = await serve({
      '/search/issues': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture('error-validation.json')),
    });
    const h = harness(config(server.url));
    const result = (await h.pull({ env })).sources[0]!;
    expect(result).toMatchObject({ ok: false, error: 'github API error: Validation Failed' });
    expect(h.source('gh')!.consecutiveFailures).toBe(1);
  });
});
