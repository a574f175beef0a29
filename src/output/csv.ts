import { terminalSafe } from './sanitize.js';

/**
 * RFC 4180 CSV with spreadsheet formula neutralising: a cell starting with
 * = + - @ tab or CR would be run as a formula by Excel/LibreOffice/Sheets
 * (CSV injection), so it gets a leading apostrophe, as OWASP advises.
 * Escape sequences and control characters are dropped too: CSV is often
 * looked at with `cat` or `less`, and they mean nothing in a spreadsheet.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  if (typeof value === 'string' || Array.isArray(value)) text = terminalSafe(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
