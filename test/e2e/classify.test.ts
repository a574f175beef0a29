import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const TEXTS = [
  'Акме, верните деньги! Заказ 123456 до сих пор не пришёл(',
  'Acme support is great, thanks :)',
  'Is Acme down again? Can’t log in since 10:30',
  'клинера не вернули, ужас',
  'just a link https://example.com/x',
];

describe('mentions classify over worker threads', () => {
  it('gives the same output and problem lines with threads as without, across many batches', async () => {
    const dir = tmp();
    const lines: string[] = [];
    for (let i = 0; i < 4500; i++) {
      if (i % 1000 === 7) lines.push('not json');
      else if (i % 1500 === 9) lines.push('{"id":"x"}');
      else lines.push(JSON.stringify({ id: i, text: TEXTS[i % TEXTS.length] }));
    }
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    writeFileSync(join(dir, 'mentions.yml'), 'topics:\n  - name: acme\n    query: "acme OR акме OR клинер"\n');
    const args = ['classify', '--topics', '--evidence', '-i', input];
    const single = await runCli(args, { cwd: dir, env: { MENTIONS_CLASSIFY_THREADS: '0' } });
    const threaded = await runCli(args, { cwd: dir, env: { MENTIONS_CLASSIFY_THREADS: '2' } });
    expect(single.code).toBe(1);
    expect(threaded.code).toBe(1);
    expect(threaded.stdout).toBe(single.stdout);
    expect(threaded.stderr).toBe(single.stderr);
    const out = single.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; topics: string[] });
    expect(out).toHaveLength(4500 - 5 - 3);
    expect(out.map((row) => row.id)).toEqual(lines.flatMap((line, i) => (line.startsWith('{"id":') && line.includes('text') ? [i] : [])));
    expect(single.stderr).toContain(`${input}:8: not a JSON object`);
    expect(single.stderr).toContain(`${input}:3010: field "text": missing or not a string`);
    expect(single.stderr).toContain('8 of 4500 rows skipped');
  });

  it('rejects a bad thread count', async () => {
    const dir = tmp();
    const result = await runCli(['classify'], { cwd: dir, env: { MENTIONS_CLASSIFY_THREADS: 'many' }, input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MENTIONS_CLASSIFY_THREADS');
  });
});
