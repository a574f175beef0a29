#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI itself is compiled TypeScript (ESM) in dist/. This file is CommonJS
// because Node starts a CommonJS file a few milliseconds sooner, and start-up is measured.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const args = process.argv.slice(2);
// A bare --help at 80 columns: the text the build rendered (src/cli/help-cache.ts), without loading the CLI.
const wantsCachedHelp = args.length === 1 && (args[0] === '--help' || args[0] === '-h') && (!process.stdout.isTTY || process.stdout.columns === 80);
let help = null;
if (wantsCachedHelp) {
  try {
    help = readFileSync(join(__dirname, '..', 'dist', 'cli', 'help.txt'), 'utf8');
  } catch {
    // not built with the help cache: commander renders it
  }
}

if (help !== null) {
  process.stdout.write(help);
} else {
  // A reader that stops early (`mentions queue | head`) is not an error: stop quietly.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  import(pathToFileURL(join(__dirname, '..', 'dist', 'cli', 'main.js')).href)
    .then(({ main }) => main(process.argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`mentions: internal error: ${err && err.stack ? err.stack : err}\n`);
        process.exitCode = 70;
      },
    );
}
