import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { terminalSafeLine } from './sanitize.js';

// cli-table3 (CommonJS, with its string-width helpers) is required on the first table, not at
// start-up: an empty queue or a JSON run never draws one.
const require = createRequire(import.meta.url);
let Table: typeof TableType | null = null;

export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string;
  /** Colour applied after sanitising (our own escape codes only). */
  paint?: (text: string, row: Row) => string;
  align?: 'left' | 'right';
}

/** A borderless, aligned table; every cell is sanitised before colour is added. */
export function renderTable<Row>(columns: ReadonlyArray<TableColumn<Row>>, rows: readonly Row[]): string {
  Table ??= require('cli-table3') as typeof TableType;
  const table = new Table({
    head: columns.map((c) => c.header),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
  });
  for (const row of rows) {
    table.push(
      columns.map((c) => {
        const text = terminalSafeLine(c.value(row));
        return c.paint ? c.paint(text, row) : text;
      }),
    );
  }
  return `${table.toString()}\n`;
}
