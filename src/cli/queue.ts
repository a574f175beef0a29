import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { actingAgent, loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

interface QueueFlags {
  topic?: string;
  source?: string;
  sentiment?: string;
  status?: string[];
  where?: string;
  mine?: boolean;
  unassigned?: boolean;
  overdue?: boolean;
  sort: 'priority' | 'arrival';
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
    .option('--where <filter>', 'only mentions matching FILTER (tag:complaint source:twitter older:2h assignee:none …)')
    .option('--mine', 'only mentions assigned to me (see --as)')
    .option('--unassigned', 'only mentions nobody has taken')
    .option('--overdue', 'only mentions past their response target')
    .addOption(new Option('--sort <order>', 'priority score, or arrival (oldest first, manual urgent marks on top)').choices(['priority', 'arrival']).default('priority'))
    .option('-n, --limit <n>', 'at most this many rows', positiveInt, 50)
    .option('--json', 'print JSON (an array of mentions)')
    .option('--csv', 'print CSV (formulas neutralised for spreadsheets)')
    .addHelpText(
      'after',
      `
Priority: static priority (sentiment, urgent/complaint/question tags, reach) + 100 for a manual urgent
mark + up to 80 for SLA pressure (40 at the deadline); ties go to the oldest. See README "Working the queue".
DUE is the time left until the source's response target (sla in the config) is missed, or how long ago it was.
A conversation shows once: CASE counts its open mentions; responding to it covers them all.

Examples:
  $ mentions queue --mine
  $ mentions queue --overdue --sort arrival
  $ mentions queue --where "source:twitter sentiment:negative assignee:none"
  $ mentions queue --status responded resolved --json | jq '.[].url'`,
    )
    .action(async (flags: QueueFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      if (flags.mine && flags.unassigned) throw new UsageError('choose one of --mine and --unassigned');
      const badStatus = (flags.status ?? []).find((s) => !STATUSES.includes(s));
      if (badStatus) throw new UsageError(`unknown status "${badStatus}"; use one of ${STATUSES.join(', ')}`);
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ loadQueueViews, maskedForPeople }, output] = await Promise.all([import('./mention-views.js'), import('../output/queue.js')]);
        const now = Date.now();
        const views = await loadQueueViews(
          db,
          config,
          {
            topic: flags.topic,
            source: flags.source,
            sentiment: flags.sentiment,
            statuses: flags.status as never,
            assignee: flags.mine ? actingAgent(globals, config, io) : flags.unassigned ? null : undefined,
            where: flags.where,
            overdue: flags.overdue,
            sort: flags.sort,
            limit: flags.limit,
          },
          now,
        );
        if (flags.json) io.stdout.write(output.renderQueueJson(views));
        else if (flags.csv) io.stdout.write(output.renderQueueCsv(views));
        else io.stdout.write(output.renderQueueTable(await maskedForPeople(views), now, await styleFor(globals, io)));
      } finally {
        db.close();
      }
    });
}
