import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { MentionsConfig } from '../../src/config/types.js';
import { runAlertCycle } from '../../src/pull/alerts.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { listAlerts } from '../../src/store/alerts.js';
import { openDatabase } from '../../src/store/db.js';
import type { Db } from '../../src/store/db.js';
import { storePage } from '../../src/store/mentions.js';
import type { NewClassification, NewMention } from '../../src/store/mentions.js';
import { upsertSource } from '../../src/store/sources.js';
import { useTestServer } from '../helpers/http-server.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const serve = useTestServer();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const NOW = Date.UTC(2026, 10, 20, 12, 0);
const MIN = 60_000;
const FAST_HTTP = { retryBaseMs: 10, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, totalTimeoutMs: 5000 };

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

function config(alerts: string, dir: string): MentionsConfig {
  return parseConfigText(
    `timezone: UTC
sla:
  default: 30m
topics:
  - name: acme
    query: acme
alerts:
${alerts}`,
    join(dir, 'mentions.yml'),
    { knownSourceTypes: SOURCE_TYPES, env: {} },
  );
}

function database(dir: string): Db {
  const db = openDatabase(join(dir, 'mentions.db'), { create: true });
  open.push(db);
  return db;
}

let externalId = 0;
/** Stores one classified mention as a pull would; returns its id. */
function storeMention(db: Db, at: number, fields: Partial<NewMention> = {}, classification: Partial<NewClassification> = {}): number {
  const source = upsertSource(db, { name: 'news', type: 'rss', target: null }, at);
  const result = storePage(
    db,
    source.id,
    [
      {
        mention: {
          externalId: `item-${++externalId}`,
          url: 'https://news.example/post?a=1&b=2',
          author: 'Eve <script>',
          authorUrl: null,
          authorReach: 5000,
          title: null,
          text: 'Acme <b>lost</b> my order & nobody answers',
          lang: 'en',
          publishedAt: at,
          parentId: null,
          threadId: null,
          ...fields,
        },
        classification: {
          topics: ['acme'],
          relevance: 'relevant',
          sentiment: 'negative',
          sentimentScore: -0.6,
          tags: ['complaint', 'urgent'],
          priority: 5,
          lang: 'en',
          evidence: [],
          rulesVersion: 'test',
          ...classification,
        },
      },
    ],
    {},
    at,
  );
  return result.insertedIds[0]!;
}

