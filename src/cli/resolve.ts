import type { Command } from 'commander';
import type { Io } from './context.js';
import { runWorkCommand, WHERE_HELP, YES_HELP } from './work-command.js';
import type { TargetFlags } from './work-command.js';

export function registerResolve(program: Command, io: Io): void {
  program
    .command('resolve')
    .alias('done')
    .description('close a mention (and the open mentions of its conversation): it leaves the queue')
    .argument('[id]', 'mention id (from "mentions queue")')
    .option('--note <text>', 'a note kept with the event')
    .option('--where <filter>', WHERE_HELP)
    .option('-y, --yes', YES_HELP)
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
"done" is another name for resolve. Resolving does not record a response: use "mentions respond" for that.

Examples:
  $ mentions resolve 42 --note "refunded"
  $ mentions resolve --where "status:responded older:3d" --yes`,
    )
    .action(async (rawId: string | undefined, flags: TargetFlags & { note?: string }, command: Command) => {
      const { resolveAt } = await import('../store/events.js');
      await runWorkCommand(io, command, {
        verb: 'resolve',
        rawId,
        flags,
        coverCase: true,
        change: (mentionId, ctx) => ({ mentionId, kind: 'status', apply: resolveAt(ctx.now), note: flags.note ?? null }),
      });
    });
}
