import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.js';
import type { ReplayServer } from '../../src/replay/server.js';
import { BIN, FIXTURES, runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let server: ReplayServer;
const hookBodies: string[] = [];
let hookUp = true;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = await startReplayServer(FIXTURES, {
    '/hook': (req, res) => {
      void readBody(req).then((text) => {
        if (!hookUp) return res.writeHead(503).end();
        hookBodies.push(text);
        res.writeHead(200).end('{}');
      });
    },
  });
});
afterAll(async () => {
  await server.close();
});

function folder(): string {
  const dir = tmp();
  writeFileSync(
    join(dir, 'mentions.yml'),
    `timezone: UTC
database: mentions.db
topics:
  - name: acme
    query: acme
sources:
  - name: news
    type: rss
    url: ${server.url}/feeds/news-rss2.xml
alerts:
  channels:
    - name: hook
      type: webhook
      url: \${HOOK_URL}
  rules:
    - name: every-acme
      channel: hook
      topics: [acme]
`,
  );
  return dir;
}

function env(dir: string): Record<string, string | undefined> {
  return { PATH: process.env['PATH'], HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, XDG_DATA_HOME: `${dir}/.local/share`, TZ: 'UTC', HOOK_URL: `${server.url}/hook` };
}

function counts(dir: string): { mentions: number; sent: number; pending: number } {
  const db = new Database(join(dir, 'mentions.db'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      mentions: one('SELECT count(*) AS n FROM mentions'),
      sent: one(`SELECT count(*) AS n FROM alerts WHERE state = 'sent'`),
      pending: one(`SELECT count(*) AS n FROM alerts WHERE state = 'pending'`),
    };
  } finally {
    db.close();
  }
}

describe('watch and pull --alert (built binary)', () => {
  it('watch --every 1s runs cycles, logs one line each, and exits 0 on SIGTERM with everything stored', async () => {
    const dir = folder();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    hookBodies.length = 0;
    const child = spawn(process.execPath, [BIN, 'watch', '--every', '1s'], { cwd: dir, env: env(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no second cycle within 30 s; stderr:\n${stderr}`)), 30_000);
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (/cycle 2;/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stderr.split('\n').filter((l) => / cycle \d+;/.test(l));
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z cycle 1; polled 1\/1 sources: \d+ new; alerts: \d+ queued, \d+ sent/);
    // The source's own 15m interval holds it back in the next cycles.
    expect(lines[1]).toMatch(/cycle 2; no source due; alerts: 0 queued, 0 sent/);
    expect(stderr).toContain('SIGTERM: stopping after the current cycle');
    const stored = counts(dir);
    expect(stored.mentions).toBeGreaterThan(0);
    expect(stored.sent).toBeGreaterThan(0);
    expect(stored.pending).toBe(0);
    expect(hookBodies).toHaveLength(stored.sent);
    expect(JSON.parse(hookBodies[0]!)).toMatchObject({ kind: 'mention', rule: 'every-acme', topics: ['acme'] });
  }, 60_000);

  it('pull --alert alerts once across processes, and keeps alerts for a channel that is down until it is back', async () => {
    const dir = folder();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    hookBodies.length = 0;
    hookUp = false;
    const down = await runCli(['pull', '--alert', '--quiet'], { cwd: dir, env: env(dir) });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/HTTP 503 from 127\.0\.0\.1:\d+; will retry/);
    const queued = counts(dir);
    expect(queued.sent).toBe(0);
    expect(queued.pending).toBeGreaterThan(0);

    hookUp = true;
    const list = await runCli(['alerts', '--state', 'pending', '--json'], { cwd: dir, env: env(dir) });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(queued.pending);
    // The failed row waits for its retry time; the untried ones go in this second process.
    const back = await runCli(['pull', '--alert', '--quiet'], { cwd: dir, env: env(dir) });
    expect(back.code, back.stderr).toBe(0);
    const after = counts(dir);
    expect(after.sent).toBe(queued.pending - 1);
    expect(after.pending).toBe(1);
    expect(new Set(hookBodies).size).toBe(hookBodies.length);
    const again = await runCli(['pull', '--alert', '--quiet'], { cwd: dir, env: env(dir) });
    expect(again.stderr).toMatch(/alerts: 0 queued, 0 sent, 1 pending/);
  }, 60_000);

  it('alerts test sends a test message, and names an unknown channel', async () => {
    const dir = folder();
    hookBodies.length = 0;
    const ok = await runCli(['alerts', 'test', 'hook'], { cwd: dir, env: env(dir) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(hookBodies[0]!)).toMatchObject({ kind: 'test', channel: 'hook' });
    const unknown = await runCli(['alerts', 'test', 'nope'], { cwd: dir, env: env(dir) });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown alert channel "nope"; channels: hook');
    const unset = await runCli(['alerts', 'test', 'hook'], { cwd: dir, env: { ...env(dir), HOOK_URL: undefined } });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/environment variable HOOK_URL is not set/);
  });
});
