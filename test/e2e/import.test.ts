import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const fixture = (name: string) => join(FIXTURES, 'import', name);

/** A folder where `mentions init` ran, with our topics and one polled source. */
async function initFolder(): Promise<string> {
  const dir = tmp();
  const init = await runCli(['init'], { cwd: dir });
  expect(init.code, init.stderr).toBe(0);
  writeFileSync(
    join(dir, 'mentions.yml'),
    `timezone: Europe/Moscow
database: mentions.db
topics:
  - name: acme
    query: 'acme OR акме OR "acme mobile"'
    own_accounts: [AcmeSupport]
sources:
  - name: news
    type: rss
    url: https://news.example/feed.xml
`,
  );
  return dir;
}

interface ImportJson {
  file: string;
  source: string;
  format: string;
  layout: string;
  dry_run: boolean;
  rows: number;
  imported: number;
  duplicates: number;
  unmatched: number;
  skipped: number;
  problems: Array<{ line: number | null; column: string | null; message: string; skipped: boolean }>;
}

interface QueueItem {
  source: string;
  source_type: string;
  external_id: string;
  url: string | null;
  text: string;
  published_at: string | null;
  parent_id: string | null;
}

async function importJson(dir: string, ...args: string[]): Promise<{ code: number; summary: ImportJson; stderr: string }> {
  const res = await runCli(['import', ...args, '--json'], { cwd: dir });
  return { code: res.code, summary: JSON.parse(res.stdout) as ImportJson, stderr: res.stderr };
}

