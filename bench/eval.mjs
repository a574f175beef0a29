#!/usr/bin/env node
/**
 * Sentiment quality: runs the built `mentions classify` over the labeled sets in
 * ../shared/data, scores it with ../shared/eval/score.mjs, and scores the
 * rule-based peers (VADER and AFINN for English, nlp.js for Russian) on the
 * same rows. Writes docs/quality.md (or prints with --stdout).
 *
 *   npm run build && npm run eval
 *
 * The data sets stay outside the repository (their licences forbid copying);
 * without ../shared/data the script says so and exits 2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const shared = join(root, '..', 'shared');
const require = createRequire(join(root, 'package.json'));

const SETS = [
  { file: 'en-airline-dev.jsonl', lang: 'en', measure: 'macro_f1', target: 0.65, note: 'US airline customer tweets (primary English set)' },
  { file: 'ru-sentirueval2015.jsonl', lang: 'ru', measure: 'macro_f1_pos_neg', target: 0.55, note: 'Russian bank and telecom tweets (primary Russian set; SentiRuEval measure)' },
  { file: 'en-sentiment140-test.jsonl', lang: 'en', measure: 'macro_f1', note: 'Sentiment140 test tweets' },
  { file: 'en-vader-tweets.jsonl', lang: 'en', measure: 'macro_f1', note: 'VADER ground-truth tweets (VADER was tuned on these)' },
  { file: 'en-semeval2016-test.jsonl', lang: 'en', measure: 'macro_f1', note: 'SemEval-2016 4A test tweets' },
  { file: 'ru-romip2012-news.jsonl', lang: 'ru', measure: 'macro_f1_pos_neg', note: 'ROMIP-2012 news quotations' },
];

if (!existsSync(join(shared, 'data'))) {
  console.error(`eval: ${join(shared, 'data')} not found: the labeled sets live beside the project, not in it`);
  process.exit(2);
}
const bin = join(root, 'bin', 'mentions.cjs');
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('eval: build first (npm run build)');
  process.exit(2);
}

const readJsonl = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const work = mkdtempSync(join(tmpdir(), 'mentions-eval-'));

function score(dataPath, predictions) {
  const predPath = join(work, 'pred.jsonl');
  writeFileSync(predPath, predictions.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return JSON.parse(execFileSync(process.execPath, [join(shared, 'eval', 'score.mjs'), dataPath, predPath, '--json'], { encoding: 'utf8' }));
}

function ours(dataPath) {
  const rows = readJsonl(dataPath).map((r) => JSON.stringify({ id: r.id, text: r.text, lang: r.lang }));
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, 'classify'], { input: rows.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`mentions classify failed on ${dataPath}: ${run.stderr}`);
  return { predictions: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), seconds };
}

const label = (score, threshold) => (score >= threshold ? 'positive' : score <= -threshold ? 'negative' : 'neutral');

function vader(rows) {
  const { SentimentIntensityAnalyzer } = require('vader-sentiment');
  // VADER's documented thresholds: compound ≥ 0.05 positive, ≤ −0.05 negative.
  return rows.map((r) => ({ id: r.id, sentiment: label(SentimentIntensityAnalyzer.polarity_scores(r.text).compound, 0.05) }));
}

function afinn(rows) {
  const Sentiment = require('sentiment');
  const analyzer = new Sentiment();
  return rows.map((r) => {
    const s = analyzer.analyze(r.text).score;
    return { id: r.id, sentiment: s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral' };
  });
}

async function nlpjsRu(rows) {
  const { SentimentAnalyzer } = require('@nlpjs/sentiment');
  const { LangRu } = require('@nlpjs/lang-ru');
  const { Container } = require('@nlpjs/core');
  const container = new Container();
  container.use(LangRu);
  const analyzer = new SentimentAnalyzer({ container });
  const out = [];
  for (const r of rows) {
    const result = await analyzer.process({ locale: 'ru', text: r.text });
    out.push({ id: r.id, sentiment: result.sentiment.vote });
  }
  return out;
}

const results = [];
for (const set of SETS) {
  const dataPath = join(shared, 'data', set.file);
  if (!existsSync(dataPath)) continue;
  const rows = readJsonl(dataPath);
  const mine = ours(dataPath);
  const entry = { ...set, rows: rows.length, ours: score(dataPath, mine.predictions), seconds: mine.seconds, peers: {} };
  if (set.lang === 'en') {
    entry.peers.VADER = score(dataPath, vader(rows));
    entry.peers['AFINN (sentiment)'] = score(dataPath, afinn(rows));
  } else {
    entry.peers['nlp.js (@nlpjs/sentiment)'] = score(dataPath, await nlpjsRu(rows));
  }
  results.push(entry);
  console.error(`${set.file}: ${set.measure} ${entry.ours[set.measure]} (${Object.entries(entry.peers).map(([k, v]) => `${k} ${v[set.measure]}`).join(', ')})`);
}
rmSync(work, { recursive: true, force: true });

const pct = (x) => x.toFixed(3);
const lines = [
  '# Classifier quality',
  '',
  'Sentiment (positive / negative / neutral) of `mentions classify` on the labeled sets in `../shared/data/`,',
  'scored by `../shared/eval/score.mjs`, beside rule-based peers run on the same rows. Regenerate with:',
  '',
  '```',
  'npm run build && npm run eval',
  '```',
  '',
  'Measure: macro-F1 over the three classes for English; for Russian, macro-F1 over positive and negative',
  '(the SentiRuEval-2015 measure). Rows labeled mixed or unclear are not scored.',
  '',
  '| data set | rows scored | measure | mentions | peers | target |',
  '|---|---:|---|---:|---|---:|',
  ...results.map((r) => {
    const peers = Object.entries(r.peers).map(([k, v]) => `${k} ${pct(v[r.measure])}`).join('; ');
    return `| ${r.file} — ${r.note} | ${r.ours.rows} | ${r.measure === 'macro_f1' ? 'macro-F1' : 'macro-F1 (pos, neg)'} | **${pct(r.ours[r.measure])}** | ${peers} | ${r.target ? `≥ ${r.target}` : ''} |`;
  }),
  '',
  '## Per class (mentions)',
  '',
  '| data set | accuracy | F1 positive | F1 negative | F1 neutral |',
  '|---|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.file} | ${pct(r.ours.accuracy)} | ${pct(r.ours.f1.positive)} | ${pct(r.ours.f1.negative)} | ${pct(r.ours.f1.neutral)} |`),
  '',
  'Rules are tuned only on the development halves named above (airline dev, SentiRuEval); the other sets are',
  'for checking that they generalise. No labels or texts from these sets are copied into the lexicons.',
  '',
];
const text = lines.join('\n');
if (process.argv.includes('--stdout')) process.stdout.write(text);
else {
  writeFileSync(join(root, 'docs', 'quality.md'), text);
  console.error('written docs/quality.md');
}
