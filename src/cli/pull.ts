import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { runAlertsAfterPull } from './alert-cycle.js';
import { EXIT } from './exit-codes.js';

interface PullFlags {
  source?: string[];
  json?: boolean;
  quiet?: boolean;
  alert?: boolean;
}

export function registerPull(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('pull')
    .description('fetch new mentions from the configured sources, classify and store them')
    .option('-s, --source <name...>', 'only these sources (by name); default: every enabled source')
    .option('--json', 'print the summary as JSON')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--alert', 'then evaluate the alert rules and deliver queued alerts (one watch cycle, for cron)')
    .addHelpText(
      'after',
      `
Each source is polled incrementally: only new items are stored, a second pull adds no duplicates.
Exit code 0 when every source succeeded, 1 when some failed (the others are still stored),
2 for a config problem (e.g. a token variable that is not set).`,
    )
    .action(async (flags: PullFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ pullSources }, { renderPullSummary, pullSummaryJson }, { pullProgressPrinter }] = await Promise.all([
          import('../pull/pull.js'),
          import('../output/pull-summary.js'),
          import('../output/pull-progress.js'),
        ]);
        if (config.sources.length === 0) {
          io.stderr.write('mentions: no sources configured: add some under "sources:" in the config (see "mentions init")\n');
        }
        const style = await styleFor(globals, io, io.stderr);
        const progress = flags.quiet ? undefined : pullProgressPrinter(io.stderr, style);
        const summary = await pullSources({ db, config, only: flags.source, env: io.env, onEvent: progress });
        if (flags.json) io.stdout.write(pullSummaryJson(summary));
        else io.stdout.write(renderPullSummary(summary, await styleFor(globals, io)));
        if (flags.alert) await runAlertsAfterPull(io, db, config, summary.startedAt);
        setExitCode(summary.totals.failed > 0 ? EXIT.partial : EXIT.ok);
      } finally {
        db.close();
      }
    });
}
