/**
 * `mentions classify` as a service: JSONL rows in, one JSON line per row out, in input order.
 * Lines are read in large chunks and handled in batches. A large input is spread over worker
 * threads, one per core (classification is pure and CPU-bound: 1.7× on 2 cores at 1M rows, see
 * docs/benchmarks.md); results are written in batch order, so the output is the same whatever
 * the number of threads. A small input never pays the threads' start-up (~0.2 s each).
 */
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { classifyEvenOffTopic, compileTopics, textDraft } from '../classify/index.js';
import type { CompiledTopic, TopicDefinition } from '../classify/index.js';
import { classifiedRowJson } from '../output/classified-row.js';

export interface ClassifyRowsOptions {
  /** Topics to match (their definitions, so worker threads can compile them too); none: every row is classified off-topic. */
  topics: readonly TopicDefinition[];
  /** A language forced on every row, or null: the row's "lang", else detected. */
  lang: string | null;
  /** Include every rule hit and weight in each output line. */
  evidence: boolean;
  /** Names the input in problem messages ("export.jsonl", "<stdin>"). */
  label: string;
  /** Worker threads (0: none), from the first batch; undefined: one per core, past BATCHES_IN_THREAD batches. */
  threads?: number;
}

/** What one batch of lines gives: output text and problem messages, in line order. */
export interface BatchResult {
  /** Alternating runs: stdout text (JSON lines), then problem lines for stderr, ... */
  parts: Array<{ stdout: string } | { problem: string }>;
  rows: number;
  skipped: number;
}

export interface ClassifyRowsSummary {
  rows: number;
  skipped: number;
}

/** Lines per batch: large enough that posting to a worker costs little beside the work. */
export const BATCH_LINES = 2000;
/** Batches classified in this thread before worker threads start (unless `threads` is given): 50,000 lines. */
const BATCHES_IN_THREAD = 25;

interface BatchSettings {
  lang: string | null;
  evidence: boolean;
  label: string;
}

/** Classifies one batch of lines; `firstLine` is the 1-based line number of lines[0]. */
export function classifyLines(lines: readonly string[], firstLine: number, topics: readonly CompiledTopic[], settings: BatchSettings): BatchResult {
  const parts: BatchResult['parts'] = [];
  let out = '';
  let rows = 0;
  let skipped = 0;
  const problem = (lineNumber: number, message: string) => {
    if (out !== '') parts.push({ stdout: out });
    out = '';
    skipped++;
    parts.push({ problem: `mentions: ${settings.label}:${lineNumber}: ${message}` });
  };
  const options = { evidence: settings.evidence };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const lineNumber = firstLine + k;
    if (line.trim() === '') continue;
    rows++;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      problem(lineNumber, 'not a JSON object');
      continue;
    }
    const record = row as { id?: unknown; text?: unknown; lang?: unknown } | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problem(lineNumber, 'not a JSON object');
      continue;
    }
    if (typeof record.text !== 'string') {
      problem(lineNumber, 'field "text": missing or not a string');
      continue;
    }
    const lang = settings.lang ?? (typeof record.lang === 'string' && record.lang !== '' ? record.lang : null);
    const draft = textDraft(record.text, lang, String(record.id ?? lineNumber));
    const { classification } = classifyEvenOffTopic(draft, topics, options);
    out += classifiedRowJson(record.id ?? null, classification, settings.evidence);
  }
  if (out !== '') parts.push({ stdout: out });
  return { parts, rows, skipped };
}

/**
 * Splits decoded text into lines as node:readline does (\r\n, \n or \r end a line), across
 * chunk boundaries; the last line needs no terminator.
 */
export class LineSplitter {
  private rest = '';
  private afterCr = false;

