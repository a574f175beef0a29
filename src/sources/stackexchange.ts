import { htmlToText, safeHttpUrl } from './html-text.js';
import { isRecord, jsonOfErrorBody, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { advanceTimeWindow } from './time-window.js';
import type { TimeWindowState } from './time-window.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';

/**
 * Stack Exchange API 2.3, /search/excerpts: questions and answers on one site
 * (Stack Overflow by default) that match the query, newest first. The
 * default filter is used: it carries `body` (HTML), the `excerpt`, the
 * HTML-escaped `title` and the `owner`, and the wrapper's `has_more`,
 * `quota_remaining` and `backoff`.
 */

/** created (unix seconds) mark and page-back window, see time-window.ts; the search re-reads an overlap before the mark. */
export type StackExchangeCursor = TimeWindowState & {
  /** The site the times belong to; a cursor for another site is ignored. */
  site: string;
};

const DEFAULT_BASE = 'https://api.stackexchange.com';
const DEFAULT_SITE = 'stackoverflow';
const PAGE_SIZE = 100;
/**
 * Each poll re-reads this far before the mark: the search index lags behind
 * new posts, and an item indexed late with an older creation_date would
 * otherwise fall below `fromdate` forever. Re-read items are deduplicated.
 */
export const STACKEXCHANGE_OVERLAP_SECONDS = 600;
/** Warn when fewer requests than this are left of the daily quota (300 without a key, 10,000 with one). */
const LOW_QUOTA = 30;
const KNOWN_OPTIONS = new Set(['site', 'key']);

/**
 * Site parameter → domain, for item links (search excerpts carry no `link`).
 * Anything else follows the network's pattern: "<lang>.stackoverflow" →
 * <lang>.stackoverflow.com, "meta.<x>" per the trilogy, "<x>" → <x>.stackexchange.com.
 * A site given as a domain ("superuser.com") is used as is.
 */
const SITE_DOMAINS: Record<string, string> = {
  stackoverflow: 'stackoverflow.com',
  serverfault: 'serverfault.com',
  superuser: 'superuser.com',
  askubuntu: 'askubuntu.com',
  mathoverflow: 'mathoverflow.net',
  'mathoverflow.net': 'mathoverflow.net',
  stackapps: 'stackapps.com',
  meta: 'meta.stackexchange.com',
  'meta.stackoverflow': 'meta.stackoverflow.com',
  'meta.serverfault': 'meta.serverfault.com',
  'meta.superuser': 'meta.superuser.com',
  'meta.askubuntu': 'meta.askubuntu.com',
};

export function siteDomain(site: string): string {
  const key = site.trim().toLowerCase();
  const known = SITE_DOMAINS[key];
  if (known) return known;
  if (/\.(?:com|net|org)$/.test(key)) return key;
  if (/^[a-z]{2}\.stackoverflow$/.test(key)) return `${key}.com`;
  if (key.startsWith('meta.')) return `${key.slice(5)}.meta.stackexchange.com`;
  return `${key}.stackexchange.com`;
}

/** The language of a language-specific Stack Overflow (ru.stackoverflow → "ru"); null for the rest. */
function siteLang(site: string): string | null {
  const match = /^([a-z]{2})\.stackoverflow(?:\.com)?$/.exec(site.trim().toLowerCase());
  return match?.[1] ?? null;
}

export const stackExchangeAdapter: SourceAdapter<StackExchangeCursor> = {
  types: ['stackexchange'],
  examples: {
    stackexchange: {
      summary: 'Stack Overflow (or another Stack Exchange site) questions and answers',
      yaml: `name: {name}
type: stackexchange
query: {query}
site: stackoverflow
# key: \${STACKEXCHANGE_KEY}   # raises the daily quota from 300 to 10,000
interval: 30m`,
      env: [],
      doc: 'docs/sources/stackexchange.md',
    },
  },

  // The documented ban line is 30 requests a second per IP; one a second is far from it,
  // and the daily quota (300 without a key) is the real limit anyway.
  rateLimit: { requests: 1, perMs: 1000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(source.options)) {
      if (!KNOWN_OPTIONS.has(key)) problems.push(`${key}: unknown option for a stackexchange source (known: site, key)`);
    }
    if (!source.query || source.query.trim() === '') problems.push('query: is required (the words to search for)');
    const site = source.options['site'];
    if (site !== undefined && (typeof site !== 'string' || !/^[A-Za-z0-9.-]+$/.test(site.trim()))) {
      problems.push('site: expected a Stack Exchange site name such as stackoverflow, superuser or ru.stackoverflow');
    }
    const key = source.options['key'];
    if (key !== undefined && (typeof key !== 'string' || key.trim() === '')) problems.push('key: expected an API key (a string), or remove it');
    if (source.url !== undefined && !safeHttpUrl(source.url)) problems.push('url: expected an http(s) API base such as https://api.stackexchange.com');
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: StackExchangeCursor | null): RequestSpec {
    const state = sameSite(cursor, siteOf(source));
    if (state?.backfill) return searchRequest(source, state.mark ?? null, state.backfill.to, state.backfill.page);
    return searchRequest(source, state?.mark ?? null, null, 1);
  },

  explainError(source: SourceSettings, response: FetchedResponse): SourceApiError | null {
    // The API sends most errors with HTTP 400 and its usual wrapper.
    const body = jsonOfErrorBody(response);
    return isRecord(body) && body['error_id'] !== undefined ? apiError(body, keyOf(source)) : null;
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: StackExchangeCursor | null): SourcePage<StackExchangeCursor> {
    const site = siteOf(source);
    if (response.status === 304) return { mentions: [], cursor: cursor ?? { site }, next: null, itemsSeen: 0, warnings: [] };
    const body = parseJsonBody(response, 'stackexchange');
    if (!isRecord(body)) throw new SourceFormatError('stackexchange: expected a JSON object with "items"');
    if (body['error_id'] !== undefined || body['error_message'] !== undefined) throw apiError(body, keyOf(source));
    const rawItems = body['items'];
    if (!Array.isArray(rawItems)) throw new SourceFormatError('stackexchange: the response has no "items" list');

    const warnings: string[] = [];
    const domain = siteDomain(site);
    const lang = siteLang(site);
    const mapped: Array<{ draft: MentionDraft; created: number }> = [];
    rawItems.forEach((item, index) => {
      const result = mapItem(item, domain, lang);
      if (typeof result === 'string') warnings.push(`stackexchange: skipped item ${index + 1}: ${result}`);
      else mapped.push(result);
    });

    const quotaRemaining = numberField(body['quota_remaining']);
    const quotaMax = numberField(body['quota_max']);
    if (quotaRemaining !== null && quotaRemaining < LOW_QUOTA) {
      warnings.push(`stackexchange: only ${quotaRemaining}${quotaMax !== null ? ` of ${quotaMax}` : ''} requests left in today's API quota${quotaMax !== null && quotaMax <= 300 ? ' (a key raises it to 10,000)' : ''}`);
    }
    const backoff = numberField(body['backoff']);
    const state = sameSite(cursor, site);
    const step = advanceTimeWindow(state, mapped.map((m) => m.created), body['has_more'] === true);
    return {
      mentions: mapped.map((m) => m.draft),
      cursor: { site, ...step.state },
      next: step.request === null ? null : searchRequest(source, step.request.mark, step.request.to, step.request.page),
      itemsSeen: rawItems.length,
      warnings,
      ...(backoff !== null && backoff > 0 ? { backoffSeconds: backoff } : {}),
    };
  },
};

