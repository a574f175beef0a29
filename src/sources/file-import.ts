import { createHash } from 'node:crypto';
import { parse as parseCsvText } from 'csv-parse/sync';
import { zonedTimeToInstant } from '../report/zoned-time.js';
import { decodeBody } from './charset.js';
import { normaliseLang, parseFeedDate } from './dates.js';
import { collapseWhitespace, safeHttpUrl } from './html-text.js';
import { isRecord } from './json-body.js';
import type { MentionDraft } from './types.js';
import { mapTwcsRecord, TWCS_LAYOUT } from './twcs.js';

/**
 * Mentions exported from other tools (YouScan, Brand24) or written by hand
 * (our own columns), as CSV or JSONL, mapped to mention drafts. Pure: bytes
 * or lines in, drafts and located problems out; the import command reads the
 * file, classifies and stores.
 *
 * A row's external id is the export's id column, or, when the export has
 * none (or the cell is empty), a sha256 of (url, published time, text): the
 * same row imported twice gets the same id, so re-import never duplicates.
 */

/** Layouts found from column names. */
export type ColumnLayoutName = 'youscan' | 'brand24' | 'generic';
/** Column layouts, and presets that map a known data set's rows (`--preset`). */
export type ImportLayoutName = ColumnLayoutName | 'twcs';
export type ImportPreset = 'twcs';
export type ImportFileKind = 'csv' | 'jsonl';

/** A problem with one row (or the file), located for "file:line: column: message". */
export interface ImportProblem {
  /** 1-based line in the file where the row starts; null for the file as a whole. */
  line: number | null;
  /** The column (as the file names it) the problem is in, or null. */
  column: string | null;
  message: string;
  /** True when the row was left out; false when it was imported without the bad value. */
  skipped: boolean;
}

export interface ImportRow {
  line: number;
  mention: MentionDraft;
  /** Posted by the brand itself (a preset knows): stored as `own`, never queued, and answers what it replies to. */
  own?: boolean;
  /** Written to the brand (a support data set's customer messages, a preset knows): about it whether or not it names a topic. */
  addressed?: boolean;
}

/** The file cannot be read as an import at all (unknown layout, not CSV/JSONL, no text column). Exit 2. */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}

export interface MapOptions {
  /** Base name of the file, for messages. */
  fileLabel: string;
  /** IANA zone for dates written without an offset (exports show the account's local time). */
  timeZone: string;
  /** Skip detection and read the file as this layout. */
  layout?: ColumnLayoutName;
  /** Read every line as this data set's rows (JSONL only). */
  preset?: ImportPreset;
}

/** "mentions.csv:14: published_at: not a date" */
export function formatProblem(fileLabel: string, problem: ImportProblem): string {
  const where = problem.line === null ? fileLabel : `${fileLabel}:${problem.line}`;
  return `${where}: ${problem.column === null ? '' : `${problem.column}: `}${problem.message}`;
}

// ---------------------------------------------------------------------------
// Layouts: which column holds which field

type Field = 'id' | 'url' | 'author' | 'authorUrl' | 'text' | 'title' | 'published' | 'time' | 'lang' | 'parent' | 'thread' | 'reach' | 'source';

interface LayoutSpec {
  name: ImportLayoutName;
  label: string;
  /** Accepted header names per field, normalised (see normaliseHeader), in order of preference. */
  aliases: Partial<Record<Field, readonly string[]>>;
  /** Headers only this tool's exports have; one of them (plus a text column) identifies the layout. */
  signature: readonly string[];
  /** When detecting (not forced), the text column must be one of these. Default: any text alias. */
  detectText?: readonly string[];
}

/**
 * Our own columns, documented in docs/import.md. Matching is case-insensitive
 * and treats spaces, "_" and "-" alike.
 */
export const GENERIC_COLUMNS = ['id', 'url', 'author', 'author_url', 'text', 'title', 'published_at', 'lang', 'parent_id', 'thread_id', 'reach'] as const;

const GENERIC: LayoutSpec = {
  name: 'generic',
  label: 'generic columns',
  aliases: {
    id: ['id'],
    url: ['url'],
    author: ['author'],
    authorUrl: ['author url'],
    text: ['text'],
    title: ['title'],
    published: ['published at'],
    lang: ['lang'],
    parent: ['parent id'],
    thread: ['thread id'],
    reach: ['reach'],
  },
  signature: ['published at', 'parent id', 'thread id', 'lang', 'id', 'url'],
};

