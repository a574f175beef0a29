import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTestServer } from '../helpers/http-server.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const serve = useTestServer();

const ESC = '\u001b';
// Colour, cursor moves and screen clearing, a window-title OSC, an OSC 8 hyperlink, C1 CSI, BEL,
// backspaces that overwrite, and a right-to-left override that makes "exe.txt" read "txt.exe".
const HOSTILE = [
  `${ESC}[31mRED${ESC}[0m`,
  `${ESC}[2J${ESC}[H`,
  `${ESC}]0;pwned title\u0007`,
  `${ESC}]8;;https://evil.example/${ESC}\\click me${ESC}]8;;${ESC}\\`,
  '\u009b31m',
  'bell\u0007',
  'abc\b\b\bxyz',
  'file\u202etxt.exe',
].join(' ');

/** Characters that must never reach a terminal from untrusted text. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function folderWithHostileMentions(): Promise<string> {
  const dir = tmp();
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  writeFileSync(join(dir, 'mentions.yml'), `database: mentions.db\ntopics:\n  - name: acme\n    query: acme\n`);
  const rows = [
    { id: 'x1', text: `Acme is broken, refund now! ${HOSTILE}`, author: `eve${ESC}[1m BOLD ${ESC}]0;t\u0007`, url: 'https://social.example/p/1', published_at: '2026-11-20T10:00:00Z' },
    { id: 'x2', text: '=HYPERLINK("https://evil.example"; "Acme support never answers my emails, two weeks now")', author: '+cmd|calc', url: 'javascript:alert(1)', published_at: '2026-11-20T10:01:00Z' },
    { id: 'x3', text: '-2+3 Acme @SUM(A1:A9)', author: '@admin', url: 'https://social.example/p/3', published_at: '2026-11-20T10:02:00Z' },
  ];
  writeFileSync(join(dir, 'hostile.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  const imported = await runCli(['import', 'hostile.jsonl', '--source', 'social'], { cwd: dir });
  // 1: the javascript: link is reported and left empty; every row is still stored.
  expect(imported.code, imported.stderr).toBeLessThan(2);
  expect(imported.stdout).toMatch(/new\s+3/);
  return dir;
}

describe('untrusted text never acts on a terminal, a spreadsheet or a browser', () => {
  it('neutralises escape sequences, controls and bidi overrides in every terminal view', async () => {
    const dir = await folderWithHostileMentions();
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const ids = (db.prepare('SELECT id FROM mentions ORDER BY external_id').all() as Array<{ id: number }>).map((row) => row.id);
    db.close();
    const views = [
      ['queue'],
      ['queue', '--status', 'new', 'ignored'],
      ['show', String(ids[0])],
      ['show', String(ids[1])],
      ['explain', String(ids[0])],
      ['explain', '--text', `Acme ${HOSTILE}`],
      ['report', 'daily', '--date', '2026-11-20'],
      ['report', 'daily', '--date', '2026-11-20', '--format', 'md'],
      ['sources'],
    ];
    for (const args of views) {
      const res = await runCli(args, { cwd: dir, env: { FORCE_COLOR: '0' } });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBeLessThan(2);
      expect(TERMINAL_UNSAFE.test(res.stdout), `${args.join(' ')} stdout`).toBe(false);
      expect(TERMINAL_UNSAFE.test(res.stderr), `${args.join(' ')} stderr`).toBe(false);
    }
    const show = await runCli(['show', String(ids[0])], { cwd: dir });
    expect(show.stdout).toContain('RED');
    expect(show.stdout).toContain('click me');
    expect(show.stdout).not.toContain('evil.example');
    // A non-http link is never shown or stored as a link.
    const other = await runCli(['show', String(ids[1]), '--json'], { cwd: dir });
    expect(JSON.parse(other.stdout).url).toBeNull();
    expect(other.stdout).not.toContain('javascript:');
  });

  it('neutralises formulas in CSV cells', async () => {
    const dir = await folderWithHostileMentions();
    const res = await runCli(['queue', '--csv'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split(/\r?\n/);
    for (const line of lines.slice(1)) {
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)/g) ?? []) {
        const value = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
        // Our own numbers (a negative score) stay numbers; anything else starting like a formula is quoted.
        if (/^-?\d+(\.\d+)?$/.test(value)) continue;
        expect(/^[=+\-@\t\r]/.test(value), `cell ${value}`).toBe(false);
      }
    }
    expect(res.stdout).toContain("'=HYPERLINK");
    expect(res.stdout).toContain("'+cmd|calc");
    expect(res.stdout).toContain("'@admin");
    expect(res.stdout).toContain("'-2+3 Acme");
    expect(TERMINAL_UNSAFE.test(res.stdout.replaceAll('\r\n', '\n'))).toBe(false);
  });

  it('keeps a token out of the database, errors, JSON and reports', async () => {
    const canary = 'sk_live_CANARY_7c1e5a';
    const server = await serve({
      '/gh/search/issues': (req, res) => {
        // Echo what an API might: the request's Authorization header, in the error body.
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `Bad credentials: ${req.headers['authorization'] ?? ''}` }));
      },
    });
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    writeFileSync(
      join(dir, 'mentions.yml'),
      `database: mentions.db\ntopics:\n  - name: acme\n    query: acme\nsources:\n  - name: gh\n    type: github\n    query: acme\n    url: ${server.url}/gh\n    token: \${GH_TOKEN}\n`,
    );
    const env = { GH_TOKEN: canary };
    const commands = [['pull'], ['pull', '--json'], ['sources'], ['sources', '--json'], ['sources', 'test', 'gh'], ['sources', 'test', 'gh', '--json'], ['doctor'], ['doctor', '--json'], ['queue', '--json'], ['report', 'daily', '--format', 'json']];
    for (const args of commands) {
      const res = await runCli(args, { cwd: dir, env });
      expect(res.stdout + res.stderr, args.join(' ')).not.toContain(canary);
      expect(res.stdout + res.stderr, args.join(' ')).not.toContain('CANARY');
    }
    const bytes = readFileSync(join(dir, 'mentions.db'));
    expect(bytes.includes(Buffer.from('CANARY'))).toBe(false);
    const db = new Database(join(dir, 'mentions.db'), { readonly: true });
    const lastError = (db.prepare("SELECT last_error FROM sources WHERE name = 'gh'").get() as { last_error: string }).last_error;
    db.close();
    expect(lastError).toMatch(/GH_TOKEN/);
    expect(lastError).not.toContain('CANARY');
  });
});