// ---------------------------------------------------------------------------
// Requests

function siteOf(source: SourceSettings): string {
  const site = source.options['site'];
  return typeof site === 'string' && site.trim() !== '' ? site.trim() : DEFAULT_SITE;
}

function keyOf(source: SourceSettings): string | null {
  const key = source.options['key'];
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : null;
}

function sameSite(cursor: StackExchangeCursor | null, site: string): StackExchangeCursor | null {
  return cursor && typeof cursor.site === 'string' && cursor.site.toLowerCase() === site.toLowerCase() ? cursor : null;
}

function searchRequest(source: SourceSettings, mark: number | null, to: number | null, page: number): RequestSpec {
  const base = (source.url ?? DEFAULT_BASE).replace(/\/+$/, '');
  const url = withQuery(`${base}/2.3/search/excerpts`, {
    q: source.query ?? '',
    site: siteOf(source),
    sort: 'creation',
    order: 'desc',
    fromdate: mark === null ? null : Math.max(0, mark - STACKEXCHANGE_OVERLAP_SECONDS),
    todate: to,
    pagesize: PAGE_SIZE,
    page,
    key: keyOf(source),
  });
  return { url, method: 'GET', headers: { Accept: 'application/json' } };
}


// ---------------------------------------------------------------------------
// Items and errors

