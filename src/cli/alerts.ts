import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { loadCurrentConfig, openStore, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

const STATES = ['pending', 'sent', 'failed', 'skipped'] as const;

export function registerAlerts(program: Command, io: Io, setExitCode: SetExitCode): void {
  const alerts = program
    .command('alerts')
    .description('the alert queue (pending, sent, failed, skipped); send a test message to a channel')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions alerts                     newest alerts in every state
  $ mentions alerts --state pending     waiting: channel down, quiet hours or rate limit
  $ mentions alerts test team-slack     send a test message now`,
    );

  alerts
    .command('list', { isDefault: true })
    .description('queued alerts, newest first')
    .option('--state <state...>', `only these states: ${STATES.join(', ')}`)
    .option('-n, --limit <n>', 'at most this many', '50')
    .option('--json', 'print as JSON')
    .action(async (flags: { state?: string[]; limit: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const bad = (flags.state ?? []).find((s) => !(STATES as readonly string[]).includes(s));
      if (bad !== undefined) throw new UsageError(`--state: unknown state "${bad}"; states: ${STATES.join(', ')}`);
      if (!/^\d+$/.test(flags.limit) || Number(flags.limit) < 1) throw new UsageError(`--limit must be a whole number above 0, got "${flags.limit}"`);
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ listAlerts }, { renderAlertsJson, renderAlertsTable }] = await Promise.all([import('../store/alerts.js'), import('../output/alerts.js')]);
        const rows = listAlerts(db, { states: flags.state as (typeof STATES)[number][] | undefined, limit: Number(flags.limit) });
        if (flags.json) io.stdout.write(renderAlertsJson(rows));
        else io.stdout.write(renderAlertsTable(rows, Date.now(), await styleFor(globals, io)));
      } finally {
        db.close();
      }
    });

  alerts
    .command('test')
    .description('send a test message to a channel now; nothing is queued')
    .argument('<channel>', 'channel name from alerts.channels in the config')
    .addHelpText('after', '\nExit 0 when the channel accepted the message, 1 when it did not (the reason on stderr), 2 for an unknown channel.')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const channel = config.alerts.channels.find((c) => c.name === name);
      if (!channel) {
        const known = config.alerts.channels.map((c) => c.name).join(', ') || '(none: add some under alerts.channels)';
        throw new UsageError(`unknown alert channel "${name}"; channels: ${known}`);
      }
      const [{ sendToChannel }, { HttpClient }, { terminalSafeLine }] = await Promise.all([
        import('../pull/alert-channels.js'),
        import('../http/client.js'),
        import('../output/sanitize.js'),
      ]);
      const http = new HttpClient({ retries: 1, totalTimeoutMs: 20_000 });
      try {
        await sendToChannel(channel, { kind: 'test', channel: channel.name }, { http, env: io.env });
        say(io, `mentions: test message sent to ${channel.name} (${channel.type})`);
        setExitCode(EXIT.ok);
      } catch (err) {
        say(io, `mentions: test message to ${channel.name} (${channel.type}) failed: ${terminalSafeLine((err as Error).message)}`);
        setExitCode(EXIT.partial);
      } finally {
        await http.close();
      }
    });
}
