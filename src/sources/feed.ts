import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeBody } from './charset.js';
import { collapseWhitespace, htmlToText, safeHttpUrl } from './html-text.js';
import { normaliseLang, parseFeedDate } from './dates.js';
import { SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourceExample, SourcePage, SourceSettings } from './types.js';
import { decodeCharacterReferences, truncate } from './text.js';

/**
 * RSS 2.0 (and 0.9x), Atom 1.0 and RSS 1.0 (RDF) feeds, which also covers
 * Google Alerts (Atom) and Talkwalker Alerts (RSS). Feeds have no server-side
 * cursor: every poll refetches the whole document, conditionally, and the
 * store dedupes by external id.
 */

export type FeedFormat = 'rss' | 'atom' | 'rdf';

export interface ParsedFeed {
  format: FeedFormat;
  /** The feed's own title, plain text. */
  title: string | null;
  items: MentionDraft[];
  /** Items found in the document, including the ones skipped. */
  itemsSeen: number;
  warnings: string[];
}

/** What a feed source remembers between polls. */
export type FeedCursor = {
  etag?: string;
  lastModified?: string;
  /** Newest item date seen so far (epoch ms), for status display; dedupe is by external id. */
  newestPublishedAt?: number;
};

const ACCEPT = 'application/atom+xml, application/rss+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

function feedExample(type: string, summary: string, url: string): SourceExample {
  return { summary, yaml: `name: {name}\ntype: ${type}\nurl: {url|${url}}\ninterval: 15m\nmax_pages: 1`, env: [], doc: 'README.md#sources' };
}

export const feedAdapter: SourceAdapter<FeedCursor> = {
  types: ['rss', 'atom', 'feed', 'google-alerts', 'talkwalker'],
  examples: {
    rss: feedExample('rss', 'an RSS 2.0 or RDF feed (news sites, blogs)', 'https://example.com/feed.xml'),
    atom: feedExample('atom', 'an Atom feed', 'https://example.com/atom.xml'),
    feed: feedExample('feed', 'any RSS, Atom or RDF feed (the format is detected)', 'https://example.com/feed'),
    'google-alerts': feedExample('google-alerts', 'a Google Alerts feed (alert → Deliver to: RSS feed)', 'https://www.google.com/alerts/feeds/USER_ID/ALERT_ID'),
    talkwalker: feedExample('talkwalker', 'a Talkwalker Alerts RSS feed', 'https://alerts.talkwalker.com/alerts/rss/TOKEN'),
  },

  firstRequest(source: SourceSettings, cursor: FeedCursor | null): RequestSpec {
    if (!source.url) throw new Error(`source "${source.name}" has no url`);
    const headers: Record<string, string> = { Accept: ACCEPT };
    if (cursor?.etag) headers['If-None-Match'] = cursor.etag;
    if (cursor?.lastModified) headers['If-Modified-Since'] = cursor.lastModified;
    return { url: source.url, method: 'GET', headers };
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: FeedCursor | null): SourcePage<FeedCursor> {
    if (response.status === 304) {
      return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    }
    if (response.status < 200 || response.status > 299) {
      throw new SourceFormatError(`expected a feed but got HTTP ${response.status}`);
    }
    const xml = decodeBody(response.body, response.headers['content-type'] ?? null);
    const feed = parseFeedDocument(xml, response.url || source.url || '');
    return {
      mentions: feed.items,
      cursor: nextCursor(cursor, response.headers, feed.items),
      next: null,
      itemsSeen: feed.itemsSeen,
      warnings: feed.warnings,
    };
  },
};

function nextCursor(previous: FeedCursor | null, headers: Record<string, string>, items: MentionDraft[]): FeedCursor {
  const cursor: FeedCursor = {};
  const etag = headers['etag'] ?? previous?.etag;
  const lastModified = headers['last-modified'] ?? previous?.lastModified;
  const newest = Math.max(previous?.newestPublishedAt ?? -Infinity, ...items.map((i) => i.publishedAt ?? -Infinity));
  if (etag) cursor.etag = etag;
  if (lastModified) cursor.lastModified = lastModified;
  if (Number.isFinite(newest)) cursor.newestPublishedAt = newest;
  return cursor;
}

