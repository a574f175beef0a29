import { resolve } from 'node:path';
import { Option } from 'commander';
import { isIsoDate } from '../config/calendar.js';
import { localDate, localDayBounds } from '../report/zoned-time.js';
import type { Command } from 'commander';
import { loadCurrentConfig, openStore, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

interface DailyFlags {
  date?: string;
  format: 'text' | 'md' | 'json';
  out?: string;
}

export function registerReport(program: Command, io: Io): void {
  const report = program.command('report').description('reports over stored mentions');
  report
    .command('daily')
    .description('one day: volumes by source, topic and sentiment, response times, what needs attention')
    .option('-d, --date <date>', 'the day, YYYY-MM-DD, "today" or "yesterday", in the configured time zone', 'today')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('-o, --out <file>', 'write to this file (atomically: readers never see half a report) instead of stdout')
    .addHelpText('after', '\nFor cron:  mentions report daily --date yesterday --format md --out /var/reports/mentions-$(date +%F).md')
    .action(async (flags: DailyFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ buildDailyReport }, { mentionsCreatedBetween }, output, { createStyle }] = await Promise.all([
          import('../report/daily.js'),
          import('../store/mentions.js'),
          import('../output/daily-report.js'),
          import('../output/style.js'),
        ]);
        const now = Date.now();
        const date = resolveDate(flags.date ?? 'today', now, config.timezone);
        const { from, to } = localDayBounds(date, config.timezone);
        const model = buildDailyReport({
          date,
          timezone: config.timezone,
          from,
          to,
          now,
          sla: config.sla,
          mentions: mentionsCreatedBetween(db, from, to),
        });
        const text =
          flags.format === 'json'
            ? output.renderDailyReportJson(model)
            : flags.format === 'md'
              ? output.renderDailyReportMarkdown(model)
              : output.renderDailyReportText(model, flags.out ? createStyle({ color: false }) : await styleFor(globals, io));
        if (flags.out) {
          const { writeFileAtomic } = await import('../output/atomic-write.js');
          const path = resolve(io.cwd, flags.out);
          writeFileAtomic(path, text);
          say(io, `report written: ${path}`);
        } else {
          io.stdout.write(text);
        }
      } finally {
        db.close();
      }
    });
}

function resolveDate(raw: string, now: number, timeZone: string): string {
  if (raw === 'today') return localDate(now, timeZone);
  if (raw === 'yesterday') {
    // A calendar day back from today's local date: "now minus 24 h" is wrong on days the clocks change.
    const [y, m, d] = localDate(now, timeZone).split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  }
  if (!isIsoDate(raw)) throw new UsageError(`--date: expected YYYY-MM-DD, "today" or "yesterday", got "${raw}"`);
  return raw;
}
