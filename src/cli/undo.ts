import type { Command } from 'commander';
import { actingAgent, loadCurrentConfig, openStore, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { printChanges } from './work-command.js';

export function registerUndo(program: Command, io: Io): void {
  program
    .command('undo')
    .description('reverse my last change (all mentions it touched), with new events: history keeps both')
    .option('--json', 'print the reversing events as JSON')
    .addHelpText(
      'after',
      `
"My" is the acting agent (--as, $MENTIONS_AGENT, the config's agent, the OS user). Run it again to go
further back. It refuses when someone changed the same field since: see "mentions history ID".

Examples:
  $ mentions undo
  $ mentions undo --as anna --json`,
    )
    .action(async (flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const { undoLast } = await import('../store/events.js');
        const actor = actingAgent(globals, config, io);
        const result = undoLast(db, actor, Date.now());
        if (!result) {
          say(io, `nothing to undo: ${actor} has no change left that was not undone`);
          if (flags.json) io.stdout.write((await import('../output/work-events.js')).renderChangeJson({ batch: 0, events: [], unchanged: [] }));
          return;
        }
        await printChanges(io, result.recorded, config.timezone, 'undo', flags.json);
      } finally {
        db.close();
      }
    });
}
