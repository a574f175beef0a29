import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/sources/charset.js';
import { parseFeedDate } from '../../src/sources/dates.js';
import { feedAdapter, parseFeedDocument, rssAuthor, unwrapRedirectUrl } from '../../src/sources/feed.js';
import type { FeedCursor } from '../../src/sources/feed.js';
import { SourceFormatError } from '../../src/sources/types.js';
import type { FetchedResponse, SourceSettings } from '../../src/sources/types.js';

const bytes = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/feeds/${path}`, import.meta.url)));
const text = (path: string) => decodeBody(bytes(path), null);
const at = (iso: string) => Date.parse(iso);

const FEED_URL = 'https://feeds.example/news/feed.xml';
const parse = (path: string, feedUrl = FEED_URL) => parseFeedDocument(text(path), feedUrl);

function formatError(run: () => unknown): SourceFormatError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFormatError);
    return err as SourceFormatError;
  }
  throw new Error('expected a SourceFormatError');
}

describe('Google Alerts (Atom)', () => {
  const feed = parse('google-alerts-acme.xml', 'https://www.google.com/alerts/feeds/04512873160955217734/9187345502716640183');

  it('reads the feed', () => {
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Google Alert - Acme');
    expect(feed.items).toHaveLength(8);
    expect(feed.itemsSeen).toBe(8);
    expect(feed.warnings).toEqual([]);
  });

  it('maps an entry: stable tag id, unwrapped link, <b> stripped, empty author as null', () => {
    expect(feed.items[0]).toEqual({
      externalId: 'tag:google.com,2013:googlealerts/feed:13920668151272406531',
      url: 'https://forum.phonetalk.example/threads/acme-charged-me-twice-still-no-refund.48211/',
      author: null,
      authorUrl: null,
      authorReach: null,
      title: 'Acme charged me twice, still no refund after 2 weeks',
      text:
        'On November 3 Acme took 1,490 rubles from my card twice for the same monthly plan. Support opened ticket #5512093 ' +
        'and promised a refund in 3 days. It has been 2 weeks, the money is still not back and nobody answers the ticket ...',
      lang: null,
      publishedAt: at('2026-11-20T19:05:41Z'),
      parentId: null,
      threadId: null,
    });
  });

  it('decodes double-escaped entities in titles', () => {
    expect(feed.items[2]!.title).toBe('My Acme account was blocked and I\'m taking them to court');
  });

  it('unwraps every redirect, including a percent-encoded target with its own query', () => {
    for (const item of feed.items) expect(item.url).not.toMatch(/google\.com\/url|[?&](ct|cd|usg)=/);
    expect(feed.items[2]!.url).toBe('https://www.consumerboard.example/reviews/acme-shop/blocked-account-court?page=2&sort=new');
  });
});

describe('RSS 2.0 news feed', () => {
  const feed = parse('news-rss2.xml');

  it('reads the channel', () => {
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Telecom Weekly – News');
    expect(feed.items).toHaveLength(8);
    expect(feed.items.every((item) => item.lang === 'en')).toBe(true);
  });

  it('prefers content:encoded over description, and drops scripts from it', () => {
    const item = feed.items[0]!;
    expect(item).toMatchObject({
      externalId: 'https://telecomweekly.example/?p=20931',
      url: 'https://telecomweekly.example/2026/11/20/acme-restores-service-after-outage/',
      author: 'Maria Lopez',
      title: 'Acme restores service after nine-hour outage; customers demand compensation',
      publishedAt: at('2026-11-20T16:40:00Z'),
    });
    expect(item.text).toContain('The company blamed a failed software update at a core network site.');
    expect(item.text).toContain('“I lost a day of work and Acme offers me 30 rubles,” one wrote.');
    expect(item.text).not.toContain('tw_ads');
  });

  it('decodes entity-encoded HTML in description', () => {
    expect(feed.items[1]!.text).toBe(
      'Subscribers on plans sold before 2022 will pay 12% more from 1 January. Acme says the change affects “fewer than 8% of customers”.\n' +
        'The post Acme raises prices on legacy tariffs from January appeared first on Telecom Weekly.',
    );
  });

  it('takes the name from an "email (Name)" author and parses a date without seconds', () => {
    expect(feed.items[2]).toMatchObject({
      externalId: 'https://telecomweekly.example/2026/11/19/reader-question-acme-unpaid-bill-abroad/',
      author: 'Telecom Weekly Letters',
      title: 'Reader question: can Acme cut off my line over an unpaid bill while I’m abroad?',
      publishedAt: at('2026-11-19T15:25:00Z'),
    });
  });

  it('converts named US zones', () => {
    expect(feed.items[3]!.publishedAt).toBe(at('2026-11-19T19:10:00Z'));
  });
});

describe('windows-1251 Russian feed', () => {
  it('decodes Cyrillic and reads the channel language', () => {
    const feed = parseFeedDocument(decodeBody(bytes('ru-news-cp1251.xml'), 'application/rss+xml; charset=windows-1251'), FEED_URL);
    expect(feed.title).toBe('Связь и гаджеты — новости и форум');
    expect(feed.items).toHaveLength(9);
    expect(feed.items[0]).toMatchObject({
      externalId: 'https://svyaz-forum.example/topic/88412-akme-dvazhdy-spisal-abonplatu/',
      title: '«Акме» дважды списал абонплату и не возвращает деньги',
      author: 'Ирина_К',
      lang: 'ru',
      publishedAt: at('2026-11-20T08:24:00Z'),
    });
    expect(feed.items[0]!.text).toContain('Заявка № 7734519 висит уже больше двух недель');
    // "MSK" and no seconds
    expect(feed.items[1]!.publishedAt).toBe(at('2026-11-20T04:05:00Z'));
    // CDATA description
    expect(feed.items[4]!.text).toBe('Потерял телефон в поездке. В салоне Акме восстановили SIM-карту за 15 минут, ещё и помогли перенести контакты. Отличный сервис, рекомендую!');
    expect(feed.items.some((item) => `${item.title} ${item.text}`.includes('\ufffd'))).toBe(false);
  });
});

describe('RSS 1.0 (RDF) blog', () => {
  const feed = parse('rdf-blog.xml');

  it('maps items that sit beside the channel', () => {
    expect(feed.format).toBe('rdf');
    expect(feed.title).toBe('Kettle & Code');
    expect(feed.items).toHaveLength(4);
    expect(feed.items[0]).toMatchObject({
      externalId: 'https://kettle-and-code.example/blog/2026/11/acme-shop-lost-parcel',
      url: 'https://kettle-and-code.example/blog/2026/11/acme-shop-lost-parcel',
      author: 'Tom Hughes',
      lang: 'en',
      publishedAt: at('2026-11-20T09:41:00Z'),
    });
    expect(feed.items[0]!.text).toMatch(/^Order A-2026-118934 \(two label printers, 18,400 rubles\) has said “handed to courier” for nine days\./);
    expect(feed.items[2]!.publishedAt).toBe(at('2026-11-19T17:30:00Z'));
  });
});

describe('odd and ill-formed feeds', () => {
  it('decodes a KOI8-R feed', () => {
    const feed = parse('odd/koi8r.xml');
    expect(feed.items[0]).toMatchObject({ title: 'Акме не вернул деньги за роуминг', lang: 'ru', url: 'http://old-forum.example/viewtopic.php?t=5521' });
  });

  it('reads UTF-8 and UTF-16 feeds with a BOM', () => {
    for (const path of ['odd/utf8-bom.xml', 'odd/utf16le-bom.xml']) {
      const feed = parse(path);
      expect(feed.items[0]).toMatchObject({
        externalId: 'urn:uuid:0b7e9b52-3c1e-4f6b-9d8e-6a2f1d4c5e01',
        title: 'Café review: Acme Wi-Fi hotspot works fine',
        text: 'The Acme hotspot in the café on Tverskaya gave me 40 Mbit/s — naïve me expected worse.',
        publishedAt: at('2026-11-20T08:00:00Z'),
      });
    }
  });

  it('names line and column of a truncated document', () => {
    expect(formatError(() => parse('odd/truncated.xml')).message).toBe(
      'not well-formed XML at line 11, column 18: the document ends before <description>, <item>, <channel>, <rss> are closed (truncated?)',
    );
  });

  it('names where an unterminated CDATA section starts', () => {
    expect(formatError(() => parse('odd/broken-cdata.xml')).message).toBe('not well-formed XML at line 7, column 14: a CDATA section is never closed');
  });

  it('names line and column of a mismatched tag', () => {
    const xml = '<?xml version="1.0"?>\n<rss>\n<channel>\n  <item><title>x</titel></item>\n</channel>\n</rss>';
    expect(formatError(() => parseFeedDocument(xml, FEED_URL)).message).toMatch(/^not well-formed XML at line 4, column \d+: Expected closing tag 'title'/);
  });

  it('rejects an HTML page with a clear message', () => {
    expect(formatError(() => parse('odd/login-page.html')).message).toBe('expected an RSS or Atom feed but got an HTML page');
    const xhtml = '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body/></html>';
    expect(formatError(() => parseFeedDocument(xhtml, FEED_URL)).message).toBe('expected an RSS or Atom feed but got an HTML page');
  });

  it('names the root element of XML that is not a feed', () => {
    expect(formatError(() => parse('odd/not-a-feed.xml')).message).toBe("expected an RSS or Atom feed but the document's root element is <sitemapindex>");
  });

  it('rejects an empty body', () => {
    expect(formatError(() => parseFeedDocument(' \n', FEED_URL)).message).toMatch(/response body is empty/);
  });

  it('keeps undefined entities for the HTML step and escapes bare ampersands, with a warning', () => {
    const feed = parse('odd/undefined-entity.xml');
    expect(feed.title).toBe('Hand-rolled feed — no DTD');
    expect(feed.items[0]).toMatchObject({
      title: 'Acme vs AT&T — which has better coverage?',
      text: 'We drove 300 km with two phones. Acme dropped 2 calls; AT&T dropped 5 … © Handrolled',
      url: 'https://handrolled.example/acme-vs-att?src=rss&utm_medium=feed',
    });
    expect(feed.warnings).toEqual(["escaped 3 bare '&' character(s) that should have been written as &amp;"]);
  });

  it('never expands DTD entities, internal or external', () => {
    const feed = parse('odd/xxe.xml');
    expect(feed.items[0]!.title).toBe('Acme &xxe; &boom;');
  });

  it('resolves relative links against the feed URL and xml:base, and reads XHTML content', () => {
    const feed = parse('odd/relative-links.xml', 'https://relative.example/feeds/atom.xml');
    expect(feed.items[0]).toMatchObject({
      url: 'https://relative.example/posts/acme-coverage-map.html',
      author: 'Feed Team',
      authorUrl: 'https://relative.example/team',
      text: 'Acme published a coverage map.\nIt’s detailed & current.',
      lang: 'en',
      publishedAt: at('2026-11-20T11:00:00Z'),
    });
    expect(feed.items[1]).toMatchObject({
      url: 'https://cdn.relative.example/archive/2026/acme-price-list',
      author: 'Dana',
      authorUrl: 'https://cdn.relative.example/archive/people/dana',
      title: 'Resolved against xml:base',
      text: 'Acme’s price list, archived.',
      publishedAt: at('2026-11-19T06:00:00Z'),
    });
  });

  it('drops javascript: and data: links, uses a permalink guid, resolves a relative link', () => {
    const feed = parse('odd/unsafe-links.xml', 'https://unsafe.example/rss');
    expect(feed.items.map((item) => [item.externalId, item.url])).toEqual([
      ['unsafe-1', null],
      ['unsafe-2', null],
      ['https://unsafe.example/posts/acme-ok', 'https://unsafe.example/posts/acme-ok'],
      ['https://unsafe.example/posts/acme-relative', 'https://unsafe.example/posts/acme-relative'],
    ]);
  });

  it('accepts items without dates, hashes an id for items without guid or link, skips empty items', () => {
    const feed = parse('odd/no-dates.xml');
    expect(feed.itemsSeen).toBe(3);
    expect(feed.items).toHaveLength(2);
    expect(feed.items.every((item) => item.publishedAt === null)).toBe(true);
    expect(feed.items[1]!.externalId).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(feed.items[1]!.url).toBeNull();
    expect(parse('odd/no-dates.xml').items[1]!.externalId).toBe(feed.items[1]!.externalId);
    expect(feed.warnings).toEqual(['item 3: skipped, it has no id, link, title or text']);
  });

  it('parses every date form in the odd-dates feed and warns about the rest', () => {
    const feed = parse('odd/odd-dates.xml');
    expect(Object.fromEntries(feed.items.map((item) => [item.externalId, item.publishedAt]))).toEqual({
      d1: at('2026-11-19T14:05:00Z'),
      d2: at('2026-11-19T14:05:30Z'),
      d3: at('2026-11-20T06:00:00Z'),
      d4: at('2026-11-20T06:00:00Z'),
      d5: at('2026-11-19T14:05:00Z'),
      d6: at('2026-11-19T11:05:00.250Z'),
      d7: at('2026-11-20T22:59:59Z'),
      d8: at('2026-11-19T14:05:00Z'),
      d9: null,
      d10: null,
    });
    expect(feed.warnings).toEqual([
      'item 9 ("Not a date"): unparsable date "yesterday evening"',
      'item 10 ("No such day"): unparsable date "Mon, 31 Nov 2026 10:00:00 GMT"',
    ]);
  });
});

describe('parseFeedDate', () => {
  it.each([
    ['Thu, 19 Nov 2026 14:05:00 +0300', '2026-11-19T11:05:00Z'],
    ['Thu, 19 Nov 2026 14:05:00 -0000', '2026-11-19T14:05:00Z'],
    ['Thu,19 Nov 2026 14:05:00 GMT', '2026-11-19T14:05:00Z'],
    ['19 Nov 2026 14:05 PST', '2026-11-19T22:05:00Z'],
    ['Thu, 19 Nov 2026 14:05:00', '2026-11-19T14:05:00Z'],
    ['Thu, 19 Nov 2026 14:05:00 Z', '2026-11-19T14:05:00Z'],
    ['Thu, 19-Nov-26 14:05:00 UTC', '2026-11-19T14:05:00Z'],
    ['Thu Nov 19 2026 14:05:00 GMT+0300 (Moscow Standard Time)', '2026-11-19T11:05:00Z'],
    ['Nov 19, 2026', '2026-11-19T00:00:00Z'],
    ['2026-11-19', '2026-11-19T00:00:00Z'],
    ['2026-11-19 14:05:00', '2026-11-19T14:05:00Z'],
    ['2026-11-19T14:05:00-05:00', '2026-11-19T19:05:00Z'],
    ['2026-11-19T14:05+0300', '2026-11-19T11:05:00Z'],
  ])('%s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(at(iso));
  });

  it.each(['', 'soon', '19.11.2026', 'Thu, 19 Nov 2026 25:00:00 GMT', 'Thu, 19 Foo 2026 10:00:00 GMT', 'Thu, 19 Nov 2026 10:00:00 XYZ', '2026-02-30'])(
    'rejects %j',
    (raw) => {
      expect(parseFeedDate(raw)).toBeNull();
    },
  );
});

describe('unwrapRedirectUrl', () => {
  it('unwraps the Google Alerts link from the reference capture', () => {
    const link =
      'https://www.google.com/url?rct=j&sa=t&url=https://www.theconcordinsider.com/2021/06/04/this-week-in-concord-history-502/&ct=ga&cd=CAIyGjUwMjhiYWRmMWQ5M2MzMGE6Y29tOmVuOlVT&usg=AFQjCNGc3F9NBj810v400CL5oepfu5PTwQ';
    expect(unwrapRedirectUrl(link)).toBe('https://www.theconcordinsider.com/2021/06/04/this-week-in-concord-history-502/');
  });

  it('keeps the query of an unencoded target and drops Google parameters after it', () => {
    const link = 'https://www.google.com/url?rct=j&sa=t&url=https://news.example/story?id=5&page=2&ct=ga&cd=abc&usg=xyz';
    expect(unwrapRedirectUrl(link)).toBe('https://news.example/story?id=5&page=2');
  });

  it('handles q= links and other Google domains', () => {
    expect(unwrapRedirectUrl('https://www.google.ru/url?q=https%3A%2F%2Fnews.example%2Fa&sa=D&ust=1&usg=x')).toBe('https://news.example/a');
    expect(unwrapRedirectUrl('https://google.co.uk/url?sa=t&url=http%3A%2F%2Fnews.example%2Fb')).toBe('http://news.example/b');
  });

  it('unwraps Talkwalker redirect links', () => {
    expect(unwrapRedirectUrl('https://alerts.talkwalker.com/alerts/redirect?url=https%3A%2F%2Fblog.example%2Fpost-1&t=abc')).toBe('https://blog.example/post-1');
  });

  it('leaves other links, and redirects to non-web targets, untouched', () => {
    expect(unwrapRedirectUrl('https://news.example/a?url=https://other.example')).toBe('https://news.example/a?url=https://other.example');
    expect(unwrapRedirectUrl('https://www.google.com/search?q=acme')).toBe('https://www.google.com/search?q=acme');
    expect(unwrapRedirectUrl('https://www.google.com/url?url=javascript:alert(1)')).toBe('https://www.google.com/url?url=javascript:alert(1)');
    expect(unwrapRedirectUrl('not a url')).toBe('not a url');
  });
});

describe('rssAuthor', () => {
  it.each([
    ['letters@acme.example (Acme Letters)', 'Acme Letters'],
    ['Jane Doe <jane@acme.example>', 'Jane Doe'],
    ['"Jane Doe" <jane@acme.example>', 'Jane Doe'],
    ['jane@acme.example', 'jane@acme.example'],
    ['  Jane   Doe ', 'Jane Doe'],
  ])('%s → %s', (raw, name) => {
    expect(rssAuthor(raw)).toBe(name);
  });

  it('returns null for nothing', () => {
    expect(rssAuthor(null)).toBeNull();
    expect(rssAuthor('   ')).toBeNull();
  });
});

describe('feedAdapter', () => {
  const source: SourceSettings = { name: 'tech-news', type: 'rss', url: 'https://telecomweekly.example/feed/', options: {} };
  const response = (over: Partial<FetchedResponse>): FetchedResponse => ({
    url: 'https://telecomweekly.example/feed/',
    status: 200,
    headers: { 'content-type': 'application/rss+xml; charset=UTF-8' },
    body: bytes('news-rss2.xml'),
    ...over,
  });

  it('asks for feeds without conditional headers on the first poll', () => {
    expect(feedAdapter.firstRequest(source, null)).toEqual({
      url: 'https://telecomweekly.example/feed/',
      method: 'GET',
      headers: { Accept: 'application/atom+xml, application/rss+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1' },
    });
  });

  it('builds If-None-Match and If-Modified-Since from the cursor', () => {
    const cursor: FeedCursor = { etag: '"abc123"', lastModified: 'Fri, 20 Nov 2026 20:05:13 GMT', newestPublishedAt: 1 };
    expect(feedAdapter.firstRequest(source, cursor).headers).toMatchObject({
      'If-None-Match': '"abc123"',
      'If-Modified-Since': 'Fri, 20 Nov 2026 20:05:13 GMT',
    });
    expect(feedAdapter.firstRequest(source, { etag: '"only"' }).headers).not.toHaveProperty('If-Modified-Since');
  });

  it('refuses a source without a URL', () => {
    expect(() => feedAdapter.firstRequest({ ...source, url: undefined }, null)).toThrow(/tech-news.*url/);
  });

  it('maps 304 Not Modified to an empty page that keeps the cursor', () => {
    const cursor: FeedCursor = { etag: '"abc123"', lastModified: 'Fri, 20 Nov 2026 20:05:13 GMT', newestPublishedAt: at('2026-11-20T19:30:00Z') };
    const page = feedAdapter.parsePage(source, response({ status: 304, headers: { etag: '"abc123"' }, body: new Uint8Array(0) }), cursor);
    expect(page).toEqual({ mentions: [], cursor, next: null, itemsSeen: 0, warnings: [] });
    expect(feedAdapter.parsePage(source, response({ status: 304, body: new Uint8Array(0) }), null).cursor).toEqual({});
  });

  it('maps 200 to mentions and a cursor with the new validators and the newest date', () => {
    const page = feedAdapter.parsePage(
      source,
      response({ headers: { 'content-type': 'application/rss+xml', etag: 'W/"v2"', 'last-modified': 'Fri, 20 Nov 2026 20:05:13 GMT' } }),
      { etag: 'W/"v1"', newestPublishedAt: at('2026-11-01T00:00:00Z') },
    );
    expect(page.mentions).toHaveLength(8);
    expect(page.itemsSeen).toBe(8);
    expect(page.next).toBeNull();
    expect(page.cursor).toEqual({ etag: 'W/"v2"', lastModified: 'Fri, 20 Nov 2026 20:05:13 GMT', newestPublishedAt: at('2026-11-20T19:30:00Z') });
  });

  it('keeps the previous validators when the response has none', () => {
    const previous: FeedCursor = { etag: '"old"', lastModified: 'Thu, 19 Nov 2026 00:00:00 GMT', newestPublishedAt: at('2026-12-01T00:00:00Z') };
    const page = feedAdapter.parsePage(source, response({ headers: {} }), previous);
    expect(page.cursor).toEqual(previous);
  });

  it('resolves relative links against the final URL and decodes by the declared charset', () => {
    const ru: SourceSettings = { name: 'ru', type: 'rss', url: 'http://127.0.0.1:1/feeds/ru-news-cp1251.xml', options: {} };
    const page = feedAdapter.parsePage(ru, response({ url: ru.url!, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: bytes('ru-news-cp1251.xml') }), null);
    expect(page.mentions[0]!.title).toBe('«Акме» дважды списал абонплату и не возвращает деньги');
    const relative = feedAdapter.parsePage(source, response({ url: 'https://unsafe.example/feeds/rss', body: bytes('odd/unsafe-links.xml') }), null);
    expect(relative.mentions[3]!.url).toBe('https://unsafe.example/posts/acme-relative');
  });

  it('throws SourceFormatError for an HTML page and for unexpected statuses', () => {
    const html = response({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: bytes('odd/login-page.html') });
    expect(formatError(() => feedAdapter.parsePage(source, html, null)).message).toBe('expected an RSS or Atom feed but got an HTML page');
    expect(formatError(() => feedAdapter.parsePage(source, response({ status: 500 }), null)).message).toMatch(/HTTP 500/);
  });
});

describe('robustness', () => {
  it('either parses or throws SourceFormatError for any truncation of every fixture, never anything else', () => {
    const paths = ['google-alerts-acme.xml', 'news-rss2.xml', 'ru-news-cp1251.xml', 'rdf-blog.xml', 'odd/relative-links.xml', 'odd/xxe.xml', 'odd/undefined-entity.xml'];
    for (const path of paths) {
      const whole = text(path);
      for (let cut = 0; cut <= whole.length; cut += Math.max(1, Math.floor(whole.length / 97))) {
        try {
          parseFeedDocument(whole.slice(0, cut), FEED_URL);
        } catch (err) {
          expect(err, `${path} cut at ${cut}`).toBeInstanceOf(SourceFormatError);
        }
      }
    }
  });

  it('says when the body is not XML at all', () => {
    expect(formatError(() => parseFeedDocument('{"error":"quota exceeded"}', FEED_URL)).message).toBe(
      'expected an RSS or Atom feed but the body is not XML (it starts with "{\\"error\\":\\"quota exceeded\\"}")',
    );
  });

  it('survives deep nesting with a clear error', () => {
    const deep = `<rss><channel><item><description>${'<div>'.repeat(300)}x${'</div>'.repeat(300)}</description></item></channel></rss>`;
    expect(parseFeedDocument(deep, FEED_URL).items[0]!.text).toBe('x');
    const deepOutside = `<rss><channel>${'<x>'.repeat(300)}${'</x>'.repeat(300)}</channel></rss>`;
    expect(() => parseFeedDocument(deepOutside, FEED_URL)).toThrow(SourceFormatError);
  });

  it('reads an Atom-style link element inside an RSS item', () => {
    const xml = '<rss><channel><item><title>Acme</title><link href="https://acme.example/p/1"/></item></channel></rss>';
    expect(parseFeedDocument(xml, FEED_URL).items[0]!.url).toBe('https://acme.example/p/1');
  });
});
