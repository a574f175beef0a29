#!/usr/bin/env node
/**
 * Ingest (issue 8 item 2): the real `mentions pull` (built binary: fetch, parse, match topics,
 * classify, store with reply detection, copy grouping and the FTS index) of N generated mentions
 * served from 127.0.0.1 in the sources' real formats, against a bare better-sqlite3 insert of the
 * same rows (the columns of `mentions`, no index, one transaction) measured in the same run.
 * Targets: pull ≥ 0.5× the bare insert's rate; peak RSS of the pull ≤ 300 MB.
 *
 *   npm run build && node bench/ingest.mjs [--quick] [--mentions N] [--runs N] [--baseline-runs N]
 *
 * Sources: a few `hackernews` sources on one local "Algolia" (search_by_date with numericFilters on
 * created_at_i, page, hitsPerPage, nbPages and the 1000-hit cap per query, over items sorted newest
 * first; the adapter's documented pace of 10,000 requests an hour holds, so they carry a small
 * share) and many RSS 2.0 feeds of 2,000 items on another host. Texts: one or two Russian or
 * English texts sampled from ../shared/data at run time with a brand in them (bench/lib.mjs).
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { TOPICS_YAML, bin, fmtInt, loadTexts, markdownTable, mentionText, requireBuild, root, runTimed, summary } from './lib.mjs';

const DAY = 86_400;
const SPAN_DAYS = 30;
const HITS_PER_PAGE_MAX = 1000;
const ALGOLIA_RESULT_CAP = 1000;
const FEED_ITEMS = 2000;
/** Seconds the adapter waits between two requests to Algolia (10,000 an hour). */
const HN_PACE_SECONDS = 0.36;

