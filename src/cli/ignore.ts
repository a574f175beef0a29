import { Option } from 'commander';
import type { Command } from 'commander';
import type { Io } from './context.js';
import { runWorkCommand, WHERE_HELP, YES_HELP } from './work-command.js';
import type { TargetFlags } from './work-command.js';

export const IGNORE_REASONS = ['spam', 'irrelevant', 'duplicate', 'no-action-needed'] as const;

export function registerIgnore(program: Command, io: Io): void {
  program
    .command('ignore')
    .description('dismiss a mention consciously, with a reason: it leaves the queue')
    .argument('[id]', 'mention id (from "mentions queue")')
    .addOption(new Option('-r, --reason <reason>', 'why it needs no answer').choices(IGNORE_REASONS).makeOptionMandatory())
    .option('--note <text>', 'a note kept with the event')
    .option('--where <filter>', WHERE_HELP)
    .option('-y, --yes', YES_HELP)
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions ignore 42 --reason duplicate
  $ mentions ignore --where "tag:spam" --reason spam --yes`,
    )
    .action(async (rawId: string | undefined, flags: TargetFlags & { reason: string; note?: string }, command: Command) => {
      const note = flags.note ? `${flags.reason}: ${flags.note}` : flags.reason;
      const { ignore } = await import('../store/events.js');
      await runWorkCommand(io, command, {
        verb: 'ignore',
        rawId,
        flags,
        change: (mentionId) => ({ mentionId, kind: 'status', apply: ignore(), note }),
      });
    });
}
