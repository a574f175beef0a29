import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.js';
import type { ReplayServer } from '../../src/replay/server.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer(FIXTURES, {
    '/broken/500': (_req, res) => res.writeHead(500).end(),
    '/broken/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in</body></html>'),
  });
});
afterAll(async () => {
  await server.close();
});

const TOPICS = `topics:
  - name: acme
    query: 'acme OR акме OR "acme mobile"'
    own_accounts: [AcmeSupport]
`;

function source(name: string, path: string, type = 'rss'): string {
  return `  - name: ${name}\n    type: ${type}\n    url: ${server.url}${path}\n`;
}

/** A folder where `mentions init` ran, with the config's sources replaced by ours. */
async function initFolder(sources: string[], extra = ''): Promise<string> {
  const dir = tmp();
  const init = await runCli(['init'], { cwd: dir });
  expect(init.code, init.stderr).toBe(0);
  writeFileSync(join(dir, 'mentions.yml'), `timezone: Europe/Moscow\ndatabase: mentions.db\n${extra}${TOPICS}sources:\n${sources.join('')}`);
  return dir;
}

interface QueueItem {
  id: number;
  source: string;
  external_id: string;
  url: string | null;
  text: string;
  title: string | null;
  sentiment: string;
  relevance: string;
  topics: string[];
  status: string;
}

