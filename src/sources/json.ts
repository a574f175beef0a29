import { query } from 'jsonpath-rfc9535';
import type { JsonValue } from 'jsonpath-rfc9535';
import { normaliseLang, parseFeedDate } from './dates.js';
import { collapseWhitespace, htmlToText, safeHttpUrl } from './html-text.js';
import { isRecord, jsonOfErrorBody, numberField, parseJsonBody, stringField } from './json-body.js';
import { SourceApiError, SourceFormatError } from './types.js';
import type { FetchedResponse, MentionDraft, RequestSpec, SourceAdapter, SourcePage, SourceSettings } from './types.js';
import { truncate } from './text.js';

/**
 * Any JSON API, described in the config instead of code: a URL template with
 * {query} and {cursor}, a JSONPath (RFC 9535) to the item list, and a JSONPath
 * or template per field. In the spirit of Huginn's WebsiteAgent, but with a
 * cursor that follows the no-gap rule of every other adapter.
 *
 * Cursor: `mark` is the high-water value put into {cursor} (the max of the
 * cursor field over stored items). When the API pages (`next`), a pull walks
 * the pages with `mark` unchanged, remembering in `top` the max seen so far and
 * in `next` where to resume; `mark` becomes `top` only once the last page is
 * stored. So a pull cut short by max_pages, or a failure, resumes the walk
 * next time instead of jumping over the items it has not reached.
 */

export type JsonCursor = {
  /** Value for {cursor}: epoch ms for `cursor: published`, the id for `cursor: id`. */
  mark?: number | string;
  /** Max cursor value seen during the walk in progress. */
  top?: number | string;
  /** Where the walk in progress resumes: a next-page URL (secrets stripped) or a page token. */
  next?: string;
};

const FIELD_NAMES = ['id', 'url', 'author', 'author_url', 'text', 'title', 'published', 'parent', 'thread', 'lang', 'reach'] as const;
type FieldName = (typeof FIELD_NAMES)[number];
const URL_FIELDS: ReadonlySet<FieldName> = new Set(['url', 'author_url']);

const OPTION_KEYS = ['items', 'fields', 'html', 'cursor', 'cursor_format', 'cursor_start', 'next', 'next_param', 'error', 'headers'] as const;
const CURSOR_FORMATS = ['seconds', 'ms', 'iso'] as const;
type CursorFormat = (typeof CURSOR_FORMATS)[number];

type TemplatePart = { literal: string } | { path: string };
/** A field expression: a JSONPath, or a template of literals and {$.path} placeholders. */
type FieldExpr = { path: string } | { template: TemplatePart[] };

interface JsonSpec {
  url: string;
  query: string | undefined;
  items: string;
  fields: Partial<Record<FieldName, FieldExpr[]>>;
  html: boolean;
  cursor: 'published' | 'id' | null;
  cursorFormat: CursorFormat;
  cursorStart: string;
  next: string | null;
  nextParam: string | null;
  error: string | null;
  headers: Record<string, string>;
}

/** Placeholders of the request URL template. */
const URL_PLACEHOLDER = /\{([A-Za-z_][\w-]*)\}/g;

