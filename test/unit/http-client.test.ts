import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
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

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 27, 0))).toBe(60);
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
