import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { loadCurrentConfig, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

interface ClassifyFlags {
  input?: string;
  lang?: string;
  topics?: boolean;
  evidence?: boolean;
}


const LANGS = ['ru', 'en', 'auto'];

/** MENTIONS_CLASSIFY_THREADS: worker threads for classification (0: none); unset: one per core for large inputs. */
function threadsFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,2}$/.test(value)) throw new UsageError(`MENTIONS_CLASSIFY_THREADS must be a number of threads (0–99), got "${value}"`);
  return Number(value);
}

export function registerClassify(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('classify')
    .description('classify JSONL rows {"id","text"[,"lang"]} offline: one JSON line out per row (no database)')
    .option('-i, --input <file>', 'JSONL file to read, or - for stdin', '-')
    .option('--lang <lang>', 'ru, en, or auto (the row\'s "lang", else detected)', 'auto')
    .option('--topics', 'also match the config\'s topics: rows matching none get relevance "irrelevant"')
    .option('--evidence', 'include every rule hit and weight in each output line')
    .addHelpText(
      'after',
      `
Output fields: id, sentiment (positive|negative|neutral), score (-1..1), tags, relevance
(relevant|irrelevant|spam|own), lang, topics. A row that is not valid JSON or has no "text"
is reported on stderr with its line number and skipped (exit 1 at the end).
Inputs over 50,000 rows are classified in a worker thread per core (same output, same order);
MENTIONS_CLASSIFY_THREADS=N sets the number of threads (0: none).

Examples:
  $ mentions classify -i export.jsonl > classified.jsonl
  $ echo '{"id":1,"text":"Акме, верните деньги!"}' | mentions classify`,
    )
    .action(async (flags: ClassifyFlags, command: Command) => {
      if (!LANGS.includes(flags.lang ?? 'auto')) throw new UsageError(`--lang must be one of ${LANGS.join(', ')}, got "${flags.lang}"`);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ classifyRows }, fs] = await Promise.all([import('../pull/classify-rows.js'), import('node:fs')]);
      const topics = flags.topics ? (await loadCurrentConfig(globals, io)).topics : [];
      const fromFile = flags.input !== undefined && flags.input !== '-';
      if (fromFile && !fs.existsSync(flags.input!)) throw new UsageError(`input file not found: ${flags.input}`);
      const input = fromFile ? fs.createReadStream(flags.input!, { highWaterMark: 1 << 20 }) : process.stdin;
      const write = (text: string) =>
        io.stdout.write(text) ? Promise.resolve() : new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
      const result = await classifyRows(input, write, (line) => say(io, line), {
        topics,
        lang: flags.lang !== 'auto' ? flags.lang! : null,
        evidence: Boolean(flags.evidence),
        label: fromFile ? flags.input! : '<stdin>',
        threads: threadsFromEnv(io.env['MENTIONS_CLASSIFY_THREADS']),
      });
      if (result.skipped > 0) {
        say(io, `mentions: ${result.skipped} of ${result.rows} rows skipped`);
        setExitCode(EXIT.partial);
      }
    });
}