export async function run(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const option = (name, fallback) => {
    const at = argv.indexOf(name);
    return at === -1 ? fallback : Number(argv[at + 1]);
  };
  const total = option('--mentions', quick ? 100_000 : 1_000_000);
  const runs = option('--runs', 1);
  const baselineRuns = option('--baseline-runs', 3);
  const hnSources = quick ? 2 : 4;
  const hnPerSource = quick ? 1000 : 5000;
  // --cpu-prof DIR: profiles of the pulls go there (node --cpu-prof), to see where the time goes.
  const profileAt = argv.indexOf('--cpu-prof');
  const profile = profileAt === -1 ? [] : ['--cpu-prof', '--cpu-prof-dir', argv[profileAt + 1]];
  requireBuild();

  const corpus = generate(total, hnSources, hnPerSource, loadTexts());
  const work = mkdtempSync(join(tmpdir(), 'mentions-bench-ingest-'));
  const servers = [];
  try {
    const hnUrl = await listen(servers, algoliaHandler(corpus));
    const feedUrl = await listen(servers, feedHandler(corpus));
    const configPath = join(work, 'mentions.yml');
    writeFileSync(configPath, configYaml(corpus, hnUrl, feedUrl));
    const env = { PATH: process.env.PATH, HOME: work, TZ: 'UTC', NO_COLOR: '1' };

    const baseline = [];
    for (let r = 0; r < baselineRuns; r++) baseline.push(bareInsert(corpus, join(work, `bare-${r}.db`)));
    const stages = await stageCosts(corpus, configPath, join(work, 'stages.db'), quick ? 10 : 25);

    const pulls = [];
    for (let r = 0; r < runs; r++) {
      const dir = join(work, `pull-${r}`);
      const db = join(dir, 'mentions.db');
      await runTimed([bin, '--config', configPath, '--db', db, 'init'], { cwd: work, env });
      const pulled = await runTimed([...profile, bin, '--config', configPath, '--db', db, 'pull', '--quiet', '--json'], { cwd: work, env });
      const result = JSON.parse(pulled.stdout);
      const failed = result.sources.filter((s) => !s.ok);
      if (failed.length > 0) throw new Error(`pull: ${failed.length} sources failed, e.g. ${failed[0].name}: ${failed[0].error}`);
      const check = new Database(db, { readonly: true });
      const stored = check.prepare('SELECT count(*) AS n FROM mentions').get().n;
      const indexed = check.prepare("SELECT count(*) AS n FROM mentions_fts WHERE mentions_fts MATCH 'acme OR акме'").get().n;
      const responded = check.prepare('SELECT count(*) AS n FROM mentions WHERE first_response_at IS NOT NULL').get().n;
      check.close();
      pulls.push({ ms: pulled.ms, peakRssKb: pulled.peakRssKb, stored, fetched: result.totals.fetched, indexed, responded });
      rmSync(dir, { recursive: true, force: true });
    }
    report({ corpus, baseline, pulls, hnSources, hnPerSource, stages });
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Generated items: HN sources first, then feeds of FEED_ITEMS each; item 0 of a source is its newest.

function generate(total, hnSources, hnPerSource, byLang) {
  const now = Math.floor(Date.now() / 1000 / 3600) * 3600;
  const sources = [];
  let next = 0;
  for (let s = 0; s < hnSources; s++, next += hnPerSource) sources.push({ kind: 'hn', name: `hn-${s}`, query: `acme${s}`, first: next, count: hnPerSource });
  for (let f = 0; next < total; f++) {
    const count = Math.min(FEED_ITEMS, total - next);
    sources.push({ kind: 'rss', name: `feed-${String(f).padStart(3, '0')}`, feed: f, first: next, count });
    next += count;
  }
  const texts = new Array(total);
  const langs = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const t = mentionText(byLang, i);
    texts[i] = t.text;
    langs[i] = t.lang === 'ru' ? 1 : 0;
  }
  for (const source of sources) {
    // Newest first, spread over SPAN_DAYS; non-increasing, so the page-back by time windows is exact.
    source.times = new Int32Array(source.count);
    for (let j = 0; j < source.count; j++) source.times[j] = now - Math.floor((j * SPAN_DAYS * DAY) / source.count);
  }
  return { total, now, sources, texts, langs };
}

const author = (i) => `user${(i * 7919) % 50_000}`;

/** The row of generated item `j` of `source` as the store would hold it (for the bare insert). */
function itemFields(corpus, source, j) {
  const i = source.first + j;
  const text = corpus.texts[i];
  const publishedAt = source.times[j] * 1000;
  if (source.kind === 'hn') {
    const hn = hnItem(corpus, source, j);
    return { externalId: hn.objectID, url: `https://news.ycombinator.com/item?id=${hn.objectID}`, author: hn.author,
      authorUrl: `https://news.ycombinator.com/user?id=${hn.author}`, title: hn.title, text, publishedAt, parentId: hn.parent_id, threadId: hn.story_id };
  }
  const link = `https://news.example/${source.name}/${j}`;
  return { externalId: link, url: link, author: `${author(i)}`, authorUrl: null, title: titleOf(text), text, publishedAt, parentId: null, threadId: null };
}

const titleOf = (text) => text.split(' ').slice(0, 8).join(' ');

// ---------------------------------------------------------------------------
// Hacker News search (Algolia), the parts the adapter uses, answered like the real API.

function hnItem(corpus, source, j) {
  const i = source.first + j;
  const id = String(30_000_000 + i);
  // Every 20th item (the oldest of its block) is a story; the others are its comments.
  const storyIndex = j - (j % 20) + 19 < source.count ? j - (j % 20) + 19 : source.count - 1;
  const isStory = j === storyIndex;
  const own = !isStory && j % 50 === 7 && j + 1 < storyIndex;
  const storyId = String(30_000_000 + source.first + storyIndex);
  return {
    objectID: id,
    isStory,
    author: own ? 'acme_support' : author(i),
    title: isStory ? titleOf(corpus.texts[i]) : null,
    story_id: storyId,
    // An own reply answers the customer comment just before it (the next older item).
    parent_id: isStory ? null : own ? String(30_000_000 + i + 1) : storyId,
  };
}

function hnHit(corpus, source, j) {
  const item = hnItem(corpus, source, j);
  const t = source.times[j];
  const html = `<p>${escapeHtml(corpus.texts[source.first + j])}</p>`;
  const common = {
    created_at: new Date(t * 1000).toISOString(),
    author: item.author,
    points: item.isStory ? 1 + (j % 300) : null,
    num_comments: item.isStory ? 19 : null,
    created_at_i: t,
    updated_at: new Date(t * 1000).toISOString(),
    objectID: item.objectID,
  };
  if (item.isStory) {
    return { ...common, title: item.title, url: null, story_text: html, story_id: Number(item.objectID), _tags: ['story', `author_${item.author}`, `story_${item.objectID}`] };
  }
  return { ...common, comment_text: html, story_id: Number(item.story_id), story_title: 'a story', story_url: null,
    parent_id: Number(item.parent_id), _tags: ['comment', `author_${item.author}`, `story_${item.story_id}`] };
}

function algoliaHandler(corpus) {
  const byQuery = new Map(corpus.sources.filter((s) => s.kind === 'hn').map((s) => [s.query, s]));
  return (url, res) => {
    if (url.pathname !== '/api/v1/search_by_date') return notFound(res);
    const source = byQuery.get(url.searchParams.get('query') ?? '');
    const hitsPerPage = Math.min(HITS_PER_PAGE_MAX, Number(url.searchParams.get('hitsPerPage') ?? 20));
    const page = Number(url.searchParams.get('page') ?? 0);
    let low = -Infinity;
    let high = Infinity;
    for (const filter of (url.searchParams.get('numericFilters') ?? '').split(',').filter(Boolean)) {
      const m = /^created_at_i(>=|<=|>|<|=)(\d+)$/.exec(filter);
      if (!m) return json(res, 400, { message: `invalid numericFilters: ${filter}`, status: 400 });
      const v = Number(m[2]);
      if (m[1] === '>=') low = Math.max(low, v);
      else if (m[1] === '>') low = Math.max(low, v + 1);
      else if (m[1] === '<=') high = Math.min(high, v);
      else if (m[1] === '<') high = Math.min(high, v - 1);
      else [low, high] = [Math.max(low, v), Math.min(high, v)];
    }
    const times = source?.times ?? new Int32Array(0);
    // times are non-increasing: [start, end) is the run of items with low <= t <= high.
    const start = firstIndex(times, (t) => t <= high);
    const end = firstIndex(times, (t) => t < low);
    const nbHits = Math.max(0, end - start);
    const reachable = Math.min(nbHits, ALGOLIA_RESULT_CAP);
    const nbPages = Math.ceil(reachable / hitsPerPage);
    const hits = [];
    for (let k = page * hitsPerPage; k < Math.min(reachable, (page + 1) * hitsPerPage); k++) hits.push(hnHit(corpus, source, start + k));
    json(res, 200, { hits, nbHits, page, nbPages, hitsPerPage, exhaustiveNbHits: true, query: url.searchParams.get('query'), params: url.search.slice(1), processingTimeMS: 1 });
  };
}

/** The first index whose value passes `test`, for a predicate false then true along the array. */
function firstIndex(times, test) {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(times[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------
// RSS 2.0 feeds, one document each, with validators the adapter stores.

function feedHandler(corpus) {
  const byPath = new Map(corpus.sources.filter((s) => s.kind === 'rss').map((s) => [`/feeds/${s.feed}.xml`, s]));
  return (url, res) => {
    const source = byPath.get(url.pathname);
    if (!source) return notFound(res);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: `"feed-${source.feed}"`, 'last-modified': new Date(corpus.now * 1000).toUTCString() });
    res.end(feedXml(corpus, source));
  };
}

/** The RSS 2.0 document of a generated feed. */
function feedXml(corpus, source) {
    const parts = [`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>News ${source.feed}</title><link>https://news.example/</link><description>generated</description>`];
    for (let j = 0; j < source.count; j++) {
      const f = itemFields(corpus, source, j);
      parts.push(`<item><title>${escapeHtml(f.title)}</title><link>${f.url}</link><guid>${f.url}</guid><pubDate>${new Date(f.publishedAt).toUTCString()}</pubDate><dc:creator>${f.author}</dc:creator><description>${escapeHtml(`<p>${escapeHtml(f.text)}</p>`)}</description></item>`);
    }
    parts.push('</channel></rss>');
    return parts.join('\n');
}

// ---------------------------------------------------------------------------

function configYaml(corpus, hnUrl, feedUrl) {
  const hn = corpus.sources.filter((s) => s.kind === 'hn');
  const feeds = corpus.sources.filter((s) => s.kind === 'rss');
  // HN sources spread along the list: all share Algolia's pace, so together they would only queue.
  const every = Math.ceil(feeds.length / hn.length);
  const lines = ['timezone: UTC', 'agent: bench', TOPICS_YAML.trimEnd(), 'sources:'];
  feeds.forEach((feed, k) => {
    if (k % every === 0 && hn[k / every]) {
      const s = hn[k / every];
      lines.push(`  - { name: ${s.name}, type: hackernews, url: "${hnUrl}", query: ${s.query}, max_pages: 1000, backfill_days: ${SPAN_DAYS + 5} }`);
    }
    lines.push(`  - { name: ${feed.name}, type: rss, url: "${feedUrl}/feeds/${feed.feed}.xml" }`);
  });
  return `${lines.join('\n')}\n`;
}

const BARE_COLUMNS = `id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, external_id TEXT NOT NULL, url TEXT, author TEXT,
  author_url TEXT, author_reach INTEGER, title TEXT, text TEXT NOT NULL, lang TEXT, published_at INTEGER, fetched_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL, parent_id TEXT, thread_id TEXT, status TEXT NOT NULL DEFAULT 'new', assignee TEXT,
  priority REAL NOT NULL DEFAULT 0, in_queue INTEGER NOT NULL DEFAULT 0, first_response_at INTEGER, resolved_at INTEGER,
  fingerprint TEXT, duplicate_of INTEGER, urgent INTEGER NOT NULL DEFAULT 0`;

/**
 * The baseline: the same rows into a table with the columns of `mentions` (no index, no
 * constraint beyond the key), one prepared statement, one transaction. Rows are built before the
 * clock starts. Rows per second.
 */
function bareInsert(corpus, path) {
  const rows = [];
  const fetchedAt = Date.now();
  corpus.sources.forEach((source, s) => {
    for (let j = 0; j < source.count; j++) {
      const f = itemFields(corpus, source, j);
      const lang = corpus.langs[source.first + j] === 1 ? 'ru' : 'en';
      rows.push([s + 1, f.externalId, f.url, f.author, f.authorUrl, null, f.title, f.text, lang, f.publishedAt, fetchedAt, f.publishedAt, f.parentId, f.threadId, 50, 1, null]);
    }
  });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE mentions (${BARE_COLUMNS}) STRICT`);
  const insert = db.prepare(`INSERT INTO mentions (source_id, external_id, url, author, author_url, author_reach, title, text, lang,
    published_at, fetched_at, created_at, parent_id, thread_id, priority, in_queue, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const row of rows) insert.run(...row);
  })();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  db.close();
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  return { ms, rows: rows.length, rate: rows.length / (ms / 1000) };
}

