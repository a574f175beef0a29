import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.js';
import type { ReplayServer } from '../../src/replay/server.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let server: ReplayServer;
/** What the hashtag timeline answers first; the next poll (min_id up to the first page's newest) gets tag-acme-newer.json. */
let firstPage = 'tag-acme.json';

const A1 = '117649764398177467'; // nadia_writes, 16:42:18.204
const A3 = '117648540933344043'; // ivan_petrov, 11:31:09.612
const REPLY_TO_A1_AT = Date.parse('2026-11-20T17:15:00.000Z'); // AcmeSupport, tag-acme-replied.json
const REPLY_TO_A3_AT = Date.parse('2026-11-20T19:03:40.881Z'); // AcmeSupport, tag-acme-newer.json

beforeAll(async () => {
  server = await startReplayServer(FIXTURES, {
    '/api/v1/timelines/tag/acme': (req, res) => {
      const minId = new URL(req.url ?? '/', 'http://x').searchParams.get('min_id');
      // The second poll asks from a little before the first page's newest status (an overlap).
      const file = minId === null ? firstPage : BigInt(minId) <= BigInt(A1) ? 'tag-acme-newer.json' : null;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(file === null ? '[]' : readFileSync(join(FIXTURES, 'mastodon', file)));
    },
  });
});
afterAll(async () => {
  await server.close();
});

async function mastodonFolder(): Promise<string> {
  const dir = tmp();
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  writeFileSync(
    join(dir, 'mentions.yml'),
    `timezone: UTC\ndatabase: mentions.db\ntopics:\n  - name: acme\n    query: 'acme OR акме'\n    own_accounts: [AcmeSupport]\n` +
      `sources:\n  - name: masto\n    type: mastodon\n    url: ${server.url}\n    hashtag: acme\n`,
  );
  return dir;
}

interface Row {
  id: number;
  external_id: string;
  status: string;
  first_response_at: number | null;
  assignee: string | null;
  urgent: number;
  resolved_at: number | null;
}

