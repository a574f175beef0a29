import { collapseWhitespace, safeHttpUrl } from './html-text.js';
import { isRecord, numberField, parseJsonBody, stringField, withQuery } from './json-body.js';
import { advanceTimeWindow } from './time-window.js';
import type { TimeWindowState } from './time-window.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';

/**
 * GitHub issues and pull requests whose title, body or comments match the
 * query, through GET /search/issues sorted by creation, newest first. The
 * search returns the issue or pull request, never the matching comment, so
 * every mention is a thread of its own. A token is optional: it raises the
 * search allowance from 10 to 30 requests a minute.
 */

export type GithubKind = 'issues' | 'prs' | 'both';

/** created (unix seconds) mark and page-back window, see time-window.ts; the search re-reads an overlap before the mark. */
export type GithubCursor = TimeWindowState & {
  /** Which items the times belong to; a cursor written for another kind is ignored. */
  kind: GithubKind;
};

const DEFAULT_BASE = 'https://api.github.com';
const PER_PAGE = 100;
/**
 * Each poll re-reads this far before the mark: the search index lags behind
 * new issues, and one indexed late would otherwise fall below `created:>=`
 * forever. Re-read items are deduplicated by the store.
 */
export const GITHUB_OVERLAP_SECONDS = 600;
const KINDS: readonly GithubKind[] = ['issues', 'prs', 'both'];
const KIND_QUALIFIER: Record<GithubKind, string | null> = { issues: 'is:issue', prs: 'is:pr', both: null };
const KNOWN_OPTIONS = new Set(['token', 'kind']);

export const githubAdapter: SourceAdapter<GithubCursor> = {
  types: ['github'],
  examples: {
    github: {
      summary: 'GitHub issues and pull requests that mention the query',
      yaml: `name: {name}
type: github
query: {query}
# token: \${GITHUB_TOKEN}      # optional: 30 searches a minute instead of 10
interval: 30m`,
      env: [],
      doc: 'docs/sources/github.md',
    },
  },

  // "For authenticated requests, you can make up to 30 requests per minute" (search API);
  // without a token it is 10, which the x-ratelimit-* headers enforce through the HTTP client.
  rateLimit: { requests: 30, perMs: 60_000 },

  checkSettings(source: SourceSettings): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(source.options)) {
      if (!KNOWN_OPTIONS.has(key)) problems.push(`${key}: unknown option for a github source (known: token, kind)`);
    }
    if (!source.query || source.query.trim() === '') problems.push('query: is required (GitHub issue search syntax, e.g. acme or "acme cloud")');
    const kind = source.options['kind'];
    if (kind !== undefined && !KINDS.includes(kind as GithubKind)) problems.push('kind: expected issues, prs or both');
    const token = source.options['token'];
    if (token !== undefined && (typeof token !== 'string' || token.trim() === '')) {
      problems.push('token: is empty (set the variable it names, e.g. GITHUB_TOKEN, or remove the line)');
    }
    if (source.url !== undefined && !safeHttpUrl(source.url)) problems.push('url: expected an http(s) API base such as https://api.github.com');
    return problems;
  },

  firstRequest(source: SourceSettings, cursor: GithubCursor | null): RequestSpec {
    const state = sameKind(cursor, kindOf(source));
    if (state?.backfill) return searchRequest(source, state.mark ?? null, state.backfill.to, state.backfill.page);
    return searchRequest(source, state?.mark ?? null, null, 1);
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: GithubCursor | null): SourcePage<GithubCursor> {
    const kind = kindOf(source);
    if (response.status === 304) return { mentions: [], cursor: cursor ?? { kind }, next: null, itemsSeen: 0, warnings: [] };
    const body = parseJsonBody(response, 'github');
    if (!isRecord(body)) throw new SourceFormatError('github: expected a JSON object with "items"');
    const rawItems = body['items'];
    if (!Array.isArray(rawItems)) {
      const message = stringField(body['message']);
      if (message !== null) throw new SourceApiError(`github API error: ${message.replace(/\s+/g, ' ').trim().slice(0, 200)}`);
      throw new SourceFormatError('github: the response has no "items" list (not a search result)');
    }

    const warnings: string[] = [];
    if (body['incomplete_results'] === true) {
      warnings.push('github: the search timed out on GitHub\'s side and returned incomplete results (incomplete_results: true); some items may be missing');
    }
    const mapped: Array<{ draft: MentionDraft; created: number }> = [];
    rawItems.forEach((item, index) => {
      const result = mapItem(item);
      if (typeof result === 'string') warnings.push(`github: skipped item ${index + 1}: ${result}`);
      else mapped.push(result);
    });

    const state = sameKind(cursor, kind);
    const step = advanceTimeWindow(state, mapped.map((m) => m.created), hasNextLink(response.headers['link']));
    return {
      mentions: mapped.map((m) => m.draft),
      cursor: { kind, ...step.state },
      next: step.request === null ? null : searchRequest(source, step.request.mark, step.request.to, step.request.page),
      itemsSeen: rawItems.length,
      warnings,
    };
  },
};

