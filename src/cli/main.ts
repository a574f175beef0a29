import { Command, CommanderError, Option } from 'commander';
import { processIo } from './context.js';
import type { Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from './version.js';
import { registerCommands } from './commands.js';


/**
 * Builds the program. Command modules import only commander and light
 * helpers at load; each action imports what it needs (the database driver,
 * the HTTP client, parsers) when it runs, so `--help` starts fast.
 */
export async function buildProgram(io: Io, setExitCode: (code: number) => void, args: readonly string[] = []): Promise<Command> {
  const program = new Command('mentions')
    .description('Hear every public mention of your brand and answer it fast.\n\nPull mentions from feeds and APIs, classify them (relevance, sentiment, intent),\nwork them as a prioritised queue, and report response times.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-c, --config <file>', 'config file (default: $MENTIONS_CONFIG, ./mentions.yml, then ~/.config/mentions/config.yml)'))
    .addOption(new Option('--db <file>', 'database file (default: $MENTIONS_DB, the config\'s database, then ~/.local/share/mentions/mentions.db)'))
    .addOption(new Option('--as <agent>', 'act as this agent (default: $MENTIONS_AGENT, the config\'s agent, then your OS user)'))
    .option('--no-color', 'never colour output (also: NO_COLOR=1; colour is off anyway when not on a terminal)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ mentions init                     write ./mentions.yml and create the database
  $ mentions pull                     fetch new mentions from every enabled source
  $ mentions queue --sentiment negative
  $ mentions take                     assign me the top of the queue and show it
  $ mentions respond 42 --at "15m ago"  record an answer given elsewhere
  $ mentions show 42                  why mention 42 was classified so, and its history
  $ mentions report daily --out report.md

Exit codes: 0 ok, 1 some sources failed (others stored), 2 usage or config error,
3 database error, 4 not found, 5 another pull is running, 70 internal error.`,
    );
  await registerCommands(program, io, setExitCode, args);
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  try {
    const program = await buildProgram(
      io,
      (code) => {
        exitCode = code;
      },
      argv.slice(2),
    );
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

/** One line on stderr that says what went wrong and how to fix it, and the matching exit code. */
export async function reportError(err: unknown, io: Io): Promise<number> {
  if (err instanceof CommanderError) {
    // commander has already printed its message (and help, for help requests)
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const { terminalSafe } = await import('../output/sanitize.js');
  const name = (err as Error)?.name;
  const write = (text: string) => io.stderr.write(`mentions: ${terminalSafe(text)}\n`);
  switch (name) {
    case 'ConfigError': {
      const located = (err as { located?: string }).located ?? (err as Error).message;
      write(located);
      return EXIT.usage;
    }
    case 'UsageError':
    case 'QueryParseError':
    case 'FilterParseError':
    case 'WorkStateError':
      write((err as Error).message);
      return EXIT.usage;
    case 'StoreError':
      write((err as Error).message);
      return EXIT.store;
    case 'MentionNotFoundError':
      write((err as Error).message);
      return EXIT.notFound;
    case 'PullBusyError':
      write((err as Error).message);
      return EXIT.busy;
    case 'SqliteError':
      write(`database error: ${(err as Error).message}`);
      return EXIT.store;
    default:
      write(`internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.`);
      return EXIT.internal;
  }
}
