import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { jsonAdapter } from '../../../src/sources/json.js';
import type { JsonCursor } from '../../../src/sources/json.js';
import { SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/json/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);

const HN_URL = 'https://hn.algolia.com/api/v1/search_by_date?query={query}&numericFilters=created_at_i>{cursor}';
const HN_OPTIONS = {
  items: '$.hits[*]',
  fields: {
    id: '$.objectID',
    url: 'https://news.ycombinator.com/item?id={$.objectID}',
    author: '$.author',
    text: ['$.comment_text', '$.story_text', '$.title'],
    title: '$.title',
    published: '$.created_at_i',
    parent: '$.parent_id',
    thread: '$.story_id',
    lang: '$.lang',
    reach: '$.followers',
  },
  html: true,
  cursor: 'published',
};
const hnSource = (options: Record<string, unknown> = HN_OPTIONS, url = HN_URL, query: string | null = 'acme'): SourceSettings => ({
  name: 'hn-generic',
  type: 'json',
  url,
  query: query ?? undefined,
  options,
});

const LISTENING_KEY = 'lk_test_7f3a9c2e5b';
const LISTENING_HOST = 'https://api.listening.example';
const LISTENING_OPTIONS = {
  items: '$.data.items[*]',
  fields: {
    id: '$.id',
    url: '$.link',
    author: '$.author.displayName',
    author_url: '$.author.profileUrl',
    reach: '$.author.followers',
    text: '$.contentHtml',
    title: '$.title',
    published: '$.published',
    parent: '$.inReplyTo.id',
    thread: '$.thread.id',
    lang: '$.language',
  },
  html: true,
  cursor: 'published',
  cursor_format: 'iso',
  next: '$.data.nextLink',
  error: '$.error',
};
const listeningSource = (options: Record<string, unknown> = LISTENING_OPTIONS): SourceSettings => ({
  name: 'listening',
  type: 'json',
  url: `${LISTENING_HOST}/v2/mentions?q={query}&since={cursor}&key=${LISTENING_KEY}`,
  query: 'acme',
  options,
});

function response(body: string, url: string, status = 200, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }): FetchedResponse {
  return { url, status, headers, body: new TextEncoder().encode(body) };
}

function formatError(run: () => unknown): SourceFormatError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFormatError);
    return err as SourceFormatError;
  }
  throw new Error('expected a SourceFormatError');
}