/**
 * YouScan's mention export (English and Russian interface). The header
 * spellings could not be confirmed from public sources; see
 * fixtures/import/README.md. Unknown columns are ignored.
 */
const YOUSCAN: LayoutSpec = {
  name: 'youscan',
  label: 'YouScan export',
  aliases: {
    id: ['id', 'mention id', 'id упоминания'],
    url: ['url', 'link', 'mention url', 'ссылка', 'ссылка на упоминание'],
    author: ['author', 'author name', 'автор', 'имя автора'],
    authorUrl: ['author profile', 'author url', 'author link', 'профиль автора', 'ссылка на автора'],
    text: ['full text', 'text', 'полный текст', 'текст'],
    title: ['title', 'заголовок'],
    published: ['publication date', 'date', 'published', 'дата публикации', 'дата'],
    time: ['publication time', 'time', 'время публикации', 'время'],
    lang: ['language', 'язык'],
    reach: ['author subscribers', 'subscribers', 'audience', 'подписчики автора', 'подписчики', 'аудитория'],
  },
  signature: [
    'publication place', 'publication profile', 'source type', 'post type', 'resource type', 'author subscribers', 'potential reach',
    'место публикации', 'профиль места публикации', 'тип источника', 'тип поста', 'тип публикации', 'тип ресурса', 'подписчики автора', 'потенциальный охват',
  ],
};

/**
 * Brand24's mention export: ID, Date, Hrs, Title, Content, Source (the
 * mention's link), Domain, Category, Sentiment, Tags, as a public importer
 * of these files reads them; Author and follower columns when present.
 */
const BRAND24: LayoutSpec = {
  name: 'brand24',
  label: 'Brand24 export',
  aliases: {
    id: ['id'],
    url: ['url', 'link'],
    source: ['source'],
    author: ['author', 'author name'],
    authorUrl: ['author url', 'profile url'],
    text: ['content', 'text', 'mention'],
    title: ['title'],
    published: ['date'],
    time: ['hrs', 'hour', 'time'],
    lang: ['language', 'lang'],
    reach: ['followers', 'author followers'],
  },
  signature: ['hrs', 'domain', 'influence score', 'category', 'visits'],
  // "Content" is Brand24's own name; a YouScan file with a Domain column and "Text" is not Brand24.
  detectText: ['content'],
};

const LAYOUTS: Record<ColumnLayoutName, LayoutSpec> = { youscan: YOUSCAN, brand24: BRAND24, generic: GENERIC };

/** A layout bound to one file's headers: for each field, the header as the file writes it. */
export interface Layout {
  name: ImportLayoutName;
  label: string;
  columns: Partial<Record<Field, string>>;
}

function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s_-]+/g, ' ');
}

function bindLayout(spec: LayoutSpec, headers: readonly string[]): Layout {
  const byName = new Map<string, string>();
  for (const header of headers) {
    const key = normaliseHeader(header);
    if (!byName.has(key)) byName.set(key, header);
  }
  const columns: Layout['columns'] = {};
  for (const [field, aliases] of Object.entries(spec.aliases) as Array<[Field, readonly string[]]>) {
    const found = aliases.find((alias) => byName.has(alias));
    if (found !== undefined) columns[field] = byName.get(found)!;
  }
  return { name: spec.name, label: spec.label, columns };
}

/**
 * The layout of a file from its header names: Brand24, then YouScan (each by
 * columns only its exports have), then our own generic columns. Throws
 * ImportInputError when none fits or the layout has no text column.
 */
export function detectLayout(headers: readonly string[], fileLabel: string, forced?: ColumnLayoutName): Layout {
  const present = new Set(headers.map(normaliseHeader));
  const candidates = forced ? [LAYOUTS[forced]] : [BRAND24, YOUSCAN, GENERIC];
  for (const spec of candidates) {
    const layout = bindLayout(spec, headers);
    if (!forced && !spec.signature.some((name) => present.has(name))) continue;
    if (!forced && spec.detectText && !spec.detectText.some((name) => present.has(name))) continue;
    if (layout.columns.text === undefined) {
      if (!forced) continue;
      const looked = (spec.aliases.text ?? []).join(', ');
      throw new ImportInputError(`${fileLabel}: no text column for a ${spec.label} (looked for: ${looked}); its columns are: ${listHeaders(headers)}`);
    }
    return layout;
  }
  throw new ImportInputError(
    `${fileLabel}: cannot tell what exported this file from its columns (${listHeaders(headers)}); ` +
      `expected a YouScan or Brand24 export, or our own columns ${GENERIC_COLUMNS.join(', ')} (see docs/import.md), or pass --format`,
  );
}

