import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCount, telegramAdapter } from '../../../src/sources/telegram.js';
import type { TelegramCursor } from '../../../src/sources/telegram.js';
import { SourceFormatError } from '../../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../../src/sources/types.js';
import { useTestServer } from '../../helpers/http-server.js';
import { useSourcePull } from '../../helpers/source-pull.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/telegram/${name}`, import.meta.url)));
const at = (iso: string) => Date.parse(iso);

const SOURCE: SourceSettings = { name: 'tg', type: 'telegram', url: 'https://t.me', options: { channel: 'acme_news' } };

function response(body: Uint8Array, url = 'https://t.me/s/acme_news', contentType = 'text/html'): FetchedResponse {
  return { url, status: 200, headers: { 'content-type': contentType }, body };
}

const parse = (name: string, cursor: TelegramCursor | null = null, source: SourceSettings = SOURCE) =>
  telegramAdapter.parsePage(source, response(fixture(name)), cursor);

function formatError(run: () => unknown): SourceFormatError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFormatError);
    return err as SourceFormatError;
  }
  throw new Error('expected a SourceFormatError');
}

/** Ids 1041–1066 minus the deleted 1046; 1044 and 1056 mention no brand, 1047 has no text: those three are unmatched. */
const range = (from: number, to: number, skip: number[] = []) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)
    .filter((id) => !skip.includes(id))
    .map((id) => `acme_news/${id}`);

describe('telegram: parsing the t.me/s page', () => {
  const page = parse('acme_news.html');

  it('maps a signed post field by field: signature as author, channel as authorUrl, subscribers as reach, <br> as a space', () => {
    expect(page.mentions.find((m) => m.externalId === 'acme_news/1045')).toEqual({
      externalId: 'acme_news/1045',
      url: 'https://t.me/acme_news/1045',
      author: 'Мария Ким',
      authorUrl: 'https://t.me/acme_news',
      authorReach: 12_300,
      title: null,
      text: 'Мы знаем о проблеме со входом в приложение "Акме". Инженеры уже работают, ETA — 30 минут. Спасибо за терпение!',
      lang: null,
      publishedAt: at('2026-11-19T13:47:29Z'),
      parentId: null,
      threadId: null,
    });
  });

  it('lists every post oldest first, with the deleted 1046 simply absent', () => {
    expect(page.mentions.map((m) => m.externalId)).toEqual(range(1041, 1052, [1046]));
    expect(page.itemsSeen).toBe(11);
    expect(page.warnings).toEqual([]);
  });

  it('handles the edge posts: channel title as author, reply parent, media without text, entities, emoji, forwarded', () => {
    const byId = new Map(page.mentions.map((m) => [m.externalId, m]));
    expect(byId.get('acme_news/1041')!.author).toBe('Акме Новости');
    // a reply: its parent is the quoted post, and the quote is not part of the text
    expect(byId.get('acme_news/1048')).toMatchObject({
      parentId: 'acme_news/1045',
      text: 'Обновление: вход в приложение Акме восстановлен. Если проблема осталась — напишите @acme_support_bot.',
    });
    // "Please open Telegram to view this post": no text at all
    expect(byId.get('acme_news/1047')!.text).toBe('');
    expect(byId.get('acme_news/1042')!.text).toBe('Acme Pay is now available in Kazakhstan & Uzbekistan 🎉 Details: acme.example/pay');
    expect(byId.get('acme_news/1050')!.text).toBe('Acme status update: • Payments: OK • Login: OK • Card top-ups: delayed up to 2 hours');
    expect(byId.get('acme_news/1052')!.text).toBe("Thank you! The Acme app just passed 1,000,000 downloads 'n counting 🚀");
    expect(byId.get('acme_news/1049')!.text).toMatch(/^Акме раскрыла детали нового тарифа Acme One/);
  });

  it('starts from the newest page on the first poll: the mark is the newest id, no paging back', () => {
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1052 });
    expect(page.next).toBeNull();
  });

  it('reads views and subscriber counts with K/M suffixes', () => {
    expect(parseCount('3.46M')).toBe(3_460_000);
    expect(parseCount('1.2K')).toBe(1_200);
    expect(parseCount('987')).toBe(987);
    expect(parseCount('12 345')).toBe(12_345);
    expect(parseCount('views')).toBeNull();
  });
});

