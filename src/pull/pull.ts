import type { CompiledTopic } from '../classify/index.js';
import { classifyMention, compileTopics } from '../classify/index.js';
import { COPY_CAMPAIGN, textFingerprint } from '../classify/fingerprint.js';
import type { Classification } from '../classify/types.js';
import { listEnvRefs, resolveEnvRefs } from '../config/env.js';
import type { MentionsConfig, SourceConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import { acquirePullLock } from '../store/pull-lock.js';
import { indexPendingMentions } from '../store/search.js';
import { HttpClient } from '../http/client.js';
import type { HttpClientOptions } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { loadAdapter } from '../sources/catalog.js';
import type { MentionDraft, RequestSpec, SourceAdapter, SourceCursor, SourceSettings } from '../sources/types.js';
import { SourceApiError, SourceFormatError } from '../sources/types.js';
import type { Db } from '../store/db.js';
import { storePage } from '../store/mentions.js';
import { detectReplies } from '../store/replies.js';
import { recordSourceFailure, upsertSource } from '../store/sources.js';

export interface SourcePullResult {
  name: string;
  type: string;
  ok: boolean;
  /** Items the source returned. */
  fetched: number;
  /** Newly stored mentions. */
  new: number;
  /** Items already stored before. */
  duplicates: number;
  /** Items that matched no topic, and were not stored. */
  unmatched: number;
  pages: number;
  notModified: boolean;
  newNegative: number;
  newUrgent: number;
  error: string | null;
  warnings: string[];
  durationMs: number;
}

export interface PullSummary {
  startedAt: number;
  finishedAt: number;
  sources: SourcePullResult[];
  totals: { fetched: number; new: number; duplicates: number; unmatched: number; failed: number; newNegative: number; newUrgent: number };
}

export type PullEvent =
  | { kind: 'start'; source: string }
  | { kind: 'page'; source: string; page: number; fetched: number; new: number }
  | { kind: 'done'; result: SourcePullResult };

export interface PullOptions {
  db: Db;
  config: MentionsConfig;
  /** Only these sources (by name); default all enabled ones. */
  only?: string[];
  env: Record<string, string | undefined>;
  now?: () => number;
  /** Sources polled at once; hosts are further limited by the HTTP client. */
  concurrency?: number;
  http?: Partial<HttpClientOptions>;
  onEvent?: (event: PullEvent) => void;
}

export interface PreparedSource {
  config: SourceConfig;
  settings: SourceSettings;
  adapter: SourceAdapter;
  authHint: string | null;
}

/**
 * One pull: every selected source is fetched page by page, each page's items
 * are matched to topics and classified, then stored together with the
 * advanced cursor in one transaction. A failing source fails alone.
 */
export async function pullSources(options: PullOptions): Promise<PullSummary> {
  const now = options.now ?? Date.now;
  const prepared = await prepareSources(options.config, options.only, options.env);
  const topics = compileTopics(options.config.topics);
  const startedAt = now();
  // Throws PullBusyError (exit 5) while another pull holds this database.
  const lock = acquirePullLock(options.db.name, startedAt);
  const http = new HttpClient(options.http);
  const { default: PQueue } = await import('p-queue');
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  try {
    const results = await Promise.all(
      prepared.map((source) => queue.add(() => pullOneSource(source, topics, http, options, now)) as Promise<SourcePullResult>),
    );
    return summarise(results, startedAt, now());
  } finally {
    await http.close();
    try {
      // What the pull stored becomes searchable in one statement (migration 9).
      indexPendingMentions(options.db);
    } catch {
      // The mentions are stored; the next pull, import or search indexes them.
    }
    lock.release();
  }
}

/**
 * What identifies a source's stream in the store: the URL or query as written
 * in the config, so a token substituted from the environment never reaches the
 * database. When it changes, the stored cursor no longer applies.
 */
export function storedTarget(source: SourceConfig): string | null {
  const base = source.url ?? source.query ?? null;
  // Options such as a subreddit or a site change the stream too; written with sorted keys so order does not matter.
  return Object.keys(source.options).length === 0 ? base : `${base ?? ''} ${stableJson(source.options)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Checks everything that is a config problem before any request goes out, so
 * a missing token variable is exit 2 with a clear message, not a half pull.
 */
export async function prepareSources(
  config: MentionsConfig,
  only: string[] | undefined,
  env: Record<string, string | undefined>,
): Promise<PreparedSource[]> {
  let selected = config.sources;
  if (only && only.length > 0) {
    const known = new Set(config.sources.map((s) => s.name));
    const unknown = only.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      const names = config.sources.map((s) => s.name).join(', ') || '(none configured)';
      throw new ConfigError(`unknown source ${unknown.map((n) => `"${n}"`).join(', ')}; configured sources: ${names}`, config.file);
    }
    selected = config.sources.filter((s) => only.includes(s.name));
  } else {
    selected = config.sources.filter((s) => s.enabled);
  }
  const prepared: PreparedSource[] = [];
  for (const source of selected) {
    const adapter = await loadAdapter(source.type);
    if (!adapter) throw new ConfigError(`${source.location}: sources: unknown type "${source.type}"`, config.file);
    const raw = { url: source.url, query: source.query, options: source.options };
    const resolved = resolveEnvRefs(raw, env, `${source.location}: sources "${source.name}"`) as typeof raw;
    const refs = listEnvRefs(raw);
    const settings: SourceSettings = { name: source.name, type: source.type, url: resolved.url, query: resolved.query, options: resolved.options };
    // Adapters report problems by field, never echoing values: those may now hold secrets.
    const problems = adapter.checkSettings?.(settings) ?? [];
    if (problems.length > 0) {
      throw new ConfigError(problems.map((p) => `${source.location}: sources "${source.name}": ${p}`).join('\n'), config.file);
    }
    prepared.push({
      config: source,
      adapter,
      authHint: refs.length > 0 ? `the variable${refs.length > 1 ? 's' : ''} ${refs.join(', ')}` : null,
      settings,
    });
  }
  return prepared;
}

async function pullOneSource(
  source: PreparedSource,
  topics: CompiledTopic[],
  http: HttpClient,
  options: PullOptions,
  now: () => number,
): Promise<SourcePullResult> {
  const started = now();
  const { db } = options;
  const result: SourcePullResult = {
    name: source.config.name,
    type: source.config.type,
    ok: true,
    fetched: 0,
    new: 0,
    duplicates: 0,
    unmatched: 0,
    pages: 0,
    notModified: false,
    newNegative: 0,
    newUrgent: 0,
    error: null,
    warnings: [],
    durationMs: 0,
  };
  options.onEvent?.({ kind: 'start', source: result.name });
  const row = upsertSource(db, { name: source.config.name, type: source.config.type, target: storedTarget(source.config) }, now());
  let cursor = row.cursor as SourceCursor | null;
  let request: RequestSpec | null = source.adapter.firstRequest(source.settings, cursor);
  try {
    const fetchPage = await sourceFetcher(source, http);
    while (request && result.pages < source.config.maxPages) {
      const page = await fetchPage(request, cursor);
      const response = page.response;
      result.pages++;
      if (response.status === 304) result.notModified = true;
      result.fetched += page.itemsSeen;
      result.warnings.push(...page.warnings);
      const items = classifyPage(page.mentions, topics, result, { name: source.config.name, type: source.config.type });
      // Replies by own accounts answer stored mentions in the same transaction as the page.
      const stored = db
        .transaction(() => {
          const inserted = storePage(db, row.id, items, page.cursor, now(), COPY_CAMPAIGN);
          detectReplies(db, row.id, inserted.insertedIds, now());
          return inserted;
        })
        .immediate();
      result.new += stored.inserted;
      result.duplicates += stored.duplicates;
      countNewAlerts(items, stored.insertedIndexes, result);
      cursor = page.cursor;
      request = page.next;
      if (page.backoffSeconds && request) http.pauseHost(request.url, page.backoffSeconds);
      options.onEvent?.({ kind: 'page', source: result.name, page: result.pages, fetched: result.fetched, new: result.new });
    }
  } catch (err) {
    result.ok = false;
    result.error = describeFailure(err);
    recordSourceFailure(db, row.id, result.error, now());
  }
  result.durationMs = now() - started;
  options.onEvent?.({ kind: 'done', result });
  return result;
}

/** Retries of one page the API itself reported as throttled (VK error 6, Telegram 429 in the body). */
const API_THROTTLE_RETRIES = 2;
const API_THROTTLE_MAX_WAIT_SECONDS = 60;

/**
 * Logs in once if the source needs it, then returns a function that fetches
 * and parses one page with the session's headers, the adapter's pace, and
 * retries for throttling the API reports in its body.
 */
export async function sourceFetcher(source: PreparedSource, http: HttpClient) {
  const { adapter, settings } = source;
  const minIntervalMs = adapter.rateLimit ? Math.ceil(adapter.rateLimit.perMs / adapter.rateLimit.requests) : 0;
  const timeoutMs = source.config.timeoutSeconds !== undefined ? source.config.timeoutSeconds * 1000 : undefined;
  let sessionHeaders: Record<string, string> = {};
  if (adapter.login) {
    const loginRequest = adapter.login.request(settings);
    const response = await http.fetch({ ...loginRequest, authHint: source.authHint, minIntervalMs, timeoutMs });
    sessionHeaders = adapter.login.parse(settings, response).headers;
  }
  const fetchExplained = async (request: RequestSpec) => {
    try {
      return await http.fetch({ ...request, headers: { ...sessionHeaders, ...request.headers }, authHint: source.authHint, minIntervalMs, timeoutMs });
    } catch (err) {
      if (!(err instanceof HttpError) || !err.response || !adapter.explainError || err.status === null) throw err;
      const explained = adapter.explainError(settings, { url: request.url, status: err.status, ...err.response });
      throw explained ?? err;
    }
  };
  return async (request: RequestSpec, cursor: SourceCursor | null) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchExplained(request);
      try {
        return { ...adapter.parsePage(settings, response, cursor), response };
      } catch (err) {
        const wait = err instanceof SourceApiError ? err.details.retryAfterSeconds : null;
        if (wait === null || wait === undefined || attempt >= API_THROTTLE_RETRIES || wait > API_THROTTLE_MAX_WAIT_SECONDS) throw err;
        http.pauseHost(request.url, wait);
      }
    }
  };
}

export function classifyPage(
  mentions: MentionDraft[],
  topics: CompiledTopic[],
  result: SourcePullResult,
  source?: { name: string; type: string },
): Array<{ mention: MentionDraft; classification: Classification; fingerprint: string }> {
  const items: Array<{ mention: MentionDraft; classification: Classification; fingerprint: string }> = [];
  for (const mention of mentions) {
    const classification = classifyMention(mention, topics, { source });
    if (!classification) {
      result.unmatched++;
      continue;
    }
    // The same text as classified (title and body), so reposts group by what people read.
    items.push({ mention, classification, fingerprint: textFingerprint(mention.title ? `${mention.title}\n${mention.text}` : mention.text) });
  }
  return items;
}

/** New negatives and urgent ones among the items this page really inserted (not the duplicates). */
function countNewAlerts(
  items: ReadonlyArray<{ classification: Classification }>,
  insertedIndexes: readonly number[],
  result: SourcePullResult,
): void {
  for (const index of insertedIndexes) {
    const { classification } = items[index]!;
    if (classification.relevance !== 'relevant') continue;
    if (classification.sentiment === 'negative') result.newNegative++;
    if (classification.tags.includes('urgent')) result.newUrgent++;
  }
}

export function describeFailure(err: unknown): string {
  if (err instanceof SourceApiError && err.details.auth) {
    return `${err.message} (check the credentials in this source's config and environment)`;
  }
  if (err instanceof HttpError || err instanceof SourceFormatError || err instanceof SourceApiError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function summarise(results: SourcePullResult[], startedAt: number, finishedAt: number): PullSummary {
  const totals = { fetched: 0, new: 0, duplicates: 0, unmatched: 0, failed: 0, newNegative: 0, newUrgent: 0 };
  for (const r of results) {
    totals.fetched += r.fetched;
    totals.new += r.new;
    totals.duplicates += r.duplicates;
    totals.unmatched += r.unmatched;
    totals.newNegative += r.newNegative;
    totals.newUrgent += r.newUrgent;
    if (!r.ok) totals.failed++;
  }
  return { startedAt, finishedAt, sources: results, totals };
}
