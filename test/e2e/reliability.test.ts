import { createHash } from 'node:crypto';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { useTestServer } from '../helpers/http-server.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const serve = useTestServer();
const fixture = (path: string) => readFileSync(join(FIXTURES, path));

const TOPICS = `topics:\n  - name: acme\n    query: 'acme OR акме'\n`;

async function folder(sources: string, extra = ''): Promise<string> {
  const dir = tmp();
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  writeFileSync(join(dir, 'mentions.yml'), `database: mentions.db\n${extra}${TOPICS}sources:\n${sources}`);
  return dir;
}

const rss = (name: string, url: string, extra = '') => `  - name: ${name}\n    type: rss\n    url: ${url}\n${extra}`;

interface PullJson {
  sources: Array<{ name: string; ok: boolean; new: number; error: string | null }>;
}

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('network faults: each source fails alone, in one line, and its counters advance', () => {
  it('survives every fault in one pull and exits 1 (partial)', async () => {
    const news = fixture('feeds/news-rss2.xml');
    const hnPage = fixture('hackernews/search-page2.json');
    const canary = 'ghp_CANARY_4f1d2c9e7b';
    let bursts = 0;
    const server = await serve({
      '/good.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(news),
      '/burst.xml': (_req, res) => {
        bursts++;
        if (bursts <= 2) res.writeHead(500).end();
        else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(news);
      },
      '/slow-headers.xml': (_req, res) => setTimeout(() => res.writeHead(200).end(news), 4000),
      '/slow-body.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write(news.subarray(0, 100));
        setTimeout(() => res.end(), 4000);
      },
      '/truncated.xml': (_req, res) => {
        res.writeHead(200, { 'content-length': String(news.length) });
        res.write(news.subarray(0, 200));
        setTimeout(() => res.destroy(), 20);
      },
      '/bad-gzip.xml': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip'),
      '/huge.xml': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(12 * 1024 * 1024, 0x20))),
      '/loop-a.xml': (_req, res) => res.writeHead(302, { location: '/loop-b.xml' }).end(),
      '/loop-b.xml': (_req, res) => res.writeHead(302, { location: '/loop-a.xml' }).end(),
      '/not-found.xml': (_req, res) => res.writeHead(404).end(),
      '/limited.xml': (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end(),
      '/hn-bad-json/api/v1/search_by_date': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hits": [ {"objectID": '),
      '/hn-html/api/v1/search_by_date': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Checking your browser…</body></html>'),
      '/hn-good/api/v1/search_by_date': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(hnPage),
      '/gh401/search/issues': (_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end(fixture('github/error-bad-credentials.json')),
      '/gh403/search/issues': (_req, res) => res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Resource not accessible by integration"}'),
    });
    const u = server.url;
    const dir = await folder(
      [
        rss('good', `${u}/good.xml`),
        rss('burst', `${u}/burst.xml`),
        rss('slow-headers', `${u}/slow-headers.xml`, '    timeout: 1s\n'),
        rss('slow-body', `${u}/slow-body.xml`, '    timeout: 1s\n'),
        rss('truncated', `${u}/truncated.xml`),
        rss('bad-gzip', `${u}/bad-gzip.xml`),
        rss('huge', `${u}/huge.xml`),
        rss('loop', `${u}/loop-a.xml`),
        rss('not-found', `${u}/not-found.xml`),
        rss('limited', `${u}/limited.xml`),
        rss('refused', 'http://127.0.0.1:9/feed.xml'),
        rss('no-dns', 'http://no-such-host.invalid/feed.xml'),
        `  - name: hn-bad-json\n    type: hackernews\n    query: acme\n    url: ${u}/hn-bad-json\n`,
        `  - name: hn-html\n    type: hackernews\n    query: acme\n    url: ${u}/hn-html\n`,
        `  - name: hn-good\n    type: hackernews\n    query: acme\n    url: ${u}/hn-good\n`,
        `  - name: gh401\n    type: github\n    query: acme\n    url: ${u}/gh401\n    token: \${GH_TOKEN}\n`,
        `  - name: gh403\n    type: github\n    query: acme\n    url: ${u}/gh403\n    token: \${GH_TOKEN}\n`,
      ].join(''),
    );
    const env = { GH_TOKEN: canary };
    const first = await runCli(['pull', '--json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(1);
    const summary = JSON.parse(first.stdout) as PullJson;
    const byName = Object.fromEntries(summary.sources.map((s) => [s.name, s]));
    expect(byName['good']).toMatchObject({ ok: true });
    expect(byName['good']!.new).toBeGreaterThan(0);
    // Two 500s, then a 200: retried within the pull.
    expect(byName['burst']).toMatchObject({ ok: true, new: byName['good']!.new });
    expect(byName['hn-good']).toMatchObject({ ok: true });
    const reasons: Record<string, RegExp> = {
      'slow-headers': /timed out|timeout/i,
      'slow-body': /timed out|timeout|stalled/i,
      truncated: /connection|closed|network|truncated/i,
      'bad-gzip': /gzip|decompress|decode/i,
      huge: /too large|larger than|over/i,
      loop: /redirect loop/i,
      'not-found': /HTTP 404/,
      limited: /429|rate/i,
      refused: /refused/i,
      'no-dns': /cannot resolve host no-such-host\.invalid/,
      'hn-bad-json': /JSON/i,
      'hn-html': /HTML|JSON/i,
      gh401: /GH_TOKEN/,
      gh403: /GH_TOKEN|403/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      expect(byName[name], name).toMatchObject({ ok: false });
      expect(byName[name]!.error, name).toMatch(reason);
      expect(byName[name]!.error!.includes('\n'), name).toBe(false);
    }
    expect(first.stdout + first.stderr).not.toContain(canary);
    const failedLines = first.stderr.split('\n').filter((line) => line.includes('FAILED'));
    expect(failedLines).toHaveLength(Object.keys(reasons).length);

    const second = await runCli(['pull', '--json'], { cwd: dir, env });
    expect(second.code).toBe(1);
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const counters = db.prepare('SELECT name, consecutive_failures AS failures, error_count AS errors FROM sources ORDER BY name').all() as Array<{
      name: string;
      failures: number;
      errors: number;
    }>;
    const stored = db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number };
    const leaked = db.prepare("SELECT count(*) AS n FROM sources WHERE coalesce(last_error, '') || coalesce(cursor, '') || coalesce(target, '') LIKE ?").get(`%${canary}%`) as { n: number };
    db.close();
    for (const row of counters) {
      if (row.name in reasons) expect(row, row.name).toMatchObject({ failures: 2, errors: 2 });
      else expect(row, row.name).toMatchObject({ failures: 0, errors: 0 });
    }
    expect(stored.n).toBeGreaterThan(0);
    expect(leaked.n).toBe(0);
  }, 60_000);
});

