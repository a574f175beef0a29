import { readFileSync, writeFileSync } from 'node:fs';
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
  server = await startReplayServer(FIXTURES, { '/down': (_req, res) => res.writeHead(503).end() });
});
afterAll(async () => {
  await server.close();
});

async function folder(sources: string): Promise<string> {
  const dir = tmp();
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  writeFileSync(
    join(dir, 'mentions.yml'),
    `database: mentions.db\ntopics:\n  - name: acme\n    query: 'acme OR акме'\nsources:\n${sources}`,
  );
  return dir;
}

const feed = (name: string, path: string, extra = '') => `  - name: ${name}\n    type: rss\n    url: ${server.url}${path}\n${extra}`;

interface SourceJson {
  name: string;
  state: string;
  consecutive_failures: number;
  error_count: number;
  last_error: string | null;
  mention_count: number;
  last_ok_at: string | null;
}

describe('mentions sources (built binary)', () => {
  it('lists sources with health: failing first with its error, counts per source, exit 1 while one fails', async () => {
    const dir = await folder(feed('news', '/feeds/news-rss2.xml') + feed('broken', '/down') + feed('later', '/feeds/rdf-blog.xml', '    enabled: false\n'));
    const before = await runCli(['sources', '--json'], { cwd: dir });
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as SourceJson[]).map((s) => [s.name, s.state])).toEqual([
      ['broken', 'never polled'],
      ['news', 'never polled'],
      ['later', 'disabled'],
    ]);

    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(1);
    const after = await runCli(['sources', '--json'], { cwd: dir });
    expect(after.code).toBe(1);
    const rows = JSON.parse(after.stdout) as SourceJson[];
    expect(rows[0]).toMatchObject({ name: 'broken', state: 'failing', consecutive_failures: 2, error_count: 2, mention_count: 0, last_ok_at: null });
    expect(rows[0]!.last_error).toMatch(/^HTTP 503 from 127\.0\.0\.1:\d+$/);
    const news = rows.find((r) => r.name === 'news')!;
    expect(news.state).toBe('ok');
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const stored = db.prepare("SELECT count(*) AS n FROM mentions m JOIN sources s ON s.id = m.source_id WHERE s.name = 'news'").get() as { n: number };
    db.close();
    expect(news.mention_count).toBe(stored.n);
    expect(news.mention_count).toBeGreaterThan(0);

    const table = await runCli(['sources'], { cwd: dir });
    expect(table.stdout).toMatch(/^SOURCE\s+TYPE\s+STATE/);
    expect(table.stdout).toMatch(/broken\s+rss\s+failing ×2/);
    expect(table.stdout).toMatch(/broken: HTTP 503 from 127\.0\.0\.1/);
    expect(table.stdout).not.toMatch(/\u001b\[/);
  });

  it('test shows what a pull would store and stores nothing; after a pull the same items show as already stored', async () => {
    const dir = await folder(feed('news', '/feeds/news-rss2.xml'));
    const first = await runCli(['sources', 'test', 'news', '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const preview = JSON.parse(first.stdout) as { status: number; items: Array<{ would_be: string; external_id: string; topics: string[] }> };
    expect(preview.status).toBe(200);
    const wouldStore = preview.items.filter((i) => i.would_be === 'stored');
    expect(wouldStore.length).toBeGreaterThan(0);
    expect(preview.items.some((i) => i.would_be === 'skipped')).toBe(true);
    for (const item of wouldStore) expect(item.topics).toEqual(['acme']);

    const db = () => new Database(join(dir, 'mentions.db'), { readonly: true });
    const count = (sql: string) => {
      const handle = db();
      const n = (handle.prepare(sql).get() as { n: number }).n;
      handle.close();
      return n;
    };
    expect(count('SELECT count(*) AS n FROM mentions')).toBe(0);
    expect(count('SELECT count(*) AS n FROM sources')).toBe(0);

    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    expect(count('SELECT count(*) AS n FROM mentions')).toBe(wouldStore.length);
    const again = await runCli(['sources', 'test', 'news', '--from-start', '--json'], { cwd: dir });
    const second = JSON.parse(again.stdout) as { items: Array<{ would_be: string; external_id: string }> };
    expect(second.items.filter((i) => i.would_be === 'duplicate').map((i) => i.external_id).sort()).toEqual(wouldStore.map((i) => i.external_id).sort());

    const text = await runCli(['sources', 'test', 'news', '--from-start'], { cwd: dir });
    expect(text.stdout).toMatch(/news \(rss\): HTTP 200, \d+ items on the first page\. Nothing was stored\./);
    expect(text.stdout).toContain('already stored');
  });

  it('test of a failing source exits 1 with the reason, and does not count a failure', async () => {
    const dir = await folder(feed('broken', '/down'));
    const res = await runCli(['sources', 'test', 'broken'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^mentions: broken: HTTP 503 from 127\.0\.0\.1:\d+\n$/);
    const list = JSON.parse((await runCli(['sources', '--json'], { cwd: dir })).stdout) as SourceJson[];
    expect(list).toMatchObject([{ name: 'broken', state: 'never polled', error_count: 0 }]);
    const unknown = await runCli(['sources', 'test', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown source "nope"; configured sources: broken/);
  });

  it('add prints a ready entry, --write appends it keeping the file valid, and refuses a duplicate name', async () => {
    const dir = await folder(feed('news', '/feeds/news-rss2.xml'));
    const printed = await runCli(['sources', 'add', 'vk', '--name', 'vk-acme', '--query', 'акме OR acme'], { cwd: dir });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe('  - name: vk-acme\n    type: vk\n    query: "акме OR acme"\n    token: ${VK_SERVICE_TOKEN}\n    interval: 15m\n');
    expect(printed.stderr).toContain('set VK_SERVICE_TOKEN');

    const written = await runCli(['sources', 'add', 'hackernews', '--name', 'hn', '--query', 'acme', '--write'], { cwd: dir });
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(join(dir, 'mentions.yml'), 'utf8')).toMatch(/- name: hn\n\s+type: hackernews\n\s+query: acme\n/);
    const list = JSON.parse((await runCli(['sources', '--json'], { cwd: dir })).stdout) as SourceJson[];
    expect(list.map((s) => s.name).sort()).toEqual(['hn', 'news']);

    const before = readFileSync(join(dir, 'mentions.yml'), 'utf8');
    const dup = await runCli(['sources', 'add', 'hackernews', '--name', 'hn', '--write'], { cwd: dir });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('a source named "hn" already exists');
    expect(readFileSync(join(dir, 'mentions.yml'), 'utf8')).toBe(before);

    const typo = await runCli(['sources', 'add', 'redit'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "reddit"?');
  });
});