describe('alert delivery against local Slack, Telegram and webhook servers', () => {
  it('sends escaped, truncated messages with the link and SLA time left to each channel', async () => {
    const received: Record<string, { path: string; body: string }[]> = { slack: [], telegram: [], webhook: [] };
    const server = await serve({
      '/slack/T1/B1/x': async (req, res) => {
        received['slack']!.push({ path: req.url!, body: await body(req) });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      },
      '/bot123:SECRET/sendMessage': async (req, res) => {
        received['telegram']!.push({ path: req.url!, body: await body(req) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{"message_id":1}}');
      },
      '/hook': async (req, res) => {
        received['webhook']!.push({ path: req.url!, body: await body(req) });
        res.writeHead(204).end();
      },
    });
    const dir = tmp();
    const cfg = config(
      `  channels:
    - { name: team, type: slack, url: "\${SLACK_URL}" }
    - { name: tg, type: telegram, bot_token: "\${TG_TOKEN}", chat_id: -1001, api_url: "${server.url}" }
    - { name: hook, type: webhook, url: "${server.url}/hook" }
  rules:
    - name: angry
      channels: [team, tg, hook]
      sentiment: negative
      tags: [urgent]
`,
      dir,
    );
    const db = database(dir);
    const long = `Acme <b>lost</b> my order & nobody answers. ${'Still waiting. '.repeat(80)}`;
    storeMention(db, NOW - 10 * MIN, { text: long });
    storeMention(db, NOW - 10 * MIN, {}, { sentiment: 'positive' });
    const env = { SLACK_URL: `${server.url}/slack/T1/B1/x`, TG_TOKEN: '123:SECRET' };
    const result = await runAlertCycle({ db, config: cfg, env, since: NOW - 15 * MIN, now: () => NOW, http: FAST_HTTP });
    expect(result).toMatchObject({ queued: 3, sent: 3, failedAttempts: 0, pending: 0, failed: 0 });

    const slack = JSON.parse(received['slack']![0]!.body) as { text: string };
    expect(slack.text).toContain('*[angry] negative, complaint, urgent — acme*');
    expect(slack.text).toContain('Eve &lt;script&gt; (reach 5,000) on news');
    expect(slack.text).toContain('> Acme &lt;b&gt;lost&lt;/b&gt; my order &amp; nobody answers');
    expect(slack.text).toContain('<https://news.example/post?a=1&b=2|Open the mention>');
    expect(slack.text).toContain('20m left to respond');
    expect(slack.text.length).toBeLessThan(long.length);
    expect(slack.text).toContain('…');

    const telegram = JSON.parse(received['telegram']![0]!.body) as { chat_id: string; text: string; parse_mode: string };
    expect(telegram).toMatchObject({ chat_id: '-1001', parse_mode: 'HTML' });
    expect(telegram.text).toContain('<blockquote>Acme &lt;b&gt;lost&lt;/b&gt; my order &amp; nobody answers');
    expect(telegram.text).toContain('<a href="https://news.example/post?a=1&amp;b=2">');

    const hook = JSON.parse(received['webhook']![0]!.body) as Record<string, unknown>;
    expect(hook).toMatchObject({ kind: 'mention', rule: 'angry', url: 'https://news.example/post?a=1&b=2', sla_remaining_seconds: 1200, topics: ['acme'] });
    expect(JSON.stringify(listAlerts(db, { limit: 10 }))).not.toContain('SECRET');
  });

  it('alerts a mention once per rule and channel, also after a restart', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(`  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: all, channel: hook, topics: [acme] }\n`, dir);
    let db = database(dir);
    storeMention(db, NOW - MIN);
    const first = await runAlertCycle({ db, config: cfg, env: {}, since: NOW - 5 * MIN, now: () => NOW, http: FAST_HTTP });
    expect(first).toMatchObject({ queued: 1, sent: 1 });
    db.close();
    open.length = 0;
    db = database(dir);
    const again = await runAlertCycle({ db, config: cfg, env: {}, since: NOW - 5 * MIN, now: () => NOW + MIN, http: FAST_HTTP });
    expect(again).toMatchObject({ queued: 0, sent: 0 });
    expect(server.hits.get('/hook')).toBe(1);
    expect(listAlerts(db, { limit: 10 }).map((a) => a.state)).toEqual(['sent']);
  });

  it('keeps alerts pending while the channel is down and delivers them when it is back', async () => {
    let up = false;
    const server = await serve({ '/hook': (_req, res) => (up ? res.writeHead(200).end('{}') : res.writeHead(503).end('down')) });
    const dir = tmp();
    const cfg = config(`  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: all, channel: hook, topics: [acme] }\n`, dir);
    const db = database(dir);
    storeMention(db, NOW - MIN);
    storeMention(db, NOW - MIN);
    const down = await runAlertCycle({ db, config: cfg, env: {}, since: NOW - 5 * MIN, now: () => NOW, http: FAST_HTTP });
    expect(down).toMatchObject({ queued: 2, sent: 0, failedAttempts: 1, pending: 2, failed: 0 });
    // One retry within the attempt, and the second alert is not tried against a channel known to be down.
    expect(server.hits.get('/hook')).toBe(2);
    const [failedOne] = listAlerts(db, { states: ['pending'], limit: 10 }).filter((a) => a.attempts === 1);
    expect(failedOne!.lastError).toMatch(/HTTP 503 from 127\.0\.0\.1/);
    expect(failedOne!.nextAttemptAt).toBe(NOW + 30_000);

    up = true;
    const tooSoon = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW + 10_000, http: FAST_HTTP });
    expect(tooSoon.sent).toBe(1); // the untried one goes; the failed one waits for its retry time
    const back = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW + 31_000, http: FAST_HTTP });
    expect(back).toMatchObject({ sent: 1, pending: 0, failed: 0 });
    expect(listAlerts(db, { limit: 10 }).every((a) => a.state === 'sent')).toBe(true);
  });

  it('holds alerts during quiet hours and within the rate limit, and sends them afterwards', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(
      `  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: all, channel: hook, topics: [acme], quiet_hours: "22:00-08:00", rate_limit: 1/1h }\n`,
      dir,
    );
    const db = database(dir);
    const night = Date.UTC(2026, 10, 20, 23, 0);
    storeMention(db, night - MIN);
    storeMention(db, night - MIN);
    const held = await runAlertCycle({ db, config: cfg, env: {}, since: night - 5 * MIN, now: () => night, http: FAST_HTTP });
    expect(held).toMatchObject({ queued: 2, sent: 0, held: 2, pending: 2 });
    expect(server.hits.get('/hook')).toBeUndefined();

    const morning = Date.UTC(2026, 10, 21, 8, 0);
    const first = await runAlertCycle({ db, config: cfg, env: {}, since: morning, now: () => morning, http: FAST_HTTP });
    expect(first).toMatchObject({ sent: 1, held: 1, pending: 1 });
    const later = await runAlertCycle({ db, config: cfg, env: {}, since: morning, now: () => morning + 61 * MIN, http: FAST_HTTP });
    expect(later).toMatchObject({ sent: 1, pending: 0 });
    expect(server.hits.get('/hook')).toBe(2);
  });

  it('gives the local command the alert as JSON on stdin', async () => {
    const dir = tmp();
    const out = join(dir, 'alert.json');
    const script = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').writeFileSync(process.argv[1],s))`;
    const cfg = config(
      `  channels:\n    - name: local\n      type: command\n      command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}, ${JSON.stringify(out)}]\n  rules:\n    - { name: all, channel: local, topics: [acme] }\n`,
      dir,
    );
    const db = database(dir);
    const id = storeMention(db, NOW - MIN);
    const result = await runAlertCycle({ db, config: cfg, env: { PATH: process.env['PATH'] }, since: NOW - 5 * MIN, now: () => NOW });
    expect(result).toMatchObject({ sent: 1 });
    const payload = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({ kind: 'mention', mention_id: id, rule: 'all', author: 'Eve <script>', sla_remaining_seconds: 29 * 60 });
  });

  it('a failing command stays pending with its exit code as the error', async () => {
    const dir = tmp();
    const cfg = config(
      `  channels:\n    - name: local\n      type: command\n      command: [${JSON.stringify(process.execPath)}, -e, "process.stderr.write('nope');process.exit(3)"]\n  rules:\n    - { name: all, channel: local, topics: [acme] }\n`,
      dir,
    );
    const db = database(dir);
    storeMention(db, NOW - MIN);
    const result = await runAlertCycle({ db, config: cfg, env: {}, since: NOW - 5 * MIN, now: () => NOW });
    expect(result).toMatchObject({ sent: 0, pending: 1 });
    expect(listAlerts(db, { limit: 1 })[0]!.lastError).toMatch(/exited with code 3: nope/);
  });

  it('raises SLA alerts only for unanswered mentions close to their target', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(`  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: sla, channel: hook, sla_within: 10m }\n`, dir);
    const db = database(dir);
    const soon = storeMention(db, NOW - 25 * MIN);
    const answered = storeMention(db, NOW - 25 * MIN);
    storeMention(db, NOW - 5 * MIN); // 25 minutes left: not yet
    db.prepare(`UPDATE mentions SET status = 'responded', first_response_at = ? WHERE id = ?`).run(NOW - MIN, answered);
    const result = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW, http: FAST_HTTP });
    expect(result).toMatchObject({ queued: 1, sent: 1 });
    expect(listAlerts(db, { limit: 10 }).map((a) => a.mentionId)).toEqual([soon]);
  });

  it('alerts a volume spike once per hour', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(`  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: surge, channel: hook, topics: [acme], spike: { factor: 3, min_count: 4 } }\n`, dir);
    const db = database(dir);
    for (let day = 1; day <= 14; day++) storeMention(db, NOW - day * 24 * 60 * MIN + 5 * MIN);
    const quiet = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW + 30 * MIN, http: FAST_HTTP });
    expect(quiet.queued).toBe(0);
    for (let i = 0; i < 4; i++) storeMention(db, NOW + i * MIN);
    const spike = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW + 30 * MIN, http: FAST_HTTP });
    expect(spike).toMatchObject({ queued: 1, sent: 1 });
    const again = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW + 40 * MIN, http: FAST_HTTP });
    expect(again.queued).toBe(0);
    expect(listAlerts(db, { limit: 10 })[0]).toMatchObject({ spikeKey: 'spike:2026-11-20T12', details: { count: 4, median: 1 } });
  });
});

