#!/usr/bin/env node
/**
 * Queries at 100k, 1M and 5M mentions (issue 8 items 4 and 5): `mentions queue`, `stats` for 30
 * days by source, `report daily` and `search TERM`, through the built CLI (wall time of the whole
 * process) and in process (the store call alone), then the growth of each from the smallest size.
 * Targets at 1M: queue < 5 ms of query time, stats < 300 ms, report daily < 500 ms, search < 100
 * ms; at 5M: stats < 1.5 s.
 *
 *   npm run build && node bench/queries.mjs [--quick] [--sizes 100000,1000000,5000000] [--runs N]
 *
 * Each database is built once per run in a temporary folder through the real schema (the store's
 * openDatabase and its migrations) with plain SQL: a year of mentions, 8 sources, 4 topics, the
 * sentiments and relevance a classifier gives, answered ones with their first response, resolution
 * and events, and an open backlog of about 400 recent mentions. The FTS index is filled in one
 * statement after the rows (what the triggers would have written). --quick: 100k and 300k.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOPICS_YAML, bin, fmtInt, fmtMs, loadTexts, markdownTable, mentionText, msRange, requireBuild, root, seeded, summary, timeRuns } from './lib.mjs';

const DAY = 86_400_000;
const SPAN_DAYS = 365;
const OPEN_BACKLOG = 400;
const SOURCES = [
  ['hn', 'hackernews', 0.1], ['news', 'rss', 0.2], ['vk', 'vk', 0.2], ['telegram', 'telegram', 0.15],
  ['reddit', 'reddit', 0.1], ['mastodon', 'mastodon', 0.05], ['youtube', 'youtube', 0.1], ['bluesky', 'bluesky', 0.1],
];
const TOPICS = ['acme', 'banks', 'telecom', 'airlines'];
const AGENTS = ['anna', 'boris', 'chen', 'dmitri', 'eva'];
/** Search terms: the injected brand (in about half the texts) and a rarer word. */
const SEARCH_TERMS = ['acme', 'delayed'];

