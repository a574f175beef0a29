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

Examples:
  $ mentions classify -i export.jsonl > classified.jsonl
  $ echo '{"id":1,"text":"Акме, верните деньги!"}' | mentions classify`,
    )
    .action(async (flags: ClassifyFlags, command: Command) => {
      if (!LANGS.includes(flags.lang ?? 'auto')) throw new UsageError(`--lang must be one of ${LANGS.join(', ')}, got "${flags.lang}"`);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ classifyEvenOffTopic, compileTopics, textDraft }, { classifiedRowJson }, { createInterface }, fs] = await Promise.all([
        import('../classify/index.js'),
        import('../output/classified-row.js'),
        import('node:readline'),
        import('node:fs'),
      ]);
      const topics = flags.topics ? compileTopics((await loadCurrentConfig(globals, io)).topics) : [];
      const fromFile = flags.input !== undefined && flags.input !== '-';
      if (fromFile && !fs.existsSync(flags.input!)) throw new UsageError(`input file not found: ${flags.input}`);
      const label = fromFile ? flags.input! : '<stdin>';
      const lines = createInterface({ input: fromFile ? fs.createReadStream(flags.input!) : process.stdin, crlfDelay: Infinity });
      const result = { rows: 0, skipped: 0 };
      let lineNumber = 0;
      const problem = (message: string) => {
        result.skipped++;
        say(io, `mentions: ${label}:${lineNumber}: ${message}`);
      };
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue;
        result.rows++;
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          problem('not a JSON object');
          continue;
        }
        const record = row as { id?: unknown; text?: unknown; lang?: unknown } | null;
        if (typeof record !== 'object' || record === null || Array.isArray(record)) {
          problem('not a JSON object');
          continue;
        }
        if (typeof record.text !== 'string') {
          problem('field "text": missing or not a string');
          continue;
        }
        const lang = flags.lang !== 'auto' ? flags.lang! : typeof record.lang === 'string' && record.lang !== '' ? record.lang : null;
        const { classification } = classifyEvenOffTopic(textDraft(record.text, lang, String(record.id ?? lineNumber)), topics);
        const ok = io.stdout.write(classifiedRowJson(record.id ?? null, classification, Boolean(flags.evidence)));
        if (!ok) await new Promise((resolve) => io.stdout.once('drain', resolve));
      }
      if (result.skipped > 0) {
        say(io, `mentions: ${result.skipped} of ${result.rows} rows skipped`);
        setExitCode(EXIT.partial);
      }
    });
}
