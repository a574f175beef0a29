import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { say } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';

/** The feeds the demo serves, as a user would list them in the config. */
const DEMO_SOURCES = [
  { name: 'google-alerts-acme', type: 'google-alerts', path: '/feeds/google-alerts-acme.xml' },
  { name: 'tech-news', type: 'rss', path: '/feeds/news-rss2.xml' },
  { name: 'ru-news', type: 'rss', path: '/feeds/ru-news-cp1251.xml' },
  { name: 'indie-blogs', type: 'rss', path: '/feeds/rdf-blog.xml' },
] as const;

export function demoConfigText(baseUrl: string): string {
  const sources = DEMO_SOURCES.map(
    (s) => `  - name: ${s.name}\n    type: ${s.type}\n    url: ${baseUrl}${s.path}\n    interval: 15m\n`,
  ).join('');
  return `# Demo config: the feeds are served from fixtures/ by a local server on 127.0.0.1.
timezone: Europe/Moscow
sla:
  default: 1h
  by_source:
    google-alerts: 10m
topics:
  - name: acme
    query: 'acme OR акме OR "acme mobile"'
    own_accounts: [AcmeSupport, acme_help]
sources:
${sources}`;
}

export function registerDemo(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('run the whole job offline: serve recorded feeds locally, then init → pull → queue → daily report in a temporary folder')
    .option('--keep', 'keep the temporary folder (its path is printed) to explore it afterwards')
    .action(async (flags: { keep?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ mkdtempSync, rmSync, writeFileSync }, { tmpdir }, { join }, { startReplayServer }, { main }, { openDatabase }, { localDate }] =
        await Promise.all([
          import('node:fs'),
          import('node:os'),
          import('node:path'),
          import('../replay/server.js'),
          import('./main.js'),
          import('../store/db.js'),
          import('../report/zoned-time.js'),
        ]);
      const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
      const server = await startReplayServer(fixtures);
      const dir = mkdtempSync(join(tmpdir(), 'mentions-demo-'));
      const configPath = join(dir, 'mentions.yml');
      const dbPath = join(dir, 'mentions.db');
      const base = ['node', 'mentions', '--config', configPath, '--db', dbPath, ...(globals.color === false ? ['--no-color'] : [])];
      const run = async (...args: string[]) => {
        say(io, `\n$ mentions ${args.join(' ')}`);
        return main([...base, ...args], io);
      };
      try {
        say(io, `demo: feeds served from ${fixtures} at ${server.url}; working in ${dir}`);
        let code = await run('init');
        if (code !== EXIT.ok) return setExitCode(code);
        // What a user does next: put their topics and feeds into the config.
        writeFileSync(configPath, demoConfigText(server.url));
        say(io, `(edited ${configPath}: topic "acme", ${DEMO_SOURCES.length} feeds on ${server.url})`);
        code = await run('pull');
        if (code !== EXIT.ok) return setExitCode(code);
        code = await run('queue', '--limit', '15');
        if (code !== EXIT.ok) return setExitCode(code);
        const db = openDatabase(dbPath);
        const newest = (db.prepare('SELECT max(created_at) AS t FROM mentions').get() as { t: number | null }).t;
        db.close();
        const day = newest === null ? 'today' : localDate(newest, 'Europe/Moscow');
        code = await run('report', 'daily', '--date', day);
        setExitCode(code);
        if (flags.keep) say(io, `\nkept ${dir}: try  mentions --config ${configPath} --db ${dbPath} show 1`);
      } finally {
        await server.close();
        if (!flags.keep) rmSync(dir, { recursive: true, force: true });
      }
    });
}
