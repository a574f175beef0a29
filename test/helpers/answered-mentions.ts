import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { changeStatus } from '../../src/store/events.js';
import { runCli } from './cli.js';

/**
 * A folder with a config (Moscow, 09:00–18:00 weekdays, 1 h target), five
 * imported mentions on Thursday 2026-11-19 and Friday 2026-11-20 (Moscow
 * time), and responses recorded through the store as `respond` would.
 */
export async function folderWithAnsweredMentions(dir: string, extraRows: ReadonlyArray<Record<string, unknown>> = []): Promise<string> {
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  writeFileSync(
    join(dir, 'mentions.yml'),
    `timezone: Europe/Moscow
database: mentions.db
sla:
  default: 1h
  by_source: { vip: 10m }
topics:
  - name: acme
    query: acme
`,
  );
  // Extra rows first: the importer reads the layout (which columns exist) from the first line.
  const rows = [
    ...extraRows,
    { id: 'a', text: 'acme router broke again', published_at: '2026-11-19T10:00:00+03:00' },
    { id: 'b', text: 'acme support question', published_at: '2026-11-19T11:00:00+03:00' },
    { id: 'c', text: 'acme is fine', published_at: '2026-11-19T12:00:00+03:00' },
    { id: 'd', text: 'acme late on friday', published_at: '2026-11-20T17:50:00+03:00' },
    { id: 'e', text: 'acme never answered', published_at: '2026-11-20T12:00:00+03:00' },
  ];
  writeFileSync(join(dir, 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  const imported = await runCli(['import', 'rows.jsonl', '--source', 'feed'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);

  const db = openDatabase(join(dir, 'mentions.db'));
  const idOf = (externalId: string) => (db.prepare('SELECT id FROM mentions WHERE external_id = ?').get(externalId) as { id: number }).id;
  const at = (iso: string) => Date.parse(iso);
  changeStatus(db, { mentionId: idOf('a'), to: 'responded', actor: 'anna', at: at('2026-11-19T10:05:00+03:00') });
  changeStatus(db, { mentionId: idOf('b'), to: 'responded', actor: 'boris', at: at('2026-11-19T11:30:00+03:00') });
  changeStatus(db, { mentionId: idOf('c'), to: 'responded', actor: 'anna', at: at('2026-11-19T14:00:00+03:00') });
  changeStatus(db, { mentionId: idOf('d'), to: 'responded', actor: 'boris', at: at('2026-11-23T09:10:00+03:00') });
  db.close();
  return dir;
}
