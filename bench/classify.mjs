#!/usr/bin/env node
/**
 * Classification speed (issue 4 "Must show", issue 8 item 3): texts per second on one core,
 * in-process (classifyEvenOffTopic as `mentions classify` calls it) and end to end through the
 * built CLI (JSONL in → JSONL out), with no topics and with 50 topics of 10 terms each.
 *
 *   npm run build && node bench/classify.mjs [--quick] [--rows N] [--runs N]
 *   (or through the runner: npm run bench -- [--quick])
 *
 * Texts are sampled at run time from the short texts (≤ 280 characters) of ../shared/data,
 * half Russian and half English, without their `lang` (so language detection runs too); the
 * data sets stay outside the repository. Every measurement is repeated and reported as the
 * median with min–max. Baselines measured in the same run give ratios that survive a noisy
 * machine: in process, a pass that only tokenizes; through the CLI, a Node script that reads
 * the same JSONL and writes one JSON line per row without classifying.
 *
 * The CLI is measured in one thread (MENTIONS_CLASSIFY_THREADS=0: the per-core figure) and with a
 * worker thread per core (its default for inputs over 50,000 rows).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { summary } from './lib.mjs';
import { readTexts, topicsConfig } from './topics.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dataDir = join(root, '..', 'shared', 'data');
const bin = join(root, 'bin', 'mentions.cjs');

const MAX_SHORT = 280;
const TARGET_PER_CORE = 300_000;
const IN_PROCESS_MAX = 300_000;
const FLOOR_LEXICON_WORDS = 10_000;
const NON_WORD = /[^\p{L}\p{N}]+/u;
/** As `mentions classify` without --evidence calls the classifier: no evidence built. */
const BULK = { evidence: false };
/** No topics, as `mentions classify` passes its compiled topics: one list for the whole run, not one per text. */
const NO_TOPICS = [];

/** The first `size` distinct words of the texts, each with a weight: a lexicon-sized Map for the floor row. */
function floorLexicon(list, size) {
  const lexicon = new Map();
  for (const text of list) {
    for (const word of text.toLowerCase().split(NON_WORD)) {
      if (lexicon.size >= size) return lexicon;
      if (word !== '' && !lexicon.has(word)) lexicon.set(word, lexicon.size % 3);
    }
  }
  return lexicon;
}

/**
 * The same floor without making a string per word: each word's characters are folded through a table
 * and hashed while the text is scanned, and the word is looked up once in an open-addressing table of
 * the same lexicon, compared character by character. What a classifier could cost at the least if it
 * built no tokens and no strings (a word is a run of letters and digits below U+0500, for the floor).
 */
function charScanFloor(lexicon) {
  const fold = new Uint16Array(0x500);
  for (let code = 0; code < fold.length; code++) {
    const ch = String.fromCharCode(code);
    if (/[\p{L}\p{N}]/u.test(ch)) {
      const lower = ch.toLowerCase();
      fold[code] = lower.length === 1 ? lower.charCodeAt(0) : code;
    }
  }
  const bits = Math.ceil(Math.log2(lexicon.size * 2 + 1));
  const mask = (1 << bits) - 1;
  const slotWord = new Int32Array(mask + 1).fill(-1);
  const slotHash = new Int32Array(mask + 1);
  const words = [...lexicon.keys()];
  const weights = Int32Array.from(lexicon.values());
  const chars = new Uint16Array(words.reduce((n, word) => n + word.length, 0));
  const wordStart = new Int32Array(words.length);
  const wordLength = new Int32Array(words.length);
  const hashOf = (word) => {
    let hash = 0;
    for (let k = 0; k < word.length; k++) hash = Math.imul(hash ^ word.charCodeAt(k), 0x01000193);
    return hash;
  };
  let at = 0;
  words.forEach((word, id) => {
    wordStart[id] = at;
    wordLength[id] = word.length;
    for (let k = 0; k < word.length; k++) chars[at++] = word.charCodeAt(k);
    const hash = hashOf(word);
    let slot = hash & mask;
    while (slotWord[slot] !== -1) slot = (slot + 1) & mask;
    slotWord[slot] = id;
    slotHash[slot] = hash;
  });
  const buffer = new Uint16Array(1 << 16);
  const weightOf = (hash, length) => {
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slotWord[slot];
      if (id === -1) return 0;
      if (slotHash[slot] !== hash || wordLength[id] !== length) continue;
      const start = wordStart[id];
      let k = 0;
      while (k < length && chars[start + k] === buffer[k]) k++;
      if (k === length) return weights[id];
    }
  };
  return (text) => {
    let sum = 0;
    let length = 0;
    let hash = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const folded = code < 0x500 ? fold[code] : 0;
      if (folded !== 0 && length < buffer.length) {
        buffer[length++] = folded;
        hash = Math.imul(hash ^ folded, 0x01000193);
      } else if (length > 0) {
        sum += weightOf(hash, length);
        length = 0;
        hash = 0;
      }
    }
    return length > 0 ? sum + weightOf(hash, length) : sum;
  };
}

