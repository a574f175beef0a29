import { Option } from 'commander';
import type { Command } from 'commander';
import { loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

interface SearchFlags {
  limit: string;
  since?: string;
  sort: 'newest' | 'relevance';
  json?: boolean;
  csv?: boolean;
}

export function registerSearch(program: Command, io: Io): void {
  program
    .command('search')
    .description('full-text search over every stored mention (any status): words, "phrases", prefix*, -excluded')
    .argument('<terms...>', 'what to find: every word must appear; "a phrase"; prefix*; -word excludes')
    .option('-n, --limit <n>', 'at most this many mentions', '20')
    .option('--since <time>', 'only mentions since this time: ISO date or time, or a span like "7d ago"')
    .addOption(new Option('--sort <order>', 'newest first, or best match first').choices(['newest', 'relevance']).default('newest'))
    .option('--json', 'print JSON (an array of mentions, each with a snippet)')
    .option('--csv', 'print CSV (formulas neutralised for spreadsheets)')
    .addHelpText(
      'after',
      `
Case and accents do not matter; other word forms do: use a prefix (доставк* finds доставка, доставку).

Examples:
  $ mentions search refund
  $ mentions search "не работает" приложени* --since "7d ago"
  $ mentions search acme -job --sort relevance --json`,
    )
    .action(async (terms: string[], flags: SearchFlags, command: Command) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(`--limit must be a whole number from 1 to 10000, got "${flags.limit}"`);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const now = Date.now();
      let since: number | undefined;
      if (flags.since !== undefined) {
        const { parseAtTime } = await import('./time-arg.js');
        since = parseAtTime(flags.since, config.timezone, now, '--since');
      }
      const db = await openStore(globals, config, io);
      try {
        const [{ searchMentions, SearchTermsError }, { toMentionViews }, output] = await Promise.all([
          import('../store/search.js'),
          import('./mention-views.js'),
          import('../output/search.js'),
        ]);
        let hits;
        try {
          hits = searchMentions(db, terms.join(' '), { limit, from: since, order: flags.sort });
        } catch (err) {
          if (err instanceof SearchTermsError) throw new UsageError(err.message);
          throw err;
        }
        const views = toMentionViews(
          hits.map((hit) => hit.mention),
          config,
          now,
        ).map((mention, i) => ({ mention, snippet: hits[i]!.snippet }));
        if (flags.json) io.stdout.write(output.renderSearchJson(views));
        else if (flags.csv) io.stdout.write(output.renderSearchCsv(views));
        else {
          const { maskProfanity } = await import('../classify/profanity.js');
          const forPeople = views.map((hit) => ({ ...hit, snippet: maskProfanity(hit.snippet) }));
          io.stdout.write(output.renderSearch(forPeople, config.timezone, await styleFor(globals, io)));
        }
      } finally {
        db.close();
      }
    });
}
