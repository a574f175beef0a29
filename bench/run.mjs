#!/usr/bin/env node
/**
 * Benchmark runner: `npm run bench [-- --quick] [-- FILE.mjs ...]`. Runs each benchmark module
 * (each exports `run(argv)` and prints a Markdown section) in order, after a header naming the
 * machine, so the output can go into docs/benchmarks.md as it is. Without file arguments it runs
 * every benchmark listed in BENCHMARKS. Build first (npm run build): benchmarks use dist/.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Benchmarks run by default, in this order. */
const BENCHMARKS = ['startup.mjs', 'classify.mjs', 'ingest.mjs', 'queries.mjs'];

const argv = process.argv.slice(2);
const files = argv.filter((arg) => arg.endsWith('.mjs'));
const options = argv.filter((arg) => !arg.endsWith('.mjs'));
const started = Date.now();
const sections = [];
console.log(`# Benchmarks${options.includes('--quick') ? ' (--quick)' : ''}\n`);
console.log(`Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start.\n`);
for (const file of files.length > 0 ? files : BENCHMARKS) {
  const path = files.length > 0 ? resolve(file) : join(here, file);
  const bench = await import(pathToFileURL(path).href);
  const sectionStarted = Date.now();
  await bench.run(options);
  sections.push(`${file.replace(/^.*\//, '')} ${((Date.now() - sectionStarted) / 1000).toFixed(0)} s`);
}
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s in all: ${sections.join(', ')})`);
