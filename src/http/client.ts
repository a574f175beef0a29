import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import PQueue from 'p-queue';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { HttpError, isTransient, networkError, statusError } from './errors.js';
import { paceDelayMs, readRateLimit } from './rate-limit.js';
import { retryAfterSeconds } from './retry-after.js';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Named in 401/403 messages so the user knows which variable to check (never its value). */
  authHint?: string | null;
  /** Least time between the starts of two requests to this host, ms (an API's documented rate). */
  minIntervalMs?: number;
  /** This request's wait for headers and longest body silence, ms; default the client's. */
  timeoutMs?: number;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HttpClientOptions {
  userAgent: string;
  /** Time to wait for response headers, ms. */
  headersTimeoutMs: number;
  /** Longest silence while reading the body, ms. */
  bodyTimeoutMs: number;
  /** Whole request including retries' waits is abandoned after this, ms. */
  totalTimeoutMs: number;
  /** Largest body accepted, bytes, before and after decompression. */
  maxBodyBytes: number;
  maxRedirects: number;
  /** Retries after the first attempt, for transient failures only. */
  retries: number;
  /** First backoff step, ms; doubles each retry, with jitter. */
  retryBaseMs: number;
  /** A Retry-After longer than this fails the request instead of stalling the pull, seconds. */
  maxRetryAfterSeconds: number;
  /** Requests in flight to one host at a time. */
  perHostConcurrency: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpClientOptions = {
  userAgent: 'mentions/0.1 (+brand-mention monitor; command line)',
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  totalTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBaseMs: 500,
  maxRetryAfterSeconds: 60,
  perHostConcurrency: 2,
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Enough of an error body for an API's JSON explanation; the rest is discarded unread. */
const ERROR_BODY_BYTES = 16 * 1024;
const decompressors: Record<string, (buf: Buffer, opts: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip) as never,
  'x-gzip': promisify(gunzip) as never,
  deflate: promisify(inflate) as never,
  br: promisify(brotliDecompress) as never,
};
const inflateRawAsync = promisify(inflateRaw) as (buf: Buffer, opts: { maxOutputLength: number }) => Promise<Buffer>;

/**
 * The one HTTP client every source goes through: timeouts, a size cap,
 * decompression, redirects with loop detection, retries with backoff that
 * honour Retry-After, and a queue per host so one slow or rate-limited
 * server never holds up the others.
 */
export class HttpClient {
  private readonly options: HttpClientOptions;
  private readonly dispatcher: Dispatcher;
  private readonly hostQueues = new Map<string, PQueue>();
  /** Per host: no request starts before this instant (rate-limit headers, 429, API backoff, pacing). */
  private readonly hostNotBefore = new Map<string, number>();

  constructor(options: Partial<HttpClientOptions> = {}) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...options };
    this.dispatcher = new Agent({
      headersTimeout: this.options.headersTimeoutMs,
      bodyTimeout: this.options.bodyTimeoutMs,
      connectTimeout: this.options.headersTimeoutMs,
    });
  }

  async fetch(req: HttpRequest): Promise<HttpResponse> {
    const host = hostOf(req.url);
    const queue = this.queueFor(host);
    return queue.add(() => this.fetchWithRetries(req, host)) as Promise<HttpResponse>;
  }

  /**
   * Holds every later request to the host of `url` for `seconds` (an API's own
   * backoff instruction, e.g. Stack Exchange's `backoff` field).
   */
  pauseHost(url: string, seconds: number): void {
    this.holdHost(hostOf(url), Date.now() + seconds * 1000);
  }

  private holdHost(host: string, until: number): void {
    if (until > (this.hostNotBefore.get(host) ?? 0)) this.hostNotBefore.set(host, until);
  }

  /**
   * Waits for this host's turn. The slot is reserved before sleeping, so
   * concurrent requests to one host queue up behind each other at the set pace.
   */
  private async waitForTurn(host: string, minIntervalMs: number): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.hostNotBefore.get(host) ?? 0);
    if (minIntervalMs > 0) this.hostNotBefore.set(host, start + minIntervalMs);
    const waitMs = start - now;
    if (waitMs > this.options.maxRetryAfterSeconds * 1000) {
      throw new HttpError('rate-limited', `${host} is rate-limiting us for another ${Math.ceil(waitMs / 1000)} s; try again later`, host, 429);
    }
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Slows down before the server refuses, from the rate-limit headers it sent. */
  private noteRateLimit(host: string, headers: Record<string, string>): void {
    const state = readRateLimit(headers);
    if (!state) return;
    const delay = paceDelayMs(state);
    if (delay > 0) this.holdHost(host, Date.now() + delay);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private queueFor(host: string): PQueue {
    let queue = this.hostQueues.get(host);
    if (!queue) {
      queue = new PQueue({ concurrency: this.options.perHostConcurrency });
      this.hostQueues.set(host, queue);
    }
    return queue;
  }

  private async fetchWithRetries(req: HttpRequest, host: string): Promise<HttpResponse> {
    const deadline = Date.now() + this.options.totalTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.waitForTurn(host, req.minIntervalMs ?? 0);
        return await this.fetchFollowingRedirects(req, deadline);
      } catch (err) {
        const failure = err instanceof HttpError ? err : networkError(err, host);
        if (!isTransient(failure) || attempt >= this.options.retries) throw failure;
        const waitMs = this.backoffMs(attempt, failure);
        if (waitMs === null || Date.now() + waitMs > deadline) throw failure;
        // A 429, or a 503 with Retry-After, speaks for the whole host: other requests to it wait too.
        const hostWide = failure.kind === 'rate-limited' || failure.retryAfter !== null;
        if (hostWide) this.holdHost(host, Date.now() + waitMs);
        else await sleep(waitMs);
      }
    }
  }

  private backoffMs(attempt: number, failure: HttpError): number | null {
    if (failure.retryAfter !== null) {
      return failure.retryAfter > this.options.maxRetryAfterSeconds ? null : failure.retryAfter * 1000;
    }
    const base = this.options.retryBaseMs * 2 ** attempt;
    return base + Math.random() * base * 0.5;
  }

  private async fetchFollowingRedirects(req: HttpRequest, deadline: number): Promise<HttpResponse> {
    let url = req.url;
    const visited = new Set<string>();
    for (let hop = 0; ; hop++) {
      const host = hostOf(url);
      visited.add(url);
      const res = await this.fetchOnce({ ...req, url }, host, deadline);
      if (!REDIRECT_STATUSES.has(res.status)) return res;
      const location = res.headers['location'];
      if (!location) throw new HttpError('status', `HTTP ${res.status} redirect from ${host} without a Location`, host, res.status);
      const next = new URL(location, url).toString();
      if (!/^https?:/i.test(next)) throw new HttpError('redirects', `${host} redirected to a non-HTTP URL`, host);
      if (visited.has(next)) throw new HttpError('redirects', `redirect loop at ${host}`, host);
      if (hop + 1 > this.options.maxRedirects) {
        throw new HttpError('redirects', `more than ${this.options.maxRedirects} redirects starting at ${hostOf(req.url)}`, host);
      }
      url = next;
    }
  }

  private async fetchOnce(req: HttpRequest, host: string, deadline: number): Promise<HttpResponse> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, {
        method: req.method ?? 'GET',
        headers: { 'user-agent': this.options.userAgent, 'accept-encoding': 'gzip, deflate, br', ...req.headers },
        body: req.body,
        dispatcher: this.dispatcher,
        ...(req.timeoutMs !== undefined ? { headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs } : {}),
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
    } catch (err) {
      throw networkError(err, host);
    }
    const headers = flattenHeaders(res.headers);
    this.noteRateLimit(host, headers);
    if (REDIRECT_STATUSES.has(res.statusCode) || res.statusCode === 304) {
      await res.body.dump();
      return { url: req.url, status: res.statusCode, headers, body: new Uint8Array() };
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const failure = statusError(res.statusCode, host, req.authHint ?? null, retryAfterSeconds(headers['retry-after']));
      failure.response = { headers, body: await this.readErrorBody(res.body, headers['content-encoding']) };
      throw failure;
    }
    const raw = await this.readCapped(res.body, host);
    const body = await this.decompress(raw, headers['content-encoding'], host);
    return { url: req.url, status: res.statusCode, headers, body };
  }

  /** The first bytes of an error body, decompressed; empty when unreadable (the status says enough). */
  private async readErrorBody(body: Dispatcher.ResponseData['body'], encoding: string | undefined): Promise<Uint8Array> {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= ERROR_BODY_BYTES) break;
      }
      body.destroy();
      const raw = Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES);
      const coding = (encoding ?? '').trim().toLowerCase();
      if (coding === '' || coding === 'identity') return raw;
      const decode = decompressors[coding];
      return decode ? await decode(raw, { maxOutputLength: ERROR_BODY_BYTES * 4 }) : new Uint8Array();
    } catch {
      return new Uint8Array();
    }
  }

  private async readCapped(body: Dispatcher.ResponseData['body'], host: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > this.options.maxBodyBytes) {
          body.destroy();
          throw new HttpError('too-large', `response from ${host} is larger than ${formatBytes(this.options.maxBodyBytes)}`, host);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw networkError(err, host);
    }
    return Buffer.concat(chunks, size);
  }

  private async decompress(raw: Buffer, encoding: string | undefined, host: string): Promise<Uint8Array> {
    const coding = (encoding ?? '').trim().toLowerCase();
    if (coding === '' || coding === 'identity') return raw;
    const decode = decompressors[coding];
    if (!decode) throw new HttpError('decode', `${host} sent an unsupported content-encoding "${coding}"`, host);
    const limit = { maxOutputLength: this.options.maxBodyBytes };
    try {
      return await decode(raw, limit);
    } catch (err) {
      // Some servers send raw DEFLATE without the zlib wrapper under "deflate".
      if (coding === 'deflate') {
        try {
          return await inflateRawAsync(raw, limit);
        } catch {
          /* fall through to the error below */
        }
      }
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new HttpError('too-large', `response from ${host} is larger than ${formatBytes(this.options.maxBodyBytes)} once decompressed`, host);
      }
      throw new HttpError('decode', `response from ${host} is not valid ${coding} data`, host);
    }
  }
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