export async function run(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const at = (name) => argv.indexOf(name);
  const sizes = at('--sizes') !== -1 ? argv[at('--sizes') + 1].split(',').map(Number) : quick ? [100_000, 300_000] : [100_000, 1_000_000, 5_000_000];
  const runs = at('--runs') !== -1 ? Number(argv[at('--runs') + 1]) : quick ? 3 : 5;
  requireBuild();
  const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  const [{ openDatabase }, { listQueue }, { statsRows }, { searchMentions, indexPendingMentions }, { mentionsCreatedBetween, mentionFactsBetween }] = await Promise.all([
    dist('store/db.js'), dist('store/mentions.js'), dist('store/stats.js'), dist('store/search.js'), dist('store/mentions.js'),
  ]);
  const byLang = loadTexts();
  const work = mkdtempSync(join(tmpdir(), 'mentions-bench-queries-'));
  const results = [];
  try {
    const configPath = join(work, 'mentions.yml');
    writeFileSync(configPath, `timezone: UTC\nagent: bench\nsla:\n  default: 1h\n${TOPICS_YAML}`);
    for (const size of sizes) {
      const path = join(work, `m-${size}.db`);
      const now = Date.now();
      const built = buildDatabase({ openDatabase, indexPendingMentions }, path, size, now, byLang);
      const db = openDatabase(path, { readonly: true });
      const env = { PATH: process.env.PATH, HOME: work, TZ: 'UTC', NO_COLOR: '1' };
      const cli = (args) => () => {
        const r = spawnSync(process.execPath, [bin, '--config', configPath, '--db', path, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
        if (r.status !== 0) throw new Error(`mentions ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      };
      const day = (ms) => new Date(ms).toISOString().slice(0, 10);
      const from = day(now - 30 * DAY);
      const to = day(now + DAY);
      const fromMs = Date.parse(from);
      const toMs = Date.parse(to);
      const yesterday = Date.parse(day(now - DAY));
      const cases = [
        { name: 'queue: store call (listQueue)', key: 'queue', target: 5, process: true, fn: () => listQueue(db, {}) },
        { name: '`mentions queue` (CLI wall)', fn: cli(['queue']) },
        { name: 'stats 30 days by source: store call (statsRows)', target: size >= 5_000_000 ? 1500 : 300, process: true, fn: () => statsRows(db, fromMs, toMs, { topics: false, agent: false, tags: false, sentiment: false }) },
        { name: `\`mentions stats --from ${from} --to ${to} --by source\` (CLI wall)`, key: 'stats', target: size >= 5_000_000 ? 1500 : 300, fn: cli(['stats', '--from', from, '--to', to, '--by', 'source']) },
        {
          // As `mentions report daily` reads: the day's mentions whole, the 7 days before as counting facts.
          name: 'report daily: store calls (the day, and facts of the 7 days before)',
          target: 500,
          process: true,
          fn: () => [mentionsCreatedBetween(db, yesterday, yesterday + DAY), mentionFactsBetween(db, yesterday - 7 * DAY, yesterday)],
        },
        { name: '`mentions report daily --date yesterday` (CLI wall)', key: 'report', target: 500, fn: cli(['report', 'daily', '--date', 'yesterday']) },
        ...SEARCH_TERMS.flatMap((term) => [
          { name: `search ${term}: store call (searchMentions, 20)`, target: 100, process: true, fn: () => searchMentions(db, term, { limit: 20 }) },
          { name: `\`mentions search ${term}\` (CLI wall)`, key: `search ${term}`, target: 100, fn: cli(['search', term]) },
        ]),
        { name: "`node -e ''` (start-up floor, CLI baseline)", fn: () => spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }) },
      ];
      for (const c of cases) {
        const times = await timeRuns(c.process ? runs * 3 : runs, c.fn);
        results.push({ size, name: c.name, key: c.key ?? c.name, target: c.target, stats: summary(times), built });
      }
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
    report(results, sizes, runs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A database of `size` mentions over the year before `now`, ids in time order, through the real
 * schema. Returns { ms, bytes, open, answered }.
 */
export function buildDatabase({ openDatabase, indexPendingMentions }, path, size, now, byLang) {
  const started = Date.now();
  const db = openDatabase(path, { create: true });
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const random = seeded(size);
  const insertSource = db.prepare('INSERT INTO sources (name, type, target, created_at) VALUES (?, ?, ?, ?)');
  for (const [name, type] of SOURCES) insertSource.run(name, type, `bench ${name}`, now - SPAN_DAYS * DAY);
  const cumulative = [];
  SOURCES.reduce((sum, [, , share], i) => (cumulative[i] = sum + share), 0);
  const mention = db.prepare(`INSERT INTO mentions (id, source_id, external_id, url, author, author_url, author_reach, title, text, lang,
    published_at, fetched_at, created_at, parent_id, thread_id, status, assignee, priority, in_queue, first_response_at, resolved_at, fingerprint)
    VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const classification = db.prepare(`INSERT INTO classifications (mention_id, rules_version, relevance, sentiment, sentiment_score, tags, lang, evidence, classified_at)
    VALUES (?, 'bench', ?, ?, ?, ?, ?, '[]', ?)`);
  const topic = db.prepare('INSERT INTO mention_topics (mention_id, topic) VALUES (?, ?)');
  const event = db.prepare(`INSERT INTO events (mention_id, at, actor, origin, from_status, to_status, kind, batch, before_state, after_state)
    VALUES (?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?)`);
  const state = (status, assignee, firstResponseAt, resolvedAt) => JSON.stringify({ status, assignee, urgent: false, firstResponseAt, resolvedAt });
  let open = 0;
  let answered = 0;
  let batch = 0;
  const chunk = 50_000;
  for (let first = 1; first <= size; first += chunk) {
    db.transaction(() => {
      for (let id = first; id < Math.min(first + chunk, size + 1); id++) {
        // Evenly over the year with jitter, oldest first (ids follow time, as a pull stores them).
        const createdAt = Math.floor(now - SPAN_DAYS * DAY + ((id - random()) / size) * SPAN_DAYS * DAY);
        const r = random();
        const sourceIndex = cumulative.findIndex((c) => r < c);
        const { text, lang } = mentionText(byLang, id);
        const roll = random();
        const relevance = roll < 0.85 ? 'relevant' : roll < 0.93 ? 'irrelevant' : roll < 0.98 ? 'spam' : 'own';
        const sRoll = random();
        const sentiment = sRoll < 0.3 ? 'negative' : sRoll < 0.8 ? 'neutral' : 'positive';
        const recent = size - id < OPEN_BACKLOG * 1.2;
        let status = 'new';
        let assignee = null;
        let firstResponseAt = null;
        let resolvedAt = null;
        if (relevance === 'relevant' && recent && open < OPEN_BACKLOG) {
          open++;
          if (random() < 0.3) {
            status = 'assigned';
            assignee = AGENTS[id % AGENTS.length];
          }
        } else if (relevance === 'relevant') {
          const w = random();
          status = w < 0.05 ? 'ignored' : w < 0.25 ? 'responded' : 'resolved';
          if (status !== 'ignored') {
            assignee = AGENTS[id % AGENTS.length];
            firstResponseAt = createdAt + Math.floor(300_000 + random() * random() * 8 * 3_600_000);
            if (status === 'resolved') resolvedAt = firstResponseAt + Math.floor(random() * 4 * 3_600_000);
          }
        } else {
          status = relevance === 'own' ? 'new' : 'ignored';
        }
        const inQueue = status === 'new' || status === 'assigned' ? (relevance === 'relevant' ? 1 : 0) : 0;
        const priority = relevance === 'relevant' ? (sentiment === 'negative' ? 50 : sentiment === 'neutral' ? 20 : 10) + Math.floor(random() * 30) : 0;
        const source = SOURCES[sourceIndex][0];
        const author = `user${Math.floor(random() * 200_000)}`;
        mention.run(id, sourceIndex + 1, `${source}-${id}`, `https://${source}.example/p/${id}`, author, Math.floor(random() * random() * 100_000),
          text, lang, createdAt, createdAt + 60_000, createdAt, `${source}-t${Math.floor(id / 7)}`, status, assignee, priority, inQueue,
          firstResponseAt, resolvedAt, id.toString(16).padStart(16, '0'));
        const tags = sentiment === 'negative' && random() < 0.4 ? '["complaint"]' : random() < 0.1 ? '["question"]' : '[]';
        classification.run(id, relevance, sentiment, sentiment === 'negative' ? -0.6 : sentiment === 'positive' ? 0.6 : 0, tags, lang, createdAt + 60_000);
        topic.run(id, TOPICS[id % TOPICS.length]);
        if (id % 5 === 0) topic.run(id, TOPICS[(id + 1) % TOPICS.length]);
        if (firstResponseAt !== null) {
          answered++;
          batch++;
          event.run(id, firstResponseAt, assignee, 'new', 'responded', 'respond', batch, state('new', null, null, null), state('responded', assignee, firstResponseAt, null));
          if (resolvedAt !== null) {
            batch++;
            event.run(id, resolvedAt, assignee, 'responded', 'resolved', 'status', batch, state('responded', assignee, firstResponseAt, null), state('resolved', assignee, firstResponseAt, resolvedAt));
          }
        } else if (status === 'ignored' && relevance === 'relevant') {
          batch++;
          event.run(id, createdAt + 600_000, AGENTS[id % AGENTS.length], 'new', 'ignored', 'status', batch, state('new', null, null, null), state('ignored', null, null, null));
        }
      }
    })();
  }
  // As a pull or an import ends: everything stored is indexed in one statement.
  indexPendingMentions(db);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ms: Date.now() - started, bytes: statSync(path).size, open, answered };
}

