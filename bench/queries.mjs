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
 * openDatabase and its migrations) as a bulk load (see buildDatabase): a year of mentions, 8
 * sources, 4 topics, the sentiments and relevance a classifier gives, answered ones with their first
 * response, resolution and events, and an open backlog of about 400 recent mentions. The FTS index is
 * filled in one statement after the rows, as a pull or an import does. --quick: 100k and 300k.
 * Stats run by source (the target's form), agent, day, topic and sentiment, and in business hours
 * in a zone with an offset.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timeCommands } from './cli-timer.mjs';
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
  const [{ openDatabase }, { listQueue }, { statsAggregates }, { searchMentions, indexPendingMentions }, { reportRecordsBetween, mentionFactCounts }, { slaTargetSeconds }, { createWallClock }] = await Promise.all([
    dist('store/db.js'), dist('store/mentions.js'), dist('store/stats.js'), dist('store/search.js'), dist('store/mentions.js'), dist('report/sla.js'), dist('report/zoned-time.js'),
  ]);
  const started = Date.now();
  const loadAtStart = loadavg();
  const byLang = loadTexts();
  const work = mkdtempSync(join(tmpdir(), 'mentions-bench-queries-'));
  const results = [];
  try {
    const configPath = join(work, 'mentions.yml');
    writeFileSync(configPath, `timezone: UTC\nagent: bench\nsla:\n  default: 1h\n${TOPICS_YAML}`);
    // Business hours in a zone with an offset: stats --hours business and local days.
    const zonedConfigPath = join(work, 'mentions-moscow.yml');
    writeFileSync(zonedConfigPath, `timezone: Europe/Moscow\nagent: bench\nsla:\n  default: 1h\n${TOPICS_YAML}`);
    for (const size of sizes) {
      const path = join(work, `m-${size}.db`);
      const now = Date.now();
      const built = buildDatabase({ openDatabase, indexPendingMentions }, path, size, now, byLang);
      const db = openDatabase(path, { readonly: true });
      const env = { PATH: process.env.PATH, HOME: work, TZ: 'UTC', NO_COLOR: '1' };
      // CLI cases are timed from a small process (bench/cli-timer.mjs): spawning from this one, which holds the
      // texts and an open database, would add tens of milliseconds of fork cost to every command.
      const cli = (args, config = configPath) => ({ args: [bin, '--config', config, '--db', path, ...args], cwd: work, env });
      const day = (ms) => new Date(ms).toISOString().slice(0, 10);
      const from = day(now - 30 * DAY);
      const to = day(now + DAY);
      const fromMs = Date.parse(from);
      const toMs = Date.parse(to);
      const yesterday = Date.parse(day(now - DAY));
      const statsTarget = size >= 5_000_000 ? 1500 : 300;
      const sla = { defaultSeconds: 3600, bySource: {} };
      const cases = [
        { name: 'queue: store call (listQueue)', key: 'queue', target: 5, process: true, fn: () => listQueue(db, {}) },
        { name: '`mentions queue` (CLI wall)', fn: cli(['queue']) },
        {
          name: 'stats 30 days by source: store call (statsAggregates)',
          target: statsTarget,
          process: true,
          fn: () => statsAggregates(db, fromMs, toMs, { by: ['source'], targetSeconds: (s) => slaTargetSeconds(sla, s), workingMs: null, wallClock: createWallClock('UTC') }),
        },
        { name: `\`mentions stats --from ${from} --to ${to} --by source\` (CLI wall)`, key: 'stats', target: statsTarget, fn: cli(['stats', '--from', from, '--to', to, '--by', 'source']) },
        ...['agent', 'day', 'topic', 'sentiment'].map((by) => ({ name: `\`mentions stats … --by ${by}\` (CLI wall)`, target: statsTarget, fn: cli(['stats', '--from', from, '--to', to, '--by', by]) })),
        {
          name: '`mentions stats … --by source --hours business`, Europe/Moscow (CLI wall)',
          target: statsTarget,
          fn: cli(['stats', '--from', from, '--to', to, '--by', 'source', '--hours', 'business'], zonedConfigPath),
        },
        {
          // As `mentions report daily` reads: the day's mentions without their texts, the 7 days before counted by facts.
          name: 'report daily: store calls (the day, and fact counts of the 7 days before)',
          target: 500,
          process: true,
          fn: () => [reportRecordsBetween(db, yesterday, yesterday + DAY), mentionFactCounts(db, yesterday - 7 * DAY, yesterday, yesterday - DAY)],
        },
        { name: '`mentions report daily --date yesterday` (CLI wall)', key: 'report', target: 500, fn: cli(['report', 'daily', '--date', 'yesterday']) },
        ...SEARCH_TERMS.flatMap((term) => [
          { name: `search ${term}: store call (searchMentions, 20)`, target: 100, process: true, fn: () => searchMentions(db, term, { limit: 20 }) },
          { name: `\`mentions search ${term}\` (CLI wall)`, key: `search ${term}`, target: 100, fn: cli(['search', term]) },
        ]),
        { name: "`node -e ''` (start-up floor, CLI baseline)", fn: { args: ['-e', ''], cwd: work, env } },
      ];
      // The commands run interleaved, so load on the machine slows them alike.
      const commands = cases.filter((c) => !c.process);
      const commandTimes = await timeCommands(commands.map((c) => c.fn), runs);
      for (const c of cases) {
        const times = c.process ? await timeRuns(runs * 3, c.fn) : commandTimes[commands.indexOf(c)];
        results.push({ size, name: c.name, key: c.key ?? c.name, target: c.target, stats: summary(times), built });
      }
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
    report(results, sizes, runs);
    const load = (l) => l.map((x) => x.toFixed(2)).join(', ');
    console.log(`Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A database of `size` mentions over the year before `now`, ids in time order, through the real
 * schema. Returns { ms, phases, bytes, open, answered }.
 *
 * Built as a bulk load: the schema comes from openDatabase (every migration), then, for the load
 * only, no rollback journal, no fsync and a 1 GB page cache, and the secondary indexes of the four
 * loaded tables are dropped and created again from their own stored SQL after the rows (one sort
 * each instead of a B-tree update per row, which at 5M rows was most of the time). Rows go in as
 * multi-row INSERTs; the data is the same row for row as a row-by-row load with the same seed.
 */
export function buildDatabase({ openDatabase, indexPendingMentions }, path, size, now, byLang) {
  const started = Date.now();
  const phases = {};
  let mark = started;
  const phase = (name) => {
    const t = Date.now();
    phases[name] = t - mark;
    mark = t;
  };
  const db = openDatabase(path, { create: true });
  // better-sqlite3 opens connections in SQLite's defensive mode, which refuses journal_mode = OFF.
  db.unsafeMode(true);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  if (db.pragma('journal_mode', { simple: true }) !== 'off') throw new Error('the bulk load needs journal_mode = OFF');
  const secondaryIndexes = db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('mentions', 'classifications', 'mention_topics', 'events')`)
    .all();
  for (const { name } of secondaryIndexes) db.exec(`DROP INDEX "${name}"`);
  const random = seeded(size);
  const insertSource = db.prepare('INSERT INTO sources (name, type, target, created_at) VALUES (?, ?, ?, ?)');
  for (const [name, type] of SOURCES) insertSource.run(name, type, `bench ${name}`, now - SPAN_DAYS * DAY);
  const cumulative = [];
  SOURCES.reduce((sum, [, , share], i) => (cumulative[i] = sum + share), 0);
  const mentions = bulkInsert(db, `INSERT INTO mentions (id, source_id, external_id, url, author, author_url, author_reach, title, text, lang,
    published_at, fetched_at, created_at, parent_id, thread_id, status, assignee, priority, in_queue, first_response_at, resolved_at, fingerprint) VALUES`,
    '(?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)');
  const classifications = bulkInsert(db, `INSERT INTO classifications (mention_id, rules_version, relevance, sentiment, sentiment_score, tags, lang, evidence, classified_at) VALUES`,
    "(?, 'bench', ?, ?, ?, ?, ?, '[]', ?)", mentions);
  const topics = bulkInsert(db, 'INSERT INTO mention_topics (mention_id, topic) VALUES', '(?, ?)', mentions);
  const events = bulkInsert(db, `INSERT INTO events (mention_id, at, actor, origin, from_status, to_status, kind, batch, before_state, after_state) VALUES`,
    "(?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?)", mentions);
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
        mentions.add(id, sourceIndex + 1, `${source}-${id}`, `https://${source}.example/p/${id}`, author, Math.floor(random() * random() * 100_000),
          text, lang, createdAt, createdAt + 60_000, createdAt, `${source}-t${Math.floor(id / 7)}`, status, assignee, priority, inQueue,
          firstResponseAt, resolvedAt, id.toString(16).padStart(16, '0'));
        const tags = sentiment === 'negative' && random() < 0.4 ? '["complaint"]' : random() < 0.1 ? '["question"]' : '[]';
        classifications.add(id, relevance, sentiment, sentiment === 'negative' ? -0.6 : sentiment === 'positive' ? 0.6 : 0, tags, lang, createdAt + 60_000);
        topics.add(id, TOPICS[id % TOPICS.length]);
        if (id % 5 === 0) topics.add(id, TOPICS[(id + 1) % TOPICS.length]);
        if (firstResponseAt !== null) {
          answered++;
          batch++;
          events.add(id, firstResponseAt, assignee, 'new', 'responded', 'respond', batch, state('new', null, null, null), state('responded', assignee, firstResponseAt, null));
          if (resolvedAt !== null) {
            batch++;
            events.add(id, resolvedAt, assignee, 'responded', 'resolved', 'status', batch, state('responded', assignee, firstResponseAt, null), state('resolved', assignee, firstResponseAt, resolvedAt));
          }
        } else if (status === 'ignored' && relevance === 'relevant') {
          batch++;
          events.add(id, createdAt + 600_000, AGENTS[id % AGENTS.length], 'new', 'ignored', 'status', batch, state('new', null, null, null), state('ignored', null, null, null));
        }
      }
      for (const table of [mentions, classifications, topics, events]) table.flush();
    })();
  }
  phase('rows');
  for (const { sql } of secondaryIndexes) db.exec(sql);
  phase('indexes');
  // As a pull or an import ends: everything stored is indexed in one statement, here with FTS5 holding
  // 256 MB of terms in memory before writing a segment (default 1 MB: thousands of segments to merge).
  db.exec(`INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('hashsize', ${256 * 2 ** 20})`);
  indexPendingMentions(db);
  db.exec(`INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('hashsize', ${2 ** 20})`);
  phase('fts');
  // No ANALYZE: the product never runs it, so a user's database has no statistics either (with them, every
  // command here took the same time, measured at 1M).
  db.pragma('journal_mode = WAL');
  db.unsafeMode(false);
  db.close();
  return { ms: Date.now() - started, phases, bytes: statSync(path).size, open, answered };
}

