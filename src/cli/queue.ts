import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

interface QueueFlags {
  topic?: string;
  source?: string;
  sentiment?: string;
  status?: string[];
  limit: number;
  json?: boolean;
  csv?: boolean;
}

const STATUSES = ['new', 'assigned', 'responded', 'resolved', 'ignored'];

function positiveInt(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return Number(raw);
}

export function registerQueue(program: Command, io: Io): void {
  program
    .command('queue')
    .description('list open mentions, highest priority first: what to answer next')
    .option('-t, --topic <name>', 'only this topic')
    .option('-s, --source <name>', 'only this source')
    .addOption(new Option('--sentiment <sentiment>', 'only this sentiment').choices(['negative', 'neutral', 'positive']))
    .option('--status <status...>', `statuses to list instead of the open ones (${STATUSES.join(', ')})`)
    .option('-n, --limit <n>', 'at most this many rows', positiveInt, 50)
    .option('--json', 'print JSON (an array of mentions)')
    .option('--csv', 'print CSV (formulas neutralised for spreadsheets)')
    .addHelpText(
      'after',
      `
Priority comes from sentiment, urgent/complaint/question tags and author reach; ties go to the oldest.
DUE is the time left until the source's response target (sla in the config) is missed.

Examples:
  $ mentions queue --sentiment negative --limit 10
  $ mentions queue --status responded resolved --json | jq '.[].url'`,
    )
    .action(async (flags: QueueFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      const badStatus = (flags.status ?? []).find((s) => !STATUSES.includes(s));
      if (badStatus) throw new UsageError(`unknown status "${badStatus}"; use one of ${STATUSES.join(', ')}`);
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ listQueue }, { toMentionViews }, output] = await Promise.all([
          import('../store/mentions.js'),
          import('./mention-views.js'),
          import('../output/queue.js'),
        ]);
        const now = Date.now();
        const records = listQueue(db, {
          topic: flags.topic,
          source: flags.source,
          sentiment: flags.sentiment,
          statuses: flags.status as never,
          limit: flags.limit,
        });
        const views = toMentionViews(records, config, now);
        if (flags.json) io.stdout.write(output.renderQueueJson(views));
        else if (flags.csv) io.stdout.write(output.renderQueueCsv(views));
        else io.stdout.write(output.renderQueueTable(views, now, await styleFor(globals, io)));
      } finally {
        db.close();
      }
    });
}