export const jsonAdapter: SourceAdapter<JsonCursor> = {
  types: ['json'],
  examples: {
    json: {
      summary: 'any JSON API, described by a URL template and JSONPath field mapping',
      yaml: `name: {name}
type: json
url: {url|https://hn.algolia.com/api/v1/search_by_date?query={query}&numericFilters=created_at_i>{cursor}}
query: {query}
items: $.hits[*]
fields:
  id: $.objectID
  url: "https://news.ycombinator.com/item?id={$.objectID}"
  author: $.author
  text: [$.comment_text, $.story_text, $.title]
  published: $.created_at_i
html: true
cursor: published
interval: 15m`,
      env: [],
      doc: 'docs/sources/json.md',
    },
  },

  checkSettings(source: SourceSettings): string[] {
    return readSpec(source).problems;
  },

  firstRequest(source: SourceSettings, cursor: JsonCursor | null): RequestSpec {
    const spec = specOf(source);
    if (cursor?.next) return resumeRequest(spec, cursor);
    return request(spec, buildUrl(spec, cursor?.mark));
  },

  explainError(source: SourceSettings, response: FetchedResponse): SourceApiError | null {
    // With `error:` configured, a 4xx body in the API's own format says more than the status.
    const spec = specOf(source);
    if (!spec.error) return null;
    const body = jsonOfErrorBody(response);
    if (body === null) return null;
    const reported = firstValue(body as JsonValue, spec.error);
    if (reported === null || reported === false || reported === '') return null;
    const { text, auth } = describeApiError(reported);
    return new SourceApiError(`json source "${source.name}": HTTP ${response.status}: ${truncate(redact(text, spec), 200)}`, {
      auth: auth || response.status === 401 || response.status === 403,
    });
  },

  parsePage(source: SourceSettings, response: FetchedResponse, cursor: JsonCursor | null): SourcePage<JsonCursor> {
    if (response.status === 304) {
      return { mentions: [], cursor: cursor ?? {}, next: null, itemsSeen: 0, warnings: [] };
    }
    const spec = specOf(source);
    const label = `json source "${source.name}"`;
    if (response.status < 200 || response.status > 299) throw new SourceFormatError(`${label}: expected JSON but got HTTP ${response.status}`);
    const body = parseJsonBody(response, label) as JsonValue;

    if (spec.error) {
      const reported = firstValue(body, spec.error);
      if (reported !== null && reported !== false && reported !== '') {
        const { text, auth } = describeApiError(reported);
        throw new SourceApiError(`${label}: the API reported an error: ${truncate(redact(text, spec), 200)}`, { auth });
      }
    }

    const items = query(body, spec.items);
    if (items.length === 0) checkItemsContainer(body, spec, label);

    const warnings: string[] = [];
    const mentions: MentionDraft[] = [];
    items.forEach((item, index) => {
      const draft = mapItem(item, index, spec, warnings);
      if (draft) mentions.push(draft);
    });

    const pageTop = maxCursorValue(spec, mentions);
    const top = maxValue(cursor?.next ? cursor.top : undefined, pageTop);
    const next = items.length > 0 ? nextRequest(spec, body, response, warnings) : null;
    if (next) {
      return {
        mentions,
        cursor: compact({ mark: cursor?.mark, top, next: next.stored }),
        next: next.request,
        itemsSeen: items.length,
        warnings,
      };
    }
    return { mentions, cursor: compact({ mark: maxValue(cursor?.mark, top) }), next: null, itemsSeen: items.length, warnings };
  },
};

// ---------------------------------------------------------------------------
// Settings

const specCache = new WeakMap<SourceSettings, JsonSpec>();

/** The parsed settings; the pull has run checkSettings first, so problems here are a programming error. */
function specOf(source: SourceSettings): JsonSpec {
  let spec = specCache.get(source);
  if (!spec) {
    const read = readSpec(source);
    if (read.problems.length > 0) throw new SourceFormatError(`json source "${source.name}": ${read.problems[0]}`);
    spec = read.spec;
    specCache.set(source, spec);
  }
  return spec;
}