/**
 * Rows for one table, sent ROWS_PER_INSERT at a time in one INSERT (a statement call per row cost more than
 * the row); `parent`, the table its rows refer to, is flushed first.
 */
const ROWS_PER_INSERT = 100;
function bulkInsert(db, head, tuple, parent = null) {
  const width = tuple.split('?').length - 1;
  const full = db.prepare(`${head} ${Array(ROWS_PER_INSERT).fill(tuple).join(', ')}`);
  const pending = [];
  const flush = () => {
    if (pending.length === 0) return;
    // Foreign keys stay on: the mentions a batch points at go in first.
    parent?.flush();
    if (pending.length === ROWS_PER_INSERT * width) full.run(pending);
    else db.prepare(`${head} ${Array(pending.length / width).fill(tuple).join(', ')}`).run(pending);
    pending.length = 0;
  };
  return {
    add(...values) {
      pending.push(...values);
      if (pending.length === ROWS_PER_INSERT * width) flush();
    },
    flush,
  };
}

function report(results, sizes, runs) {
  console.log('## Queries\n');
  const builds = sizes.map((size) => {
    const b = results.find((r) => r.size === size).built;
    const phases = Object.entries(b.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`).join(', ');
    return `${fmtInt(size)}: built in ${(b.ms / 1000).toFixed(0)} s (${phases}), ${(b.bytes / 2 ** 20).toFixed(0)} MB, ${b.open} open, ${fmtInt(b.answered)} answered`;
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
