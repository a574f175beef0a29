import { createReadStream, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { createInterface } from 'node:readline';
import type { CompiledTopic } from '../classify/index.js';
import { classifyEvenOffTopic, classifyMention, compileTopics, priorityOf } from '../classify/index.js';
import type { Classification } from '../classify/types.js';
import type { MentionsConfig } from '../config/types.js';
import { indexPendingMentions } from '../store/search.js';
import { ImportInputError, JsonlMapper, mapCsv } from '../sources/file-import.js';
import type { ImportFileKind, ImportLayoutName, ImportPreset, ImportProblem, ImportRow, Layout } from '../sources/file-import.js';
import type { MentionDraft } from '../sources/types.js';
import type { Db } from '../store/db.js';
import { storePage } from '../store/mentions.js';
import { detectReplies } from '../store/replies.js';
import { getSourceByName, storedExternalIds, upsertSource } from '../store/sources.js';

/**
 * `mentions import FILE`: an export (YouScan, Brand24, our own columns) read,
 * classified exactly as a pull classifies, and stored under its own source of
 * type `import`, in transactions of BATCH_SIZE rows. Re-importing the same file
 * adds nothing: rows keep their external ids (the export's, or a content hash).
 */

export type ImportFormat = 'auto' | 'csv' | 'jsonl' | 'youscan' | 'brand24';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['auto', 'csv', 'jsonl', 'youscan', 'brand24'];

/** CSV is parsed in memory; JSONL is streamed and has no size limit. */
export const MAX_CSV_BYTES = 200 * 1024 * 1024;
export const BATCH_SIZE = 500;
/** Problems kept for the summary; the rest are only counted. */
export const MAX_PROBLEMS_KEPT = 1000;
/** The source type of imports; not a config source type (nothing polls it). */
export const IMPORT_SOURCE_TYPE = 'import';

export interface ImportOptions {
  /** The store; null only for a dry run without a database (then nothing counts as a duplicate). */
  db: Db | null;
  config: MentionsConfig;
  /** Path of the file to import. */
  file: string;
  /** Source name; default `import:<file base name>`. */
  source?: string;
  format?: ImportFormat;
  /** Rows of a known data set (JSONL): `twcs`. */
  preset?: ImportPreset;
  /** Store every row under this configured topic, whether its query matches or not. */
  topic?: string;
  /** Read, map and classify, store nothing. */
  dryRun?: boolean;
  now?: () => number;
  batchSize?: number;
}

export interface ImportSummary {
  file: string;
  source: string;
  kind: ImportFileKind;
  layout: ImportLayoutName;
  layoutLabel: string;
  /** CSV only: the encoding and delimiter found. */
  encoding: string | null;
  delimiter: string | null;
  dryRun: boolean;
  /** Data rows (CSV records after the header, non-blank JSONL lines). */
  rows: number;
  /** Newly stored (dry run: would be stored). */
  imported: number;
  /** Already stored under this source before. */
  duplicates: number;
  /** Matched no topic, so not stored. */
  unmatched: number;
  /** Rows left out because of a problem. */
  skipped: number;
  problems: ImportProblem[];
  /** All problems, including those beyond MAX_PROBLEMS_KEPT. */
  problemCount: number;
}

export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
  const fileLabel = basename(options.file);
  const sourceName = options.source ?? `import:${fileLabel}`;
  const format = options.format ?? 'auto';
  checkSourceName(options, sourceName);
  const topics = importTopics(options.config, options.topic);
  const size = fileSize(options.file);
  const kind = fileKind(options.file, format);
  const forcedLayout = format === 'youscan' || format === 'brand24' ? format : undefined;
  if (options.preset !== undefined && kind !== 'jsonl') throw new ImportInputError(`${fileLabel}: --preset ${options.preset} reads JSONL rows; this file is ${kind.toUpperCase()}`);
  const mapOptions = { fileLabel, timeZone: options.config.timezone, layout: forcedLayout, preset: options.preset };

  const sink = new BatchSink(options, sourceName, fileLabel, topics, now);
  let layout: Layout;
  let rows: number;
  let problems: ImportProblem[];
  let encoding: string | null = null;
  let delimiter: string | null = null;
  if (kind === 'csv') {
    if (size > MAX_CSV_BYTES) {
      throw new ImportInputError(`${fileLabel}: ${formatMb(size)} is over the ${formatMb(MAX_CSV_BYTES)} limit for CSV; split it, or convert it to JSONL (streamed, no limit)`);
    }
    const mapped = mapCsv(readBytes(options.file), mapOptions);
    for (let i = 0; i < mapped.rows.length; i += sink.batchSize) sink.add(mapped.rows.slice(i, i + sink.batchSize));
    ({ layout, rowsSeen: rows, problems, encoding, delimiter } = mapped);
  } else {
    const mapper = new JsonlMapper(mapOptions);
    let batch: ImportRow[] = [];
    let lineNumber = 0;
    const lines = createInterface({ input: createReadStream(options.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      lineNumber++;
      const row = mapper.push(line, lineNumber);
      if (row) batch.push(row);
      if (batch.length >= sink.batchSize) {
        sink.add(batch);
        batch = [];
      }
    }
    mapper.finish();
    sink.add(batch);
    if (mapper.layout === null) throw new ImportInputError(`${fileLabel}: the file has no mentions (no JSON object on any line)`);
    ({ layout, rowsSeen: rows, problems } = { layout: mapper.layout, rowsSeen: mapper.rowsSeen, problems: mapper.problems });
  }

  // What was stored becomes searchable in one statement, not row by row (migration 9).
  if (!options.dryRun && options.db) indexPendingMentions(options.db);
  const skippedLines = new Set(problems.filter((p) => p.skipped).map((p) => p.line));
  return {
    file: fileLabel,
    source: sourceName,
    kind,
    layout: layout.name,
    layoutLabel: layout.label,
    encoding,
    delimiter,
    dryRun: options.dryRun ?? false,
    rows,
    imported: sink.imported,
    duplicates: sink.duplicates,
    unmatched: sink.unmatched,
    skipped: skippedLines.size,
    problems: problems.slice(0, MAX_PROBLEMS_KEPT),
    problemCount: problems.length,
  };
}

/**
 * An import must not take over a polled source: storing under a configured
 * source's name would change its type and reset its cursor.
 */
function checkSourceName(options: ImportOptions, name: string): void {
  if (name.trim() === '') throw new ImportInputError('--source: the source name must not be empty');
  if (options.config.sources.some((s) => s.name === name)) {
    throw new ImportInputError(`--source ${name}: that is a configured source; imports go under their own name (e.g. import:${name})`);
  }
  const stored = options.db ? getSourceByName(options.db, name) : null;
  if (stored && stored.type !== IMPORT_SOURCE_TYPE) {
    throw new ImportInputError(`--source ${name}: a ${stored.type} source of that name is already stored; pick another name`);
  }
}

/**
 * The config's topics, compiled. With a forced topic, that topic's query is
 * wrapped to match every text (with no query hits as evidence): classification
 * then computes relevance, own accounts, exclusions, sentiment and tags as
 * usual, and other topics still match on their own queries.
 */
export function importTopics(config: MentionsConfig, forced: string | undefined): CompiledTopic[] {
  const topics = compileTopics(config.topics);
  if (forced === undefined) return topics;
  const index = topics.findIndex((t) => t.name === forced);
  if (index < 0) {
    const names = topics.map((t) => t.name).join(', ') || '(none configured)';
    throw new ImportInputError(`--topic ${forced}: no such topic; configured topics: ${names}`);
  }
  return topics.map((topic, i) => {
    if (i !== index) return topic;
    const query = topic.query;
    return { ...topic, query: { source: query.source, ast: query.ast, matches: (stream) => query.matches(stream) ?? { hits: [] } } };
  });
}

/** Classifies and stores rows batch by batch (or, in a dry run, only counts what would be new). */
class BatchSink {
  imported = 0;
  duplicates = 0;
  unmatched = 0;
  readonly batchSize: number;
  private sourceId: number | null = null;
  private readonly seen = new Set<string>();
  /** For own accounts listed per source: an import is matched by its name or by type `import`. */
  private readonly sourceRef: { name: string; type: string };

  constructor(
    private readonly options: ImportOptions,
    private readonly sourceName: string,
    private readonly fileLabel: string,
    private readonly topics: CompiledTopic[],
    private readonly now: () => number,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? BATCH_SIZE);
    this.sourceRef = { name: sourceName, type: IMPORT_SOURCE_TYPE };
  }

  add(rows: ImportRow[]): void {
    if (rows.length === 0) return;
    const items: Array<{ mention: MentionDraft; classification: Classification }> = [];
    for (const { mention, own, addressed } of rows) {
      if (own) {
        // The brand's own post: kept (reply detection needs it) whether or not it names a topic, never queued.
        const { classification } = classifyEvenOffTopic(mention, this.topics, { source: this.sourceRef });
        items.push({ mention, classification: { ...classification, relevance: 'own', priority: 0 } });
        continue;
      }
      let classification = classifyMention(mention, this.topics, { source: this.sourceRef });
      if (!classification && addressed) {
        // A customer's message to the brand (twcs): relevant with no topic, as with no topics configured.
        const general = classifyMention(mention, [], { source: this.sourceRef })!;
        classification = { ...general, rulesVersion: this.topics[0]?.rulesVersion ?? general.rulesVersion };
      }
      if (classification && addressed && classification.relevance !== 'relevant') classification = addressedToBrand(classification, mention);
      if (!classification) {
        this.unmatched++;
        continue;
      }
      items.push({ mention, classification });
    }
    if (this.options.dryRun) {
      this.countDryRun(items.map((i) => i.mention.externalId));
      return;
    }
    if (items.length === 0) return;
    const db = this.options.db!;
    this.sourceId ??= upsertSource(db, { name: this.sourceName, type: IMPORT_SOURCE_TYPE, target: null }, this.now()).id;
    const sourceId = this.sourceId;
    const stored = db
      .transaction(() => {
        const inserted = storePage(db, sourceId, items, { file: this.fileLabel }, this.now());
        detectReplies(db, sourceId, inserted.insertedIds, this.now());
        return inserted;
      })
      .immediate();
    this.imported += stored.inserted;
    this.duplicates += stored.duplicates;
  }

  private countDryRun(ids: string[]): void {
    const inStore = this.options.db ? storedExternalIds(this.options.db, this.sourceName, ids) : new Set<string>();
    for (const id of ids) {
      if (inStore.has(id) || this.seen.has(id)) this.duplicates++;
      else this.imported++;
      this.seen.add(id);
    }
  }
}

function fileSize(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportInputError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read it (${code ?? (err as Error).message})`);
  }
  if (stat.isDirectory()) throw new ImportInputError(`${path}: is a folder, not a file`);
  return stat.size;
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new ImportInputError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** CSV or JSONL: from --format, else the extension, else the first character ("{" means JSONL). */
function fileKind(path: string, format: ImportFormat): ImportFileKind {
  const label = basename(path);
  const head = readHead(path);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new ImportInputError(`${label}: this is an Excel workbook (or another zip file); save it as "CSV UTF-8" and import that`);
  }
  if (format === 'jsonl') return 'jsonl';
  if (format !== 'auto') return 'csv';
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx' || ext === '.xls') throw new ImportInputError(`${label}: Excel workbooks are not read; save it as "CSV UTF-8" and import that`);
  const first = Buffer.from(head).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

function readHead(path: string): Uint8Array {
  const buffer = new Uint8Array(64);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ImportInputError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/**
 * A customer's message in a support data set was written to the brand and answered (or not) by it:
 * it counts, whatever spam, exclude or context rules say, so response figures match the data set.
 */
function addressedToBrand(classification: Classification, mention: MentionDraft): Classification {
  const note = `written to the brand (a support data set's customer message): relevant, not ${classification.relevance}`;
  return {
    ...classification,
    relevance: 'relevant',
    priority: priorityOf({ relevance: 'relevant', sentiment: classification.sentiment, tags: classification.tags, reach: mention.authorReach }),
    evidence: [...classification.evidence, { kind: 'preset', match: '', weight: 0, note }],
  };
}
