import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, classifyRows } from '../../src/pull/classify-rows.js';

/** Lines as node:readline gives them for the same chunks (what `mentions classify` used before). */
async function readlineLines(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function splitterLines(chunks: string[]): string[] {
  const splitter = new LineSplitter();
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

describe('LineSplitter', () => {
  it('splits like node:readline, across chunk boundaries and with \\r\\n, \\r or \\n', async () => {
    const cases = [
      ['a\nb\n'],
      ['a\r', '\nb\r\n', 'c'],
      ['a\rb\r\rc\n\n', '\n'],
      ['', 'ab', 'c\n', 'd'],
      ['x\r', 'y\r', '\r\n'],
      ['\n\n'],
    ];
    for (const chunks of cases) expect(splitterLines(chunks), JSON.stringify(chunks)).toEqual(await readlineLines(chunks));
  });

  it('splits like node:readline on arbitrary chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom('a', 'я', '\r', '\n', ' ', '{'), maxLength: 12 }), { minLength: 1, maxLength: 6 }), async (chunks) => {
        expect(splitterLines(chunks)).toEqual(await readlineLines(chunks));
      }),
      { numRuns: 300 },
    );
  });
});

describe('classifyRows', () => {
  it('writes one line per good row in input order and reports bad rows with their line numbers', async () => {
    const rows = ['{"id":1,"text":"Acme, верните деньги!"}', '', 'not json', '{"id":2}', '[1]', '{"id":"b","text":"great service :)","lang":"en"}'];
    let out = '';
    const problems: string[] = [];
    const summary = await classifyRows(Readable.from([rows.join('\r\n')]), async (text) => void (out += text), (line) => problems.push(line), {
      topics: [],
      lang: null,
      evidence: false,
      label: 'in.jsonl',
      threads: 0,
    });
    expect(summary).toEqual({ rows: 5, skipped: 3 });
    expect(problems).toEqual([
      'mentions: in.jsonl:3: not a JSON object',
      'mentions: in.jsonl:4: field "text": missing or not a string',
      'mentions: in.jsonl:5: not a JSON object',
    ]);
    const lines = out.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: unknown; sentiment: string });
    expect(lines.map((line) => line.id)).toEqual([1, 'b']);
    expect(lines.map((line) => line.sentiment)).toEqual(['negative', 'positive']);
  });
});
