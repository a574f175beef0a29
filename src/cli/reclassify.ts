import type { Command } from 'commander';
import { loadCurrentConfig, openStore, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';

export function registerReclassify(program: Command, io: Io): void {
  program
    .command('reclassify')
    .description('re-run the current rules and topics over stored mentions')
    .option('--all', 'every mention, not only those classified by older rules (use after editing topics)')
    .option('--dry-run', 'count what would change; store nothing')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Answered and resolved mentions keep their status; open ones enter or leave the queue as
their new relevance says. Mentions that no longer match a topic are kept and marked irrelevant.
Safe to interrupt: each batch of 1000 is saved on its own, and a rerun continues.`,
    )
    .action(async (flags: { all?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ reclassifyMentions }, { renderJson }] = await Promise.all([import('../pull/reclassify.js'), import('../output/json.js')]);
        const summary = reclassifyMentions({ db, config, all: flags.all, dryRun: flags.dryRun });
        if (flags.json) {
          io.stdout.write(
            renderJson({
              rules_version: summary.rulesVersion,
              scanned: summary.scanned,
              changed: summary.changed,
              sentiment_changed: summary.sentimentChanged,
              relevance_changed: summary.relevanceChanged,
              entered_queue: summary.enteredQueue,
              left_queue: summary.leftQueue,
              off_topic: summary.offTopic,
              dry_run: summary.dryRun,
            }),
          );
          return;
        }
        const verb = summary.dryRun ? 'would change' : 'changed';
        io.stdout.write(
          `${summary.scanned} mention${summary.scanned === 1 ? '' : 's'} re-classified with rules ${summary.rulesVersion}: ` +
            `${summary.changed} ${verb} (sentiment ${summary.sentimentChanged}, relevance ${summary.relevanceChanged}); ` +
            `queue +${summary.enteredQueue} −${summary.leftQueue}; ${summary.offTopic} off-topic now\n`,
        );
        if (summary.scanned === 0 && !flags.all) say(io, 'every mention is classified by the current rules; --all re-runs them anyway (after editing topics)');
        if (summary.dryRun) say(io, 'dry run: nothing was stored');
      } finally {
        db.close();
      }
    });
}
