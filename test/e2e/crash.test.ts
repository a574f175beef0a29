import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { useTestServer } from '../helpers/http-server.js';
import { useTmpDir } from '../helpers/tmp.js';

/**
 * kill -9 at random points of a pull, then a normal pull: nothing lost, nothing duplicated,
 * cursors as after an uninterrupted pull, and PRAGMA integrity_check ok. `npm test` runs a few
 * trials; `CRASH_TRIALS=20 npx vitest run test/e2e/crash.test.ts` runs the full 20 (README).
 */
const TRIALS = Number(process.env['CRASH_TRIALS'] ?? 4);
const SOURCES = 12;
const ITEMS = 40;

const tmp = useTmpDir();
const serve = useTestServer();

function feedXml(source: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const published = new Date(Date.UTC(2026, 10, 20, 8, 0) + (source * ITEMS + i) * 60_000).toUTCString();
    return `<item><title>Acme item ${source}-${i}</title><link>https://news.example/${source}/${i}</link><guid>s${source}-i${i}</guid><pubDate>${published}</pubDate><description>Acme ${i % 3 === 0 ? 'refund my money, still waiting' : 'works fine'} #${i}</description></item>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${source}</title><link>https://news.example/${source}</link><description>d</description>${items}</channel></rss>`;
}

interface Snapshot {
  mentions: string[];
  cursors: Record<string, string | null>;
  integrity: string;
}

function snapshot(dir: string): Snapshot {
  const db = new Database(join(dir, 'mentions.db'), { readonly: true });
  try {
    const mentions = (db.prepare('SELECT s.name AS source, m.external_id AS id FROM mentions m JOIN sources s ON s.id = m.source_id').all() as Array<{ source: string; id: string }>)
      .map((row) => `${row.source}/${row.id}`)
      .sort();
    const cursors = Object.fromEntries((db.prepare('SELECT name, cursor FROM sources').all() as Array<{ name: string; cursor: string | null }>).map((row) => [row.name, row.cursor]));
    return { mentions, cursors, integrity: db.pragma('integrity_check', { simple: true }) as string };
  } finally {
    db.close();
  }
}

function storedCount(dir: string): number {
  try {
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Starts a pull and kills it with SIGKILL at a random point: after `delayMs`, or (when `afterStored`
 * is given) as soon as that many mentions are stored, which lands it between two of the pull's
 * transactions or inside one, whatever the machine's speed.
 */
function pullKilled(dir: string, kill: { delayMs: number } | { afterStored: number }): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'pull', '--quiet'], { cwd: dir, env: { PATH: process.env['PATH'], HOME: dir, TZ: 'UTC' }, stdio: 'ignore' });
    let timer: NodeJS.Timeout;
    if ('delayMs' in kill) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    else {
      timer = setInterval(() => {
        if (storedCount(dir) >= kill.afterStored) child.kill('SIGKILL');
      }, 5);
    }
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('kill -9 during a pull', () => {
  it(`loses and duplicates nothing over ${TRIALS} random kills`, async () => {
    const feeds = Array.from({ length: SOURCES }, (_, s) => feedXml(s));
    const routes = Object.fromEntries(
      feeds.map((body, s) => [
        `/feed${s}.xml`,
        (_req: unknown, res: import('node:http').ServerResponse) => {
          // Uneven latency spreads the sources' transactions over the pull.
          setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml', etag: `"f${s}"` }).end(body), 40 + ((s * 37) % 160));
        },
      ]),
    );
    const server = await serve(routes);
    const config = `database: mentions.db\ntopics:\n  - name: acme\n    query: acme\nsources:\n${feeds.map((_, s) => `  - name: feed${s}\n    type: rss\n    url: ${server.url}/feed${s}.xml\n`).join('')}`;
    const makeFolder = async () => {
      const dir = tmp();
      expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, 'mentions.yml'), config);
      return dir;
    };

    const reference = await makeFolder();
    const whole = await runCli(['pull', '--quiet'], { cwd: reference });
    expect(whole.code, whole.stderr).toBe(0);
    const expected = snapshot(reference);
    expect(expected.mentions).toHaveLength(SOURCES * ITEMS);

    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await makeFolder();
      // Half the trials kill at a random time (start-up, fetching, storing), half once a random share is stored.
      const kill = trial % 2 === 0 ? { delayMs: 100 + Math.floor(Math.random() * 1500) } : { afterStored: 1 + Math.floor(Math.random() * (SOURCES * ITEMS - 1)) };
      const label = `trial ${trial} (${JSON.stringify(kill)})`;
      await pullKilled(dir, kill);
      const interrupted = snapshot(dir);
      expect(interrupted.integrity, label).toBe('ok');
      const resumed = await runCli(['pull', '--quiet'], { cwd: dir });
      expect(resumed.code, `${label}: ${resumed.stderr}`).toBe(0);
      const after = snapshot(dir);
      expect(after.integrity).toBe('ok');
      expect(after.mentions, label).toEqual(expected.mentions);
      expect(after.cursors, label).toEqual(expected.cursors);
    }
  }, 30_000 + TRIALS * 10_000);
});

describe('commands while a pull writes', () => {
  it('queue, respond and note succeed beside a pull storing page after page (WAL, busy timeout)', async () => {
    const feeds = Array.from({ length: SOURCES }, (_, s) => feedXml(s));
    const routes = Object.fromEntries(
      feeds.map((body, s) => [
        `/feed${s}.xml`,
        (_req: unknown, res: import('node:http').ServerResponse) => {
          setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), 30 + s * 40);
        },
      ]),
    );
    const server = await serve(routes);
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const feedsYaml = (from: number, to: number) =>
      feeds.slice(from, to).map((_, i) => `  - name: feed${from + i}\n    type: rss\n    url: ${server.url}/feed${from + i}.xml\n`).join('');
    // A first source stored beforehand gives the work commands something to act on.
    writeFileSync(join(dir, 'mentions.yml'), `database: mentions.db\ntopics:\n  - name: acme\n    query: acme\nsources:\n${feedsYaml(0, 1)}`);
    expect((await runCli(['pull', '--quiet'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'mentions.yml'), `database: mentions.db\ntopics:\n  - name: acme\n    query: acme\nsources:\n${feedsYaml(0, SOURCES)}`);
    const pull = runCli(['pull', '--quiet'], { cwd: dir });
    const results = [];
    for (let id = 1; id <= 6; id++) {
      results.push(
        ...(await Promise.all([
          runCli(['queue', '--json'], { cwd: dir }),
          runCli(['respond', String(id), '--as', 'anna'], { cwd: dir }),
          runCli(['note', String(id + 10), 'seen during the pull', '--as', 'boris'], { cwd: dir }),
        ])),
      );
    }
    const pulled = await pull;
    expect(pulled.code, pulled.stderr).toBe(0);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/locked|busy/i);
    }
    expect(snapshot(dir).mentions).toHaveLength(SOURCES * ITEMS);
  }, 60_000);
});