describe('telegram: cursor', () => {
  it('stops when the page reaches the mark', () => {
    const page = parse('acme_news.html', { channel: 'acme_news', lastId: 1040 });
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1052 });
    expect(page.next).toBeNull();
  });

  it('pages back with ?before= when the oldest post is above mark + 1, keeping the mark until the gap is closed', () => {
    const page = parse('acme_news-later.html', { channel: 'acme_news', lastId: 1052 });
    expect(page.mentions.map((m) => m.externalId)).toEqual(range(1055, 1066));
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1052, backfill: { before: 1055, top: 1066 } });
    expect(page.next?.url).toBe('https://t.me/s/acme_news?before=1055');
  });

  it('resumes a stored page-back, and once it reaches the mark moves the mark up and looks at the newest page again', () => {
    const cursor: TelegramCursor = { channel: 'acme_news', lastId: 1052, backfill: { before: 1055, top: 1066 } };
    expect(telegramAdapter.firstRequest(SOURCE, cursor).url).toBe('https://t.me/s/acme_news?before=1055');
    const page = parse('acme_news-before-1055.html', cursor);
    expect(page.mentions.map((m) => m.externalId)).toEqual(range(1042, 1054, [1046]));
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1066 });
    expect(page.next?.url).toBe('https://t.me/s/acme_news');
  });

  it('keeps paging back while the gap is still open', () => {
    const page = parse('acme_news-before-1055.html', { channel: 'acme_news', lastId: 1020, backfill: { before: 1055, top: 1066 } });
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1020, backfill: { before: 1042, top: 1066 } });
    expect(page.next?.url).toBe('https://t.me/s/acme_news?before=1042');
  });

  it('gives up with a warning instead of looping when t.me ignores ?before=', () => {
    const page = parse('acme_news.html', { channel: 'acme_news', lastId: 1010, backfill: { before: 1041, top: 1052 } });
    expect(page.cursor).toEqual({ channel: 'acme_news', lastId: 1052 });
    expect(page.warnings).toEqual(['telegram: t.me did not page back before post 1041; posts 1011–1040 of @acme_news may be missing']);
  });

  it('ignores a cursor written for another channel', () => {
    const cursor: TelegramCursor = { channel: 'other_channel', lastId: 5, backfill: { before: 9, top: 20 } };
    expect(telegramAdapter.firstRequest(SOURCE, cursor).url).toBe('https://t.me/s/acme_news');
    expect(parse('acme_news.html', cursor).cursor).toEqual({ channel: 'acme_news', lastId: 1052 });
  });

  it('keeps the cursor on 304', () => {
    const cursor: TelegramCursor = { channel: 'acme_news', lastId: 1052 };
    const page = telegramAdapter.parsePage(SOURCE, { url: 'https://t.me/s/acme_news', status: 304, headers: {}, body: new Uint8Array() }, cursor);
    expect(page).toEqual({ mentions: [], cursor, next: null, itemsSeen: 0, warnings: [] });
  });
});

