import Table from 'cli-table3';
import { terminalSafeLine } from './sanitize.js';

export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string;
  /** Colour applied after sanitising (our own escape codes only). */
  paint?: (text: string, row: Row) => string;
  align?: 'left' | 'right';
}

/** A borderless, aligned table; every cell is sanitised before colour is added. */
export function renderTable<Row>(columns: ReadonlyArray<TableColumn<Row>>, rows: readonly Row[]): string {
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