/** Reads and checks the options. Problems name the option, never its value (values may hold secrets). */
function readSpec(source: SourceSettings): { spec: JsonSpec; problems: string[] } {
  const problems: string[] = [];
  const options = source.options;
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) problems.push(`${key}: unknown option for a json source (known: ${OPTION_KEYS.join(', ')})`);
  }

  const url = source.url ?? '';
  if (!source.url) problems.push('url: is required: the API URL, with {query} and {cursor} placeholders where they go');
  const placeholders = new Set([...url.matchAll(URL_PLACEHOLDER)].map((m) => m[1]));
  for (const name of placeholders) {
    if (name !== 'query' && name !== 'cursor') problems.push(`url: unknown placeholder {${name}} (only {query} and {cursor} are filled in)`);
  }
  if (placeholders.has('query') && !source.query) problems.push('query: is required: the url uses {query}');
  if (!placeholders.has('query') && source.query) problems.push('query: is set but the url has no {query} placeholder to put it in');

  const items = readPath(options['items'], 'items', problems, true) ?? '$';
  const fields = readFields(options['fields'], problems);

  const html = options['html'];
  if (html !== undefined && typeof html !== 'boolean') problems.push('html: expected true or false');

  const cursorOption = options['cursor'];
  let cursor: JsonSpec['cursor'] = null;
  if (cursorOption !== undefined) {
    if (cursorOption === 'published' || cursorOption === 'id') cursor = cursorOption;
    else problems.push('cursor: expected "published" (newest date seen) or "id" (highest id seen)');
  }
  if (placeholders.has('cursor') && cursorOption === undefined) problems.push('cursor: is required: the url uses {cursor} (set cursor: published or cursor: id)');
  if (!placeholders.has('cursor') && cursorOption !== undefined) problems.push('cursor: is set but the url has no {cursor} placeholder to put it in');
  if (cursor === 'published' && isRecord(options['fields']) && options['fields']['published'] === undefined) problems.push('fields.published: is required with cursor: published');

  const formatOption = options['cursor_format'];
  let cursorFormat: CursorFormat = 'seconds';
  if (formatOption !== undefined) {
    if ((CURSOR_FORMATS as readonly unknown[]).includes(formatOption)) cursorFormat = formatOption as CursorFormat;
    else problems.push(`cursor_format: expected one of ${CURSOR_FORMATS.join(', ')}`);
    if (cursor !== 'published') problems.push('cursor_format: applies only with cursor: published');
  }
  const startOption = options['cursor_start'];
  let cursorStart = cursorFormat === 'iso' ? '1970-01-01T00:00:00.000Z' : '0';
  if (startOption !== undefined) {
    const start = stringField(startOption);
    if (start === null) problems.push('cursor_start: expected a string or number');
    else cursorStart = start;
  }

  const next = readPath(options['next'], 'next', problems, false);
  const nextParamOption = options['next_param'];
  let nextParam: string | null = null;
  if (nextParamOption !== undefined) {
    if (typeof nextParamOption === 'string' && nextParamOption.trim() !== '') nextParam = nextParamOption.trim();
    else problems.push('next_param: expected the name of a query parameter, e.g. page_token');
    if (next === null) problems.push('next_param: needs next (the JSONPath to the page token)');
  }
  const error = readPath(options['error'], 'error', problems, false);
  const headers = readHeaders(options['headers'], problems);

  if (source.url) {
    const sample = fillUrl(url, source.query, cursorStart);
    if (safeHttpUrl(sample) === null) problems.push('url: is not an http:// or https:// URL once {query} and {cursor} are filled in');
  }

  return {
    spec: { url, query: source.query, items, fields, html: html === true, cursor, cursorFormat, cursorStart, next, nextParam, error, headers },
    problems,
  };
}