// ---------------------------------------------------------------------------
// Document level: well-formedness, root element, format dispatch

type XmlNode = Record<string, unknown>;

const CDATA_KEY = '__cdata';
const TEXT_KEY = '#text';
const ATTR_PREFIX = '@_';

/**
 * Elements that may hold markup (HTML, XHTML) are kept as raw source text, so
 * XHTML content survives and CDATA is told apart from escaped text.
 */
const RAW_ELEMENTS = ['..title', '..description', '..content:encoded', '..content', '..summary'];

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR_PREFIX,
  // Entities are decoded here (XML's five and numeric ones; an undeclared one stays literal, no
  // DTD is read): the library's own decoding would expand DOCTYPE-declared entities and skips numeric ones.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  cdataPropName: CDATA_KEY,
  stopNodes: RAW_ELEMENTS,
  ignorePiTags: true,
});

const HTML_PAGE_MESSAGE = 'expected an RSS or Atom feed but got an HTML page';

/**
 * Parses a feed document to mention drafts. Throws SourceFormatError for
 * ill-formed XML (naming line and column), HTML pages and unknown roots.
 *
 * Leniency, deliberately: undefined named entities such as `&nbsp;` stay
 * literal (HTML fields decode them later) and bare `&` is escaped, because
 * both are everyday in real feeds and unambiguous. Broken structure is not
 * guessed at.
 */
export function parseFeedDocument(xml: string, feedUrl: string): ParsedFeed {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (text.trim() === '') throw new SourceFormatError('expected an RSS or Atom feed but the response body is empty');
  if (looksLikeHtmlPage(text)) throw new SourceFormatError(HTML_PAGE_MESSAGE);
  const start = text.trimStart();
  if (!start.startsWith('<')) {
    throw new SourceFormatError(`expected an RSS or Atom feed but the body is not XML (it starts with ${JSON.stringify(truncate(start, 40))})`);
  }

  const warnings: string[] = [];
  const wellFormed = ensureWellFormed(blankOutDoctype(text), warnings);
  let document: XmlNode;
  try {
    document = xmlParser.parse(wellFormed) as XmlNode;
  } catch (err) {
    throw new SourceFormatError(`not well-formed XML: ${(err as Error).message}`);
  }

  const roots = Object.keys(document).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (roots.length > 1) throw new SourceFormatError(`not well-formed XML: more than one root element (${roots.map((r) => `<${r}>`).join(', ')})`);
  const rootName = roots[0];
  if (rootName === undefined) throw new SourceFormatError('not well-formed XML: no root element');
  const root = asNode(document[rootName]);

  if (rootName === 'rss') return parseRss(root, feedUrl, warnings);
  if (rootName === 'feed') return parseAtom(root, feedUrl, warnings);
  if (/^(?:[\w.-]+:)?RDF$/.test(rootName)) return parseRdf(root, feedUrl, warnings);
  if (rootName.toLowerCase() === 'html') throw new SourceFormatError(HTML_PAGE_MESSAGE);
  throw new SourceFormatError(`expected an RSS or Atom feed but the document's root element is <${rootName}>`);
}

/** True when the document starts (after the XML prolog and comments) with an HTML doctype or <html>. */
function looksLikeHtmlPage(text: string): boolean {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(text)?.[0] ?? '';
  return /^<(?:!doctype\s+html\b|html[\s>]|head[\s>]|body[\s>])/i.test(text.slice(prolog.length, prolog.length + 64));
}

/**
 * Replaces a DOCTYPE (with any internal subset) by spaces, keeping newlines so
 * that error positions still match the original. Feeds never need DTD
 * entities, and expanding them invites entity-expansion and XXE attacks.
 */
