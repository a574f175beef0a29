#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled TypeScript in dist/.
import { main } from '../dist/cli/main.js';

// A reader that stops early (`mentions queue | head`) is not an error: stop quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`mentions: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