function readPath(value: unknown, name: string, problems: string[], required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) problems.push(`${name}: is required: a JSONPath to the list of items, e.g. $.hits[*]`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${name}: expected a JSONPath string, e.g. $.data.items[*]`);
    return null;
  }
  const path = value.trim();
  const invalid = jsonPathProblem(path);
  if (invalid) {
    problems.push(`${name}: ${invalid}`);
    return null;
  }
  return path;
}

function readFields(value: unknown, problems: string[]): JsonSpec['fields'] {
  const fields: JsonSpec['fields'] = {};
  if (value === undefined || value === null) {
    problems.push('fields: is required: a JSONPath per field, at least id and text');
    return fields;
  }
  if (!isRecord(value)) {
    problems.push('fields: expected a mapping of field name to JSONPath, e.g. id: $.id');
    return fields;
  }
  for (const [name, raw] of Object.entries(value)) {
    if (!(FIELD_NAMES as readonly string[]).includes(name)) {
      problems.push(`fields.${name}: unknown field (known: ${FIELD_NAMES.join(', ')})`);
      continue;
    }
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) {
      problems.push(`fields.${name}: the list of JSONPaths is empty`);
      continue;
    }
    const exprs: FieldExpr[] = [];
    for (const entry of list) {
      const expr = readFieldExpr(entry, `fields.${name}`, problems);
      if (expr) exprs.push(expr);
    }
    if (exprs.length === list.length) fields[name as FieldName] = exprs;
  }
  if (isRecord(value)) {
    if (value['id'] === undefined) problems.push('fields.id: is required: the JSONPath to each item\'s unique id, e.g. $.id');
    if (value['text'] === undefined) problems.push('fields.text: is required: the JSONPath to each item\'s text (a list tries each in turn)');
  }
  return fields;
}

function readFieldExpr(value: unknown, name: string, problems: string[]): FieldExpr | null {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${name}: expected a JSONPath such as $.author, or a template such as "https://example.com/p/{$.id}"`);
    return null;
  }
  const text = value.trim();
  if (text.startsWith('$') && !text.includes('{$')) {
    const invalid = jsonPathProblem(text);
    if (invalid) {
      problems.push(`${name}: ${invalid}`);
      return null;
    }
    return { path: text };
  }
  const parts = parseTemplate(text);
  const paths = parts.filter((p): p is { path: string } => 'path' in p);
  if (paths.length === 0) {
    problems.push(`${name}: expected a JSONPath starting with "$" (e.g. $.author) or a template with {$.path} placeholders`);
    return null;
  }
  for (const part of paths) {
    const invalid = jsonPathProblem(part.path);
    if (invalid) {
      problems.push(`${name}: {${part.path}}: ${invalid}`);
      return null;
    }
  }
  return { template: parts };
}

/** "https://x/item?id={$.objectID}" → literals and paths. A placeholder's path cannot contain braces. */
function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\$[^{}]*)\}/g)) {
    if (match.index > last) parts.push({ literal: text.slice(last, match.index) });
    parts.push({ path: match[1]!.trim() });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ literal: text.slice(last) });
  return parts;
}

/** Why `path` is not a valid RFC 9535 JSONPath, from the library's own parser, or null. */
function jsonPathProblem(path: string): string | null {
  try {
    query({}, path);
    return null;
  } catch (err) {
    const message = (err as Error).message.replace(/\s+/g, ' ').trim();
    return `invalid JSONPath: ${message}${path.startsWith('$') ? '' : ' (a JSONPath starts with "$", e.g. $.author)'}`;
  }
}

function readHeaders(value: unknown, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value === undefined || value === null) return headers;
  if (!isRecord(value)) {
    problems.push('headers: expected a mapping of header name to value');
    return headers;
  }
  for (const [name, raw] of Object.entries(value)) {
    const text = stringField(raw);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) problems.push(`headers.${name}: not a valid header name`);
    else if (text === null || /[\r\n]/.test(text)) problems.push(`headers.${name}: expected a one-line string value`);
    else headers[name] = text;
  }
  return headers;
}

// ---------------------------------------------------------------------------
// Requests

function request(spec: JsonSpec, url: string): RequestSpec {
  return { url, method: 'GET', headers: { Accept: 'application/json', ...spec.headers } };
}

function fillUrl(template: string, queryText: string | undefined, cursorText: string): string {
  return template.replace(URL_PLACEHOLDER, (whole, name: string) => {
    if (name === 'query') return encodeURIComponent(queryText ?? '');
    if (name === 'cursor') return encodeURIComponent(cursorText);
    return whole;
  });
}

/** The request URL for a walk that starts at `mark`; normalised (e.g. ">" escaped) when it parses. */
function buildUrl(spec: JsonSpec, mark: number | string | undefined): string {
  const filled = fillUrl(spec.url, spec.query, formatCursor(spec, mark));
  return safeHttpUrl(filled) ?? filled;
}

