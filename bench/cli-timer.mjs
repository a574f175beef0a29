#!/usr/bin/env node
/**
 * Wall time of whole CLI processes, measured from a small process.
 *
 * A benchmark that holds a large heap (a generated corpus, an open database) pays for it on every
 * spawnSync: forking copies its page tables, which adds about 50 ms per process with a 1.5 GB heap
 * (measured: `node -e ''` 22 ms from a small parent, 74 ms from that one). So the commands are
 * handed to a child that holds nothing and times them there.
 *
 *   timeCommands([{ args, cwd, env }], runs) → Promise<number[][]>  (ms per run, per command)
 *
 * The commands run interleaved (1, 2, 3, 1, 2, 3, …) after one warm-up round, so load on the
 * machine slows them alike. A command that exits non-zero is an error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function timeCommands(commands, runs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench/cli-timer exited ${code}`));
      const result = JSON.parse(out);
      if (result.error) return reject(new Error(result.error));
      resolve(result.times);
    });
    child.stdin.end(JSON.stringify({ commands, runs }));
  });
}

function timeHere({ commands, runs }) {
  const times = commands.map(() => []);
  const once = (command) => {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, command.args, { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${command.args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
    return ms;
  };
  for (const command of commands) once(command);
  for (let r = 0; r < runs; r++) commands.forEach((command, i) => times[i].push(once(command)));
  return times;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => (input += chunk));
  process.stdin.on('end', () => {
    try {
      process.stdout.write(JSON.stringify({ times: timeHere(JSON.parse(input)) }));
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: err.message }));
    }
  });
}
