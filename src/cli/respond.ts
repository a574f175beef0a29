import type { Command } from 'commander';
import type { Io } from './context.js';
import { parseAtTime } from './time-arg.js';
import { UsageError } from './usage-error.js';
import { runWorkCommand } from './work-command.js';

export function registerRespond(program: Command, io: Io): void {
  program
    .command('respond')
    .description('record that a mention was answered: its first response time, and the other open mentions of its conversation')
    .argument('<id>', 'mention id (from "mentions queue")')
    .option('--at <time>', 'when the answer was given, if not now: ISO 8601 (config time zone when no offset) or "15m ago"')
    .option('--url <reply-url>', 'link to the reply')
    .option('--note <text>', 'a note kept with the event')
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
The first response time is the earliest ever recorded: an answer given by phone an hour ago
(--at "1h ago") moves it earlier; a later one never moves it later.

Examples:
  $ mentions respond 42 --url https://twitter.com/AcmeHelp/status/1859
  $ mentions respond 42 --at "2026-11-20 14:05"
  $ mentions respond 42 --at "15m ago" --note "answered by phone"`,
    )
    .action(async (rawId: string, flags: { at?: string; url?: string; note?: string; json?: boolean }, command: Command) => {
      const [{ respondAt }, { safeHttpUrl }] = await Promise.all([import('../store/events.js'), import('../sources/html-text.js')]);
      const replyUrl = flags.url === undefined ? null : safeHttpUrl(flags.url);
      if (flags.url !== undefined && replyUrl === null) throw new UsageError(`--url "${flags.url}": expected an http(s) link`);
      await runWorkCommand(io, command, {
        verb: 'respond',
        rawId,
        flags,
        coverCase: true,
        change: (mentionId, ctx) => {
          const at = flags.at === undefined ? ctx.now : parseAtTime(flags.at, ctx.config.timezone, ctx.now);
          const when = flags.at === undefined ? null : `answered ${new Date(at).toISOString()}`;
          const note = [when, flags.note ?? null].filter((p) => p !== null).join('; ') || null;
          return { mentionId, kind: 'respond', apply: respondAt(at), always: true, note, replyUrl };
        },
      });
    });
}
