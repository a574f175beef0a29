import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { databasePath, loadCurrentConfig, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export function registerDb(program: Command, io: Io, setExitCode: SetExitCode): void {
  const db = program.command('db').description('database care: backup and integrity check');

  db.command('backup')
    .description('copy the database safely while it is in use (SQLite online backup), atomically')
    .argument('<file>', 'where to write the copy; an existing file is replaced only once the copy is whole')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nFor cron:  mentions db backup ~/backups/mentions-$(date +%F).db')
    .action(async (file: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const source = await databasePath(globals, config, io);
      const target = resolve(io.cwd, file);
      if (target === source) throw new UsageError('the backup file must not be the database itself');
      const [{ openDatabase }, { backupDatabase }, output] = await Promise.all([
        import('../store/db.js'),
        import('../store/maintenance.js'),
        import('../output/maintenance.js'),
      ]);
      const handle = openDatabase(source, { readonly: true });
      try {
        const result = await backupDatabase(handle, target);
        if (flags.json) io.stdout.write(output.renderBackupJson(result));
        else say(io, `backup written: ${result.path} (${output.formatBytes(result.bytes)})`);
      } finally {
        handle.close();
      }
    });

  db.command('check')
    .description('integrity check, foreign keys and schema version; exit 3 when something is wrong')
    .option('--quick', 'PRAGMA quick_check instead of the full integrity_check (faster on big files)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: { quick?: boolean; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const path = await databasePath(globals, config, io);
      if (!existsSync(path)) throw new UsageError(`database not found: ${path} (run "mentions init" first, or pass --db)`);
      const [{ openDatabase }, { checkDatabase }, output] = await Promise.all([
        import('../store/db.js'),
        import('../store/maintenance.js'),
        import('../output/maintenance.js'),
      ]);
      const handle = openDatabase(path, { readonly: true });
      try {
        const result = checkDatabase(handle, { quick: flags.quick });
        io.stdout.write(flags.json ? output.renderDatabaseCheckJson(result) : output.renderDatabaseCheck(result, await styleFor(globals, io)));
        if (!result.ok) setExitCode(EXIT.store);
      } finally {
        handle.close();
      }
    });
}
