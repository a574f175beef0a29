import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('mentions search (built binary)', () => {
  it('finds stored mentions by words, prefix and phrase, in every status, with a snippet', async () => {
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'mentions.yml'), 'database: mentions.db\ntopics:\n  - name: acme\n    query: acme OR акме\n');
    const rows = [
      { id: '1', text: 'Акме, курьер привёз не тот заказ', published_at: '2026-11-20T10:00:00Z', author: 'ivan' },
      { id: '2', text: 'Acme refund still not processed', published_at: '2026-11-20T11:00:00Z', author: 'kate' },
      { id: '3', text: 'Заказ Акме пришёл вовремя, курьеру спасибо', published_at: '2026-11-20T12:00:00Z', author: 'olga' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    expect((await runCli(['import', 'rows.jsonl', '--source', 'social'], { cwd: dir })).code).toBe(0);
    const ids = async (...terms: string[]) => {
      const res = await runCli(['search', '--json', ...terms], { cwd: dir });
      expect(res.code, res.stderr).toBe(0);
      return (JSON.parse(res.stdout) as Array<{ external_id: string; snippet: string }>).map((hit) => hit.external_id);
    };
    expect(await ids('курьер*')).toEqual(['3', '1']);
    expect(await ids('привез')).toEqual(['1']);
    expect(await ids('"not processed"')).toEqual(['2']);
    expect(await ids('заказ', '--', '-вовремя')).toEqual(['1']);
    // Answered mentions are found too: search is over everything stored.
    const db = await runCli(['resolve', '1', '--as', 'anna'], { cwd: dir });
    expect(db.code, db.stderr).toBe(0);
    expect(await ids('привез')).toEqual(['1']);

    const table = await runCli(['search', 'refund'], { cwd: dir });
    expect(table.stdout).toMatch(/#\d+ {2}2026-11-20 \d\d:00 {2}social {2}kate/);
    expect(table.stdout).toContain('Acme refund still not processed');

    const none = await runCli(['search', '--', '-acme'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give at least one word to find');
  });
});