async function queueJson(dir: string, ...args: string[]): Promise<QueueItem[]> {
  const res = await runCli(['queue', '--json', '--limit', '1000', ...args], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as QueueItem[];
}

describe('mentions (built binary)', () => {
  it('prints help that teaches, fast path without a database', async () => {
    const res = await runCli(['--help'], { cwd: tmp() });
    expect(res.code).toBe(0);
    for (const command of ['init', 'pull', 'queue', 'show', 'done', 'ignore', 'report', 'demo']) expect(res.stdout).toContain(command);
    expect(res.stdout).toContain('Exit codes');
    // The cached text the launcher prints is exactly what commander renders (`help` always asks commander).
    const rendered = await runCli(['help'], { cwd: tmp() });
    expect(rendered.code).toBe(0);
    expect(res.stdout).toBe(rendered.stdout);
  });

  it('exits 2 on an unknown command or flag, with a suggestion', async () => {
    const res = await runCli(['qeue'], { cwd: tmp() });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Did you mean queue\?/i);
    expect((await runCli(['queue', '--bogus'], { cwd: tmp() })).code).toBe(2);
  });

  it('init writes a commented config and a database in an empty folder', async () => {
    const dir = tmp();
    const res = await runCli(['init', '--json'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const created = JSON.parse(res.stdout) as { config: string; database: string };
    expect(created.config).toBe(join(dir, 'mentions.yml'));
    expect(readFileSync(created.config, 'utf8')).toMatch(/^#/m);
    expect(existsSync(created.database)).toBe(true);
    // a second init keeps the user's edits
    writeFileSync(created.config, `${readFileSync(created.config, 'utf8')}\n# my edit\n`);
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(created.config, 'utf8')).toContain('# my edit');
  });

  it('pulls matching feed items, stores them once, and a second pull adds no duplicates', async () => {
    const dir = await initFolder([source('alerts', '/feeds/google-alerts-acme.xml', 'google-alerts'), source('news', '/feeds/news-rss2.xml')]);
    const first = await runCli(['pull', '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as { totals: { new: number; failed: number; off_topic: number }; sources: Array<{ name: string; new: number }> };
    expect(summary.totals.failed).toBe(0);
    expect(summary.totals.new).toBeGreaterThan(0);
    expect(summary.totals.off_topic).toBeGreaterThan(0);
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const stored = (db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n;
    db.close();
    expect(stored).toBe(summary.totals.new);

    const queue = await queueJson(dir);
    expect(queue.length).toBeGreaterThan(0);
    for (const item of queue) {
      expect(item.relevance).toBe('relevant');
      expect(`${item.title ?? ''} ${item.text}`.toLowerCase()).toMatch(/acme|акме/);
      expect(item.topics).toEqual(['acme']);
    }
    // Google Alerts redirect links are unwrapped to the real article
    const alerts = queue.filter((q) => q.source === 'alerts');
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.url).not.toMatch(/google\.com\/url/);

    const second = await runCli(['pull', '--json'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as { totals: { new: number } }).totals.new).toBe(0);
    expect((await queueJson(dir)).map((q) => q.id)).toEqual(queue.map((q) => q.id));
    // the second pull asked with the stored ETag and got 304
    const conditional = server.requests.filter((r) => r.path === '/feeds/news-rss2.xml' && r.ifNoneMatch);
    expect(conditional.length).toBeGreaterThan(0);
  });

  it('decodes a windows-1251 Russian feed', async () => {
    const dir = await initFolder([source('ru', '/feeds/ru-news-cp1251.xml')]);
    const res = await runCli(['pull'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const queue = await queueJson(dir);
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.some((q) => /Акме/.test(`${q.title} ${q.text}`))).toBe(true);
    expect(queue.every((q) => !q.text.includes('\ufffd'))).toBe(true);
  });

  it('stores the healthy sources and exits 1 when one fails, naming it in one line', async () => {
    const dir = await initFolder([
      source('news', '/feeds/news-rss2.xml'),
      source('down', '/broken/500'),
      source('login-page', '/broken/html'),
      source('gone', '/feeds/missing.xml'),
    ]);
    const res = await runCli(['pull', '--json'], { cwd: dir, env: { MENTIONS_TEST: '1' } });
    expect(res.code).toBe(1);
    const summary = JSON.parse(res.stdout) as { sources: Array<{ name: string; ok: boolean; new: number; error: string | null }> };
    const byName = Object.fromEntries(summary.sources.map((s) => [s.name, s]));
    expect(byName['news']).toMatchObject({ ok: true });
    expect(byName['news']!.new).toBeGreaterThan(0);
    expect(byName['down']!.error).toMatch(/HTTP 500/);
    expect(byName['login-page']!.error).toMatch(/HTML page/);
    expect(byName['gone']!.error).toMatch(/HTTP 404/);
    expect(res.stderr).toMatch(/FAILED down: HTTP 500/);
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const failures = db.prepare('SELECT name, error_count FROM sources WHERE error_count > 0 ORDER BY name').all();
    db.close();
    expect(failures).toEqual([
      { name: 'down', error_count: 1 },
      { name: 'gone', error_count: 1 },
      { name: 'login-page', error_count: 1 },
    ]);
  });

  it('exits 2 naming file:line for a config typo', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mentions.yml'), 'timezone: UTC\ntopcs:\n  - name: acme\n    query: acme\n');
    const res = await runCli(['queue'], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${join(dir, 'mentions.yml')}:2`);
    expect(res.stderr).toContain('topcs');
  });

  it('exits 2 naming a missing token variable, and never prints its value elsewhere', async () => {
    const dir = await initFolder([`  - name: secret-feed\n    type: rss\n    url: ${server.url}/feeds/news-rss2.xml?key=\${FEED_KEY}\n`]);
    const missing = await runCli(['pull'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('FEED_KEY');
    const canary = 'canary-3f9a1c7e';
    const ok = await runCli(['pull', '--json'], { cwd: dir, env: { FEED_KEY: canary } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(canary);
    const dump = readFileSync(join(dir, 'mentions.db')).toString('latin1');
    expect(dump).not.toContain(canary);
  });

  it('show, done and ignore change status with an event row', async () => {
    const dir = await initFolder([source('news', '/feeds/news-rss2.xml')]);
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    const [first, second] = await queueJson(dir);
    const shown = await runCli(['show', String(first!.id), '--json'], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    const detail = JSON.parse(shown.stdout) as { id: number; evidence: unknown[]; rules_version: string };
    expect(detail.id).toBe(first!.id);
    expect(detail.rules_version).toBeTruthy();
    expect(detail.evidence.length).toBeGreaterThan(0);

    expect((await runCli(['done', String(first!.id), '--as', 'anna', '--note', 'answered by phone'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['ignore', String(second!.id), '--reason', 'duplicate'], { cwd: dir, env: { MENTIONS_AGENT: 'boris' } })).code).toBe(0);
    const remaining = (await queueJson(dir)).map((q) => q.id);
    expect(remaining).not.toContain(first!.id);
    expect(remaining).not.toContain(second!.id);
    const history = JSON.parse((await runCli(['show', String(first!.id), '--json'], { cwd: dir })).stdout) as {
      status: string;
      events: Array<{ actor: string; from: string; to: string; note: string }>;
    };
    expect(history.status).toBe('resolved');
    expect(history.events).toMatchObject([{ actor: 'anna', from: 'new', to: 'resolved', note: 'answered by phone' }]);
    const ignored = JSON.parse((await runCli(['show', String(second!.id), '--json'], { cwd: dir })).stdout) as {
      events: Array<{ actor: string; note: string }>;
    };
    expect(ignored.events[0]).toMatchObject({ actor: 'boris', note: 'duplicate' });
    expect((await runCli(['show', '999999'], { cwd: dir })).code).toBe(4);
    expect((await runCli(['show', 'abc'], { cwd: dir })).code).toBe(2);
  });

  it('queue --csv neutralises formulas and the table stays plain when piped', async () => {
    const dir = await initFolder([source('news', '/feeds/news-rss2.xml')]);
    await runCli(['pull', '-q'], { cwd: dir });
    const csv = await runCli(['queue', '--csv'], { cwd: dir });
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^id,source,/);
    const table = await runCli(['queue'], { cwd: dir });
    expect(table.stdout).toMatch(/^\s*ID\s+AGE\s+DUE/);
    expect(table.stdout).not.toMatch(/\u001b/);
  });

  it('report daily writes Markdown atomically and JSON with stable fields', async () => {
    const dir = await initFolder([source('alerts', '/feeds/google-alerts-acme.xml', 'google-alerts'), source('news', '/feeds/news-rss2.xml')]);
    await runCli(['pull', '-q'], { cwd: dir });
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const newest = (db.prepare('SELECT max(created_at) AS t FROM mentions').get() as { t: number }).t;
    db.close();
    const date = new Date(newest + 3 * 3600_000).toISOString().slice(0, 10); // Moscow is UTC+3
    const json = await runCli(['report', 'daily', '--date', date, '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as Record<string, unknown> & { mentions: number; responses: Record<string, unknown> };
    expect(report).toMatchObject({ date, timezone: 'Europe/Moscow' });
    expect(report.mentions).toBeGreaterThan(0);
    expect(Object.keys(report.responses)).toEqual(['answered', 'unanswered', 'response_rate', 'median_seconds', 'p90_seconds', 'mean_seconds', 'within_sla']);
    const md = await runCli(['report', 'daily', '--date', date, '--format', 'md', '--out', 'daily.md'], { cwd: dir });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toBe('');
    expect(readFileSync(join(dir, 'daily.md'), 'utf8')).toMatch(new RegExp(`^# Mentions: daily report for ${date}`));
    expect((await runCli(['report', 'daily', '--date', '2026-02-30'], { cwd: dir })).code).toBe(2);
  });

  it('says how to fix a missing database', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mentions.yml'), `database: nowhere/m.db\n${TOPICS}`);
    const res = await runCli(['queue'], { cwd: dir });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/mentions init/);
  });
});

describe('npm run demo', () => {
  it('runs init → pull → queue → report offline and exits 0', async () => {
    const res = await runCli(['demo', '--no-color'], { cwd: tmp() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('$ mentions pull');
    expect(res.stdout).toMatch(/ID\s+AGE\s+DUE/);
    expect(res.stdout).toMatch(/Daily report \d{4}-\d{2}-\d{2}/);
    expect(res.stdout).toMatch(/google-alerts-acme/);
  });
});