function listHeaders(headers: readonly string[]): string {
  const shown = headers.slice(0, 12).map((h) => JSON.stringify(h.slice(0, 40)));
  return shown.length === 0 ? 'none' : `${shown.join(', ')}${headers.length > 12 ? ', …' : ''}`;
}

// ---------------------------------------------------------------------------
// Rows

type Cell = unknown;
type RowGetter = (column: string) => Cell;

/** Maps one row; pushes its problems. Null when the row is skipped. */
export function mapRow(layout: Layout, get: RowGetter, line: number, timeZone: string, problems: ImportProblem[]): MentionDraft | null {
  const columns = layout.columns;
  const rowProblems: ImportProblem[] = [];
  const problem = (column: string | undefined, message: string, skipped: boolean) =>
    rowProblems.push({ line, column: column ?? null, message, skipped });
  const text = (field: Field): string | null => {
    const column = columns[field];
    if (column === undefined) return null;
    const value = get(column);
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    problem(column, 'expected a plain value, not a list or object', false);
    return null;
  };

  const body = collapseWhitespace(text('text') ?? '');
  if (body === '') problem(columns.text, 'empty: a mention needs its text', true);

  const published = readPublished(text('published'), text('time'), timeZone);
  if (published.error) problem(columns.published, published.error, true);

  if (rowProblems.some((p) => p.skipped)) {
    problems.push(...rowProblems);
    return null;
  }

  const rawUrl = text('url');
  let url = safeHttpUrl(rawUrl);
  if (rawUrl !== null && rawUrl.trim() !== '' && url === null) problem(columns.url, `not an http(s) link (${quote(rawUrl)}), left empty`, false);
  if (url === null && columns.url === undefined) url = safeHttpUrl(text('source'));

  const rawAuthorUrl = text('authorUrl');
  const authorUrl = safeHttpUrl(rawAuthorUrl);
  if (rawAuthorUrl !== null && rawAuthorUrl.trim() !== '' && authorUrl === null) {
    problem(columns.authorUrl, `not an http(s) link (${quote(rawAuthorUrl)}), left empty`, false);
  }

  const rawReach = text('reach');
  const reach = readCount(rawReach);
  if (rawReach !== null && rawReach.trim() !== '' && reach === null) problem(columns.reach, `not a follower count (${quote(rawReach)}), left empty`, false);

  const id = oneLine(text('id'));
  const title = oneLine(text('title'));
  problems.push(...rowProblems);
  return {
    externalId: id ?? contentId(url, published.ms, body),
    url,
    author: oneLine(text('author')),
    authorUrl,
    authorReach: reach,
    title,
    text: body,
    lang: readLang(text('lang')),
    publishedAt: published.ms,
    parentId: oneLine(text('parent')),
    threadId: oneLine(text('thread')),
  };
}

/** The id of a row whose export has no id: stable across re-imports of the same row. */
export function contentId(url: string | null, publishedAt: number | null, text: string): string {
  const digest = createHash('sha256').update(JSON.stringify([url ?? '', publishedAt ?? '', text])).digest('hex');
  return `sha256:${digest}`;
}

function oneLine(value: string | null): string | null {
  if (value === null) return null;
  const line = collapseWhitespace(value).replace(/\n/g, ' ');
  return line === '' ? null : line;
}