function formatCursor(spec: JsonSpec, mark: number | string | undefined): string {
  if (mark === undefined) return spec.cursorStart;
  if (spec.cursor === 'published' && typeof mark === 'number') {
    if (spec.cursorFormat === 'ms') return String(mark);
    if (spec.cursorFormat === 'iso') return new Date(mark).toISOString();
    return String(Math.floor(mark / 1000));
  }
  return String(mark);
}

/** Resumes a walk: the stored next-page URL with the template's own parameters put back, or the token on the walk's URL. */
function resumeRequest(spec: JsonSpec, cursor: JsonCursor): RequestSpec {
  const next = cursor.next!;
  const base = buildUrl(spec, cursor.mark);
  if (!isLink(next)) return request(spec, withParam(base, spec.nextParam ?? 'page', next));
  return request(spec, restoreStaticParams(spec, next) ?? base);
}

function nextRequest(
  spec: JsonSpec,
  body: JsonValue,
  response: FetchedResponse,
  warnings: string[],
): { request: RequestSpec; stored: string } | null {
  if (!spec.next) return null;
  const value = stringField(firstValue(body, spec.next));
  if (value === null || value.trim() === '') return null;
  const token = value.trim();
  if (!isLink(token)) {
    if (!spec.nextParam) {
      warnings.push(`next: ${spec.next} gave a page token, not a URL; set next_param to the query parameter that takes it`);
      return null;
    }
    const url = withParam(response.url, spec.nextParam, token);
    if (url === response.url) return null;
    return { request: request(spec, url), stored: token };
  }
  const link = safeHttpUrl(token, response.url);
  if (!link) {
    warnings.push(`next: ${spec.next} is not an http(s) link; stopped paging`);
    return null;
  }
  // Headers such as Authorization go with every request: never to a host the config did not name.
  if (originOf(link) !== originOf(buildUrl(spec, undefined))) {
    warnings.push(`next: the next page is on another host (${hostOf(link)}); not followed`);
    return null;
  }
  if (sameUrl(link, response.url)) return null;
  return { request: request(spec, restoreStaticParams(spec, link) ?? link), stored: stripStaticParams(spec, link) };
}

function isLink(value: string): boolean {
  return /^https?:\/\//i.test(value) || value.startsWith('/') || value.startsWith('?');
}

function withParam(base: string, name: string, value: string): string {
  try {
    const url = new URL(base);
    url.searchParams.set(name, value);
    return url.href;
  } catch {
    return base;
  }
}

/**
 * Query parameters written literally in the config URL (no placeholder), with
 * their resolved values: an api_key=${KEY} is one. They are taken out of a
 * next-page URL before it is stored in the cursor and put back on resume, so
 * a key the API echoes into its links never reaches the database.
 */
function staticParams(spec: JsonSpec): Array<[string, string]> {
  const queryStart = spec.url.indexOf('?');
  if (queryStart < 0) return [];
  const params: Array<[string, string]> = [];
  for (const pair of spec.url.slice(queryStart + 1).split('#')[0]!.split('&')) {
    if (pair === '' || /\{(?:query|cursor)\}/.test(pair)) continue;
    for (const entry of new URLSearchParams(pair)) {
      params.push(entry);
      break;
    }
  }
  return params;
}

/** `link` with the config URL's literal parameters it lacks added back; null when it is not a URL. */
function restoreStaticParams(spec: JsonSpec, link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  for (const [name, value] of staticParams(spec)) if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  return url.href;
}

function stripStaticParams(spec: JsonSpec, link: string): string {
  const url = new URL(link);
  for (const [name, value] of staticParams(spec)) {
    if (url.searchParams.get(name) === value) url.searchParams.delete(name);
  }
  return url.href;
}

