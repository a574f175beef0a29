import { DomUtils, parseDocument } from 'htmlparser2';
import { decodeBody } from './charset.js';
import { htmlToText, safeHttpUrl } from './html-text.js';
import { SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';

/**
 * A public Telegram channel through its web preview, https://t.me/s/<channel>.
 * There is no API behind it: the page is HTML meant for browsers, listing the
 * latest ~20 posts oldest first, with a "load more" link (?before=<id>) to
 * older ones. Post ids grow by one per post in a channel, so the cursor is the
 * newest post id stored; deleted posts just leave holes in the numbering.
 * Telegram can change this markup at any time: the parser keys on the class
 * names scrapers have relied on for years and fails loudly when the message
 * history is missing altogether.
 */

/** What a telegram source remembers between polls. */
export type TelegramCursor = {
  /** The channel the ids belong to; a cursor for another channel is ignored. */
  channel: string;
  /** Newest post id such that every post up to it has been stored (the high-water mark). */
  lastId?: number;
  /**
   * A page-back in progress: posts newer than `lastId` did not fit on the
   * first page. `before` is the oldest id fetched so far (the next request is
   * ?before=<before>), `top` the newest id seen, which becomes `lastId` once
   * the backfill reaches the old mark.
   */
  backfill?: { before: number; top: number };
};

/** One post as the preview shows it, before mapping. Exported for tests and `preview`. */
export interface TelegramPost {
  /** `data-post`, "<channel>/<id>". */
  dataPost: string;
  id: number;
  draft: MentionDraft;
  /** View count ("3.46M" → 3460000); null when the post shows none. Not reach: MentionDraft has no engagement field. */
  views: number | null;
}

export interface TelegramChannelPage {
  /** The channel's display title, plain text. */
  title: string | null;
  /** Subscriber count from the channel header, when shown. */
  subscribers: number | null;
  posts: TelegramPost[];
  /** `data-before` of the "load more" link: older posts exist. */
  moreBefore: number | null;
  itemsSeen: number;
  warnings: string[];
}

const DEFAULT_BASE = 'https://t.me';
const PUBLIC_BASE = 'https://t.me';
/** Telegram usernames: letters, digits and underscores, 5–32 long (a few old ones are shorter). */
const CHANNEL_NAME = /^[A-Za-z0-9_]{3,32}$/;
const KNOWN_OPTIONS = new Set(['channel']);

export const telegramAdapter: SourceAdapter<TelegramCursor> = {
  types: ['telegram'],
  examples: {
    telegram: {
      summary: 'a public Telegram channel (its t.me/s web preview; no keyword search)',
      yaml: `name: {name}
type: telegram
url: {url|https://t.me/s/acme_news}
interval: 15m`,
      env: [],
      doc: 'docs/sources/telegram.md',
    },
  },

  // Undocumented limits; t.me answers scrapers with 429 quickly, so one page every two seconds.
  rateLimit: { requests: 1, perMs: 2000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(source.options)) {
      if (!KNOWN_OPTIONS.has(key)) problems.push(`${key}: unknown option for a telegram source (known: channel, url)`);
    }
    if (source.query !== undefined) {
      problems.push('query: a channel preview cannot be searched (topics decide which posts are kept); remove it');
    }
    const option = source.options['channel'];
    if (option !== undefined && option !== null && typeof option !== 'string') problems.push('channel: must be a channel name such as acme_news');
    let fromUrl: string | null = null;
    let badUrl = false;
    if (source.url !== undefined) {
      const parsed = parseBaseUrl(source.url);
      badUrl = parsed === null;
      if (!parsed) problems.push('url: expected https://t.me, or a channel address such as https://t.me/s/acme_news');
      else fromUrl = parsed.channel;
    }
    const named = typeof option === 'string' ? stripAt(option) : null;
    if (named !== null && !CHANNEL_NAME.test(named)) problems.push('channel: expected a public channel name (letters, digits, _), without t.me/ or @');
    if (named === null && fromUrl === null && !badUrl && (option === undefined || option === null)) {
      problems.push('channel: is required (the public channel name, e.g. acme_news; or give url: https://t.me/s/acme_news)');
    }
    if (named !== null && fromUrl !== null && named.toLowerCase() !== fromUrl.toLowerCase()) {
      problems.push('url: names a different channel than channel:; keep one of them');
    }
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: TelegramCursor | null): RequestSpec {
    const { base, channel } = settingsOf(source);
    const state = sameChannel(cursor, channel);
    return pageRequest(base, channel, state?.backfill?.before ?? null);
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: TelegramCursor | null): SourcePage<TelegramCursor> {
    const { base, channel } = settingsOf(source);
    const state = sameChannel(cursor, channel);
    if (response.status === 304) {
      return { mentions: [], cursor: cursor ?? { channel }, next: null, itemsSeen: 0, warnings: [] };
    }
    if (response.status < 200 || response.status > 299) {
      throw new SourceFormatError(`telegram: expected the t.me/s/${channel} page but got HTTP ${response.status}`);
    }
    const html = decodeBody(response.body, response.headers['content-type'] ?? null);
    const page = parseChannelPage(html, channel);
    const next = advance(state, channel, page);
    return {
      mentions: page.posts.map((p) => p.draft),
      cursor: next.cursor,
      next: next.request === 'top' ? pageRequest(base, channel, null) : next.request === null ? null : pageRequest(base, channel, next.request.before),
      itemsSeen: page.itemsSeen,
      warnings: [...page.warnings, ...next.warnings],
    };
  },
};

