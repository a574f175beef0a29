/**
 * Shared pieces of the ingest and query benchmarks: timing (median and min–max), Markdown tables,
 * a seeded generator, mention texts sampled at run time from ../shared/data (never copied into the
 * repository) with a brand in them, the topic config that matches those texts, and running a
 * child process under /usr/bin/time for its peak RSS.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const bin = join(root, 'bin', 'mentions.cjs');
export const dataDir = join(root, '..', 'shared', 'data');

export function requireBuild() {
  if (!existsSync(join(root, 'dist', 'store', 'db.js'))) throw new Error('build first (npm run build): the benchmarks use dist/');
}

/** Median (of the middle two for an even count), min and max of a list of numbers. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Runs `fn` `runs` times (after `warmup` untimed runs); milliseconds of each run. */
export async function timeRuns(runs, fn, warmup = 1) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

export function markdownTable(headers, rows, align = headers.map((_, i) => (i === 0 ? 'left' : 'right'))) {
  const lines = [`| ${headers.join(' | ')} |`, `|${align.map((a) => (a === 'left' ? '---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export const fmtInt = (n) => Math.round(n).toLocaleString('en');
export const fmtMs = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en'));
export const msRange = (s) => `${fmtMs(s.min)}–${fmtMs(s.max)}`;

/** A seeded xorshift generator in [0, 1): every run generates the same data. */
export function seeded(seed = 0x2545f491) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const BRAND_WORDS =
  /acme|акме|сбер|sberbank|втб|альфа|билайн|мтс|мегафон|ростелеком|united|americanair|delta|jetblue|southwestair|usairways|virginamerica/i;

/** The topics the generated texts mention: real brands of the data sets, plus "Acme" put into the others. */
export const TOPICS_YAML = `topics:
  - name: acme
    query: acme OR акме
    own_accounts: [acme_support]
  - name: banks
    query: сбербанк OR сбер OR sberbank OR втб OR альфабанк OR "альфа банк"
  - name: telecom
    query: билайн OR мтс OR мегафон OR ростелеком
  - name: airlines
    query: united OR americanair OR delta OR jetblue OR southwestair OR usairways OR virginamerica
`;

/**
 * Texts of the shared data sets by language (short ones, ≤ 280 characters), shuffled with a fixed
 * seed. Throws when ../shared/data is missing.
 */
export function loadTexts() {
  if (!existsSync(dataDir)) throw new Error(`${dataDir} not found: the texts are sampled from the shared data sets`);
  const byLang = { ru: [], en: [] };
  for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.jsonl'))) {
    const lang = file.startsWith('ru-') ? 'ru' : 'en';
    for (const line of readFileSync(join(dataDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const text = JSON.parse(line).text;
      if (typeof text === 'string' && text.trim() !== '' && text.length <= 280) byLang[lang].push(text.replace(/\s+/g, ' ').trim());
    }
  }
  const random = seeded(7);
  for (const list of Object.values(byLang)) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
  }
  return byLang;
}

/**
 * Mention text number `n` (the same every run): one or two sampled texts of one language (so few
 * texts repeat exactly), with "Acme"/"Акме" put in at a word boundary unless a brand of the topics
 * is named; about 5% get no brand (they match no topic, as some search results do not).
 */
export function mentionText(byLang, n) {
  const random = seeded((Math.imul(n + 1, 2654435761) ^ 0x5bd1e995) >>> 0);
  random();
  const lang = random() < 0.5 ? 'ru' : 'en';
  const list = byLang[lang];
  const pick = () => list[Math.floor(random() * list.length)];
  let text = pick();
  if (random() < 0.7) text = `${text} ${pick()}`;
  if (random() < 0.05) return { text: text.replace(new RegExp(BRAND_WORDS.source, 'gi'), 'it'), lang };
  if (!BRAND_WORDS.test(text)) {
    const words = text.split(' ');
    words.splice(Math.floor(random() * (words.length + 1)), 0, lang === 'ru' ? 'Акме' : 'Acme');
    text = words.join(' ');
  }
  return { text, lang };
}

/**
 * Runs `node args` under /usr/bin/time (peak RSS) without blocking this process's event loop (a
 * local server here may be answering the child). Resolves to { ms, peakRssKb, stdout, stderr }.
 */
export function runTimed(args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', process.execPath, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      const peak = /PEAK_RSS_KB=(\d+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ ms, peakRssKb: peak ? Number(peak[1]) : null, stdout, stderr });
    });
  });
}