  /** The complete lines in this chunk (and what the previous chunks left). */
  push(chunk: string): string[] {
    let text = chunk;
    // A "\r" that ended the previous chunk already ended its line; a "\n" right after belongs to it.
    if (this.afterCr && text.charCodeAt(0) === 0x0a) text = text.slice(1);
    this.afterCr = false;
    const lines: string[] = [];
    let start = 0;
    if (text.indexOf('\r') === -1) {
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        lines.push(start === 0 && this.rest !== '' ? this.rest + text.slice(0, nl) : text.slice(start, nl));
        if (start === 0) this.rest = '';
        start = nl + 1;
      }
    } else {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code !== 0x0a && code !== 0x0d) continue;
        lines.push(start === 0 && this.rest !== '' ? this.rest + text.slice(0, i) : text.slice(start, i));
        if (start === 0) this.rest = '';
        if (code === 0x0d) {
          if (i + 1 === text.length) this.afterCr = true;
          else if (text.charCodeAt(i + 1) === 0x0a) i++;
        }
        start = i + 1;
      }
    }
    this.rest = start === 0 ? this.rest + text : text.slice(start);
    return lines;
  }

  /** The last line, when the input did not end with a line break. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

/** Runs batches in this thread, or round-robin over worker threads once there are many. */
class BatchRunner {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  private next = 0;
  private batches = 0;
  // Compiled here first in any case: a bad query fails before any row is read.
  private readonly compiled: CompiledTopic[];

  constructor(
    private readonly options: ClassifyRowsOptions,
    private readonly threads: number,
  ) {
    this.compiled = compileTopics(options.topics);
  }

  /** Whether batches go to worker threads. */
  get parallel(): boolean {
    return this.threads > 0 && (this.options.threads !== undefined || this.batches > BATCHES_IN_THREAD);
  }

  run(lines: string[], firstLine: number): Promise<BatchResult> {
    this.batches++;
    if (!this.parallel) {
      return Promise.resolve(classifyLines(lines, firstLine, this.compiled, this.options));
    }
    if (this.workers.length === 0) this.start();
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, lines, firstLine });
    });
  }

  private start(): void {
    const { topics, lang, evidence, label } = this.options;
    for (let t = 0; t < this.threads; t++) {
      const worker = new Worker(new URL('./classify-worker.js', import.meta.url), { workerData: { topics, lang, evidence, label } });
      worker.on('message', (message: { id: number; result: BatchResult }) => {
        const waiting = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiting?.resolve(message.result);
      });
      worker.on('error', (err) => {
        for (const waiting of this.waiting.values()) waiting.reject(err);
        this.waiting.clear();
      });
      this.workers.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * Reads JSONL from `input`, writes one JSON line per good row through `write` (which resolves
 * when the output can take more) and reports each bad row through `problem`, in input order.
 */
export async function classifyRows(
  input: Readable,
  write: (text: string) => Promise<void>,
  problem: (line: string) => void,
  options: ClassifyRowsOptions,
): Promise<ClassifyRowsSummary> {
  const threads = options.threads ?? (availableParallelism() > 1 ? Math.min(availableParallelism(), 8) : 0);
  const runner = new BatchRunner(options, threads);
  const summary: ClassifyRowsSummary = { rows: 0, skipped: 0 };
  // Batches in flight, oldest first: enough to keep every thread busy, few enough to bound memory.
  const pending: Array<Promise<BatchResult>> = [];
  const maxPending = Math.max(2, threads * 3);
  const drain = async (keep: number) => {
    while (pending.length > keep) {
      const result = await pending.shift()!;
      summary.rows += result.rows;
      summary.skipped += result.skipped;
      for (const part of result.parts) {
        if ('stdout' in part) await write(part.stdout);
        else problem(part.problem);
      }
    }
  };
  const splitter = new LineSplitter();
  let batch: string[] = [];
  let lineNumber = 1;
  const dispatch = async () => {
    pending.push(runner.run(batch, lineNumber));
    lineNumber += batch.length;
    batch = [];
    await drain(runner.parallel ? maxPending : 0);
  };
  try {
    input.setEncoding('utf8');
    for await (const chunk of input) {
      for (const line of splitter.push(chunk as string)) {
        batch.push(line);
        if (batch.length === BATCH_LINES) await dispatch();
      }
    }
    for (const line of splitter.end()) batch.push(line);
    if (batch.length > 0) await dispatch();
    await drain(0);
  } finally {
    await runner.close();
  }
  return summary;
}