function rows(dir: string): Row[] {
  const db = new Database(join(dir, 'mentions.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, external_id, status, first_response_at, assignee, urgent, resolved_at FROM mentions ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}
const byExternal = (dir: string, externalId: string) => rows(dir).find((r) => r.external_id === externalId)!;

interface EventJson {
  actor: string;
  origin: string;
  kind: string;
  from: string;
  to: string;
  at: string;
  reply_url: string | null;
  after: { status: string; first_response_at: string | null } | null;
}

async function history(dir: string, id: number): Promise<EventJson[]> {
  const res = await runCli(['history', String(id), '--json'], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as EventJson[];
}

describe('automatic reply detection (built binary, Mastodon fixtures)', () => {
  it('a brand reply in the same pull marks the customer mention responded at the reply time, by the own account', async () => {
    firstPage = 'tag-acme-replied.json';
    const dir = await mastodonFolder();
    const pull = await runCli(['pull', '-q'], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(0);
    const nadia = byExternal(dir, A1);
    expect(nadia).toMatchObject({ status: 'responded', first_response_at: REPLY_TO_A1_AT });
    expect(await history(dir, nadia.id)).toMatchObject([{ actor: 'AcmeSupport', origin: 'auto', kind: 'respond', from: 'new', to: 'responded' }]);
    // The reply is an own post: stored, never in the queue; the others stay open.
    const queue = JSON.parse((await runCli(['queue', '--json'], { cwd: dir })).stdout) as Array<{ external_id: string }>;
    expect(queue.map((q) => q.external_id)).not.toContain(A1);
    expect(queue.map((q) => q.external_id)).toContain(A3);
    expect(rows(dir).filter((r) => r.status === 'responded')).toHaveLength(1);
    // A manual response later than the detected reply keeps the earlier time (config zone UTC: no offset needed).
    expect((await runCli(['respond', String(nadia.id), '--at', '2026-11-20 23:00', '--as', 'anna'], { cwd: dir })).code).toBe(0);
    expect(byExternal(dir, A1)).toMatchObject({ status: 'responded', first_response_at: REPLY_TO_A1_AT });
    expect((await history(dir, nadia.id)).map((e) => [e.actor, e.origin])).toEqual([['AcmeSupport', 'auto'], ['anna', 'manual']]);
  });

  it('a reply arriving one pull later marks the mention stored by the earlier pull', async () => {
    firstPage = 'tag-acme.json';
    const dir = await mastodonFolder();
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    expect(byExternal(dir, A3)).toMatchObject({ status: 'new', first_response_at: null });
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    const ivan = byExternal(dir, A3);
    expect(ivan).toMatchObject({ status: 'responded', first_response_at: REPLY_TO_A3_AT });
    const [event] = await history(dir, ivan.id);
    expect(event).toMatchObject({ actor: 'AcmeSupport', origin: 'auto', kind: 'respond' });
    expect(event!.reply_url).toMatch(/^https:\/\/mastodon\.social\/@AcmeSupport\/117650320318864937$/);
  });

  it('a manual respond --at earlier than the auto reply wins', async () => {
    firstPage = 'tag-acme.json';
    const dir = await mastodonFolder();
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    const ivan = byExternal(dir, A3);
    const early = await runCli(['respond', String(ivan.id), '--at', '2026-11-20T18:00:00Z', '--as', 'anna'], { cwd: dir });
    expect(early.code, early.stderr).toBe(0);
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    expect(rows(dir).map((r) => r.external_id)).toContain('117650320318864937'); // the brand's reply was stored
    expect(byExternal(dir, A3)).toMatchObject({ status: 'responded', first_response_at: Date.parse('2026-11-20T18:00:00Z') });
    // The later auto reply changed nothing, so it left no event either.
    expect((await history(dir, ivan.id)).map((e) => [e.actor, e.origin])).toEqual([['anna', 'manual']]);
  });
});

describe('the twcs sample through mentions import --preset twcs', () => {
  const file = fileURLToPath(new URL('../../../shared/data/en-twcs-sample.jsonl', import.meta.url));

  it('gives every inbound tweet the first-response seconds computed directly from the rows', async () => {
    interface TwcsRow {
      created_at: string;
      extra: { tweet_id: string; author_id: string; inbound: boolean; in_response_to_tweet_id: string | null };
    }
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const tweets = lines.map((l) => JSON.parse(l) as TwcsRow);
    expect(tweets).toHaveLength(93);
    const expected = new Map<string, number | null>();
    for (const tweet of tweets.filter((t) => t.extra.inbound)) {
      const replies = tweets
        .filter((r) => !r.extra.inbound && r.extra.in_response_to_tweet_id === tweet.extra.tweet_id)
        .map((r) => Date.parse(r.created_at));
      expected.set(tweet.extra.tweet_id, replies.length === 0 ? null : (Math.min(...replies) - Date.parse(tweet.created_at)) / 1000);
    }
    // The sample has both answered and unanswered customers, so the comparison can fail either way.
    expect([...expected.values()].filter((v) => v !== null).length).toBeGreaterThan(10);
    expect([...expected.values()].filter((v) => v === null).length).toBeGreaterThan(0);

    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'mentions.yml'), `timezone: UTC\ndatabase: mentions.db\ntopics:\n  - name: support\n    query: support\n`);
    const imported = await runCli(['import', file, '--preset', 'twcs', '--topic', 'support', '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 93, imported: 93 });

    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const stored = db
      .prepare(
        `SELECT m.external_id, m.published_at, m.first_response_at, c.relevance FROM mentions m JOIN classifications c ON c.mention_id = m.id`,
      )
      .all() as Array<{ external_id: string; published_at: number; first_response_at: number | null; relevance: string }>;
    const autoActors = db.prepare("SELECT DISTINCT actor FROM events WHERE origin = 'auto'").all() as Array<{ actor: string }>;
    db.close();
    const actual = new Map(
      stored.filter((s) => s.relevance !== 'own').map((s) => [s.external_id, s.first_response_at === null ? null : (s.first_response_at - s.published_at) / 1000]),
    );
    expect(actual).toEqual(expected);
    const brands = new Set(tweets.filter((t) => !t.extra.inbound).map((t) => t.extra.author_id));
    expect(stored.filter((s) => s.relevance === 'own')).toHaveLength(tweets.filter((t) => !t.extra.inbound).length);
    for (const { actor } of autoActors) expect(brands).toContain(actor);

    // Importing again adds nothing and changes no response time.
    expect((await runCli(['import', file, '--preset', 'twcs', '--topic', 'support'], { cwd: dir })).code).toBe(0);
    const again = new Database(join(dir, 'mentions.db'), { readonly: true });
    const autoEvents = (again.prepare("SELECT count(*) AS n FROM events WHERE origin = 'auto'").get() as { n: number }).n;
    expect(autoEvents).toBe([...expected.values()].filter((v) => v !== null).length);
    again.close();
  });
});

describe('working the queue (built binary)', () => {
  interface Snapshot {
    state: Map<number, string>;
    events: Map<number, Array<{ after: string | null }>>;
  }

  function snapshot(dir: string): Snapshot {
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    try {
      const state = new Map(
        (db.prepare('SELECT id, status, assignee, urgent, first_response_at, resolved_at FROM mentions').all() as Row[]).map((r) => [
          r.id,
          JSON.stringify({ status: r.status, assignee: r.assignee, urgent: r.urgent === 1, firstResponseAt: r.first_response_at, resolvedAt: r.resolved_at }),
        ]),
      );
      const events = new Map<number, Array<{ after: string | null }>>();
      for (const e of db.prepare('SELECT mention_id, after_state FROM events ORDER BY id').all() as Array<{ mention_id: number; after_state: string | null }>) {
        events.set(e.mention_id, [...(events.get(e.mention_id) ?? []), { after: e.after_state }]);
      }
      return { state, events };
    } finally {
      db.close();
    }
  }

  it('no command changes a mention without an event, and every event leaves the state it records', async () => {
    firstPage = 'tag-acme.json';
    const dir = await mastodonFolder();
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    const ids = rows(dir).map((r) => r.id);
    const [a, b, c, d] = ids.map(String);
    const steps: Array<{ args: string[]; changes: boolean; code?: number }> = [
      { args: ['assign', a!, '--to', 'anna', '--as', 'lead'], changes: true },
      { args: ['take', '--as', 'carl', '--json'], changes: true },
      { args: ['urgent', b!, '--as', 'anna'], changes: true },
      { args: ['urgent', b!, '--off', '--as', 'anna'], changes: true },
      { args: ['urgent', b!, '--off', '--as', 'anna'], changes: false },
      { args: ['note', a!, 'asked', 'for', 'the', 'order', 'number', '--as', 'anna'], changes: false },
      { args: ['respond', a!, '--at', '10m ago', '--url', 'https://mastodon.social/@AcmeSupport/1', '--as', 'anna'], changes: true },
      { args: ['resolve', a!, '--as', 'anna'], changes: true },
      { args: ['resolve', a!, '--as', 'anna'], changes: false },
      { args: ['done', c!, '--as', 'boris'], changes: true },
      { args: ['ignore', d!, '--reason', 'spam', '--as', 'boris'], changes: true },
      { args: ['undo', '--as', 'boris'], changes: true },
      { args: ['assign', '--where', 'status:new', '--to', 'boris', '--as', 'lead'], changes: false, code: 2 },
      { args: ['assign', '--where', 'status:new', '--to', 'boris', '--yes', '--as', 'lead'], changes: true },
      { args: ['take', '--as', 'dave'], changes: false, code: 4 },
      { args: ['urgent', '--where', 'assignee:boris', '--yes', '--as', 'lead'], changes: true },
      { args: ['ignore', '--where', 'assignee:carl', '--reason', 'duplicate', '--yes', '--as', 'lead'], changes: true },
      { args: ['resolve', '--where', 'status:assigned', '--yes', '--as', 'lead'], changes: true },
      { args: ['undo', '--as', 'lead'], changes: true },
      { args: ['undo', '--as', 'lead'], changes: true },
      { args: ['history', a!], changes: false },
      { args: ['queue', '--mine', '--as', 'boris'], changes: false },
    ];
    for (const step of steps) {
      const before = snapshot(dir);
      const res = await runCli(step.args, { cwd: dir });
      expect(res.code, `${step.args.join(' ')}: ${res.stderr}`).toBe(step.code ?? 0);
      const after = snapshot(dir);
      const changed = [...after.state].filter(([id, s]) => before.state.get(id) !== s).map(([id]) => id);
      expect(changed.length > 0, step.args.join(' ')).toBe(step.changes);
      for (const id of changed) {
        const newEvents = (after.events.get(id) ?? []).slice((before.events.get(id) ?? []).length);
        expect(newEvents.length, `${step.args.join(' ')}: mention ${id} changed without an event`).toBeGreaterThan(0);
      }
      // Every mention's last event records exactly the state it is in.
      for (const [id, events] of after.events) expect(events.at(-1)!.after, `mention ${id}`).toBe(after.state.get(id));
    }
    const history = JSON.parse((await runCli(['history', a!, '--json'], { cwd: dir })).stdout) as EventJson[];
    expect(history.map((e) => [e.kind, e.actor])).toEqual([
      ['assign', 'lead'],
      ['note', 'anna'],
      ['respond', 'anna'],
      ['status', 'anna'],
    ]);
    expect(history.every((e) => e.at && e.origin === 'manual')).toBe(true);
    const take = await runCli(['history', '--json', String(rows(dir).find((r) => r.assignee === 'carl')?.id ?? 0)], { cwd: dir });
    expect(take.code).toBe(0);
    expect((JSON.parse(take.stdout) as EventJson[])[0]).toMatchObject({ kind: 'assign', actor: 'carl', from: 'new', to: 'assigned' });
  });

  it('bulk by --where: a count, refusal without --yes when not on a terminal, parse errors with their column', async () => {
    firstPage = 'tag-acme.json';
    const dir = await mastodonFolder();
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    const refused = await runCli(['ignore', '--where', 'sentiment:negative', '--reason', 'spam'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--where matched \d+ mentions?; add --yes/);
    expect(rows(dir).every((r) => r.status === 'new')).toBe(true);
    const bad = await runCli(['queue', '--where', 'source:masto sentimnt:negative'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('column 14: unknown key "sentimnt"');
    const done = await runCli(['ignore', '--where', 'sentiment:negative', '--reason', 'spam', '--yes', '--json'], { cwd: dir });
    expect(done.code, done.stderr).toBe(0);
    const changed = (JSON.parse(done.stdout) as { changed: Array<{ mention_id: number; to: string; note: string }> }).changed;
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.to === 'ignored' && e.note === 'spam')).toBe(true);
    expect(rows(dir).filter((r) => r.status === 'ignored').map((r) => r.id).sort()).toEqual(changed.map((e) => e.mention_id).sort());
  });

  it('a conversation is one case in the queue; responding to it covers its open mentions, each with its own event', async () => {
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'mentions.yml'), `timezone: UTC\ndatabase: mentions.db\ntopics:\n  - name: acme\n    query: 'acme OR акме'\n`);
    expect((await runCli(['import', join(FIXTURES, 'import', 'mentions.jsonl')], { cwd: dir })).code).toBe(0);
    const queue = JSON.parse((await runCli(['queue', '--json'], { cwd: dir })).stdout) as Array<{ id: number; external_id: string; case_size: number }>;
    // The Telegram channel post and the chat reply to it are one case, shown once.
    const thread = queue.filter((q) => q.external_id.startsWith('tg-'));
    expect(thread).toHaveLength(1);
    expect(thread[0]!.case_size).toBe(2);
    expect(queue.filter((q) => !q.external_id.startsWith('tg-')).every((q) => q.case_size === 1)).toBe(true);
    const res = await runCli(['respond', String(thread[0]!.id), '--as', 'anna', '--json'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const changed = (JSON.parse(res.stdout) as { changed: Array<{ mention_id: number; to: string; batch: number }> }).changed;
    expect(changed).toHaveLength(2);
    expect(new Set(changed.map((e) => e.batch)).size).toBe(1);
    const tg = rows(dir).filter((r) => r.external_id.startsWith('tg-'));
    expect(tg.map((r) => r.status)).toEqual(['responded', 'responded']);
    expect(tg.map((r) => r.id).sort()).toEqual(changed.map((e) => e.mention_id).sort());
    expect(rows(dir).filter((r) => !r.external_id.startsWith('tg-')).every((r) => r.status === 'new')).toBe(true);
  });

  it('queue shows time left against the SLA, filters mine / unassigned / overdue, and sorts by arrival with urgent marks on top', async () => {
    firstPage = 'tag-acme.json';
    const dir = await mastodonFolder();
    writeFileSync(join(dir, 'mentions.yml'), readFileSync(join(dir, 'mentions.yml'), 'utf8') + 'sla:\n  default: 1h\n  by_source:\n    mastodon: 30m\n');
    expect((await runCli(['pull', '-q'], { cwd: dir })).code).toBe(0);
    type Item = { id: number; created_at: string; sla_target_seconds: number; sla_remaining_seconds: number; urgent: boolean; assignee: string | null };
    const queue = async (...args: string[]) => {
      const res = await runCli(['queue', '--json', ...args], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
      return JSON.parse(res.stdout) as Item[];
    };
    const all = await queue('--sort', 'arrival');
    expect(all.length).toBeGreaterThan(2);
    expect(all.map((i) => i.created_at)).toEqual([...all.map((i) => i.created_at)].sort());
    for (const item of all) {
      expect(item.sla_target_seconds).toBe(1800);
      // The fixtures are from 2026-11-20, so all are long overdue; remaining = created + 30m - now.
      expect(item.sla_remaining_seconds).toBeLessThan(0);
      expect(Math.abs(item.sla_remaining_seconds - (Date.parse(item.created_at) + 1_800_000 - Date.now()) / 1000)).toBeLessThan(120);
    }
    expect((await queue('--overdue')).length).toBe(all.length);
    const newest = all.at(-1)!;
    expect((await runCli(['urgent', String(newest.id)], { cwd: dir })).code).toBe(0);
    expect((await queue('--sort', 'arrival'))[0]!.id).toBe(newest.id);
    expect((await queue())[0]!.id).toBe(newest.id);
    expect((await runCli(['assign', String(all[0]!.id), '--to', 'anna'], { cwd: dir })).code).toBe(0);
    expect((await queue('--mine', '--as', 'anna')).map((i) => i.id)).toEqual([all[0]!.id]);
    expect((await queue('--unassigned')).map((i) => i.id)).not.toContain(all[0]!.id);
    const table = await runCli(['queue'], { cwd: dir });
    expect(table.stdout).toMatch(/\bover\b/);
    expect(table.stdout).not.toMatch(/\u001b/);
  });
});