function quote(value: string): string {
  const shown = value.trim();
  return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 59)}…` : shown);
}

/** "12 400", "12,400", "12400", "1.2K" are not all the same: digits with thousands separators only. */
function readCount(raw: string | null): number | null {
  if (raw === null) return null;
  const value = raw.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (value === '') return null;
  const plain = /^\d{1,3}(?:,\d{3})+$/.test(value) ? value.replace(/,/g, '') : value;
  if (!/^\d+(?:\.0+)?$/.test(plain)) return null;
  return Math.round(Number(plain));
}

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', russian: 'ru', ukrainian: 'uk', belarusian: 'be', kazakh: 'kk', german: 'de', french: 'fr', spanish: 'es',
  italian: 'it', polish: 'pl', portuguese: 'pt', turkish: 'tr', chinese: 'zh', japanese: 'ja',
  английский: 'en', русский: 'ru', украинский: 'uk', белорусский: 'be', казахский: 'kk', немецкий: 'de', французский: 'fr',
  испанский: 'es', итальянский: 'it', польский: 'pl', португальский: 'pt', турецкий: 'tr', китайский: 'zh', японский: 'ja',
};

function readLang(raw: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim().toLowerCase();
  return LANGUAGE_NAMES[value] ?? normaliseLang(value);
}

// ---------------------------------------------------------------------------
// Dates

const ISO_LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

/**
 * Epoch ms of an export's date (plus its separate time column, Brand24 "Hrs").
 * Epoch seconds or ms, ISO 8601, "YYYY-MM-DD HH:MM", "DD.MM.YYYY HH:MM",
 * "M/D/YYYY" or "D/M/YYYY" (when one part is over 12) and RFC 2822. Without
 * an offset the time is local to `timeZone`. An empty cell is no date, not an error.
 */
export function readPublished(date: string | null, time: string | null, timeZone: string): { ms: number | null; error?: string } {
  const day = date?.trim() ?? '';
  const clock = time?.trim() ?? '';
  if (day === '') return clock === '' ? { ms: null } : { ms: null, error: `a time (${quote(clock)}) without a date` };
  const value = clock === '' ? day : `${day} ${clock}`;
  const ms = parseExportDate(value, timeZone);
  if (typeof ms === 'number') return { ms };
  return { ms: null, error: ms === 'ambiguous' ? `ambiguous date ${quote(value)}: day and month are both 12 or less; write it as YYYY-MM-DD` : `not a date (${quote(value)})` };
}

function parseExportDate(value: string, timeZone: string): number | 'ambiguous' | null {
  if (/^\d{9,13}(?:\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  const iso = ISO_LOCAL.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, fraction, zone] = iso;
    const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
    return instant(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms, zone ?? null, timeZone);
  }
  const dotted = DOTTED.exec(value);
  if (dotted) {
    const [, d, mo, y, h, mi, s] = dotted;
    return instant(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), 0, null, timeZone);
  }
  const slashed = SLASHED.exec(value);
  if (slashed) {
    const [, a, b, y, h, mi, s, meridiem] = slashed;
    const first = Number(a);
    const second = Number(b);
    if (first <= 12 && second <= 12 && first !== second) return 'ambiguous';
    const [month, day] = first > 12 ? [second, first] : [first, second];
    let hour = Number(h ?? 0);
    if (meridiem) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    return instant(Number(y), month, day, hour, Number(mi ?? 0), Number(s ?? 0), 0, null, timeZone);
  }
  return parseFeedDate(value);
}

function instant(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, zone: string | null, timeZone: string): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(wall).getUTCDate() !== day) return null;
  if (zone === null) return zonedTimeToInstant({ year, month, day, hour, minute, second }, timeZone) + ms;
  if (zone.toUpperCase() === 'Z') return wall;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const offset = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
  return wall - offset * 60_000;
}

// ---------------------------------------------------------------------------
// CSV

export interface MappedCsv {
  layout: Layout;
  encoding: string;
  delimiter: string;
  /** Data rows in the file (records after the header, blank ones not counted). */
  rowsSeen: number;
  rows: ImportRow[];
  problems: ImportProblem[];
}

/**
 * Text of a CSV file: a BOM decides (UTF-8, UTF-16 from Excel's "Unicode
 * text"), else UTF-8 when the bytes are valid UTF-8, else windows-1251, which
 * Excel writes for "CSV" on Russian Windows.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decodeBody(bytes, null), encoding: 'utf-8' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { text: decodeBody(bytes, null), encoding: bytes[0] === 0xff ? 'utf-16le' : 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeBody(bytes, 'text/csv; charset=windows-1251'), encoding: 'windows-1251' };
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter that splits the header line most often, quotes respected; comma on a tie. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Parses and maps a CSV file. Throws ImportInputError when it has no header or an unknown layout. */
export function mapCsv(bytes: Uint8Array, options: MapOptions): MappedCsv {
  const decoded = decodeCsvBytes(bytes);
  // One newline convention, so csv-parse's line count is the editor's line number.
  let text = decoded.text.replace(/\r\n?/g, '\n');
  let lineOffset = 0;
  // Excel's "sep=;" first line names the delimiter.
  const sep = /^sep=(.)\n/i.exec(text);
  if (sep) {
    text = text.slice(sep[0].length);
    lineOffset = 1;
  }
  const delimiter = sep?.[1] ?? detectDelimiter(text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length));

  let records: Array<{ record: string[]; info: { lines: number }; raw: string }>;
  try {
    records = parseCsvText(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    const where = typeof e.lines === 'number' ? `:${e.lines + lineOffset}` : '';
    throw new ImportInputError(`${options.fileLabel}${where}: not readable as CSV: ${e.message.replace(/\s+/g, ' ')}`);
  }

  const header = records[0];
  if (!header || header.record.every((cell) => cell.trim() === '')) throw new ImportInputError(`${options.fileLabel}: the file is empty (no header line)`);
  const headers = header.record;
  const layout = detectLayout(headers, options.fileLabel, options.layout);
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });

  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  let rowsSeen = 0;
  for (const { record, info, raw } of records.slice(1)) {
    if (record.every((cell) => cell.trim() === '')) continue;
    rowsSeen++;
    const inner = (raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g) ?? []).length;
    const line = info.lines - inner + lineOffset;
    if (record.length > headers.length && record.slice(headers.length).some((cell) => cell.trim() !== '')) {
      problems.push({
        line,
        column: null,
        message: `${record.length} cells but the header has ${headers.length} (a stray ${delimiter === '\t' ? 'tab' : `"${delimiter}"`} or quote?)`,
        skipped: true,
      });
      continue;
    }
    const mention = mapRow(layout, (column) => record[index.get(column) ?? -1] ?? null, line, options.timeZone, problems);
    if (mention) rows.push({ line, mention });
  }
  return { layout, encoding: decoded.encoding, delimiter, rowsSeen, rows, problems };
}

// ---------------------------------------------------------------------------
// JSONL

/**
 * Maps a JSONL file line by line, so the import can stream large files. The
 * layout comes from the keys of the first line that is a JSON object. A bad
 * line is a problem and is skipped.
 */
export class JsonlMapper {
  layout: Layout | null = null;
  rowsSeen = 0;
  /** Lines that were not a JSON object. */
  badLines = 0;
  readonly problems: ImportProblem[] = [];

  constructor(private readonly options: MapOptions) {}

  /** The row on this line, or null (blank, bad, or skipped). `lineNumber` is 1-based. */
  push(line: string, lineNumber: number): ImportRow | null {
    const text = (lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line).trim();
    if (text === '') return null;
    this.rowsSeen++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.bad(lineNumber, `not valid JSON: ${(err as Error).message}`);
    }
    if (!isRecord(value)) return this.bad(lineNumber, `expected a JSON object, got ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'null' : `a ${typeof value}`}`);
    if (this.options.preset === 'twcs') {
      this.layout ??= TWCS_LAYOUT;
      return mapTwcsRecord(value, lineNumber, (date) => readPublished(date, null, this.options.timeZone), this.problems);
    }
    this.layout ??= detectLayout(Object.keys(value), this.options.fileLabel, this.options.layout);
    const record = value;
    const mention = mapRow(this.layout, (column) => record[column] ?? null, lineNumber, this.options.timeZone, this.problems);
    return mention ? { line: lineNumber, mention } : null;
  }

  /** Throws ImportInputError when the file had lines but none was a JSON object. */
  finish(): void {
    if (this.layout === null && this.badLines > 0) {
      const first = this.problems[0];
      throw new ImportInputError(
        `${this.options.fileLabel}: no line is a JSON object, so this is not a JSONL file${first ? ` (line ${first.line}: ${first.message})` : ''}`,
      );
    }
  }

  private bad(line: number, message: string): null {
    this.badLines++;
    this.problems.push({ line, column: null, message: message.replace(/\s+/g, ' ').slice(0, 200), skipped: true });
    return null;
  }
}