// ---------------------------------------------------------------------------
// Requests

function kindOf(source: SourceSettings): GithubKind {
  const kind = source.options['kind'];
  return KINDS.includes(kind as GithubKind) ? (kind as GithubKind) : 'both';
}

function sameKind(cursor: GithubCursor | null, kind: GithubKind): GithubCursor | null {
  return cursor && cursor.kind === kind ? cursor : null;
}

/** GitHub search wants ISO 8601 without fractions: 2026-11-20T10:00:00Z. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The query as written, then the qualifiers: the time window and the kind.
 * Under GitHub's advanced issue search a space is AND, so a query with OR
 * should be parenthesised by the user (see the docs).
 */
export function searchQuery(query: string, kind: GithubKind, mark: number | null, to: number | null): string {
  const parts = [query.trim()];
  const from = mark === null ? null : isoSeconds(Math.max(0, mark - GITHUB_OVERLAP_SECONDS));
  if (from !== null && to !== null) parts.push(`created:${from}..${isoSeconds(to)}`);
  else if (from !== null) parts.push(`created:>=${from}`);
  else if (to !== null) parts.push(`created:<=${isoSeconds(to)}`);
  const qualifier = KIND_QUALIFIER[kind];
  if (qualifier) parts.push(qualifier);
  return parts.join(' ');
}

function searchRequest(source: SourceSettings, mark: number | null, to: number | null, page: number): RequestSpec {
  const base = (source.url ?? DEFAULT_BASE).replace(/\/+$/, '');
  const url = withQuery(`${base}/search/issues`, {
    q: searchQuery(source.query ?? '', kindOf(source), mark, to),
    sort: 'created',
    order: 'desc',
    per_page: PER_PAGE,
    page,
  });
  const headers: Record<string, string> = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' };
  const token = source.options['token'];
  if (typeof token === 'string' && token.trim() !== '') headers['Authorization'] = `Bearer ${token.trim()}`;
  return { url, method: 'GET', headers };
}

/** True when a Link header has rel="next": more results for this query. */
export function hasNextLink(link: string | undefined): boolean {
  if (!link) return false;
  return link.split(/,(?=\s*<)/).some((part) => /;\s*rel\s*=\s*"?(?:[^"]*\s)?next(?:\s[^"]*)?"?\s*(?:;|$)/i.test(part));
}


// ---------------------------------------------------------------------------
// Items

/**
 * The external id is the numeric `id` as a string: it is stable and shared by
 * the issue and pull request APIs, while `node_id` changed format in GitHub's
 * global-id migration (legacy "MDU6SXNzdWUx…" vs "I_kwDO…") and a stream
 * mixing both would store items twice.
 */
function mapItem(item: unknown): { draft: MentionDraft; created: number } | string {
  if (!isRecord(item)) return 'not an object';
  const id = numberField(item['id']);
  if (id === null) return 'no id';
  const createdRaw = stringField(item['created_at']);
  const createdMs = createdRaw === null ? NaN : Date.parse(createdRaw);
  if (Number.isNaN(createdMs)) return `item ${id} has no readable created_at`;
  const externalId = String(id);
  const user = isRecord(item['user']) ? item['user'] : null;
  const body = stringField(item['body']) ?? '';
  const title = (stringField(item['title']) ?? '').trim();
  return {
    created: Math.floor(createdMs / 1000),
    draft: {
      externalId,
      url: safeHttpUrl(stringField(item['html_url'])),
      author: user ? stringField(user['login']) : null,
      authorUrl: user ? safeHttpUrl(stringField(user['html_url'])) : null,
      // Search results carry no follower counts.
      authorReach: null,
      title: title === '' ? null : title,
      text: markdownText(body),
      lang: null,
      publishedAt: createdMs,
      parentId: null,
      // Each issue or pull request is its own thread: search never returns comments.
      threadId: externalId,
    },
  };
}

/**
 * The Markdown body kept as written, minus HTML comments: issue templates are
 * full of them, they never render, and a template naming the product would
 * match the query on every issue.
 */
function markdownText(body: string): string {
  return collapseWhitespace(body.replace(/<!--[\s\S]*?(?:-->|$)/g, ''));
}