export async function run(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const option = (name, fallback) => {
    const at = argv.indexOf(name);
    return at === -1 ? fallback : Number(argv[at + 1]);
  };
  const rows = option('--rows', quick ? 100_000 : 1_000_000);
  const runs = option('--runs', 3);
  if (!existsSync(dataDir)) throw new Error(`${dataDir} not found: the texts are sampled from the shared data sets`);
  if (!existsSync(join(root, 'dist', 'classify', 'index.js'))) throw new Error('build first (npm run build)');

  const files = readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dataDir, f));
  const texts = sample(files, rows);
  const topicsYaml = topicsConfig(readTexts(files));
  const work = mkdtempSync(join(tmpdir(), 'mentions-bench-classify-'));
  try {
    const configPath = join(work, 'topics.yml');
    writeFileSync(configPath, topicsYaml);
    console.log(`## Classification\n`);
    console.log(`${rows.toLocaleString('en')} texts through the CLI, the first ${Math.min(rows, IN_PROCESS_MAX).toLocaleString('en')} of them in process (${texts.ru} Russian and ${texts.en} English short texts sampled from ../shared/data, cycled); ${availableParallelism()} cores\n`);

    const classify = await import(pathToFileURL(join(root, 'dist', 'classify', 'index.js')).href);
    const { loadConfig } = await import(pathToFileURL(join(root, 'dist', 'config', 'load.js')).href);
    const topics = classify.compileTopics((await loadTopics(loadConfig, configPath)).topics);
    const results = [];
    // A rate in process does not depend on the count past JIT warm-up; fewer texts keep the full run under 15 minutes.
    const inProcessList = texts.list.slice(0, Math.min(texts.list.length, IN_PROCESS_MAX));
    // Warm-up: 20,000 texts for the JIT, then one whole pass, so that every measured run finds the
    // classifier's per-word memos as they stay. After the JIT's warm-up alone, the first measured run
    // still met two thirds of the distinct texts' words for the first time, and measured that instead
    // (5% below the runs after it): the pass is reported on its own row when `firstPass` names it.
    const inProcess = (name, fn, firstPass = null) => {
      fn(texts.list.slice(0, 20_000));
      const first = measure(firstPass ?? name, 1, inProcessList.length, () => fn(inProcessList));
      if (firstPass) results.push(first);
      results.push(measure(name, runs, inProcessList.length, () => fn(inProcessList)));
    };
    inProcess('in-process: tokenize only (baseline)', (list) => {
      for (const text of list) classify.tokenize(text);
    });
    // The floor of any lexicon classifier: lower-case, split into words, one Map lookup per word, nothing else.
    const lexicon = floorLexicon(inProcessList, FLOOR_LEXICON_WORDS);
    let floorSink = 0;
    inProcess(`in-process: floor, lower-case + split + one lookup per word in a ${FLOOR_LEXICON_WORDS.toLocaleString('en')}-word Map`, (list) => {
      for (const text of list) for (const word of text.toLowerCase().split(NON_WORD)) floorSink += lexicon.get(word) ?? 0;
    });
    const scanFloor = charScanFloor(lexicon);
    inProcess(`in-process: floor without strings, fold + hash while scanning + one lookup per word in a ${FLOOR_LEXICON_WORDS.toLocaleString('en')}-word table`, (list) => {
      for (const text of list) floorSink += scanFloor(text);
    });
    if (floorSink < 0) console.log(floorSink); // keeps the loops' work observable
    inProcess(
      'in-process: classify, no topics',
      (list) => {
        for (const text of list) classify.classifyEvenOffTopic(classify.textDraft(text, null), NO_TOPICS, BULK);
      },
      "in-process: classify, no topics, the warm-up's pass (each word's memos made as it is first met)",
    );
    inProcess('in-process: classify, 50 topics', (list) => {
      for (const text of list) classify.classifyEvenOffTopic(classify.textDraft(text, null), topics, BULK);
    });

    const input = join(work, 'input.jsonl');
    await writeJsonl(input, texts.list);
    const output = join(work, 'output.jsonl');
    const passThrough = join(work, 'pass-through.mjs');
    writeFileSync(passThrough, PASS_THROUGH);
    const cli = (name, args, threads, cliRuns = runs) => results.push(measure(name, cliRuns, texts.list.length, () => runNode(args, output, threads)));
    // The per-core figure gets every run; the variants beside it get fewer, for the same reason as above.
    const variantRuns = Math.min(runs, 2);
    cli('CLI: read + write JSONL only (baseline)', [passThrough, input]);
    cli('CLI: mentions classify, one thread', [bin, 'classify', '-i', input], '0');
    const threads = String(availableParallelism());
    cli(`CLI: mentions classify, ${threads} worker threads`, [bin, 'classify', '-i', input], threads, variantRuns);
    cli('CLI: mentions classify --topics (50), one thread', [bin, '--config', configPath, 'classify', '--topics', '-i', input], '0', variantRuns);
    report(results);
    const perCore = results.find((r) => r.name === 'in-process: classify, no topics');
    const met = perCore.median >= TARGET_PER_CORE;
    const floor = results.find((r) => r.name.startsWith('in-process: floor, '));
    const stringless = results.find((r) => r.name.startsWith('in-process: floor without strings'));
    const rate = (r) => `${Math.round(r.median).toLocaleString('en')} (${(r.median / TARGET_PER_CORE).toFixed(2)}× the target)`;
    console.log(`Target (issue 4, issue 8 item 3): ≥ ${TARGET_PER_CORE.toLocaleString('en')} texts/s on one core; in process, no topics: ${rate(perCore)}: ${met ? 'met' : '**not met**'}. Looking each word up once runs at ${rate(floor)} with a string per word, and at ${rate(stringless)} without.\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `rows` texts, alternating Russian and English, each list cycled in a fixed shuffled order. */
function sample(files, rows) {
  const byLang = { ru: [], en: [] };
  for (const file of files) {
    const lang = file.includes('/ru-') ? 'ru' : 'en';
    for (const text of readTexts([file])) if (text.length <= MAX_SHORT && text.trim() !== '') byLang[lang].push(text);
  }
  for (const list of Object.values(byLang)) shuffle(list);
  const list = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const pool = i % 2 === 0 ? byLang.ru : byLang.en;
    list[i] = pool[(i >> 1) % pool.length];
  }
  return { list, ru: byLang.ru.length, en: byLang.en.length };
}

/** Fisher–Yates with a fixed-seed generator, so every run samples the same texts. */
function shuffle(list) {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
}

async function loadTopics(loadConfig, path) {
  const { SOURCE_TYPES } = await import(pathToFileURL(join(root, 'dist', 'sources', 'catalog.js')).href);
  return loadConfig(path, { knownSourceTypes: SOURCE_TYPES });
}

function writeJsonl(path, list) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    let i = 0;
    const write = () => {
      while (i < list.length) {
        const ok = out.write(`${JSON.stringify({ id: i + 1, text: list[i] })}\n`);
        i++;
        if (!ok) return void out.once('drain', write);
      }
      out.end(resolve);
    };
    write();
  });
}

// Reads JSONL the way `mentions classify` does and writes a line per row: the floor for the CLI.
const PASS_THROUGH = `import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
const lines = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
for await (const line of lines) {
  const row = JSON.parse(line);
  const ok = process.stdout.write(JSON.stringify({ id: row.id, sentiment: 'neutral', score: 0, tags: [], relevance: 'relevant', lang: null, topics: [] }) + '\\n');
  if (!ok) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
`;

/** Runs a Node script with its stdout going to a file, as `> out.jsonl` would; `threads` sets MENTIONS_CLASSIFY_THREADS. */
function runNode(args, output, threads) {
  const fd = openSync(output, 'w');
  const env = { ...process.env };
  if (threads === undefined) delete env.MENTIONS_CLASSIFY_THREADS;
  else env.MENTIONS_CLASSIFY_THREADS = threads;
  try {
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', fd, 'pipe'], env });
    if (run.status !== 0) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  } finally {
    closeSync(fd);
  }
}

/** Times `fn` `runs` times; texts/s per run. */
function measure(name, runs, count, fn) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    fn();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(count / seconds);
  }
  return { name, ...summary(rates) };
}

/** A Markdown table; each row's ratio is against the baseline of its group (the row before that says "baseline"). */
function report(results) {
  const fmt = (n) => Math.round(n).toLocaleString('en');
  console.log('| measurement | runs | texts/s median | min–max | × baseline |');
  console.log('|---|---:|---:|---:|---:|');
  let baseline = null;
  for (const r of results) {
    if (r.name.includes('(baseline)')) baseline = r;
    const ratio = baseline && baseline !== r ? (r.median / baseline.median).toFixed(2) : '';
    console.log(`| ${r.name} | ${r.runs} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${ratio} |`);
  }
  console.log('');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(`bench/classify: ${err.message}`);
    process.exit(1);
  });
}