function report(results, sizes, runs) {
  console.log('## Queries\n');
  const builds = sizes.map((size) => {
    const b = results.find((r) => r.size === size).built;
    return `${fmtInt(size)}: built in ${(b.ms / 1000).toFixed(0)} s, ${(b.bytes / 2 ** 20).toFixed(0)} MB, ${b.open} open, ${fmtInt(b.answered)} answered`;
  });
  console.log(
    `Databases generated through the real schema: a year of mentions, 8 sources, 4 topics, 85% relevant, answered ones with events, ` +
      `an open backlog of about ${OPEN_BACKLOG} (${builds.join('; ')}). CLI: ${runs} runs of the whole process after one warm-up (start-up included); ` +
      `store calls in process: ${runs * 3} runs. Milliseconds.\n`,
  );
  const rows = [];
  for (const size of sizes) {
    for (const r of results.filter((x) => x.size === size)) {
      const met = r.target === undefined ? '' : r.stats.median < r.target ? 'yes' : '**no**';
      rows.push([fmtInt(size), r.name, fmtMs(r.stats.median), msRange(r.stats), r.target === undefined ? '' : `< ${fmtMs(r.target)}`, met]);
    }
  }
  console.log(markdownTable(['mentions', 'measurement', 'median', 'min–max', 'target', 'met'], rows, ['right', 'left', 'right', 'right', 'right', 'left']));

  console.log('## Growth\n');
  const smallest = sizes[0];
  console.log(`Median times against ${fmtInt(smallest)} mentions; "data ×" is how much the data grew. A time growing more than 1.25× faster than the data is flagged.\n`);
  const names = [...new Set(results.map((r) => r.name.replace(/--from \S+ --to \S+/, '--from … --to …')))];
  const headers = ['measurement', ...sizes.map((s) => `${fmtInt(s)} ms`), ...sizes.slice(1).map((s) => `× at ${fmtInt(s)} (data ×${s / smallest})`)];
  const growthRows = [];
  for (const name of names) {
    const per = sizes.map((size) => results.find((r) => r.size === size && r.name.replace(/--from \S+ --to \S+/, '--from … --to …') === name));
    if (per.some((p) => !p)) continue;
    const base = per[0].stats.median;
    growthRows.push([
      name,
      ...per.map((p) => fmtMs(p.stats.median)),
      ...per.slice(1).map((p, i) => {
        const factor = p.stats.median / base;
        // A quarter over the data's growth is left to noise (the machine is shared).
        return `${factor.toFixed(1)}${factor > (1.25 * sizes[i + 1]) / smallest ? ' **faster than the data**' : ''}`;
      }),
    ]);
  }
  console.log(markdownTable(headers, growthRows, headers.map((_, i) => (i === 0 ? 'left' : 'right'))));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(`bench/queries: ${err.stack}`);
    process.exit(1);
  });
}