describe('database care', () => {
  it('backs up a database in use, and the copy holds the same mentions', async () => {
    const dir = await folder('', '');
    const db = new Database(join(dir, 'mentions.db'));
    db.prepare("INSERT INTO sources (name, type, target, created_at) VALUES ('s', 'rss', 'x', 0)").run();
    const insert = db.prepare("INSERT INTO mentions (source_id, external_id, text, created_at, fetched_at) VALUES (1, ?, 'acme', 0, 0)");
    for (let i = 0; i < 50; i++) insert.run(`m${i}`);
    // Held open, as a running pull would.
    const backup = await runCli(['db', 'backup', 'copy.db', '--json'], { cwd: dir });
    db.close();
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ path: join(dir, 'copy.db') });
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n).toBe(50);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const check = await runCli(['db', 'check', '--json'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, integrity: ['ok'], mentions: 50, foreign_key_problems: 0 });
  });

  it('refuses a newer-schema database without touching it', async () => {
    const dir = await folder('');
    const path = join(dir, 'mentions.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = fileHash(path);
    for (const args of [['queue'], ['pull'], ['db', 'check']]) {
      const res = await runCli(args, { cwd: dir });
      expect(res.code, args.join(' ')).toBe(3);
      expect(res.stderr).toContain('has schema version 999, newer than this mentions');
      expect(res.stderr).not.toContain('internal error');
    }
    expect(fileHash(path)).toBe(before);
  });

  it('says a damaged file is damaged, with a hint to restore from backup', async () => {
    const dir = await folder('');
    const path = join(dir, 'mentions.db');
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.exec("CREATE TABLE filler (x TEXT); INSERT INTO filler SELECT hex(randomblob(500)) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 400) SELECT n FROM c);");
    db.close();
    const garbage = tmp();
    writeFileSync(join(garbage, 'mentions.db'), Buffer.alloc(8192, 0x41));
    const notADb = await runCli(['--db', join(garbage, 'mentions.db'), 'queue'], { cwd: dir });
    expect(notADb.code).toBe(3);
    expect(notADb.stderr).toMatch(/damaged or not a mentions database.*mentions db backup/);
    // Cut in the middle: the header is fine, pages are missing.
    truncateSync(path, 4096 * 5);
    const cut = await runCli(['db', 'check'], { cwd: dir });
    expect(cut.code).toBe(3);
    expect(cut.stderr + cut.stdout).toMatch(/damaged|integrity|restore/i);
    expect(cut.stderr).not.toContain('internal error');
  });
});

