import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { paceDelayMs, readRateLimit } from '../../src/http/rate-limit.js';
import { retryAfterSeconds } from '../../src/http/retry-after.js';
import { useTestServer } from '../helpers/http-server.js';

const serve = useTestServer();
const fast = { retryBaseMs: 10, headersTimeoutMs: 500, bodyTimeoutMs: 500, totalTimeoutMs: 5000 };

async function failureOf(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected the request to fail');
}

describe('HttpClient', () => {
  it('returns the body as bytes, decompressing gzip', async () => {
    const server = await serve({
      '/feed': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', etag: '"v1"' }).end(gzipSync('<rss/>')),
    });
    const client = new HttpClient(fast);
    const res = await client.fetch({ url: `${server.url}/feed` });
    expect(Buffer.from(res.body).toString()).toBe('<rss/>');
    expect(res.headers['etag']).toBe('"v1"');
    await client.close();
  });

  it('passes 304 through so the adapter keeps its cursor', async () => {
    const server = await serve({
      '/feed': (req, res) => res.writeHead(req.headers['if-none-match'] === '"v1"' ? 304 : 200).end(),
    });
    const client = new HttpClient(fast);
    const res = await client.fetch({ url: `${server.url}/feed`, headers: { 'if-none-match': '"v1"' } });
    expect(res.status).toBe(304);
    await client.close();
  });

  it('follows redirects and stops at a loop', async () => {
    const server = await serve({
      '/old': (_req, res) => res.writeHead(301, { location: '/new' }).end(),
      '/new': (_req, res) => res.writeHead(200).end('here'),
      '/a': (_req, res) => res.writeHead(302, { location: '/b' }).end(),
      '/b': (_req, res) => res.writeHead(302, { location: '/a' }).end(),
    });
    const client = new HttpClient(fast);
    const res = await client.fetch({ url: `${server.url}/old` });
    expect(res.url).toBe(`${server.url}/new`);
    expect(Buffer.from(res.body).toString()).toBe('here');
    const loop = await failureOf(client.fetch({ url: `${server.url}/a` }));
    expect(loop.kind).toBe('redirects');
    expect(loop.message).toMatch(/redirect loop/);
    await client.close();
  });

  it('retries a burst of 500s and succeeds', async () => {
    const server = await serve({
      '/flaky': (_req, res, hit) => (hit < 3 ? res.writeHead(500).end() : res.writeHead(200).end('ok')),
    });
    const client = new HttpClient(fast);
    const res = await client.fetch({ url: `${server.url}/flaky` });
    expect(Buffer.from(res.body).toString()).toBe('ok');
    expect(server.hits.get('/flaky')).toBe(3);
    await client.close();
  });

  it('honours Retry-After on 429, and gives up when it asks for too long', async () => {
    const server = await serve({
      '/limited': (_req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end('ok')),
      '/closed': (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end(),
    });
    const client = new HttpClient(fast);
    const started = Date.now();
    await client.fetch({ url: `${server.url}/limited` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const failure = await failureOf(client.fetch({ url: `${server.url}/closed` }));
    expect(failure.kind).toBe('rate-limited');
    expect(server.hits.get('/closed')).toBe(1);
    await client.close();
  });

  it('does not retry 401, and names the variable to check but not its value', async () => {
    const server = await serve({ '/api': (_req, res) => res.writeHead(401).end() });
    const client = new HttpClient(fast);
    const failure = await failureOf(client.fetch({ url: `${server.url}/api?token=s3cr3t`, authHint: 'the variable ACME_TOKEN' }));
    expect(failure.kind).toBe('auth');
    expect(failure.message).toBe(`HTTP 401 Unauthorized from ${new URL(server.url).host}: check the variable ACME_TOKEN`);
    expect(failure.message).not.toContain('s3cr3t');
    expect(server.hits.get('/api')).toBe(1);
    await client.close();
  });

  it('rejects a body over the cap, compressed or not', async () => {
    const big = Buffer.alloc(4096, 'a');
    const server = await serve({
      '/big': (_req, res) => res.writeHead(200).end(big),
      '/bomb': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(100_000, 'a'))),
    });
    const client = new HttpClient({ ...fast, maxBodyBytes: 2048 });
    expect((await failureOf(client.fetch({ url: `${server.url}/big` }))).kind).toBe('too-large');
    expect((await failureOf(client.fetch({ url: `${server.url}/bomb` }))).kind).toBe('too-large');
    await client.close();
  });

  it('reports invalid gzip, slow headers, a truncated body, refused connections and unknown hosts in one line each', async () => {
    const server = await serve({
      '/badgzip': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
      '/slow': (_req, res) => setTimeout(() => res.writeHead(200).end('late'), 2000),
      '/cut': (_req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial');
        setTimeout(() => res.destroy(), 20);
      },
    });
    const client = new HttpClient({ ...fast, retries: 0 });
    expect((await failureOf(client.fetch({ url: `${server.url}/badgzip` }))).kind).toBe('decode');
    expect((await failureOf(client.fetch({ url: `${server.url}/slow` }))).kind).toBe('timeout');
    expect((await failureOf(client.fetch({ url: `${server.url}/cut` }))).kind).toBe('network');
    expect((await failureOf(client.fetch({ url: 'http://127.0.0.1:9/' }))).kind).toBe('refused');
    const dns = await failureOf(client.fetch({ url: 'http://no-such-host.invalid/feed' }));
    expect(dns.kind).toBe('dns');
    expect(dns.message).toBe('cannot resolve host no-such-host.invalid (DNS lookup failed)');
    await client.close();
  });
});

describe('HttpClient pacing', () => {
  it('gives up on a body that stalls past the body timeout', async () => {
    const server = await serve({
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.write('<rss>');
        setTimeout(() => res.end('</rss>'), 1500);
      },
    });
    const client = new HttpClient({ ...fast, bodyTimeoutMs: 300, retries: 0 });
    const failure = await failureOf(client.fetch({ url: `${server.url}/trickle` }));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toMatch(/stopped sending/);
    await client.close();
  });

  it('names the tool in the User-Agent', async () => {
    let agent = '';
    const server = await serve({ '/ua': (req, res) => ((agent = req.headers['user-agent'] ?? ''), res.writeHead(200).end()) });
    const client = new HttpClient(fast);
    await client.fetch({ url: `${server.url}/ua` });
    expect(agent).toMatch(/^mentions\/\d/);
    await client.close();
  });

  it('holds every request to a host that answered 429, not just the one that got it', async () => {
    const arrivals: Array<{ path: string; at: number }> = [];
    const server = await serve({
      '/a': (_req, res, hit) => {
        arrivals.push({ path: '/a', at: Date.now() });
        if (hit === 1) res.writeHead(429, { 'retry-after': '1' }).end();
        else res.writeHead(200).end('a');
      },
      '/b': (_req, res) => {
        arrivals.push({ path: '/b', at: Date.now() });
        res.writeHead(200).end('b');
      },
    });
    const client = new HttpClient({ ...fast, perHostConcurrency: 2 });
    const first = client.fetch({ url: `${server.url}/a` });
    // /b is asked for after the 429 has come back, with a free slot for the host: only the hold can delay it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = client.fetch({ url: `${server.url}/b` });
    await Promise.all([first, second]);
    const throttledAt = arrivals[0]!.at;
    expect(arrivals[0]!.path).toBe('/a');
    expect(arrivals.find((a) => a.path === '/b')!.at - throttledAt).toBeGreaterThanOrEqual(900);
    await client.close();
  });

  it('slows down when the rate-limit headers say the allowance is used up', async () => {
    const arrivals: number[] = [];
    const server = await serve({
      // Reddit style: remaining as a float, reset in seconds from now.
      '/api': (_req, res) => {
        arrivals.push(Date.now());
        res.writeHead(200, { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-used': '100', 'x-ratelimit-reset': '1' }).end('{}');
      },
    });
    const client = new HttpClient(fast);
    await client.fetch({ url: `${server.url}/api` });
    await client.fetch({ url: `${server.url}/api` });
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(900);
    await client.close();
  });

  it('fails at once, without calling, while a host\'s window is closed for longer than it will wait', async () => {
    const server = await serve({
      // GitHub style: reset as epoch seconds an hour away.
      '/search': (_req, res) =>
        res
          .writeHead(200, { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) })
          .end('{}'),
    });
    const client = new HttpClient(fast);
    await client.fetch({ url: `${server.url}/search` });
    const failure = await failureOf(client.fetch({ url: `${server.url}/search` }));
    expect(failure.kind).toBe('rate-limited');
    expect(failure.message).toMatch(/^127\.0\.0\.1:\d+ is rate-limiting us for another \d+ s; try again later$/);
    expect(server.hits.get('/search')).toBe(1);
    await client.close();
  });

  it('keeps a per-request minimum interval between starts to one host (documented API rates)', async () => {
    const arrivals: number[] = [];
    const server = await serve({ '/m': (_req, res) => (arrivals.push(Date.now()), res.writeHead(200).end()) });
    const client = new HttpClient({ ...fast, perHostConcurrency: 3 });
    await Promise.all([1, 2, 3].map(() => client.fetch({ url: `${server.url}/m`, minIntervalMs: 200 })));
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(380);
    await client.close();
  });

  it('pauses a host on request (an API\'s own backoff field)', async () => {
    const arrivals: number[] = [];
    const server = await serve({ '/q': (_req, res) => (arrivals.push(Date.now()), res.writeHead(200).end()) });
    const client = new HttpClient(fast);
    await client.fetch({ url: `${server.url}/q` });
    client.pauseHost(`${server.url}/other`, 1);
    await client.fetch({ url: `${server.url}/q` });
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(900);
    await client.close();
  });
});

describe('readRateLimit', () => {
  const now = Date.UTC(2026, 10, 20, 12, 0, 0);
  it('reads Reddit (seconds to reset), GitHub (epoch seconds), Mastodon (ISO time) and IETF draft headers', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '996.0', 'x-ratelimit-reset': '498' }, now)).toEqual({ remaining: 996, limit: null, resetInMs: 498_000 });
    expect(readRateLimit({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '29', 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toEqual({
      remaining: 29,
      limit: 30,
      resetInMs: 60_000,
    });
    expect(readRateLimit({ 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-11-20T12:05:00.000Z' }, now)).toEqual({
      remaining: 0,
      limit: 300,
      resetInMs: 300_000,
    });
    expect(readRateLimit({ 'ratelimit-limit': '3000, 3000;w=300', 'ratelimit-remaining': '2999', 'ratelimit-reset': '300' }, now)).toEqual({
      remaining: 2999,
      limit: 3000,
      resetInMs: 300_000,
    });
    expect(readRateLimit({ 'x-ratelimit-remaining': '5' }, now)).toBeNull();
    expect(readRateLimit({ 'x-ratelimit-remaining': 'lots', 'x-ratelimit-reset': '5' }, now)).toBeNull();
  });

  it('waits nothing while plenty is left, spreads the last tenth, and waits out an empty window', () => {
    expect(paceDelayMs({ remaining: 500, limit: 1000, resetInMs: 60_000 })).toBe(0);
    expect(paceDelayMs({ remaining: 9, limit: 100, resetInMs: 60_000 })).toBe(6000);
    expect(paceDelayMs({ remaining: 0, limit: 100, resetInMs: 42_000 })).toBe(42_000);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 27, 0))).toBe(60);
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
