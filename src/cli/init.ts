import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { databasePath, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';

export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description('write a commented starter config and create the database')
    .option('--force', 'overwrite an existing config file')
    .option('--json', 'print what was created as JSON')
    .addHelpText('after', '\nThe config goes to --config, $MENTIONS_CONFIG, or ./mentions.yml. Edit its topics and sources, then run "mentions pull".')
    .action(async (opts: { force?: boolean; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const configPath = resolve(io.cwd, globals.config ?? io.env['MENTIONS_CONFIG'] ?? 'mentions.yml');
      const [{ starterConfigText }, { loadConfig }, { SOURCE_TYPES }, { writeFileAtomic }, { openDatabase }, { mkdirSync }] =
        await Promise.all([
          import('../config/starter.js'),
          import('../config/load.js'),
          import('../sources/catalog.js'),
          import('../output/atomic-write.js'),
          import('../store/db.js'),
          import('node:fs'),
        ]);
      const existed = existsSync(configPath);
      if (!existed || opts.force) {
        mkdirSync(dirname(configPath), { recursive: true });
        writeFileAtomic(configPath, starterConfigText());
      }
      // Load what is there now, so the database lands where every later command will look for it.
      const config = loadConfig(configPath, { knownSourceTypes: SOURCE_TYPES });
      const dbPath = await databasePath(globals, config, io);
      openDatabase(dbPath, { create: true }).close();
      if (opts.json) {
        const { renderJson } = await import('../output/json.js');
        io.stdout.write(renderJson({ config: configPath, configCreated: !existed || Boolean(opts.force), database: dbPath }));
        return;
      }
      say(io, existed && !opts.force ? `config kept: ${configPath} (exists; --force overwrites it)` : `config written: ${configPath}`);
      say(io, `database ready: ${dbPath}`);
      say(io, 'next: edit the topics and sources in the config, then run "mentions pull"');
    });
}