describe('one pull at a time', () => {
  it('a second pull exits 5 while one is running; a dead pull\'s lock is taken over', async () => {
    const news = fixture('feeds/news-rss2.xml');
    const server = await serve({ '/slow.xml': (_req, res) => setTimeout(() => res.writeHead(200).end(news), 1500) });
    const dir = await folder(rss('slow', `${server.url}/slow.xml`));
    const lock = join(dir, 'mentions.db.pull-lock');
    const running = runCli(['pull', '--json'], { cwd: dir });
    for (let i = 0; i < 100 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(lock)).toBe(true);
    const [second, queue] = await Promise.all([runCli(['pull'], { cwd: dir }), runCli(['queue', '--json'], { cwd: dir })]);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/another pull is running on this database \(pid \d+/);
    expect(queue.code, queue.stderr).toBe(0);
    const first = await running;
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);

    // A lock left by a process that no longer exists (kill -9) does not block.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: Date.now() - 60_000 }));
    const after = await runCli(['pull', '--json'], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 30_000);
});

describe('mentions doctor', () => {
  it('checks config, database and each source without printing tokens', async () => {
    const canary = 'tok_CANARY_93e1';
    const server = await serve({
      '/good.xml': (_req, res) => res.writeHead(200).end(fixture('feeds/news-rss2.xml')),
      '/gh401/search/issues': (_req, res) => res.writeHead(401).end(fixture('github/error-bad-credentials.json')),
    });
    const dir = await folder(
      [
        rss('news', `${server.url}/good.xml`),
        `  - name: gh\n    type: github\n    query: acme\n    url: ${server.url}/gh401\n    token: \${GH_TOKEN}\n`,
        `  - name: vk\n    type: vk\n    query: acme\n    token: \${VK_TOKEN}\n`,
      ].join(''),
    );
    const res = await runCli(['doctor', '--json'], { cwd: dir, env: { GH_TOKEN: canary } });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { ok: boolean; checks: Array<{ check: string; status: string; detail: string }> };
    const byCheck = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(report.ok).toBe(false);
    expect(byCheck['config']!.status).toBe('ok');
    expect(byCheck['database']!.status).toBe('ok');
    expect(byCheck['source news']).toMatchObject({ status: 'ok' });
    expect(byCheck['source news']!.detail).toMatch(/reachable, HTTP 200/);
    expect(byCheck['source gh']).toMatchObject({ status: 'fail' });
    expect(byCheck['source gh']!.detail).toContain('GH_TOKEN');
    expect(byCheck['source vk']).toMatchObject({ status: 'fail', detail: 'vk: environment variable not set: VK_TOKEN' });
    expect(res.stdout + res.stderr).not.toContain(canary);
    const offline = await runCli(['doctor', '--offline'], { cwd: dir, env: { GH_TOKEN: canary, VK_TOKEN: canary } });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/skip\s+source gh\s+github: not fetched \(--offline\); GH_TOKEN set/);
    expect(offline.stdout).not.toContain(canary);
  });
});
