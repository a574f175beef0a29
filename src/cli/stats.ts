import { Option } from 'commander';
import type { Command } from 'commander';
import { STATS_DIMENSIONS } from '../report/stats.js';
import { localDate } from '../report/zoned-time.js';
import type { StatsDimension } from '../report/stats.js';
import { loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { parseTimeArg, shiftDate } from './time-args.js';
import { UsageError } from './usage-error.js';

interface StatsFlags {
  from?: string;
  to?: string;
  by?: string[];
  hours?: 'all' | 'business';
  json?: boolean;
  csv?: boolean;
}

/** Default window: the last 7 local days, today included. */
const DEFAULT_DAYS = 7;

export function registerStats(program: Command, io: Io): void {
  program
    .command('stats')
    .description('response times: answered share, mean / median / p90 / p95 / max first response, SLA compliance, resolution')
    .option('--from <when>', 'start (inclusive): YYYY-MM-DD, "YYYY-MM-DD HH:MM" in the configured zone, or ISO with Z/offset (default: 6 days before today)')
    .option('--to <when>', 'end (exclusive), same forms (default: the end of today)')
    .option('--by <dimension...>', `group by one or more of ${STATS_DIMENSIONS.join(', ')} (several: --by source day, or source,day)`)
    .addOption(new Option('--hours <hours>', 'count all hours or only business hours (default: the config\'s sla.hours)').choices(['all', 'business']))
    .option('--json', 'print JSON (stable field names)')
    .option('--csv', 'print CSV (one row per group)')
    .addHelpText(
      'after',
      `
Counts relevant mentions created in [--from, --to), except those dismissed with "ignore".
Median: the middle value, or the mean of the two middle ones; p90/p95: linear interpolation between closest ranks.

Examples:
  $ mentions stats --by source
  $ mentions stats --from 2026-11-01 --to 2026-12-01 --by week --hours business --json`,
    )
    .action(async (flags: StatsFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      const by = parseDimensions(flags.by ?? []);
      const config = await loadCurrentConfig(globals, io);
      const now = Date.now();
      const tz = config.timezone;
      const to = flags.to ? parseTimeArg(flags.to, '--to', now, tz) : parseTimeArg(shiftDate(localDate(now, tz), 1), '--to', now, tz);
      const from = flags.from ? parseTimeArg(flags.from, '--from', now, tz) : parseTimeArg(shiftDate(localDate(now, tz), 1 - DEFAULT_DAYS), '--from', now, tz);
      if (from >= to) throw new UsageError(`--from must be before --to (got ${new Date(from).toISOString()} and ${new Date(to).toISOString()})`);
      const hours = flags.hours ?? config.sla.hours;
      const db = await openStore(globals, config, io);
      try {
        const [{ statsAggregates }, { statsFromFacts, statsQueryFunctions }, { businessCalendar }, output] = await Promise.all([
          import('../store/stats.js'),
          import('../report/stats.js'),
          import('../report/business-time.js'),
          import('../output/stats.js'),
        ]);
        const calendar = hours === 'business' ? businessCalendar(config.businessHours, tz) : null;
        const { total, groups } = statsAggregates(db, from, to, { by, ...statsQueryFunctions(config.sla, calendar, tz) });
        const stats = statsFromFacts(total, groups, { hours, sla: config.sla, by });
        const scope = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timezone: tz };
        if (flags.json) io.stdout.write(output.renderStatsJson(stats, scope));
        else if (flags.csv) io.stdout.write(output.renderStatsCsv(stats));
        else io.stdout.write(output.renderStatsTable(stats, scope, await styleFor(globals, io)));
      } finally {
        db.close();
      }
    });
}

function parseDimensions(raw: readonly string[]): StatsDimension[] {
  const names = raw.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const name of names) {
    if (!(STATS_DIMENSIONS as readonly string[]).includes(name)) {
      throw new UsageError(`--by: unknown dimension "${name}"; use ${STATS_DIMENSIONS.join(', ')}`);
    }
  }
  return [...new Set(names)] as StatsDimension[];
}
