import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { terminalSafeLine } from './sanitize.js';

/** The fields of an import's summary the renderers read (pull/import's ImportSummary fits). */
export interface ImportSummaryView {
  file: string;
  source: string;
  kind: 'csv' | 'jsonl';
  layout: string;
  layoutLabel: string;
  encoding: string | null;
  delimiter: string | null;
  dryRun: boolean;
  rows: number;
  imported: number;
  duplicates: number;
  unmatched: number;
  skipped: number;
  problems: ReadonlyArray<{ line: number | null; column: string | null; message: string; skipped: boolean }>;
  problemCount: number;
}

/** Problems listed in the text view; the JSON view has them all (up to the import's own cap). */
const SHOWN_PROBLEMS = 20;

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** File names, column names and messages quote the file's own contents: every one goes through terminalSafeLine. */
export function renderImportSummary(summary: ImportSummaryView, style: ChalkInstance): string {
  const file = terminalSafeLine(summary.file);
  const details = [summary.layoutLabel, summary.kind.toUpperCase()];
  if (summary.delimiter) details.push(`${DELIMITER_NAMES[summary.delimiter] ?? summary.delimiter}-separated`);
  if (summary.encoding && summary.encoding !== 'utf-8') details.push(summary.encoding);
  const lines = [
    `${summary.dryRun ? 'Dry run of' : 'Imported'} ${file} (${details.join(', ')}) into source "${terminalSafeLine(summary.source)}"`,
    row('rows', summary.rows),
    row(summary.dryRun ? 'would be new' : 'new', summary.imported, summary.imported > 0 ? style.bold : undefined),
    row('duplicates', summary.duplicates),
    row('off-topic', summary.unmatched),
    row('skipped', summary.skipped, summary.skipped > 0 ? style.red : undefined),
  ];
  if (summary.problemCount > 0) {
    lines.push('');
    for (const p of summary.problems.slice(0, SHOWN_PROBLEMS)) {
      const where = p.line === null ? file : `${file}:${p.line}`;
      const text = `${where}: ${p.column === null ? '' : `${terminalSafeLine(p.column)}: `}${terminalSafeLine(p.message)}${p.skipped ? ' (row skipped)' : ''}`;
      lines.push(p.skipped ? style.red(text) : style.yellow(text));
    }
    const more = summary.problemCount - Math.min(summary.problems.length, SHOWN_PROBLEMS);
    if (more > 0) lines.push(`… and ${more} more problem${more === 1 ? '' : 's'} (see --json)`);
  }
  if (summary.dryRun) lines.push('', 'Nothing was stored (--dry-run).');
  return `${lines.join('\n')}\n`;
}

function row(label: string, value: number, paint?: (text: string) => string): string {
  const text = String(value).padStart(7);
  return `  ${label.padEnd(13)}${paint ? paint(text) : text}`;
}

export function importSummaryJson(summary: ImportSummaryView): string {
  return renderJson({
    file: summary.file,
    source: summary.source,
    format: summary.kind,
    layout: summary.layout,
    encoding: summary.encoding,
    delimiter: summary.delimiter,
    dry_run: summary.dryRun,
    rows: summary.rows,
    imported: summary.imported,
    duplicates: summary.duplicates,
    unmatched: summary.unmatched,
    skipped: summary.skipped,
    problems: summary.problems.map((p) => ({ line: p.line, column: p.column, message: p.message, skipped: p.skipped })),
    problem_count: summary.problemCount,
  });
}