// ---------------------------------------------------------------------------
// Settings and requests

function settingsOf(source: SourceSettings): { base: string; channel: string } {
  const parsed = source.url !== undefined ? parseBaseUrl(source.url) : { base: DEFAULT_BASE, channel: null };
  if (!parsed) throw new Error(`source "${source.name}": url is not a t.me address`);
  const option = source.options['channel'];
  const channel = typeof option === 'string' ? stripAt(option) : parsed.channel;
  if (!channel) throw new Error(`source "${source.name}" has no channel`);
  return { base: parsed.base, channel };
}

/**
 * `url` is the site base (https://t.me, or a test server), optionally with the
 * channel path written in: https://t.me/s/acme_news and https://t.me/acme_news
 * both name the channel. The config loader wants a url or a query on every
 * source, so a channel address alone is a complete telegram entry.
 */
function parseBaseUrl(raw: string): { base: string; channel: string | null } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments[0] === 's') segments.shift();
  if (segments.length > 1) return null;
  const name = segments[0] ? stripAt(decodeURIComponent(segments[0])) : null;
  if (name !== null && !CHANNEL_NAME.test(name)) return null;
  return { base: url.origin, channel: name };
}

function stripAt(name: string): string {
  return name.trim().replace(/^@/, '');
}

function pageRequest(base: string, channel: string, before: number | null): RequestSpec {
  const url = new URL(`/s/${encodeURIComponent(channel)}`, base);
  if (before !== null) url.searchParams.set('before', String(before));
  return { url: url.toString(), method: 'GET', headers: { Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' } };
}

function sameChannel(cursor: TelegramCursor | null, channel: string): TelegramCursor | null {
  if (!cursor || typeof cursor.channel !== 'string' || cursor.channel.toLowerCase() !== channel.toLowerCase()) return null;
  return cursor;
}

// ---------------------------------------------------------------------------
// Cursor: high-water mark plus a page-back that never leaves a hole

interface Advance {
  cursor: TelegramCursor;
  /** 'top' = the channel's newest page, { before } = an older page, null = this pull is done. */
  request: 'top' | { before: number } | null;
  warnings: string[];
}

/**
 * The newest page shows ~20 posts. When its oldest post is above the stored
 * mark + 1, posts in between may exist, so the pull pages back with ?before=
 * until it reaches the mark (or the channel's first post); only then does the
 * mark move up to the newest id seen. The cursor stored with every page says
 * how far the page-back got, so a pull cut short by max_pages resumes it.
 * Once a page-back finishes, the newest page is fetched once more for posts
 * published meanwhile.
 */
function advance(state: TelegramCursor | null, channel: string, page: TelegramChannelPage): Advance {
  const ids = page.posts.map((p) => p.id);
  const mark = state?.lastId ?? null;
  const backfill = state?.backfill ?? null;
  const oldest = ids.length > 0 ? Math.min(...ids) : null;
  const newest = ids.length > 0 ? Math.max(...ids) : null;
  const withMark = (lastId: number | null): TelegramCursor => (lastId === null ? { channel } : { channel, lastId });

  if (backfill === null) {
    if (newest === null || oldest === null) return { cursor: withMark(mark), request: null, warnings: [] };
    // First poll: start from the newest page; the channel's history is not backfilled.
    if (mark === null) return { cursor: withMark(newest), request: null, warnings: [] };
    const top = Math.max(mark, newest);
    if (oldest <= mark + 1 || page.moreBefore === null) return { cursor: withMark(top), request: null, warnings: [] };
    return { cursor: { channel, lastId: mark, backfill: { before: oldest, top } }, request: { before: oldest }, warnings: [] };
  }

  const done = (warnings: string[] = []): Advance => ({ cursor: withMark(Math.max(mark ?? 0, backfill.top)), request: 'top', warnings });
  if (oldest === null || page.moreBefore === null || (mark !== null && oldest <= mark + 1)) return done();
  if (oldest >= backfill.before) {
    // t.me ignored ?before=: paging back cannot progress, so say what may be missing instead of looping.
    return done([`telegram: t.me did not page back before post ${backfill.before}; posts ${(mark ?? 0) + 1}–${backfill.before - 1} of @${channel} may be missing`]);
  }
  return { cursor: { channel, ...(mark === null ? {} : { lastId: mark }), backfill: { before: oldest, top: backfill.top } }, request: { before: oldest }, warnings: [] };
}

// ---------------------------------------------------------------------------
// Page parsing

type Node = Extract<Parameters<typeof DomUtils.findAll>[1], unknown[]>[number];
type Element = ReturnType<typeof DomUtils.findAll>[number];

/**
 * Parses a t.me/s/<channel> page. Throws SourceFormatError when the page has
 * no message history: t.me answers 200 with its "Contact @x" page for a
 * channel that does not exist, a private channel or group, or a user.
 */
export function parseChannelPage(html: string, channel: string): TelegramChannelPage {
  const document = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const roots: Node[] = document.children;
  const history = DomUtils.findOne((el) => hasClass(el, 'tgme_channel_history') || hasClass(el, 'js-message_history'), roots);
  if (!history) {
    const title = textOf(DomUtils.findOne((el) => el.name === 'title', roots)) ?? '';
    if (/^Telegram: (?:Contact|Join Group Chat|View) @/i.test(title) || DomUtils.findOne((el) => hasClass(el, 'tgme_page_wrap'), roots)) {
      throw new SourceFormatError(
        `telegram: @${channel} has no public web preview: the channel does not exist, is private, or is not a channel (t.me showed its contact page)`,
      );
    }
    throw new SourceFormatError(`telegram: expected the t.me/s/${channel} channel preview but the page has no message history (not a t.me page, or the markup changed)`);
  }

  const title = textOf(DomUtils.findOne((el) => hasClass(el, 'tgme_channel_info_header_title'), roots));
  const subscribers = subscriberCount(roots);
  const channelUrl = `${PUBLIC_BASE}/${channel}`;
  const warnings: string[] = [];
  const messages = DomUtils.findAll((el) => hasClass(el, 'tgme_widget_message') && el.attribs['data-post'] !== undefined, [history]);
  const posts: TelegramPost[] = [];
  for (const message of messages) {
    const post = parsePost(message, { title, subscribers, channelUrl }, warnings);
    if (post) posts.push(post);
  }
  const more = DomUtils.findOne((el) => el.name === 'a' && hasClass(el, 'tme_messages_more') && el.attribs['data-before'] !== undefined, [history]);
  const moreBefore = more ? Number.parseInt(more.attribs['data-before'] ?? '', 10) : NaN;
  return {
    title,
    subscribers,
    posts,
    moreBefore: Number.isSafeInteger(moreBefore) && moreBefore > 0 ? moreBefore : null,
    itemsSeen: messages.length,
    warnings,
  };
}

interface ChannelContext {
  title: string | null;
  subscribers: number | null;
  channelUrl: string;
}

function parsePost(message: Element, context: ChannelContext, warnings: string[]): TelegramPost | null {
  const dataPost = (message.attribs['data-post'] ?? '').trim();
  const match = /^([A-Za-z0-9_]+)\/(\d+)$/.exec(dataPost);
  if (!match) {
    warnings.push(`telegram: skipped a post with an unusable data-post ${JSON.stringify(dataPost.slice(0, 60))}`);
    return null;
  }
  const id = Number(match[2]);
  const inside = [message];
  const reply = DomUtils.findOne((el) => hasClass(el, 'tgme_widget_message_reply'), inside);
  // The quoted post in a reply has its own text block; the post's text is the one outside it.
  const textElement = DomUtils.findOne((el) => hasClass(el, 'tgme_widget_message_text') && !isInside(el, reply), inside);
  const time = DomUtils.findOne((el) => el.name === 'time' && el.attribs['datetime'] !== undefined && !isInside(el, reply), inside);
  const publishedAt = time ? Date.parse(time.attribs['datetime'] ?? '') : NaN;
  if (!time || Number.isNaN(publishedAt)) warnings.push(`telegram: post ${dataPost} has no readable date`);
  const signature = textOf(DomUtils.findOne((el) => hasClass(el, 'tgme_widget_message_from_author'), inside));
  const views = parseCount(textOf(DomUtils.findOne((el) => hasClass(el, 'tgme_widget_message_views'), inside)));

  return {
    dataPost,
    id,
    views,
    draft: {
      externalId: dataPost,
      url: safeHttpUrl(`${PUBLIC_BASE}/${dataPost}`),
      author: signature ?? context.title,
      authorUrl: safeHttpUrl(context.channelUrl),
      authorReach: context.subscribers,
      title: null,
      // Line breaks (<br>) become spaces, so words on either side never run together.
      text: textElement ? htmlToText(DomUtils.getInnerHTML(textElement)).replace(/\n/g, ' ') : '',
      lang: null,
      publishedAt: Number.isNaN(publishedAt) ? null : publishedAt,
      parentId: reply ? postIdFromLink(reply.attribs['href']) : null,
      threadId: null,
    },
  };
}

/** "https://t.me/acme_news/1040" → "acme_news/1040", the replied-to post's external id. */
function postIdFromLink(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const match = /^\/(?:s\/)?([A-Za-z0-9_]+)\/(\d+)\/?$/.exec(new URL(href, PUBLIC_BASE).pathname);
    return match ? `${match[1]}/${match[2]}` : null;
  } catch {
    return null;
  }
}

/**
 * The subscriber (or member) count from the channel header's counters. The
 * first counter is the audience; the label is checked when present so that a
 * channel showing only "photos" is not read as its subscriber count.
 */
function subscriberCount(roots: Node[]): number | null {
  const counters = DomUtils.findAll((el) => hasClass(el, 'tgme_channel_info_counter'), roots);
  for (const counter of counters) {
    const type = textOf(DomUtils.findOne((el) => hasClass(el, 'counter_type'), [counter]));
    const value = textOf(DomUtils.findOne((el) => hasClass(el, 'counter_value'), [counter]));
    if (type === null ? counter === counters[0] : /subscriber|member|подписчик|участник/i.test(type)) return parseCount(value);
  }
  // The header line "12.3K subscribers" is the fallback when the counters block is absent.
  const header = textOf(DomUtils.findOne((el) => hasClass(el, 'tgme_header_counter'), roots));
  const match = header ? /^([\d.,\s]+[KMB]?)\s+(?:subscribers?|members?)/i.exec(header) : null;
  return match ? parseCount(match[1] ?? null) : null;
}

/** "3.46M" → 3460000, "1.2K" → 1200, "987" → 987, "12 345" → 12345; null for anything else. */
export function parseCount(raw: string | null): number | null {
  if (raw === null) return null;
  const match = /^(\d+(?:[.,]\d+)?)\s*([KMB])?$/i.exec(raw.replace(/[\s\u00a0](?=\d{3}\b)/g, '').trim());
  if (!match) return null;
  const number = Number((match[1] ?? '').replace(',', '.'));
  const scale = { K: 1e3, M: 1e6, B: 1e9 }[(match[2] ?? '').toUpperCase() as 'K' | 'M' | 'B'] ?? 1;
  return Math.round(number * scale);
}

function hasClass(element: Element, name: string): boolean {
  const value = element.attribs['class'];
  return value !== undefined && value.split(/\s+/).includes(name);
}

function isInside(element: Element, ancestor: Element | null): boolean {
  if (!ancestor) return false;
  for (let node = element.parent; node; node = node.parent) if (node === ancestor) return true;
  return false;
}

/** The element's text, whitespace collapsed; null when absent or empty. */
function textOf(element: Element | null): string | null {
  if (!element) return null;
  const text = DomUtils.textContent(element).replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}
