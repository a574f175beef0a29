import type { Command } from 'commander';
import type { Io } from './context.js';
import { runWorkCommand, WHERE_HELP, YES_HELP } from './work-command.js';
import type { TargetFlags } from './work-command.js';

export function registerUrgent(program: Command, io: Io): void {
  program
    .command('urgent')
    .description('mark a mention urgent by hand: it goes to the top of the queue')
    .argument('[id]', 'mention id (from "mentions queue")')
    .option('--off', 'clear the mark')
    .option('--where <filter>', WHERE_HELP)
    .option('-y, --yes', YES_HELP)
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions urgent 42
  $ mentions urgent 42 --off
  $ mentions urgent --where "topic:outage newer:1h" --yes`,
    )
    .action(async (rawId: string | undefined, flags: TargetFlags & { off?: boolean }, command: Command) => {
      const { setUrgent } = await import('../store/events.js');
      await runWorkCommand(io, command, {
        verb: flags.off ? 'clear urgency of' : 'mark urgent',
        rawId,
        flags,
        change: (mentionId) => ({ mentionId, kind: 'urgent', apply: setUrgent(!flags.off) }),
      });
    });
}
