import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { databasePath, loadCurrentConfig, locateConfig, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export function registerSources(program: Command, io: Io, setExitCode: SetExitCode): void {
  const sources = program
    .command('sources')
    .description('list sources with their health; test one; add one to the config')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions sources                       every source: state, last success, errors, mentions
  $ mentions sources test acme-reddit      fetch one page and show what a pull would store (stores nothing)
  $ mentions sources add vk --name vk-acme --query "акме OR acme"
  $ mentions sources add --list            the source types and what each listens to`,
    );

  sources
    .command('list', { isDefault: true })
    .description('every configured or stored source with its health (failing ones first)')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const [{ buildSourceHealth, sortByAttention }, { renderSourcesJson, renderSourcesTable }] = await Promise.all([
        import('../report/source-health.js'),
        import('../output/sources.js'),
      ]);
      const dbPath = await databasePath(globals, config, io);
      let stored: import('../report/source-health.js').StoredSourceStats[] = [];
      if (existsSync(dbPath)) {
        const { openDatabase } = await import('../store/db.js');
        const { listSourceHealth } = await import('../store/sources.js');
        const db = openDatabase(dbPath, { readonly: true });
        try {
          stored = listSourceHealth(db);
        } finally {
          db.close();
        }
      }
      const now = Date.now();
      const rows = sortByAttention(buildSourceHealth(config.sources, stored, now));
      if (flags.json) io.stdout.write(renderSourcesJson(rows));
      else io.stdout.write(renderSourcesTable(rows, now, await styleFor(globals, io)));
      // Exit 1 when a source is failing, so a cron health check can alert on it.
      setExitCode(rows.some((r) => r.state === 'failing') ? EXIT.partial : EXIT.ok);
    });

  sources
    .command('test')
    .description('fetch one page of a source and show what a pull would store; stores nothing')
    .argument('<name>', 'source name from the config')
    .option('--from-start', 'ignore the stored cursor: fetch as the very first pull would')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nUses the same config checks, credentials and parsing as "mentions pull". Exit 1 when the fetch fails.')
    .action(async (name: string, flags: { fromStart?: boolean; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const [{ previewSource }, { describeFailure }, { renderSourcePreview, renderSourcePreviewJson }] = await Promise.all([
        import('../pull/preview.js'),
        import('../pull/pull.js'),
        import('../output/sources.js'),
      ]);
      const dbPath = await databasePath(globals, config, io);
      const { openDatabase } = await import('../store/db.js');
      const db = existsSync(dbPath) ? openDatabase(dbPath, { readonly: true }) : null;
      try {
        const preview = await previewSource({ db, config, name, env: io.env, fromStart: flags.fromStart });
        if (flags.json) io.stdout.write(renderSourcePreviewJson(preview));
        else {
          const { maskedForPeople } = await import('./mention-views.js');
          const masked = await maskedForPeople(preview.items.map((item) => item.mention));
          const forPeople = { ...preview, items: preview.items.map((item, i) => ({ ...item, mention: masked[i]! })) };
          io.stdout.write(renderSourcePreview(forPeople, Date.now(), await styleFor(globals, io)));
        }
      } catch (err) {
        if ((err as Error).name === 'ConfigError') throw err;
        const { terminalSafeLine } = await import('../output/sanitize.js');
        say(io, `mentions: ${terminalSafeLine(name)}: ${terminalSafeLine(describeFailure(err))}`);
        setExitCode(EXIT.partial);
      } finally {
        db?.close();
      }
    });

  sources
    .command('add')
    .description('print a ready config entry for a source type, or append it to the config with --write')
    .argument('[type]', 'source type (see --list)')
    .option('--list', 'list the source types')
    .option('--name <name>', 'source name (default: the type)')
    .option('--query <query>', 'what to search for, for search sources')
    .option('--url <url>', 'feed URL, or API base URL')
    .option('--write', 'append the entry to the config file (kept valid: nothing is written if it would not load)')
    .addHelpText(
      'after',
      `
Secrets are written as \${VARIABLE} references; set the variables in the environment of "mentions pull".
Then check the entry with "mentions sources test NAME".`,
    )
    .action(async (type: string | undefined, flags: { list?: boolean; name?: string; query?: string; url?: string; write?: boolean }, command: Command) => {
      const { allExamples, exampleFor, fillExample } = await import('../sources/examples.js');
      if (flags.list || !type) {
        const examples = await allExamples();
        const width = Math.max(...examples.map((e) => e.type.length));
        for (const { type: t, example } of examples) io.stdout.write(`${t.padEnd(width)}  ${example?.summary ?? ''}\n`);
        if (!type && !flags.list) say(io, 'pick a type: mentions sources add TYPE --name NAME --query QUERY');
        return;
      }
      const example = await exampleFor(type);
      if (!example) {
        const [{ didYouMean }, { SOURCE_TYPES }] = await Promise.all([import('../config/suggest.js'), import('../sources/catalog.js')]);
        throw new UsageError(`unknown source type "${type}"${didYouMean(type, SOURCE_TYPES) || ''}; see "mentions sources add --list"`);
      }
      const entry = fillExample(example, { name: flags.name ?? type, query: flags.query, url: flags.url });
      if (!flags.write) {
        io.stdout.write(`  - ${entry.replace(/\n/g, '\n    ')}\n`);
        say(io, `paste this under "sources:" in your config${example.env.length ? `, and set ${example.env.join(', ')}` : ''}; reference: ${example.doc}`);
        return;
      }
      const globals = command.optsWithGlobals<GlobalOptions>();
      const path = await locateConfig(globals, io);
      if (!path) throw new UsageError('no config file to add to: run "mentions init" first, or pass --config');
      const [{ withSourceEntry }, { SOURCE_TYPES }, { writeFileAtomic }] = await Promise.all([
        import('../config/edit.js'),
        import('../sources/catalog.js'),
        import('../output/atomic-write.js'),
      ]);
      writeFileAtomic(path, withSourceEntry(path, readFileSync(path, 'utf8'), entry, { knownSourceTypes: SOURCE_TYPES }));
      say(io, `added source "${flags.name ?? type}" to ${path}${example.env.length ? `; set ${example.env.join(', ')} before pulling` : ''}`);
      say(io, `check it with: mentions sources test ${flags.name ?? type}`);
    });
}