/** A draft and its creation_date, or why the item was skipped. */
function mapItem(item: unknown, domain: string, lang: string | null): { draft: MentionDraft; created: number } | string {
  if (!isRecord(item)) return 'not an object';
  const type = stringField(item['item_type']);
  const questionId = numberField(item['question_id']);
  const answerId = numberField(item['answer_id']);
  const created = numberField(item['creation_date']);
  if (type !== 'question' && type !== 'answer') return `unknown item_type ${JSON.stringify(type)}`;
  if (questionId === null || (type === 'answer' && answerId === null)) return `${type} without ${type === 'answer' ? 'answer_id' : 'question_id'}`;
  if (created === null) return `${type} ${type === 'answer' ? answerId : questionId} has no creation_date`;

  const questionExternalId = `q:${questionId}`;
  const externalId = type === 'answer' ? `a:${answerId}` : questionExternalId;
  const link = stringField(item['link']);
  const owner = isRecord(item['owner']) ? item['owner'] : null;
  const name = owner ? stringField(owner['display_name']) : null;
  const body = stringField(item['body']) ?? stringField(item['excerpt']) ?? '';
  const title = stringField(item['title']);
  return {
    created,
    draft: {
      externalId,
      url: safeHttpUrl(link) ?? safeHttpUrl(`https://${domain}/${type === 'answer' ? 'a' : 'q'}/${type === 'answer' ? answerId : questionId}`),
      // Safe filters HTML-escape names and titles ("O&#39;Brien").
      author: name !== null ? htmlToText(name) || null : null,
      authorUrl: owner ? safeHttpUrl(stringField(owner['link'])) : null,
      // Reputation stands in for reach: the API reports no follower count.
      authorReach: owner ? numberField(owner['reputation']) : null,
      // An answer's title is its question's title.
      title: title !== null ? htmlToText(title) || null : null,
      text: htmlToText(body),
      lang,
      publishedAt: created * 1000,
      parentId: type === 'answer' ? questionExternalId : null,
      threadId: questionExternalId,
    },
  };
}

/** error_id values that mean the key or token was refused. */
const AUTH_ERRORS = new Set([401, 402, 403, 405, 406]);

/**
 * The API's error wrapper: {error_id, error_name, error_message}. It usually
 * comes with HTTP 400, which the HTTP client reports before the adapter sees
 * the body; this handles the ones that arrive with 200.
 */
function apiError(body: Record<string, unknown>, key: string | null): SourceApiError {
  const id = numberField(body['error_id']);
  const name = stringField(body['error_name']);
  let message = (stringField(body['error_message']) ?? '').replace(/\s+/g, ' ').trim();
  // A key is not a secret to Stack Exchange, but it still stays out of our messages.
  if (key) message = message.split(key).join('(key)');
  message = message.slice(0, 200);
  const label = `stackexchange API error ${id ?? '?'}${name ? ` ${name}` : ''}${message ? `: ${message}` : ''}`;
  if (id === 502) {
    // throttle_violation: "too many requests from this IP, more requests available in 82696 seconds"
    const wait = /available in (\d+) seconds?/i.exec(message);
    return new SourceApiError(label, { retryAfterSeconds: wait ? Number(wait[1]) : null });
  }
  if (id === 503) return new SourceApiError(label, { retryAfterSeconds: 30 });
  return new SourceApiError(label, { auth: id !== null && AUTH_ERRORS.has(id) });
}