/** Secrets the config holds (header values, literal URL parameters), masked out of API error text. */
function redact(text: string, spec: JsonSpec): string {
  let result = text;
  const secrets = [...Object.values(spec.headers), ...Object.values(spec.headers).map((v) => v.replace(/^\S+\s+/, '')), ...staticParams(spec).map(([, v]) => v)];
  for (const secret of secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***');
  }
  return result;
}

/** "401 Invalid Credentials" from {code, message}-style error objects; other values as JSON. */
function describeApiError(value: JsonValue): { text: string; auth: boolean } {
  if (typeof value === 'string') return { text: value, auth: false };
  if (isRecord(value)) {
    const code = stringField(value['code'] ?? value['status'] ?? value['error_code']);
    const message = stringField(value['message'] ?? value['error_description'] ?? value['description']);
    if (code !== null || message !== null) {
      return { text: [code, message].filter((p) => p !== null).join(' '), auth: code === '401' || code === '403' };
    }
  }
  return { text: JSON.stringify(value), auth: false };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}

function sameUrl(a: string, b: string): boolean {
  return safeHttpUrl(a) === safeHttpUrl(b);
}

// ---------------------------------------------------------------------------
// Items

/** An empty result is fine when the list is there and empty; a missing list means the wrong response or path. */
function checkItemsContainer(body: JsonValue, spec: JsonSpec, label: string): void {
  const container = /^(.*)\[\*\]$/.exec(spec.items)?.[1] ?? (spec.items.endsWith('.*') ? spec.items.slice(0, -2) : null);
  if (container === null || container === '$') return;
  const found = query(body, container);
  if (found.length > 0 && found.every((v) => typeof v === 'object' && v !== null)) return;
  const keys = isRecord(body) ? Object.keys(body).slice(0, 8).join(', ') || '(none)' : Array.isArray(body) ? '(the body is a list)' : '(not an object)';
  throw new SourceFormatError(
    found.length === 0
      ? `${label}: items: ${spec.items} matched nothing: the response has no ${container} (its top-level keys: ${keys})`
      : `${label}: items: ${container} in the response is not a list`,
  );
}

function mapItem(item: JsonValue, index: number, spec: JsonSpec, warnings: string[]): MentionDraft | null {
  const label = `item ${index + 1}`;
  const externalId = evaluate(item, spec.fields.id, 'id');
  if (externalId === null) {
    warnings.push(`${label}: skipped, fields.id gave no value`);
    return null;
  }
  const text = firstText(item, spec.fields.text, spec.html);
  if (text === null) {
    warnings.push(`${label} (id ${truncate(externalId, 40)}): skipped, fields.text gave no text`);
    return null;
  }
  const rawTitle = evaluate(item, spec.fields.title, 'title');
  const title = rawTitle === null ? null : emptyToNull(spec.html ? htmlToText(rawTitle) : collapseWhitespace(rawTitle));
  const publishedAt = readDate(item, spec.fields.published);
  if (publishedAt.raw !== null && publishedAt.ms === null) warnings.push(`${label} (id ${truncate(externalId, 40)}): unparsable date "${truncate(publishedAt.raw, 40)}"`);
  const reach = numberField(firstScalar(item, spec.fields.reach));
  const author = evaluate(item, spec.fields.author, 'author');
  return {
    externalId,
    url: safeHttpUrl(evaluate(item, spec.fields.url, 'url')),
    author: author === null ? null : emptyToNull(collapseWhitespace(author).replace(/\n/g, ' ')),
    authorUrl: safeHttpUrl(evaluate(item, spec.fields.author_url, 'author_url')),
    authorReach: reach !== null && reach >= 0 ? Math.round(reach) : null,
    title,
    text,
    lang: normaliseLang(evaluate(item, spec.fields.lang, 'lang')),
    publishedAt: publishedAt.ms,
    parentId: evaluate(item, spec.fields.parent, 'parent'),
    threadId: evaluate(item, spec.fields.thread, 'thread'),
  };
}