async function queueJson(dir: string): Promise<QueueItem[]> {
  const res = await runCli(['queue', '--json', '--limit', '1000'], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as QueueItem[];
}

describe('mentions import (built binary)', () => {
  it('imports a YouScan CSV, a Brand24 CSV and a JSONL file; importing them again adds nothing', async () => {
    const dir = await initFolder();
    const youscan = await importJson(dir, fixture('youscan-export.csv'));
    expect(youscan.code, youscan.stderr).toBe(0);
    expect(youscan.summary).toMatchObject({ source: 'import:youscan-export.csv', format: 'csv', layout: 'youscan', rows: 7, imported: 6, unmatched: 1, skipped: 0, problems: [] });
    const brand24 = await importJson(dir, fixture('brand24-export.csv'), '--source', 'brand24');
    expect(brand24.code, brand24.stderr).toBe(0);
    expect(brand24.summary).toMatchObject({ source: 'brand24', layout: 'brand24', rows: 6, imported: 5, unmatched: 1 });
    const jsonl = await importJson(dir, fixture('mentions.jsonl'));
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(jsonl.summary).toMatchObject({ format: 'jsonl', layout: 'generic', rows: 5, imported: 4, unmatched: 1 });

    for (const [file, extra, stored] of [
      ['youscan-export.csv', [], 6],
      ['brand24-export.csv', ['--source', 'brand24'], 5],
      ['mentions.jsonl', [], 4],
    ] as const) {
      const again = await importJson(dir, fixture(file), ...extra);
      expect(again.code, again.stderr).toBe(0);
      expect(again.summary).toMatchObject({ imported: 0, duplicates: stored });
    }

    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const counts = db.prepare("SELECT s.name, s.type, count(m.id) AS n FROM sources s JOIN mentions m ON m.source_id = s.id GROUP BY s.id ORDER BY s.name").all();
    db.close();
    expect(counts).toEqual([
      { name: 'brand24', type: 'import', n: 5 },
      { name: 'import:mentions.jsonl', type: 'import', n: 4 },
      { name: 'import:youscan-export.csv', type: 'import', n: 6 },
    ]);

    const queue = await queueJson(dir);
    expect(new Set(queue.map((q) => q.source))).toEqual(new Set(['brand24', 'import:mentions.jsonl', 'import:youscan-export.csv']));
    expect(queue.every((q) => q.source_type === 'import')).toBe(true);
    expect(queue.find((q) => q.url === 'https://twitter.com/martak_ux/status/1991302664331280384')).toMatchObject({
      source: 'import:youscan-export.csv',
      published_at: '2026-11-20T15:42:00.000Z',
      text: 'Third day without mobile data on my Acme plan. Support chat closes the ticket without an answer. #AcmeDown',
    });
    expect(queue.find((q) => q.external_id === '938200740')).toMatchObject({ source: 'brand24', text: "+7 999 123-45-67 — Acme's hotline hung up on me three times today." });
    expect(queue.find((q) => q.external_id === 'tg-acme_chat-55102')).toMatchObject({ parent_id: 'tg-acme_news-1208', published_at: '2026-11-20T20:00:00.000Z' });
  });

  it('stores the good rows of a bad file, lists the bad ones by line and column, and exits 1', async () => {
    const dir = await initFolder();
    const res = await runCli(['import', fixture('bad-rows.csv')], { cwd: dir });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('Imported bad-rows.csv (generic columns, CSV, comma-separated) into source "import:bad-rows.csv"');
    expect(res.stdout).toMatch(/skipped\s+4/);
    expect(res.stdout).toContain('bad-rows.csv:3: published_at: not a date ("32.13.2026") (row skipped)');
    expect(res.stdout).toContain('bad-rows.csv:5: url: not an http(s) link ("javascript:alert(1)"), left empty');
    expect(res.stdout).toContain('bad-rows.csv:7: 11 cells but the header has 10 (a stray "," or quote?) (row skipped)');
    expect((await queueJson(dir)).map((q) => q.external_id).sort()).toEqual(['r1', 'r4']);

    const jsonl = await importJson(dir, fixture('broken.jsonl'));
    expect(jsonl.code).toBe(1);
    expect(jsonl.summary).toMatchObject({ rows: 4, imported: 1, skipped: 3 });
    expect(jsonl.summary.problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });

  it('keeps control sequences from a file off the terminal', async () => {
    const dir = await initFolder();
    const file = join(dir, 'evil.csv');
    writeFileSync(file, 'id,text,published_at\ne1,Acme rocks,"\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[2J"\n');
    const res = await runCli(['import', file], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('evil.csv:2: published_at: not a date');
    expect(res.stdout).not.toContain('\u001b');
    expect(res.stdout).not.toContain('\u0007');
  });

  it('exits 2 for a missing file, an unknown layout, a file that is not JSONL, and a configured source name', async () => {
    const dir = await initFolder();
    const missing = await runCli(['import', 'nope.csv'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('mentions: nope.csv: no such file');
    const unknown = await runCli(['import', fixture('unknown-columns.csv')], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('mentions: unknown-columns.csv: cannot tell what exported this file from its columns ("Name", "Email", "Phone")');
    const notJsonl = await runCli(['import', fixture('not-jsonl.jsonl')], { cwd: dir });
    expect(notJsonl.code).toBe(2);
    expect(notJsonl.stderr).toContain('not-jsonl.jsonl: no line is a JSON object');
    const taken = await runCli(['import', fixture('mentions.jsonl'), '--source', 'news'], { cwd: dir });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('--source news: that is a configured source');
    const format = await runCli(['import', fixture('mentions.jsonl'), '--format', 'xlsx'], { cwd: dir });
    expect(format.code).toBe(2);
    expect((await queueJson(dir)).length).toBe(0);
  });

  it('--dry-run reports what would be stored and stores nothing; --topic files off-topic rows under a topic', async () => {
    const dir = await initFolder();
    const dry = await importJson(dir, fixture('youscan-export.csv'), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.summary).toMatchObject({ dry_run: true, imported: 6, duplicates: 0, unmatched: 1 });
    expect(await queueJson(dir)).toEqual([]);
    const text = await runCli(['import', fixture('youscan-export.csv'), '--dry-run'], { cwd: dir });
    expect(text.stdout).toContain('Nothing was stored (--dry-run).');

    const forced = await importJson(dir, fixture('mentions.jsonl'), '--topic', 'acme');
    expect(forced.summary).toMatchObject({ imported: 5, unmatched: 0 });
    expect((await queueJson(dir)).map((q) => q.external_id)).toContain('note-7');
    const unknownTopic = await runCli(['import', fixture('mentions.jsonl'), '--topic', 'nope'], { cwd: dir });
    expect(unknownTopic.code).toBe(2);
    expect(unknownTopic.stderr).toContain('--topic nope: no such topic; configured topics: acme');
  });
});
