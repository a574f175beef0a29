import type { Command } from 'commander';
import { loadCurrentConfig, openStore, parseMentionId, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';

export function registerHistory(program: Command, io: Io): void {
  program
    .command('history')
    .description('every change to a mention: who, when, how (by hand or detected), what changed')
    .argument('<id>', 'mention id (from "mentions queue")')
    .option('--json', 'print JSON (an array of events, oldest first)')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions history 42
  $ mentions history 42 --json | jq '.[] | select(.origin == "auto")'`,
    )
    .action(async (rawId: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const id = parseMentionId(rawId);
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ listEvents, workState, MentionNotFoundError }, output] = await Promise.all([
          import('../store/events.js'),
          import('../output/work-events.js'),
        ]);
        if (!workState(db, id)) throw new MentionNotFoundError(id);
        const events = listEvents(db, id);
        io.stdout.write(flags.json ? output.renderHistoryJson(events) : output.renderHistoryTable(events, config.timezone, await styleFor(globals, io)));
      } finally {
        db.close();
      }
    });
}