describe('telegram: pages that are not a channel preview', () => {
  it('names a missing or private channel (t.me answers 200 with its contact page)', () => {
    const err = formatError(() => parse('not-found.html'));
    expect(err.message).toBe(
      'telegram: @acme_news has no public web preview: the channel does not exist, is private, or is not a channel (t.me showed its contact page)',
    );
  });

  it('rejects any other page', () => {
    const err = formatError(() => telegramAdapter.parsePage(SOURCE, response(new TextEncoder().encode('<html><body><h1>Hello</h1></body></html>')), null));
    expect(err.message).toMatch(/^telegram: expected the t.me\/s\/acme_news channel preview but the page has no message history/);
  });

  it('decodes a page whose charset is declared only in <meta charset>', () => {
    const html = `<!DOCTYPE html><html><head><meta charset="windows-1251"><title>Акме – Telegram</title></head><body>
<section class="tgme_channel_history js-message_history"><div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message js-widget_message" data-post="acme_news/7"><div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_text js-message_text" dir="auto">Привет от Акме</div>
<div class="tgme_widget_message_info"><span class="tgme_widget_message_views">5</span><a class="tgme_widget_message_date" href="https://t.me/acme_news/7"><time datetime="2026-11-20T10:00:00+00:00" class="time">10:00</time></a></div>
</div></div></div></section></body></html>`;
    const page = telegramAdapter.parsePage(SOURCE, response(cp1251(html)), null);
    expect(page.mentions[0]).toMatchObject({ externalId: 'acme_news/7', text: 'Привет от Акме', author: null, authorReach: null });
  });
});

