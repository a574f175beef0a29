import { Option } from 'commander';
import type { Command } from 'commander';
import type { GlobalOptions, Io } from './context.js';
import { applyStatusChange } from './status-change.js';

export const IGNORE_REASONS = ['spam', 'irrelevant', 'duplicate', 'no-action-needed'] as const;

export function registerIgnore(program: Command, io: Io): void {
  program
    .command('ignore')
    .description('dismiss a mention consciously, with a reason: it leaves the queue')
    .argument('<id>', 'mention id')
    .addOption(new Option('-r, --reason <reason>', 'why it needs no answer').choices(IGNORE_REASONS).default('no-action-needed'))
    .option('--note <text>', 'a note kept with the status change')
    .option('--json', 'print the status change as JSON')
    .action(async (rawId: string, flags: { reason: string; note?: string; json?: boolean }, command: Command) => {
      const note = flags.note ? `${flags.reason}: ${flags.note}` : flags.reason;
      await applyStatusChange(io, command.optsWithGlobals<GlobalOptions>(), rawId, 'ignored', note, flags.json);
    });
}
