import type { Command } from 'commander';
import { loadCurrentConfig, openStore } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

interface WatchFlags {
  every: string;
}

/** Below this, a cycle would mostly find nothing due and spin. Sources keep their own interval (at least 1m) anyway. */
const MIN_EVERY_SECONDS = 1;

export function registerWatch(program: Command, io: Io): void {
  program
    .command('watch')
    .description('pull due sources and deliver alerts on a schedule, until stopped')
    .option('-e, --every <duration>', 'how often to check which sources are due and deliver alerts', '2m')
    .addHelpText(
      'after',
      `
Each cycle polls only the sources whose own interval has passed (with jitter; failing sources back
off), evaluates the alert rules and delivers queued alerts. One log line per cycle goes to stderr.
SIGINT or SIGTERM stops after the current cycle's writes (exit 0); a second signal stops at once
(exit 130; every stored page is one transaction, so nothing is half-written).
For cron, run "mentions pull --alert" instead: one cycle.`,
    )
    .action(async (flags: WatchFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { parseDuration } = await import('../config/duration.js');
      let everySeconds: number;
      try {
        everySeconds = parseDuration(flags.every);
      } catch (err) {
        throw new UsageError(`--every: ${(err as Error).message}`);
      }
      if (everySeconds < MIN_EVERY_SECONDS) throw new UsageError(`--every must be at least ${MIN_EVERY_SECONDS}s`);
      const config = await loadCurrentConfig(globals, io);
      const [{ prepareSources }, { watch }, { formatWatchCycle }, { terminalSafeLine }] = await Promise.all([
        import('../pull/pull.js'),
        import('../pull/watch.js'),
        import('../output/watch-cycle.js'),
        import('../output/sanitize.js'),
      ]);
      // Config problems (an unset token variable) stop here with exit 2, not in every cycle.
      await prepareSources(config, undefined, io.env);
      const db = await openStore(globals, config, io);
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        if (stop.signal.aborted) {
          io.stderr.write(`mentions: ${signal} again: stopping now\n`);
          process.exit(EXIT.interrupted);
        }
        io.stderr.write(`mentions: ${signal}: stopping after the current cycle\n`);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const enabled = config.sources.filter((s) => s.enabled).length;
      io.stderr.write(`mentions: watching ${enabled} sources, a cycle every ${flags.every}; ${config.alerts.rules.length} alert rules\n`);
      try {
        await watch({
          db,
          config,
          env: io.env,
          everyMs: everySeconds * 1000,
          signal: stop.signal,
          onCycle: (cycle) => io.stderr.write(`${formatWatchCycle(cycle, enabled)}\n`),
          log: (line) => io.stderr.write(`mentions: ${terminalSafeLine(line)}\n`),
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        db.close();
      }
    });
}