/**
 * What each stage of a pull costs on its own, per mention, on the first `feedCount` feeds: parsing
 * the RSS documents (the adapter's pure mapping), classifying the parsed mentions against the topics
 * (with the fingerprint for copy grouping), and storing them pre-classified through storePage into
 * the real schema, in pages of 2,000 as the pull does. A pull cannot go faster than the sum of these
 * on one core, nor than half of it on two, whatever the pipelining.
 */
async function stageCosts(corpus, configPath, dbPath, feedCount) {
  const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  const [{ feedAdapter }, classify, { textFingerprint }, { loadConfig }, { openDatabase }, { storePage }, { upsertSource }, { SOURCE_TYPES }] = await Promise.all([
    dist('sources/feed.js'), dist('classify/index.js'), dist('classify/fingerprint.js'), dist('config/load.js'), dist('store/db.js'),
    dist('store/mentions.js'), dist('store/sources.js'), dist('sources/catalog.js'),
  ]);
  const topics = classify.compileTopics(loadConfig(configPath, { knownSourceTypes: SOURCE_TYPES }).topics);
  const feeds = corpus.sources.filter((s) => s.kind === 'rss').slice(0, feedCount);
  const bodies = feeds.map((feed) => Buffer.from(feedXml(corpus, feed), 'utf8'));
  const time = (fn) => {
    const started = process.hrtime.bigint();
    const value = fn();
    return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  const settings = { name: 'feed', type: 'rss', url: 'https://news.example/feed.xml', query: null, options: {} };
  const parsed = time(() => bodies.map((body) => feedAdapter.parsePage(settings, { url: settings.url, status: 200, headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body }, null).mentions));
  const classified = time(() =>
    parsed.value.map((mentions) =>
      mentions.flatMap((mention) => {
        const classification = classify.classifyMention(mention, topics);
        return classification ? [{ mention, classification, fingerprint: textFingerprint(mention.text) }] : [];
      }),
    ),
  );
  const db = openDatabase(dbPath, { create: true });
  const sourceId = upsertSource(db, settings, Date.now()).id;
  const now = Date.now();
  const stored = time(() => {
    let rows = 0;
    for (const items of classified.value) {
      for (let at = 0; at < items.length; at += 2000) rows += storePage(db, sourceId, items.slice(at, at + 2000), {}, now, { minAuthors: 3, windowMs: 7 * DAY * 1000 }).inserted;
    }
    return rows;
  });
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const items = parsed.value.reduce((n, page) => n + page.length, 0);
  return {
    items,
    parse: { ms: parsed.ms, count: items },
    classify: { ms: classified.ms, count: items },
    store: { ms: stored.ms, count: stored.value },
  };
}

function report({ corpus, baseline, pulls, hnSources, hnPerSource, stages }) {
  const feeds = corpus.sources.filter((s) => s.kind === 'rss').length;
  const hnPages = Math.ceil((hnSources * hnPerSource) / 100);
  const base = summary(baseline.map((b) => b.rate));
  const rates = summary(pulls.map((p) => p.stored / (p.ms / 1000)));
  const rss = summary(pulls.map((p) => p.peakRssKb / 1024));
  const ratio = rates.median / base.median;
  console.log('## Ingest\n');
  console.log(
    `${fmtInt(corpus.total)} generated mentions served from 127.0.0.1: ${hnSources} \`hackernews\` sources of ${fmtInt(hnPerSource)} items ` +
      `(Algolia search_by_date emulated; ${hnPages} pages at the adapter's pace of one request per ${HN_PACE_SECONDS} s = ${Math.round(hnPages * HN_PACE_SECONDS)} s, overlapping the feeds) ` +
      `and ${feeds} RSS 2.0 feeds of up to ${fmtInt(FEED_ITEMS)} items; texts sampled from ../shared/data (half Russian, half English, about 5% naming no topic), 4 topics. ` +
      `\`mentions pull\` runs once per run on a fresh database (${pulls.length} run${pulls.length > 1 ? 's' : ''}); the bare insert ${baseline.length} times.\n`,
  );
  const last = pulls[pulls.length - 1];
  const range = (s, f) => `${f(s.min)}–${f(s.max)}`;
  console.log(
    markdownTable(
      ['measurement', 'median', 'min–max', 'target', 'met'],
      [
        ['bare better-sqlite3 insert, one transaction (baseline), rows/s', fmtInt(base.median), range(base, fmtInt), '', ''],
        ['`mentions pull`, stored mentions/s', fmtInt(rates.median), range(rates, fmtInt), `≥ 0.5× = ${fmtInt(base.median / 2)}`, ratio >= 0.5 ? 'yes' : '**no**'],
        ['pull ÷ baseline', `${ratio.toFixed(2)}×`, '', '≥ 0.5×', ratio >= 0.5 ? 'yes' : '**no**'],
        ['`mentions pull`, peak RSS (MB)', Math.round(rss.median), range(rss, Math.round), '≤ 300', rss.max <= 300 ? 'yes' : '**no**'],
      ],
    ),
  );
  const perItem = (stage) => (stage.ms * 1000) / stage.count;
  const budget = 1e6 / (base.median / 2);
  const stageRows = [
    ['parse the RSS documents (feed adapter)', stages.parse],
    ['classify against the topics, with the copy fingerprint', stages.classify],
    ['store pre-classified items (storePage: the real schema and its indexes, pages of 2,000)', stages.store],
  ].map(([name, stage]) => [name, (perItem(stage)).toFixed(1), fmtInt(1e6 / perItem(stage)), `${(1e6 / perItem(stage) / base.median).toFixed(2)}×`]);
  const sum = perItem(stages.parse) + perItem(stages.classify) + perItem(stages.store);
  console.log(
    `Each stage alone, in this process, over the first ${fmtInt(stages.items)} feed items (one core), against the budget the target leaves: ` +
      `0.5× the bare insert is ${budget.toFixed(1)} µs per mention for everything.\n`,
  );
  console.log(
    markdownTable(
      ['stage', 'µs per mention', 'mentions/s', '÷ baseline'],
      [
        ...stageRows,
        ['sum of the stages (one core)', sum.toFixed(1), fmtInt(1e6 / sum), `${(1e6 / sum / base.median).toFixed(2)}×`],
        ['best case, the stages spread perfectly over 2 cores', (sum / 2).toFixed(1), fmtInt(2e6 / sum), `${(2e6 / sum / base.median).toFixed(2)}×`],
      ],
    ),
  );
  console.log(
    `Last run: ${fmtInt(last.fetched)} items fetched, ${fmtInt(last.stored)} stored in ${(last.ms / 1000).toFixed(1)} s ` +
      `(${fmtInt(last.indexed)} found by an FTS search for the brand, ${fmtInt(last.responded)} answered by detected own replies).\n`,
  );
}

// ---------------------------------------------------------------------------

function listen(servers, handler) {
  const server = createServer((req, res) => handler(new URL(req.url ?? '/', 'http://127.0.0.1'), res));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function notFound(res) {
  res.writeHead(404).end();
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(`bench/ingest: ${err.message}`);
    process.exit(1);
  });
}