describe('alert evaluation after an interrupted run', () => {
  it('catches up mentions stored by a run that stopped before its alert step, once', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(`  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: all, channel: hook, topics: [acme] }\n`, dir);
    const db = database(dir);
    // Stored by a pull 10 minutes ago whose process died before alerting; one from yesterday is history.
    storeMention(db, NOW - 10 * MIN);
    storeMention(db, NOW - 24 * 60 * MIN);
    const next = await runAlertCycle({ db, config: cfg, env: {}, since: NOW, now: () => NOW, http: FAST_HTTP });
    expect(next).toMatchObject({ queued: 1, sent: 1 });
    const after = await runAlertCycle({ db, config: cfg, env: {}, since: NOW + MIN, now: () => NOW + MIN, http: FAST_HTTP });
    expect(after).toMatchObject({ queued: 0, sent: 0 });
  });
});

describe('alerts held until the mention was answered', () => {
  it('are not sent after quiet hours, and stay listed as skipped', async () => {
    const server = await serve({ '/hook': (_req, res) => res.writeHead(200).end('{}') });
    const dir = tmp();
    const cfg = config(
      `  channels:\n    - { name: hook, type: webhook, url: "${server.url}/hook" }\n  rules:\n    - { name: all, channel: hook, topics: [acme], quiet_hours: "22:00-08:00" }\n`,
      dir,
    );
    const db = database(dir);
    const night = Date.UTC(2026, 10, 20, 23, 0);
    const answered = storeMention(db, night - MIN);
    const open = storeMention(db, night - MIN);
    expect(await runAlertCycle({ db, config: cfg, env: {}, since: night - 5 * MIN, now: () => night, http: FAST_HTTP })).toMatchObject({ queued: 2, held: 2 });
    db.prepare(`UPDATE mentions SET status = 'resolved', first_response_at = ? WHERE id = ?`).run(night + 30 * MIN, answered);
    const morning = Date.UTC(2026, 10, 21, 8, 5);
    const result = await runAlertCycle({ db, config: cfg, env: {}, since: morning, now: () => morning, http: FAST_HTTP });
    expect(result).toMatchObject({ sent: 1, skipped: 1, pending: 0 });
    expect(server.hits.get('/hook')).toBe(1);
    const rows = listAlerts(db, { limit: 10 });
    expect(rows.find((r) => r.mentionId === answered)).toMatchObject({ state: 'skipped', lastError: 'the mention was answered or dismissed before delivery' });
    expect(rows.find((r) => r.mentionId === open)).toMatchObject({ state: 'sent' });
  });
});