function blankOutDoctype(text: string): string {
  return text.replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\]\s*)*>/i, (doctype) => doctype.replace(/[^\n]/g, ' '));
}

function ensureWellFormed(text: string, warnings: string[]): string {
  let result = XMLValidator.validate(text);
  if (result === true) return text;
  if (result.err.code === 'InvalidChar' && result.err.msg.includes("'&'")) {
    const repaired = escapeBareAmpersands(text);
    result = XMLValidator.validate(repaired.text);
    if (result === true) {
      warnings.push(`escaped ${repaired.count} bare '&' character(s) that should have been written as &amp;`);
      return repaired.text;
    }
  }
  throw new SourceFormatError(describeXmlError(text, result.err));
}

function describeXmlError(text: string, err: { code: string; msg: string; line: number; col: number }): string {
  // The validator reports unclosed elements at line 1, column 1 with a JSON list
  // of open tags; the useful place is where the document stops.
  const unclosed = /^Invalid '\[([\s\S]*)\]' found\.$/.exec(err.msg);
  const unterminated = unterminatedSection(text);
  // An unterminated section swallows the rest of the document, so errors reported after it are its echoes.
  if (unterminated && (unclosed || err.line >= unterminated.line)) {
    return `not well-formed XML at line ${unterminated.line}, column ${unterminated.col}: ${unterminated.what} is never closed`;
  }
  if (unclosed) {
    const open = [...(unclosed[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const end = endPosition(text);
    return `not well-formed XML at line ${end.line}, column ${end.col}: the document ends before ${open.reverse().join(', ')} ${open.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  return `not well-formed XML at line ${err.line}, column ${err.col ?? 1}: ${err.msg.replace(/\.$/, '')}`;
}

function endPosition(text: string): { line: number; col: number } {
  return positionOf(text, text.replace(/\s+$/, '').length);
}

/** A CDATA section or comment that runs to the end of the document, which the validator reports only as unclosed tags. */
function unterminatedSection(text: string): { line: number; col: number; what: string } | null {
  const sections = [
    { open: '<![CDATA[', close: ']]>', what: 'a CDATA section' },
    { open: '<!--', close: '-->', what: 'a comment' },
  ];
  let index = 0;
  for (;;) {
    const next = sections
      .map((section) => ({ ...section, at: text.indexOf(section.open, index) }))
      .filter((section) => section.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!next) return null;
    const end = text.indexOf(next.close, next.at + next.open.length);
    if (end < 0) return { ...positionOf(text, next.at), what: next.what };
    index = end + next.close.length;
  }
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}

/** Escapes `&` that does not start an entity or character reference, outside CDATA sections and comments. */
function escapeBareAmpersands(text: string): { text: string; count: number } {
  let count = 0;
  const escaped = text
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(/&(?!(?:[A-Za-z_:][\w.:-]*|#\d+|#x[\dA-Fa-f]+);)/g, () => {
            count++;
            return '&amp;';
          }),
    )
    .join('');
  return { text: escaped, count };
}

// ---------------------------------------------------------------------------
// RSS 2.0, RSS 1.0 (RDF) and Atom mapping

interface ItemContext {
  index: number;
  base: string;
  lang: string | null;
  warnings: string[];
}

function parseRss(rss: XmlNode, feedUrl: string, warnings: string[]): ParsedFeed {
  const channel = asNode(first(rss['channel']));
  const lang = normaliseLang(plainText(channel['language']) ?? plainText(channel['dc:language']) ?? attr(rss, 'xml:lang'));
  const items = asArray(channel['item']);
  return {
    format: 'rss',
    title: emptyToNull(htmlToText(plainText(channel['title']) ?? '')),
    itemsSeen: items.length,
    items: mapItems(items, (item, index) => rssItem(asNode(item), { index, base: feedUrl, lang, warnings })),
    warnings,
  };
}

function parseRdf(rdf: XmlNode, feedUrl: string, warnings: string[]): ParsedFeed {
  const channel = asNode(first(rdf['channel']));
  const lang = normaliseLang(plainText(channel['dc:language']) ?? plainText(channel['language']) ?? attr(rdf, 'xml:lang'));
  // RSS 1.0 puts items beside the channel; a few generators nest them inside it.
  const items = [...asArray(rdf['item']), ...asArray(channel['item'])];
  return {
    format: 'rdf',
    title: emptyToNull(htmlToText(plainText(channel['title']) ?? '')),
    itemsSeen: items.length,
    items: mapItems(items, (item, index) => rssItem(asNode(item), { index, base: feedUrl, lang, warnings })),
    warnings,
  };
}

/** Maps an RSS 2.0 or RSS 1.0 item: the two share element names apart from the id. */
function rssItem(item: XmlNode, context: ItemContext): MentionDraft | null {
  const guidNode = first(item['guid']);
  const guid = plainText(guidNode);
  // Some generators write an Atom-style <link href="…"/> into RSS items.
  const rawLink = plainText(item['link']) ?? attr(first(item['link']), 'href');
  const link = safeHttpUrl(rawLink, context.base);
  const guidIsPermaLink = attr(guidNode, 'isPermaLink')?.trim().toLowerCase() !== 'false';
  const url = link ?? (guidIsPermaLink ? safeHttpUrl(guid, context.base) : null);
  const title = emptyToNull(htmlToText(plainText(item['title']) ?? ''));
  const text = htmlToText(plainText(item['content:encoded']) || plainText(item['description']) || '');
  const rawDate = plainText(item['pubDate']) ?? plainText(item['dc:date']);
  return buildDraft(
    {
      id: guid ?? attr(item, 'rdf:about') ?? link ?? rawLink,
      url,
      title,
      text,
      author: rssAuthor(plainText(item['author'])) ?? plainName(plainText(item['dc:creator'])),
      authorUrl: null,
      rawDate,
      lang: normaliseLang(plainText(item['dc:language']) ?? attr(item, 'xml:lang')) ?? context.lang,
    },
    context,
  );
}

function parseAtom(feed: XmlNode, feedUrl: string, warnings: string[]): ParsedFeed {
  const base = resolveBase(attr(feed, 'xml:base'), feedUrl);
  const lang = normaliseLang(attr(feed, 'xml:lang'));
  const feedAuthor = atomAuthor(feed['author'], base);
  const entries = asArray(feed['entry']);
  return {
    format: 'atom',
    title: emptyToNull(atomText(feed['title'])),
    itemsSeen: entries.length,
    items: mapItems(entries, (entry, index) => atomEntry(asNode(entry), { index, base, lang, warnings }, feedAuthor)),
    warnings,
  };
}

function atomEntry(entry: XmlNode, context: ItemContext, feedAuthor: AtomAuthor): MentionDraft | null {
  const base = resolveBase(attr(entry, 'xml:base'), context.base);
  const rawLink = alternateHref(entry['link']);
  const link = safeHttpUrl(rawLink, base);
  const content = first(entry['content']);
  // Out-of-line content (src="...") carries no text here; the summary does.
  const body = content !== undefined && attr(content, 'src') === null ? atomText(content) : '';
  const entryAuthor = atomAuthor(entry['author'], base);
  const author = entryAuthor.name || entryAuthor.url ? entryAuthor : feedAuthor;
  const rawDate = ['published', 'updated', 'issued', 'modified', 'created'].map((name) => plainText(entry[name])).find((d) => d);
  return buildDraft(
    {
      id: plainText(entry['id']) ?? link ?? rawLink,
      url: link,
      title: emptyToNull(atomText(entry['title'])),
      text: body || atomText(entry['summary']),
      author: author.name,
      authorUrl: author.url,
      rawDate: rawDate ?? null,
      lang: normaliseLang(attr(entry, 'xml:lang')) ?? context.lang,
    },
    { ...context, base },
  );
}

interface AtomAuthor {
  name: string | null;
  url: string | null;
}

function atomAuthor(node: unknown, base: string): AtomAuthor {
  const author = asNode(first(node));
  return { name: plainName(plainText(author['name'])), url: safeHttpUrl(plainText(author['uri']), base) };
}

/** The href of the entry's rel="alternate" link (an absent rel means alternate), preferring HTML. */
function alternateHref(links: unknown): string | null {
  const alternates = asArray(links).filter((link) => (attr(link, 'rel') ?? 'alternate').trim() === 'alternate');
  const html = alternates.find((link) => /html/i.test(attr(link, 'type') ?? 'text/html'));
  return attr(html ?? alternates[0], 'href');
}

/** An Atom text construct (type text, html or xhtml) as plain text. */
function atomText(node: unknown): string {
  const element = first(node);
  if (element === undefined) return '';
  const type = (attr(element, 'type') ?? 'text').trim().toLowerCase();
  if (type === 'xhtml') return htmlToText(cdataAsEscapedText(rawText(element)));
  const value = plainText(element) ?? '';
  return type === 'html' || type === 'text/html' ? htmlToText(value) : collapseWhitespace(value);
}

// ---------------------------------------------------------------------------
// Building one draft

interface ItemFields {
  id: string | null;
  url: string | null;
  title: string | null;
  text: string;
  author: string | null;
  authorUrl: string | null;
  rawDate: string | null;
  lang: string | null;
}

function mapItems(items: unknown[], map: (item: unknown, index: number) => MentionDraft | null): MentionDraft[] {
  return items.map(map).filter((draft): draft is MentionDraft => draft !== null);
}

function buildDraft(fields: ItemFields, context: ItemContext): MentionDraft | null {
  const label = `item ${context.index + 1}${fields.title ? ` ("${truncate(fields.title, 60)}")` : ''}`;
  if (!fields.id && !fields.url && !fields.title && !fields.text) {
    context.warnings.push(`${label}: skipped, it has no id, link, title or text`);
    return null;
  }
  const publishedAt = fields.rawDate ? parseFeedDate(fields.rawDate) : null;
  if (fields.rawDate && publishedAt === null) context.warnings.push(`${label}: unparsable date "${truncate(fields.rawDate, 60)}"`);
  return {
    externalId: fields.id || fields.url || contentHash(fields),
    url: fields.url ? unwrapRedirectUrl(fields.url) : null,
    author: fields.author,
    authorUrl: fields.authorUrl,
    authorReach: null,
    title: fields.title,
    text: fields.text,
    lang: fields.lang,
    publishedAt,
    parentId: null,
    threadId: null,
  };
}

/** A stable id for items that carry neither id nor link, so a refetch dedupes them. */
function contentHash(fields: ItemFields): string {
  const digest = createHash('sha1').update([fields.title ?? '', fields.url ?? '', fields.rawDate ?? '', fields.text].join('\n')).digest('hex');
  return `sha1:${digest}`;
}

/** RSS `<author>` is an e-mail by spec; "jane@example.com (Jane Doe)" and "Jane Doe <jane@…>" give the name. */
export function rssAuthor(raw: string | null): string | null {
  const value = plainName(raw);
  if (!value) return null;
  const parenthesised = /^\S+@\S+\s*\((.+)\)$/.exec(value);
  if (parenthesised?.[1]?.trim()) return parenthesised[1].trim();
  const angled = /^(.+?)\s*<[^>]*@[^>]*>$/.exec(value);
  if (angled?.[1]) return angled[1].replace(/^"|"$/g, '').trim() || value;
  return value;
}

function plainName(raw: string | null): string | null {
  return emptyToNull(collapseWhitespace(raw ?? '').replace(/\n/g, ' '));
}

function resolveBase(xmlBase: string | null, parent: string): string {
  if (!xmlBase) return parent;
  try {
    return new URL(xmlBase.trim(), parent || undefined).href;
  } catch {
    return parent;
  }
}

// ---------------------------------------------------------------------------
// Redirect links

/** Query parameters of Google's /url redirector that are not part of the target URL. */
const GOOGLE_WRAPPER_PARAMS = new Set(['rct', 'sa', 'ct', 'cd', 'cad', 'usg', 'ved', 'sntz', 'source', 'esrc', 'ust', 'uact', 'opi', 'oi', 'hl', 'sig', 'bvm', 'psig', 'url', 'q']);

/**
 * The target of a Google (`https://www.google.<tld>/url?url=…` or `?q=…`) or Talkwalker
 * (`<any>.talkwalker.com/…?url=…`) redirect link, without the tracking parameters;
 * any other URL is returned unchanged. Google leaves the target unencoded, so
 * its own `&a=b` parameters continue past `url=` until a redirector parameter.
 */
export function unwrapRedirectUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const isGoogle = /(?:^|\.)google\.[a-z]{2,3}(?:\.[a-z]{2})?$/i.test(parsed.hostname) && parsed.pathname === '/url';
  const isTalkwalker = /(?:^|\.)talkwalker\.com$/i.test(parsed.hostname);
  if (!isGoogle && !isTalkwalker) return url;

  const segments = parsed.search.replace(/^\?/, '').split('&');
  const keyOf = (segment: string) => decodeComponent(segment.split('=', 1)[0] ?? '').toLowerCase();
  const start = [segments.findIndex((s) => keyOf(s) === 'url'), isGoogle ? segments.findIndex((s) => keyOf(s) === 'q') : -1].find((i) => i >= 0);
  if (start === undefined) return url;

  const rawValue = (segments[start] ?? '').slice((segments[start] ?? '').indexOf('=') + 1);
  let target = decodeComponent(rawValue.replace(/\+/g, ' '));
  if (rawValue.includes('?')) {
    const own = [];
    for (const segment of segments.slice(start + 1)) {
      if (GOOGLE_WRAPPER_PARAMS.has(keyOf(segment))) break;
      own.push(segment);
    }
    if (own.length > 0) target += `&${own.join('&')}`;
  }
  return safeHttpUrl(target) ?? url;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------
// Reading the parsed XML tree

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlNode) : {};
}

/** An attribute's value, entity-decoded, or null when absent. */
function attr(node: unknown, name: string): string | null {
  const value = asNode(node)[`${ATTR_PREFIX}${name}`];
  return typeof value === 'string' ? decodeCharacterReferences(value) : null;
}

/** The source text of an element (escaped text and CDATA sections, as written), or ''. */
function rawText(node: unknown): string {
  const element = first(node);
  if (typeof element === 'string') return element;
  const text = asNode(element)[TEXT_KEY];
  return typeof text === 'string' ? text : '';
}

/**
 * The character data of an element, trimmed: entities decoded, CDATA taken
 * literally. Null when the element is absent or empty. Works both for raw
 * elements (source text) and for ordinary ones (text and CDATA split apart).
 */
function plainText(node: unknown): string | null {
  const element = first(node);
  if (element === undefined || element === null) return null;
  const cdata = asArray(asNode(element)[CDATA_KEY]).filter((c): c is string => typeof c === 'string');
  const text = unwrapCdata(rawText(element)) + cdata.join('');
  return emptyToNull(text.trim());
}

/** Source text to character data: CDATA sections literal, everything else entity-decoded. */
function unwrapCdata(source: string): string {
  return source
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((part, index) => (index % 2 === 1 ? part : decodeCharacterReferences(part)))
    .join('');
}

/** XHTML source may contain CDATA sections, which an HTML parser would drop as comments. */
function cdataAsEscapedText(source: string): string {
  return source.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, data: string) => data.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
}

function emptyToNull(value: string | null | undefined): string | null {
  return value ? value : null;
}