describe('json source: settings', () => {
  const check = (source: SourceSettings) => jsonAdapter.checkSettings!(source);

  it('accepts the documented Hacker News example', () => {
    expect(check(hnSource())).toEqual([]);
    expect(check(listeningSource())).toEqual([]);
  });

  it('reports a path the JSONPath parser rejects, naming the field', () => {
    const problems = check(hnSource({ ...HN_OPTIONS, fields: { ...HN_OPTIONS.fields, author: '$.author[' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^fields\.author: invalid JSONPath: .+/);
    expect(check(hnSource({ ...HN_OPTIONS, fields: { ...HN_OPTIONS.fields, title: 'title' } }))).toEqual([
      'fields.title: expected a JSONPath starting with "$" (e.g. $.author) or a template with {$.path} placeholders',
    ]);
    expect(check(hnSource({ ...HN_OPTIONS, fields: { ...HN_OPTIONS.fields, url: 'https://x.example/{$.a[}' } }))[0]).toMatch(
      /^fields\.url: \{\$\.a\[\}?: invalid JSONPath/,
    );
    expect(check(hnSource({ ...HN_OPTIONS, items: 'hits[*]' }))[0]).toMatch(/^items: invalid JSONPath: .*starts with "\$"/);
  });

  it('requires items, fields.id and fields.text, and knows its field names', () => {
    const { items: _items, ...noItems } = HN_OPTIONS;
    expect(check(hnSource(noItems))).toEqual(['items: is required: a JSONPath to the list of items, e.g. $.hits[*]']);
    expect(check(hnSource({ ...HN_OPTIONS, fields: { url: '$.url', published: '$.created_at_i', likes: '$.points' } }))).toEqual([
      'fields.likes: unknown field (known: id, url, author, author_url, text, title, published, parent, thread, lang, reach)',
      "fields.id: is required: the JSONPath to each item's unique id, e.g. $.id",
      "fields.text: is required: the JSONPath to each item's text (a list tries each in turn)",
    ]);
  });

  it('matches the url placeholders against query and cursor', () => {
    expect(check(hnSource(HN_OPTIONS, HN_URL, null))).toEqual(['query: is required: the url uses {query}']);
    expect(check(hnSource(HN_OPTIONS, 'https://hn.algolia.com/api/v1/search_by_date?numericFilters=created_at_i>{cursor}'))).toEqual([
      'query: is set but the url has no {query} placeholder to put it in',
    ]);
    const { cursor: _cursor, ...noCursor } = HN_OPTIONS;
    expect(check(hnSource(noCursor))).toEqual(['cursor: is required: the url uses {cursor} (set cursor: published or cursor: id)']);
    expect(check(hnSource(HN_OPTIONS, 'https://hn.algolia.com/api/v1/search_by_date?query={query}&page={page}'))).toEqual([
      'url: unknown placeholder {page} (only {query} and {cursor} are filled in)',
      'cursor: is set but the url has no {cursor} placeholder to put it in',
    ]);
    expect(check(hnSource({ ...HN_OPTIONS, cursor: 'newest', html: 'yes', headers: ['x'] }))).toEqual([
      'html: expected true or false',
      'cursor: expected "published" (newest date seen) or "id" (highest id seen)',
      'headers: expected a mapping of header name to value',
    ]);
  });

  it('names unknown options and never echoes values (they may hold secrets)', () => {
    const problems = check(hnSource({ ...HN_OPTIONS, token: 'secret-value-123', headers: { 'Bad Header': 'Bearer secret-value-123' } }));
    expect(problems).toEqual([
      'token: unknown option for a json source (known: items, fields, html, cursor, cursor_format, cursor_start, next, next_param, error, headers)',
      'headers.Bad Header: not a valid header name',
    ]);
  });
});

describe('json source: Hacker News Algolia shape', () => {
  const source = hnSource();
  const first = jsonAdapter.firstRequest(source, null);
  const page = jsonAdapter.parsePage(source, response(fixture('hn-search-by-date.json'), first.url), null);

  it('builds the first request from the template, placeholders URL-encoded', () => {
    expect(first).toEqual({
      url: 'https://hn.algolia.com/api/v1/search_by_date?query=acme&numericFilters=created_at_i%3E0',
      method: 'GET',
      headers: { Accept: 'application/json' },
    });
    const spaced = jsonAdapter.firstRequest(hnSource(HN_OPTIONS, HN_URL, 'acme & co'), { mark: at('2026-11-20T12:40:51Z') });
    expect(spaced.url).toBe('https://hn.algolia.com/api/v1/search_by_date?query=acme%20%26%20co&numericFilters=created_at_i%3E1795178451');
  });

  it('maps a comment field by field: HTML to text, templated link, parent and thread ids', () => {
    expect(page.mentions[0]).toEqual({
      externalId: '48213390',
      url: 'https://news.ycombinator.com/item?id=48213390',
      author: 'mkovac',
      authorUrl: null,
      authorReach: null,
      title: null,
      text: 'Same here. Acme support told me to "wait 72 hours", it\'s been five days. I\'m porting my number out.\nTicket: https://support.acme.example/t/551209',
      lang: null,
      publishedAt: at('2026-11-20T12:40:51Z'),
      parentId: '48213011',
      threadId: '48212655',
    });
  });

  it('takes the first non-empty text candidate and skips an item without text, naming it', () => {
    expect(page.mentions.map((m) => m.externalId)).toEqual(['48213390', '48213011', '48212977', '48212655', '48211802', '48211530']);
    expect(page.itemsSeen).toBe(7);
    expect(page.warnings).toEqual(['item 7 (id 48211100): skipped, fields.text gave no text']);
    const story = page.mentions[3]!;
    expect(story.title).toBe("Ask HN: Is Acme Mobile's eSIM activation broken for anyone else?");
    expect(story.text).toBe('Activated a new line with Acme Mobile on Tuesday. The eSIM shows "No service" and the app says activation is pending.\nAnyone found a fix? Support chat just loops back to the FAQ.');
    expect(story.parentId).toBeNull();
    const linkStory = page.mentions[4]!;
    expect(linkStory.text).toBe('Acme Shop cuts delivery to 2 hours in Berlin');
    expect(page.mentions[1]!.text).toBe('The eSIM QR code from Acme expires after 15 minutes & nobody tells you. Generate it only when you are ready to scan.');
    expect(page.mentions[2]!.text).toBe('У Акме та же беда: активация eSIM висит вторые сутки, поддержка молчит.\nЗаявка 7734519, если кому-то из Акме интересно.');
  });

  it('ends the walk with the newest date as the mark: one page, no next', () => {
    expect(page.next).toBeNull();
    expect(page.cursor).toEqual({ mark: at('2026-11-20T12:40:51Z') });
  });

  it('keeps the cursor on 304 and rejects a body that is not the configured shape', () => {
    const cursor: JsonCursor = { mark: 5 };
    expect(jsonAdapter.parsePage(source, response('', first.url, 304), cursor)).toEqual({ mentions: [], cursor, next: null, itemsSeen: 0, warnings: [] });
    expect(formatError(() => jsonAdapter.parsePage(source, response('{"message":"Not Found","status":404}', first.url), null)).message).toBe(
      'json source "hn-generic": items: $.hits[*] matched nothing: the response has no $.hits (its top-level keys: message, status)',
    );
    expect(formatError(() => jsonAdapter.parsePage(source, response('<!DOCTYPE html><html><body>Sign in</body></html>', first.url), null)).message).toBe(
      'json source "hn-generic" answered with an HTML page instead of JSON (blocked, or a login page?)',
    );
    const empty = jsonAdapter.parsePage(source, response('{"hits":[],"nbHits":0}', first.url), cursor);
    expect(empty).toEqual({ mentions: [], cursor: { mark: 5 }, next: null, itemsSeen: 0, warnings: [] });
  });
});

describe('json source: paged API with data.items, ISO dates and nextLink', () => {
  const source = listeningSource();
  const first = jsonAdapter.firstRequest(source, null);
  const page = jsonAdapter.parsePage(source, response(fixture('listening-page1.json'), first.url), null);

  it('maps an item with nested author, offset date, reply ids and language tag', () => {
    expect(first.url).toBe(`${LISTENING_HOST}/v2/mentions?q=acme&since=1970-01-01T00%3A00%3A00.000Z&key=${LISTENING_KEY}`);
    expect(page.mentions[0]).toEqual({
      externalId: 'm-7f41',
      url: 'https://forum.svyaz.example/t/88412/post/15',
      author: 'Ирина_К',
      authorUrl: 'https://forum.svyaz.example/u/irina_k',
      authorReach: 312,
      title: null,
      text: 'Подтверждаю: Акме списал абонплату дважды и у меня. Заявка № 7734633, ответа нет уже неделю.',
      lang: 'ru',
      publishedAt: at('2026-11-20T11:22:00Z'),
      parentId: 'm-7f2a',
      threadId: 'm-7f2a',
    });
    expect(page.mentions[1]).toMatchObject({ externalId: 'm-7f3c', authorReach: null, parentId: null, title: 'Fast delivery, broken box', lang: 'en' });
  });

  it('follows nextLink but keeps the mark until the walk ends; the key never goes into the cursor', () => {
    expect(page.next?.url).toBe(`${LISTENING_HOST}/v2/mentions?q=acme&since=1970-01-01T00%3A00%3A00.000Z&key=${LISTENING_KEY}&pageToken=CAIQAA`);
    expect(page.cursor).toEqual({
      top: at('2026-11-20T11:22:00Z'),
      next: `${LISTENING_HOST}/v2/mentions?q=acme&since=1970-01-01T00%3A00%3A00.000Z&pageToken=CAIQAA`,
    });
    // A later pull resumes the walk with the key put back.
    expect(jsonAdapter.firstRequest(source, page.cursor).url).toBe(
      `${LISTENING_HOST}/v2/mentions?q=acme&since=1970-01-01T00%3A00%3A00.000Z&pageToken=CAIQAA&key=${LISTENING_KEY}`,
    );
    const second = jsonAdapter.parsePage(source, response(fixture('listening-page2.json'), page.next!.url), page.cursor);
    expect(second.mentions.map((m) => m.externalId)).toEqual(['m-7f2a']);
    expect(second.warnings).toEqual(['item 2 (id m-7f19): skipped, fields.text gave no text']);
    expect(second.cursor).toEqual({ top: at('2026-11-20T11:22:00Z'), next: `${LISTENING_HOST}/v2/mentions?q=acme&since=1970-01-01T00%3A00%3A00.000Z&pageToken=CAQQAA` });
    const third = jsonAdapter.parsePage(source, response(fixture('listening-page3.json'), second.next!.url), second.cursor);
    expect(third.next).toBeNull();
    expect(third.cursor).toEqual({ mark: at('2026-11-20T11:22:00Z') });
    expect(jsonAdapter.firstRequest(source, third.cursor).url).toBe(
      `${LISTENING_HOST}/v2/mentions?q=acme&since=2026-11-20T11%3A22%3A00.000Z&key=${LISTENING_KEY}`,
    );
  });

  it('never follows a next link to another host (the headers would go with it)', () => {
    const body = fixture('listening-page1.json').replace(`"nextLink": "${LISTENING_HOST}`, '"nextLink": "https://evil.example');
    const other = jsonAdapter.parsePage(source, response(body, first.url), null);
    expect(other.next).toBeNull();
    expect(other.warnings).toEqual(['next: the next page is on another host (evil.example); not followed']);
    expect(other.cursor).toEqual({ mark: at('2026-11-20T11:22:00Z') });
  });

  it('puts a page token into next_param, and uses the highest id as an id cursor', () => {
    const tokenSource: SourceSettings = {
      name: 'tokens',
      type: 'json',
      url: 'https://api.example/search?q={query}&after_id={cursor}',
      query: 'acme',
      options: { items: '$.results[*]', fields: { id: '$.id', text: '$.body' }, cursor: 'id', next: '$.meta.next_cursor', next_param: 'cursor' },
    };
    const url = jsonAdapter.firstRequest(tokenSource, null).url;
    expect(url).toBe('https://api.example/search?q=acme&after_id=0');
    const body = JSON.stringify({ results: [{ id: '998', body: 'Acme one' }, { id: '1002', body: 'Acme two' }], meta: { next_cursor: 'c2' } });
    const tokenPage = jsonAdapter.parsePage(tokenSource, response(body, url), null);
    expect(tokenPage.next?.url).toBe('https://api.example/search?q=acme&after_id=0&cursor=c2');
    expect(tokenPage.cursor).toEqual({ top: '1002', next: 'c2' });
    expect(jsonAdapter.firstRequest(tokenSource, tokenPage.cursor).url).toBe('https://api.example/search?q=acme&after_id=0&cursor=c2');
    const last = jsonAdapter.parsePage(tokenSource, response(JSON.stringify({ results: [{ id: '1001', body: 'Acme three' }], meta: {} }), url), tokenPage.cursor);
    expect(last.cursor).toEqual({ mark: '1002' });
  });
});

describe('json source: pulls through the real pipeline', () => {
  const setup = useSourcePull();
  const serve = useTestServer();

  it('stores the Hacker News shape, then asks only for newer items', async () => {
    const filters: string[] = [];
    const server = await serve({
      '/api/v1/search_by_date': (req, res, hit) => {
        filters.push(new URL(req.url ?? '', 'http://x').searchParams.get('numericFilters') ?? '');
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture(hit === 1 ? 'hn-search-by-date.json' : 'hn-search-by-date-newer.json'));
      },
    });
    const harness = setup(`topics:
  - name: acme
    query: acme OR акме
sources:
  - name: hn-generic
    type: json
    url: ${server.url}/api/v1/search_by_date?query={query}&numericFilters=created_at_i>{cursor}
    query: acme
    items: $.hits[*]
    fields:
      id: $.objectID
      url: "https://news.ycombinator.com/item?id={$.objectID}"
      author: $.author
      text: [$.comment_text, $.story_text, $.title]
      title: $.title
      published: $.created_at_i
      parent: $.parent_id
      thread: $.story_id
      lang: $.lang
      reach: $.followers
    html: true
    cursor: published
`);
    const first = await harness.pull();
    expect(first.sources[0]).toMatchObject({ ok: true, fetched: 7, new: 5, duplicates: 0, unmatched: 1, pages: 1 });
    expect(first.sources[0]!.warnings).toEqual(['item 7 (id 48211100): skipped, fields.text gave no text']);
    const stored = harness.mentions();
    expect(stored.map((m) => m.external_id)).toEqual(['48211802', '48212655', '48212977', '48213011', '48213390']);
    expect(stored.find((m) => m.external_id === '48213390')).toEqual({
      external_id: '48213390',
      url: 'https://news.ycombinator.com/item?id=48213390',
      author: 'mkovac',
      author_url: null,
      author_reach: null,
      title: null,
      text: 'Same here. Acme support told me to "wait 72 hours", it\'s been five days. I\'m porting my number out.\nTicket: https://support.acme.example/t/551209',
      lang: 'en',
      published_at: at('2026-11-20T12:40:51Z'),
      parent_id: '48213011',
      thread_id: '48212655',
    });
    expect(stored.find((m) => m.external_id === '48211802')).toMatchObject({ title: 'Acme Shop cuts delivery to 2 hours in Berlin', parent_id: null, thread_id: '48211802' });
    expect(harness.source('hn-generic')!.cursor).toEqual({ mark: at('2026-11-20T12:40:51Z') });

    const second = await harness.pull();
    expect(filters).toEqual(['created_at_i>0', 'created_at_i>1795178451']);
    expect(second.sources[0]).toMatchObject({ ok: true, fetched: 2, new: 2, duplicates: 0 });
    expect(harness.mentions().map((m) => m.external_id)).toEqual(['48211802', '48212655', '48212977', '48213011', '48213390', '48213805', '48213944']);
    expect(harness.mentions().find((m) => m.external_id === '48213805')).toMatchObject({ parent_id: '48213390', thread_id: '48212655' });
    expect(harness.source('hn-generic')!.cursor).toEqual({ mark: at('2026-11-20T19:58:12Z') });
  });

  function listeningServer(requests: URLSearchParams[]) {
    return serve({
      '/v2/mentions': (req: IncomingMessage, res) => {
        const params = new URL(req.url ?? '', 'http://x').searchParams;
        requests.push(params);
        const token = params.get('pageToken');
        const name =
          token === 'CAIQAA' ? 'listening-page2.json' : token === 'CAQQAA' ? 'listening-page3.json' : params.get('since')!.startsWith('1970') ? 'listening-page1.json' : 'listening-newer.json';
        const origin = `http://${req.headers.host}`;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture(name).split(LISTENING_HOST).join(origin));
      },
    });
  }

  const listeningConfig = (url: string, extra = '') => `topics:
  - name: acme
    query: acme OR акме
sources:
  - name: listening
    type: json
    url: ${url}/v2/mentions?q={query}&since={cursor}&key=\${LISTENING_KEY}
    query: acme
    max_pages: 1
    items: $.data.items[*]
    fields:
      id: $.id
      url: $.link
      author: $.author.displayName
      author_url: $.author.profileUrl
      reach: $.author.followers
      text: $.contentHtml
      title: $.title
      published: $.published
      parent: $.inReplyTo.id
      thread: $.thread.id
      lang: $.language
    html: true
    cursor: published
    cursor_format: iso
    next: $.data.nextLink
    error: $.error
${extra}`;

  it('with max_pages 1, finishes the walk over several pulls: every item once, no gap, then only newer ones', async () => {
    const requests: URLSearchParams[] = [];
    const server = await listeningServer(requests);
    const harness = setup(listeningConfig(server.url));
    const env = { LISTENING_KEY };
    const news: number[] = [];
    for (let i = 0; i < 4; i++) {
      const summary = await harness.pull({ env });
      expect(summary.sources[0]!.ok, summary.sources[0]!.error ?? '').toBe(true);
      news.push(summary.sources[0]!.new);
      expect(JSON.stringify(harness.source('listening')!.cursor)).not.toContain(LISTENING_KEY);
      if (i === 0) expect(harness.source('listening')!.cursor).toMatchObject({ top: at('2026-11-20T11:22:00Z') });
    }
    expect(news).toEqual([2, 1, 0, 1]);
    expect(requests.map((p) => [p.get('pageToken'), p.get('since'), p.get('key')])).toEqual([
      [null, '1970-01-01T00:00:00.000Z', LISTENING_KEY],
      ['CAIQAA', '1970-01-01T00:00:00.000Z', LISTENING_KEY],
      ['CAQQAA', '1970-01-01T00:00:00.000Z', LISTENING_KEY],
      [null, '2026-11-20T11:22:00.000Z', LISTENING_KEY],
    ]);
    expect(harness.mentions().map((m) => m.external_id)).toEqual(['m-7f2a', 'm-7f3c', 'm-7f41', 'm-8001']);
    expect(harness.mentions().find((m) => m.external_id === 'm-7f2a')).toEqual({
      external_id: 'm-7f2a',
      url: 'https://forum.svyaz.example/t/88412',
      author: 'Сергей П.',
      author_url: 'https://forum.svyaz.example/u/sergey_p',
      author_reach: 1875,
      title: '«Акме» дважды списал абонплату',
      text: 'Третий месяц подряд Акме списывает абонплату дважды.\nПоддержка обещает вернуть за 3 дня\nПрошло две недели',
      lang: 'ru',
      published_at: at('2026-11-20T08:47:12Z'),
      parent_id: null,
      thread_id: 'm-7f2a',
    });
    expect(harness.source('listening')!.cursor).toEqual({ mark: at('2026-11-20T18:00:00Z') });
  });

  it('reports an error body as a failed source, counts failures, and masks the key it echoes', async () => {
    const server = await serve({
      '/v2/mentions': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('listening-error.json')),
    });
    const harness = setup(listeningConfig(server.url));
    const first = await harness.pull({ env: { LISTENING_KEY } });
    expect(first.sources[0]).toMatchObject({ ok: false, new: 0 });
    expect(first.sources[0]!.error).toBe(
      'json source "listening": the API reported an error: 403 Daily quota exceeded for key *** (check the credentials in this source\'s config and environment)',
    );
    await harness.pull({ env: { LISTENING_KEY } });
    const row = harness.source('listening')!;
    expect(row.consecutiveFailures).toBe(2);
    expect(row.cursor).toBeNull();
    expect(row.lastError).not.toContain(LISTENING_KEY);
  });

  it('reads the configured error path in an HTTP 4xx body too, masking the key', async () => {
    const server = await serve({
      '/v2/mentions': (_req, res) => res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' }).end(fixture('listening-error.json')),
    });
    const summary = await setup(listeningConfig(server.url)).pull({ env: { LISTENING_KEY } });
    expect(summary.sources[0]!.error).toMatch(/^json source "listening": HTTP 429: 403 Daily quota exceeded for key \*\*\*/);
    expect(summary.sources[0]!.error).not.toContain(LISTENING_KEY);
  });

  it('sends configured headers with the secret from the environment, and a 401 names the variable, not the token', async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve({
      '/api/v1/search_by_date': (req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad token"}');
      },
    });
    const token = 'tok_9b1c44e2d7a0';
    const harness = setup(`topics:
  - name: acme
    query: acme
sources:
  - name: hn-generic
    type: json
    url: ${server.url}/api/v1/search_by_date?query={query}&numericFilters=created_at_i>{cursor}
    query: acme
    items: $.hits[*]
    fields: { id: $.objectID, text: $.comment_text, published: $.created_at_i }
    cursor: published
    headers: { Authorization: "Bearer \${MY_API_TOKEN}" }
`);
    const summary = await harness.pull({ env: { MY_API_TOKEN: token } });
    expect(seen[0]).toBe(`Bearer ${token}`);
    expect(summary.sources[0]!.ok).toBe(false);
    expect(summary.sources[0]!.error).toContain('HTTP 401 Unauthorized');
    expect(summary.sources[0]!.error).toContain('MY_API_TOKEN');
    expect(summary.sources[0]!.error).not.toContain(token);
    expect(harness.source('hn-generic')!.consecutiveFailures).toBe(1);
  });

  it('rejects a bad JSONPath as a config problem before any request', async () => {
    let hits = 0;
    const server = await serve({ '/x': (_req, res) => (hits++, res.writeHead(200).end('{}')) });
    const harness = setup(`topics:
  - name: acme
    query: acme
sources:
  - name: broken
    type: json
    url: ${server.url}/x
    items: $.hits[*]
    fields: { id: $.id, text: $.text, author: "$.author[" }
`);
    await expect(harness.pull()).rejects.toThrow(/sources "broken": fields\.author: invalid JSONPath/);
    expect(hits).toBe(0);
  });
});