describe('telegram: settings', () => {
  const check = (source: Partial<SourceSettings>) => telegramAdapter.checkSettings!({ name: 'tg', type: 'telegram', options: {}, ...source });

  it('takes the channel from the option or from a t.me address in url', () => {
    expect(check({ options: { channel: 'acme_news' } })).toEqual([]);
    expect(check({ url: 'https://t.me/s/acme_news' })).toEqual([]);
    expect(check({ url: 'https://t.me/acme_news' })).toEqual([]);
    expect(telegramAdapter.firstRequest({ ...SOURCE, url: 'https://t.me/s/acme_news', options: {} }, null).url).toBe('https://t.me/s/acme_news');
    expect(telegramAdapter.firstRequest({ ...SOURCE, url: undefined, options: { channel: '@acme_news' } }, null).url).toBe('https://t.me/s/acme_news');
  });

  it('reports a missing or malformed channel, a query, and unknown options', () => {
    expect(check({ url: 'https://t.me' })).toEqual([
      'channel: is required (the public channel name, e.g. acme_news; or give url: https://t.me/s/acme_news)',
    ]);
    expect(check({ options: { channel: 't.me/acme' } })).toEqual(['channel: expected a public channel name (letters, digits, _), without t.me/ or @']);
    expect(check({ options: { channel: 'acme_news', chanel: 'x' }, query: 'acme' })).toEqual([
      'chanel: unknown option for a telegram source (known: channel, url)',
      'query: a channel preview cannot be searched (topics decide which posts are kept); remove it',
    ]);
    expect(check({ url: 'https://t.me/s/acme_news', options: { channel: 'globex' } })).toEqual([
      'url: names a different channel than channel:; keep one of them',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Through the whole pull: config → adapter → HTTP → classify → SQLite

const config = (url: string, extra = '') => `
topics:
  - name: acme
    query: acme OR акме
sources:
  - name: tg
    type: telegram
    channel: acme_news
    url: ${url}
${extra}`;

/** A t.me stand-in: the newest page is `state.top`; ?before=1055 is the older page. Sent without a charset, as t.me may. */
async function tmeServer(serve: ReturnType<typeof useTestServer>, state: { top: string | null; requests: string[] }) {
  return serve({
    '/s/acme_news': (req, res) => {
      state.requests.push(req.url ?? '');
      const before = new URL(req.url ?? '/', 'http://x').searchParams.get('before');
      const name = before === null ? state.top : before === '1055' ? 'acme_news-before-1055.html' : null;
      if (name === null) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(fixture(name));
    },
  });
}

describe('telegram: pulling', () => {
  const serve = useTestServer();
  const harness = useSourcePull();

  it('stores the newest page, then exactly the new posts, paging back over a gap', async () => {
    const state = { top: 'acme_news.html' as string | null, requests: [] as string[] };
    const server = await tmeServer(serve, state);
    const h = harness(config(server.url));

    const first = await h.pull();
    expect(first.sources[0]).toMatchObject({ ok: true, fetched: 11, new: 9, duplicates: 0, unmatched: 2, pages: 1 });
    expect(state.requests).toEqual(['/s/acme_news']);
    const rows = h.mentions();
    expect(rows.map((r) => r.external_id)).toEqual(range(1041, 1052, [1044, 1046, 1047]));
    expect(rows.find((r) => r.external_id === 'acme_news/1048')).toEqual({
      external_id: 'acme_news/1048',
      url: 'https://t.me/acme_news/1048',
      author: 'Акме Новости',
      author_url: 'https://t.me/acme_news',
      author_reach: 12_300,
      title: null,
      text: 'Обновление: вход в приложение Акме восстановлен. Если проблема осталась — напишите @acme_support_bot.',
      lang: 'ru',
      published_at: at('2026-11-19T14:40:02Z'),
      parent_id: 'acme_news/1045',
      thread_id: null,
    });
    expect(h.source('tg')!.cursor).toEqual({ channel: 'acme_news', lastId: 1052 });

    // 14 posts later: the newest page starts at 1055, so 1053–1054 are fetched with ?before=1055.
    state.top = 'acme_news-later.html';
    state.requests = [];
    const second = await h.pull();
    expect(state.requests).toEqual(['/s/acme_news', '/s/acme_news?before=1055', '/s/acme_news']);
    // new: 1055–1066 except the unrelated 1056, plus 1053 and 1054; duplicates: the rest of the three pages;
    // unmatched: 1056 twice, 1044 and the textless 1047.
    expect(second.sources[0]).toMatchObject({ ok: true, pages: 3, fetched: 36, new: 13, duplicates: 19, unmatched: 4 });
    expect(h.mentions().map((r) => r.external_id)).toEqual(range(1041, 1066, [1044, 1046, 1047, 1056]));
    expect(h.source('tg')!.cursor).toEqual({ channel: 'acme_news', lastId: 1066 });
  });

  it('with max_pages: 1, finishes an interrupted page-back on the next pull and stores every post once', async () => {
    const state = { top: 'acme_news.html' as string | null, requests: [] as string[] };
    const server = await tmeServer(serve, state);
    const h = harness(config(server.url, '    max_pages: 1'));

    expect((await h.pull()).sources[0]).toMatchObject({ ok: true, new: 9 });
    state.top = 'acme_news-later.html';
    expect((await h.pull()).sources[0]).toMatchObject({ ok: true, new: 11, pages: 1 });
    expect(h.source('tg')!.cursor).toEqual({ channel: 'acme_news', lastId: 1052, backfill: { before: 1055, top: 1066 } });
    expect((await h.pull()).sources[0]).toMatchObject({ ok: true, new: 2, duplicates: 8, pages: 1 });
    expect(h.source('tg')!.cursor).toEqual({ channel: 'acme_news', lastId: 1066 });
    expect((await h.pull()).sources[0]).toMatchObject({ ok: true, new: 0, duplicates: 11, pages: 1 });
    expect(state.requests).toEqual(['/s/acme_news', '/s/acme_news', '/s/acme_news?before=1055', '/s/acme_news']);
    expect(h.mentions().map((r) => r.external_id)).toEqual(range(1041, 1066, [1044, 1046, 1047, 1056]));
  });

  it('fails the source with a clear message for a channel without a preview, and counts the failures', async () => {
    const server = await serve({
      '/s/acme_news': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixture('not-found.html')),
    });
    const h = harness(config(server.url));
    const result = (await h.pull()).sources[0]!;
    expect(result.ok).toBe(false);
    expect(result.error).toBe(
      'telegram: @acme_news has no public web preview: the channel does not exist, is private, or is not a channel (t.me showed its contact page)',
    );
    await h.pull();
    expect(h.source('tg')).toMatchObject({ consecutiveFailures: 2, cursor: null });
    expect(h.mentions()).toEqual([]);
  });
});

/** Encodes ASCII and Russian letters as windows-1251 (all this test needs). */
function cp1251(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0);
    else if (ch === 'Ё') bytes.push(0xa8);
    else if (ch === 'ё') bytes.push(0xb8);
    else if (ch === '–') bytes.push(0x96);
    else throw new Error(`cannot encode ${ch}`);
  }
  return new Uint8Array(bytes);
}