/** The first candidate that gives a non-empty value, as a trimmed string; null when none does. */
function evaluate(item: JsonValue, exprs: FieldExpr[] | undefined, field: FieldName): string | null {
  for (const expr of exprs ?? []) {
    const value = 'path' in expr ? stringField(firstValue(item, expr.path)) : fillTemplate(item, expr.template, URL_FIELDS.has(field));
    if (value !== null && value.trim() !== '') return value.trim();
  }
  return null;
}

function firstText(item: JsonValue, exprs: FieldExpr[] | undefined, html: boolean): string | null {
  for (const expr of exprs ?? []) {
    const raw = 'path' in expr ? stringField(firstValue(item, expr.path)) : fillTemplate(item, expr.template, false);
    if (raw === null) continue;
    const text = html ? htmlToText(raw) : collapseWhitespace(raw);
    if (text !== '') return text;
  }
  return null;
}

/** A template's text; null when any placeholder has no value (a link to "item?id=" is no link). */
function fillTemplate(item: JsonValue, parts: TemplatePart[], isUrl: boolean): string | null {
  let result = '';
  for (const part of parts) {
    if ('literal' in part) {
      result += part.literal;
      continue;
    }
    const value = stringField(firstValue(item, part.path));
    if (value === null || value === '') return null;
    // In links, a value after "=" is one query value; elsewhere it may be a path, so only unsafe characters are escaped.
    result += isUrl ? (result.endsWith('=') ? encodeURIComponent(value) : encodeURI(value)) : value;
  }
  return result;
}

function firstScalar(item: JsonValue, exprs: FieldExpr[] | undefined): unknown {
  for (const expr of exprs ?? []) {
    const value = 'path' in expr ? firstValue(item, expr.path) : fillTemplate(item, expr.template, false);
    if (value !== null && value !== undefined && value !== '') return value;
  }
  return null;
}

/** Epoch seconds or ms (told apart by size), numeric strings, or ISO 8601 / RFC 2822 text. */
function readDate(item: JsonValue, exprs: FieldExpr[] | undefined): { raw: string | null; ms: number | null } {
  const value = firstScalar(item, exprs);
  if (value === null || value === undefined) return { raw: null, ms: null };
  const number = numberField(value);
  if (number !== null) return { raw: String(value), ms: epochMs(number) };
  const raw = stringField(value);
  if (raw === null) return { raw: JSON.stringify(value), ms: null };
  return { raw, ms: parseFeedDate(raw) };
}

/** Below 10^11 a number is seconds (10^11 s is the year 5138; 10^11 ms is 1973). */
function epochMs(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  return Math.round(value < 1e11 ? value * 1000 : value);
}

function firstValue(input: JsonValue, path: string): JsonValue | null {
  const values = query(input, path);
  return values.length > 0 ? (values[0] ?? null) : null;
}

// ---------------------------------------------------------------------------
// Cursor values

function maxCursorValue(spec: JsonSpec, mentions: MentionDraft[]): number | string | undefined {
  let top: number | string | undefined;
  for (const m of mentions) {
    const value = spec.cursor === 'published' ? (m.publishedAt ?? undefined) : spec.cursor === 'id' ? m.externalId : undefined;
    top = maxValue(top, value);
  }
  return top;
}

/** The larger of two cursor values: numbers and digit strings by value (ids may exceed 2^53), other strings by code unit. */
export function maxValue(a: number | string | undefined, b: number | string | undefined): number | string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  const sa = String(a);
  const sb = String(b);
  if (/^\d+$/.test(sa) && /^\d+$/.test(sb)) return BigInt(sa) >= BigInt(sb) ? a : b;
  return sa >= sb ? a : b;
}

function compact(cursor: JsonCursor): JsonCursor {
  const result: JsonCursor = {};
  if (cursor.mark !== undefined) result.mark = cursor.mark;
  if (cursor.top !== undefined) result.top = cursor.top;
  if (cursor.next !== undefined) result.next = cursor.next;
  return result;
}

function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

