import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/** A folder with a config whose topic has rules of its own. */
function folderWithRules(): string {
  const dir = tmp();
  writeFileSync(
    join(dir, 'mentions.yml'),
    `topics:
  - name: acme
    query: acme OR акме
    rules:
      - match: sick
        sentiment: 3
      - regex: 'заказ\\s*№?\\s*\\d{6,}'
        tags: [order]
`,
  );
  return dir;
}

const rows = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('mentions classify (built binary)', () => {
  it('writes one JSON line per row, reports bad rows with their line number and exits 1', async () => {
    const input = ['{"id":"a","text":"Acme, верните деньги! Заказ не пришёл"}', 'not json', '', '{"id":7,"text":"Love the new Acme app 😍","lang":"en"}', '{"id":8}'].join('\n');
    const result = await runCli(['classify'], { cwd: tmp(), input });
    expect(result.code).toBe(1);
    const out = rows(result.stdout);
    expect(out.map((row) => row['id'])).toEqual(['a', 7]);
    expect(out[0]).toMatchObject({ sentiment: 'negative', relevance: 'relevant', lang: 'ru' });
    expect(out[0]!['tags']).toContain('complaint');
    expect(out[1]).toMatchObject({ sentiment: 'positive', lang: 'en' });
    expect(result.stderr).toContain('<stdin>:2: not a JSON object');
    expect(result.stderr).toContain('<stdin>:5: field "text": missing or not a string');
  });

  it('applies the config\'s topics and their rules with --topics', async () => {
    const dir = folderWithRules();
    const input = ['{"id":1,"text":"The Acme board is sick"}', '{"id":2,"text":"Акме, где заказ 551209?"}', '{"id":3,"text":"weather is nice"}'].join('\n');
    const plain = rows((await runCli(['classify'], { cwd: dir, input })).stdout);
    expect(plain[0]).toMatchObject({ sentiment: 'negative' });
    const result = await runCli(['classify', '--topics', '--evidence'], { cwd: dir, input });
    expect(result.code, result.stderr).toBe(0);
    const out = rows(result.stdout);
    expect(out[0]).toMatchObject({ sentiment: 'positive', relevance: 'relevant', topics: ['acme'] });
    expect(out[0]!['evidence']).toContainEqual({ kind: 'user-rule', match: 'sick', weight: 3, note: 'topic "acme" rules[0]' });
    expect(out[1]!['tags']).toContain('order');
    expect(out[2]).toMatchObject({ relevance: 'irrelevant', topics: [] });
  });
});

describe('mentions explain --text (built binary)', () => {
  it('lists the topic rules that hit, with their weights, and the rules version', async () => {
    const dir = folderWithRules();
    const result = await runCli(['explain', '--text', 'Acme board is sick, заказ 551209'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rules 2026\.11-2\+[0-9a-f]{8}/);
    expect(result.stdout).toContain('Topic rules (config)');
    expect(result.stdout).toMatch(/user-rule\s+"sick" \+3\.00\s+topic "acme" rules\[0\]/);
    expect(result.stdout).toMatch(/user-rule\s+"заказ 551209"\s+topic "acme" rules\[1\]: tags order/);
    const json = JSON.parse((await runCli(['explain', '--json', '--text', 'Acme board is sick'], { cwd: dir })).stdout) as { sentiment: string; evidence: unknown[] };
    expect(json.sentiment).toBe('positive');
    expect(json.evidence).toContainEqual(expect.objectContaining({ kind: 'user-rule', match: 'sick' }));
  });

  it('names the rule of a bad pattern and exits 2', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mentions.yml'), 'topics:\n  - name: acme\n    query: acme\n    rules:\n      - match: "a*b"\n        tags: [x]\n');
    const result = await runCli(['explain', '--text', 'acme'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('topic "acme": rules[0].match: "*" is allowed only at the end of a word');
  });
});

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
