import type { Command } from 'commander';
import type { Io } from './context.js';
import { UsageError } from './usage-error.js';
import { runWorkCommand } from './work-command.js';

export function registerNote(program: Command, io: Io): void {
  program
    .command('note')
    .description('add a note to a mention\'s history (its state stays as it is)')
    .argument('<id>', 'mention id (from "mentions queue")')
    .argument('<text...>', 'the note')
    .option('--json', 'print the event as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions note 42 "customer called back, waiting for the order number"`,
    )
    .action(async (rawId: string, words: string[], flags: { json?: boolean }, command: Command) => {
      const text = words.join(' ').trim();
      if (text === '') throw new UsageError('the note is empty');
      const { keepState } = await import('../store/events.js');
      await runWorkCommand(io, command, {
        verb: 'note',
        rawId,
        flags,
        change: (mentionId) => ({ mentionId, kind: 'note', apply: keepState(), always: true, note: text }),
      });
    });
}
