import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Db } from '../store/db.js';
import type { SetExitCode } from './commands.js';
import { databasePath, loadCurrentConfig, openStore, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

interface ImportFlags {
  source?: string;
  format: 'auto' | 'csv' | 'jsonl' | 'youscan' | 'brand24';
  topic?: string;
  preset?: 'twcs';
  dryRun?: boolean;
  json?: boolean;
}

export function registerImport(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('import')
    .description('import mentions from a CSV or JSONL file (YouScan and Brand24 exports, or our own columns)')
    .argument('<file>', 'the .csv or .jsonl file')
    .option('-s, --source <name>', 'store under this source name (default: import:<file name>)')
    .addOption(
      new Option('--format <format>', 'file format; auto detects CSV/JSONL by extension and the export by its columns')
        .choices(['auto', 'csv', 'jsonl', 'youscan', 'brand24'])
        .default('auto'),
    )
    .option('--topic <name>', 'put every row under this configured topic, even where its query does not match')
    .addOption(new Option('--preset <name>', 'rows of a known data set (JSONL): twcs = Customer Support on Twitter; its brand rows are own posts that answer the tweets they reply to').choices(['twcs']))
    .option('--dry-run', 'read, check and classify the file, store nothing')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Rows are classified like pulled mentions; rows that match no topic are counted as off-topic and not stored.
Importing the same file again adds nothing. Columns are described in docs/import.md.

Examples:
  $ mentions import youscan-export.csv
  $ mentions import brand24.csv --source brand24 --dry-run
  $ mentions import mentions.jsonl --topic acme
  $ mentions import en-twcs-sample.jsonl --preset twcs --topic support

Exit code 0 when every row was fine, 1 when some rows were skipped or had a problem (the rest are stored),
2 when the file is missing or not a readable export.`,
    )
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const path = resolve(io.cwd, file);
      if (!existsSync(path)) throw new UsageError(`${file}: no such file`);
      let db: Db | null;
      if (flags.dryRun) {
        const dbPath = await databasePath(globals, config, io);
        const { openDatabase } = await import('../store/db.js');
        db = existsSync(dbPath) ? openDatabase(dbPath, { readonly: true }) : null;
      } else {
        db = await openStore(globals, config, io);
      }
      try {
        const [{ importFile }, { renderImportSummary, importSummaryJson }] = await Promise.all([
          import('../pull/import.js'),
          import('../output/import-summary.js'),
        ]);
        let summary: Awaited<ReturnType<typeof importFile>>;
        try {
          summary = await importFile({ db, config, file: path, source: flags.source, format: flags.format, preset: flags.preset, topic: flags.topic, dryRun: flags.dryRun });
        } catch (err) {
          // The file itself is unusable (missing, not CSV/JSONL, unknown columns): a usage error, exit 2.
          if ((err as Error).name === 'ImportInputError') throw new UsageError((err as Error).message);
          throw err;
        }
        if (flags.json) io.stdout.write(importSummaryJson(summary));
        else io.stdout.write(renderImportSummary(summary, await styleFor(globals, io)));
        setExitCode(summary.problemCount > 0 ? EXIT.partial : EXIT.ok);
      } finally {
        db?.close();
      }
    });
}
