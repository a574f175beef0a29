import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('profanity in views for people', () => {
  it('is masked in the queue, show, explain, search and reports, and kept as written in JSON', async () => {
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'mentions.yml'), 'timezone: UTC\ndatabase: mentions.db\ntopics:\n  - name: acme\n    query: acme OR акме\n');
    const rows = [
      { id: '1', text: 'Акме — говно, а не оператор', published_at: '2026-11-20T10:00:00Z' },
      { id: '2', text: 'Acme app is shit, fix the login', published_at: '2026-11-20T11:00:00Z' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    expect((await runCli(['import', 'rows.jsonl', '--source', 'social'], { cwd: dir })).code).toBe(0);

    const views = [
      ['queue'],
      ['show', '1'],
      ['show', '2'],
      ['explain', '1'],
      ['explain', '--text', 'Acme app is shit'],
      ['search', 'acme'],
      ['report', 'daily', '--date', '2026-11-20'],
      ['report', 'daily', '--date', '2026-11-20', '--format', 'md'],
      ['report', 'daily', '--date', '2026-11-20', '--format', 'html'],
    ];
    for (const args of views) {
      const res = await runCli(args, { cwd: dir });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
      expect(res.stdout, args.join(' ')).not.toMatch(/говно|shit/);
    }
    const queue = await runCli(['queue'], { cwd: dir });
    expect(queue.stdout).toContain('г****');
    expect(queue.stdout).toContain('s***');
    // Data for scripts keeps the words as written.
    const json = await runCli(['queue', '--json'], { cwd: dir });
    expect(json.stdout).toContain('говно');
  });
});
