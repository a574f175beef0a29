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
