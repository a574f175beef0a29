/**
 * `mentions --help` is the same text every time, and loading every command's definition to print
 * it costs more than the rest of start-up. The build renders it once (npm run build runs this
 * module) into dist/cli/help.txt; bin/mentions.cjs prints that file for a bare `--help` when the
 * output is 80 columns wide (a pipe, or an 80-column terminal), and asks commander otherwise.
 * A test checks the file against commander's own rendering.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from './main.js';
import type { Io } from './context.js';

/** Top-level help as commander renders it at 80 columns. */
export async function renderTopLevelHelp(): Promise<string> {
  let text = '';
  const sink = { write: (chunk: string) => ((text += chunk), true), columns: 80, isTTY: false } as unknown as NodeJS.WriteStream;
  const io: Io = { stdout: sink, stderr: sink, env: {}, cwd: process.cwd() };
  const program = await buildProgram(io, () => undefined, ['--help']);
  program.configureOutput({ writeOut: (s) => sink.write(s), writeErr: (s) => sink.write(s), getOutHelpWidth: () => 80, getErrHelpWidth: () => 80 });
  // outputHelp, not helpInformation: it adds the text placed after the help (examples, exit codes).
  program.outputHelp();
  return text;
}

export const HELP_CACHE_FILE = fileURLToPath(new URL('./help.txt', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(HELP_CACHE_FILE, await renderTopLevelHelp());
}
