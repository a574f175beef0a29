#!/usr/bin/env node
/**
 * Start-up time (issue 8 item 1): `mentions --help` and `mentions queue` on an empty database,
 * against `node -e ''` measured in the same run, interleaved so that a noisy machine slows all
 * three alike. Targets: ≤ 1.3× and ≤ 1.6× the bare Node start-up. A fourth process measures the floor
 * of any `queue`: Node loading commander and better-sqlite3 and reading the database, none of our code.
 *
 *   npm run build && node bench/startup.mjs [--quick] [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'mentions.cjs');

const FLOOR_SCRIPT = (db) =>
  `require(${JSON.stringify(join(root, 'node_modules', 'commander'))});` +
  `const Database = require(${JSON.stringify(join(root, 'node_modules', 'better-sqlite3'))});` +
  // The addon by its path, as src/store/db.ts opens it, so the floor does not pay for the bindings package's search.
  `new Database(${JSON.stringify(db)}, { readonly: true, nativeBinding: ${JSON.stringify(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))} })` +
  `.prepare('SELECT count(*) FROM mentions').get();`;

export async function run(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--runs');
  const runs = at === -1 ? (quick ? 15 : 40) : Number(argv[at + 1]);
  const work = mkdtempSync(join(tmpdir(), 'mentions-bench-startup-'));
  try {
    const env = { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, '.config'), XDG_DATA_HOME: join(work, '.data'), XDG_CACHE_HOME: join(work, '.cache'), TZ: 'UTC' };
    writeFileSync(join(work, 'mentions.yml'), 'timezone: Europe/Moscow\ndatabase: mentions.db\ntopics:\n  - name: acme\n    query: acme OR акме\n');
    const init = spawnSync(process.execPath, [bin, 'init'], { cwd: work, env });
    if (init.status !== 0) throw new Error(`mentions init failed: ${init.stderr}`);
    const cases = [
      { name: "node -e '' (baseline)", args: ['-e', ''] },
      { name: 'mentions --help', args: [bin, '--help'], target: 1.3 },
      { name: 'mentions queue (empty database)', args: [bin, 'queue'], target: 1.6 },
      // The floor of any `queue`: Node loading the two packages the stack prescribes for it (commander
      // for the command line, better-sqlite3 for the store) and reading the database, and nothing of ours.
      { name: 'floor: node + commander + better-sqlite3 reading the database', args: ['-e', FLOOR_SCRIPT(join(work, 'mentions.db'))] },
      // What Node's ES module loader costs by itself: the project's modules are ESM.
      { name: 'node loading an empty ES module', args: [join(work, 'empty.mjs')] },
    ];
    writeFileSync(join(work, 'empty.mjs'), '');
    const times = cases.map(() => []);
    // One warm-up round: the OS file cache, not our code, is what a first run measures.
    for (const c of cases) spawnSync(process.execPath, c.args, { cwd: work, env });
    for (let r = 0; r < runs; r++) {
      cases.forEach((c, i) => {
        const started = process.hrtime.bigint();
        const result = spawnSync(process.execPath, c.args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
        times[i].push(Number(process.hrtime.bigint() - started) / 1e6);
        if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}: ${result.stderr}`);
      });
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(times[0]);
    console.log('## Start-up\n');
    console.log(`${runs} runs of each, interleaved, wall time of the whole process (spawnSync), stdout piped.\n`);
    console.log('| command | median ms | min–max ms | × node | target | met |');
    console.log('|---|---:|---:|---:|---:|---|');
    cases.forEach((c, i) => {
      const sorted = [...times[i]].sort((a, b) => a - b);
      const ratio = median(times[i]) / base;
      const target = c.target ? `≤ ${c.target}×` : '';
      const met = c.target ? (ratio <= c.target ? 'yes' : '**no**') : '';
      console.log(`| \`${c.name}\` | ${median(times[i]).toFixed(1)} | ${sorted[0].toFixed(1)}–${sorted[sorted.length - 1].toFixed(1)} | ${i === 0 ? '1.00' : ratio.toFixed(2)} | ${target} | ${met} |`);
    });
    console.log('');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(`bench/startup: ${err.message}`);
    process.exit(1);
  });
}
