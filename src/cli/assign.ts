import type { Command } from 'commander';
import type { Io } from './context.js';
import { UsageError } from './usage-error.js';
import { runWorkCommand, WHERE_HELP, YES_HELP } from './work-command.js';
import type { TargetFlags } from './work-command.js';

export function registerAssign(program: Command, io: Io): void {
  program
    .command('assign')
    .description('give a mention to a teammate: new becomes assigned')
    .argument('[id]', 'mention id (from "mentions queue")')
    .requiredOption('--to <name>', 'who takes it (an agent name, as in --as)')
    .option('--where <filter>', WHERE_HELP)
    .option('-y, --yes', YES_HELP)
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions assign 42 --to anna
  $ mentions assign --where "source:twitter sentiment:negative assignee:none" --to boris --yes`,
    )
    .action(async (rawId: string | undefined, flags: TargetFlags & { to: string }, command: Command) => {
      const to = flags.to.trim();
      if (to === '') throw new UsageError('--to: the name must not be empty');
      const { assignTo } = await import('../store/events.js');
      await runWorkCommand(io, command, {
        verb: 'assign',
        rawId,
        flags,
        change: (mentionId) => ({ mentionId, kind: 'assign', apply: assignTo(to) }),
      });
    });
}
