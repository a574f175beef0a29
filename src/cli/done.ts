import type { Command } from 'commander';
import type { GlobalOptions, Io } from './context.js';
import { applyStatusChange } from './status-change.js';

export function registerDone(program: Command, io: Io): void {
  program
    .command('done')
    .description('mark a mention handled (resolved): it leaves the queue')
    .argument('<id>', 'mention id')
    .option('--note <text>', 'a note kept with the status change')
    .option('--json', 'print the status change as JSON')
    .action(async (rawId: string, flags: { note?: string; json?: boolean }, command: Command) => {
      await applyStatusChange(io, command.optsWithGlobals<GlobalOptions>(), rawId, 'resolved', flags.note ?? null, flags.json);
    });
}
