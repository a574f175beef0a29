import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { localDayBounds } from '../report/zoned-time.js';
import { loadCurrentConfig, openStore, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { resolveDate, shiftDate } from './time-args.js';

interface ReportFlags {
  date?: string;
  format: 'text' | 'md' | 'html' | 'csv' | 'json';
  out?: string;
}

type Kind = 'daily' | 'weekly';

export function registerReport(program: Command, io: Io): void {
  const report = program.command('report').description('reports over stored mentions');
  const formats = ['text', 'md', 'html', 'csv', 'json'];
  report
    .command('daily')
    .description('one day: volumes by source, topic and sentiment against the day before and the 7-day average, response times by agent and source, backlog, top authors, what needs attention')
    .option('-d, --date <date>', 'the day, YYYY-MM-DD, "today" or "yesterday", in the configured time zone', 'today')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
    .option('-o, --out <file>', 'write to this file (atomically: readers never see half a report) instead of stdout')
    .addHelpText('after', '\nFor cron:  mentions report daily --date yesterday --format md --out /var/reports/mentions-$(date +%F).md')
    .action((flags: ReportFlags, command: Command) => runReport('daily', flags, command, io));
  report
    .command('weekly')
    .description('one week (Monday–Sunday): the daily report\'s figures against the week before and the 4-week average')
    .option('-d, --date <date>', 'any day of the week, YYYY-MM-DD, "today" or "yesterday", in the configured time zone', 'today')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
    .option('-o, --out <file>', 'write to this file (atomically) instead of stdout')
    .addHelpText('after', '\nFor cron (Mondays, the week just ended):  mentions report weekly --date yesterday --format html --out weekly.html')
    .action((flags: ReportFlags, command: Command) => runReport('weekly', flags, command, io));
}

async function runReport(kind: Kind, flags: ReportFlags, command: Command, io: Io): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const config = await loadCurrentConfig(globals, io);
  const now = Date.now();
  const tz = config.timezone;
  const date = resolveDate(flags.date ?? 'today', now, tz);
  const db = await openStore(globals, config, io);
  try {
    const [{ buildDailyReport, needsAttention }, { isoWeek, statsQueryFunctions }, { reportRecordsBetween, mentionWords, mentionFactCounts }, { statsAggregates, openMentionCreatedAt }, { businessCalendar }, output, { PLAIN_STYLE }, { maskedForPeople }] =
      await Promise.all([
        import('../report/daily.js'),
        import('../report/stats.js'),
        import('../store/mentions.js'),
        import('../store/stats.js'),
        import('../report/business-time.js'),
        import('../output/daily-report.js'),
        import('../output/style.js'),
        import('./mention-views.js'),
      ]);
    const dayStart = (d: string) => localDayBounds(d, tz).from;
    let first: string;
    let days: number;
    let period: string;
    let baselinePeriods: number;
    if (kind === 'daily') {
      [first, days, period, baselinePeriods] = [date, 1, date, 7];
    } else {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      first = shiftDate(date, -weekday);
      [days, period, baselinePeriods] = [7, isoWeek(new Date(`${first}T00:00:00Z`)), 4];
    }
    const from = dayStart(first);
    const to = dayStart(shiftDate(first, days));
    // A report shows the words of only the mentions needing attention: those alone are read, and masked for people
    // (in every format). Reading and masking every text of the period cost more than the rest of the report.
    const records = reportRecordsBetween(db, from, to);
    const words = mentionWords(db, records.filter(needsAttention).map((m) => m.id));
    const masked = new Map((await maskedForPeople([...words.values()])).map((w) => [w.id, w]));
    const hours = config.sla.hours;
    const statsQuery = statsQueryFunctions(config.sla, hours === 'business' ? businessCalendar(config.businessHours, tz) : null, tz);
    const byAgent = statsAggregates(db, from, to, { ...statsQuery, by: ['agent'] });
    const model = buildDailyReport({
      kind,
      period,
      date: first,
      lastDate: shiftDate(first, days - 1),
      timezone: tz,
      from,
      to,
      baselinePeriods,
      now,
      sla: config.sla,
      hours,
      // Words only where shown; the other mentions' title and text stay empty.
      mentions: records.map((m) => Object.assign(m, { title: masked.get(m.id)?.title ?? null, text: masked.get(m.id)?.text ?? '' })),
      history: mentionFactCounts(db, dayStart(shiftDate(first, -days * baselinePeriods)), from, dayStart(shiftDate(first, -days))),
      responses: { total: byAgent.total, byAgent: byAgent.groups, bySource: statsAggregates(db, from, to, { ...statsQuery, by: ['source'] }).groups },
      openCreatedAt: openMentionCreatedAt(db),
    });
    let text: string;
    switch (flags.format) {
      case 'json':
        text = output.renderDailyReportJson(model);
        break;
      case 'md':
        text = output.renderDailyReportMarkdown(model);
        break;
      case 'html':
        text = (await import('../output/report-html.js')).renderReportHtml(model);
        break;
      case 'csv':
        text = output.renderDailyReportCsv(model);
        break;
      default:
        text = output.renderDailyReportText(model, flags.out ? PLAIN_STYLE : await styleFor(globals, io));
    }
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
}
