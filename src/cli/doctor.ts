import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import { databasePath, locateConfig, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { EXIT } from './exit-codes.js';

export function registerDoctor(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('doctor')
    .description('check the setup: config, database, and each enabled source (token variables set, one page fetched)')
    .option('--offline', 'do not fetch from the sources')
    .option('--timeout <seconds>', 'longest wait per source', '10')
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      `
Tokens are never printed: doctor names the variables a source needs and says whether they are set.
Exit code 0 when nothing failed, 1 when some check failed.`,
    )
    .action(async (flags: { offline?: boolean; timeout: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const timeoutSeconds = Number(flags.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        const { UsageError } = await import('./usage-error.js');
        throw new UsageError(`--timeout must be a number of seconds above 0, got "${flags.timeout}"`);
      }
      const configPath = await locateConfig(globals, io);
      const [{ loadConfig }, { defaultConfig }, { SOURCE_TYPES }, { runDoctor }, output] = await Promise.all([
        import('../config/load.js'),
        import('../config/defaults.js'),
        import('../sources/catalog.js'),
        import('../pull/doctor.js'),
        import('../output/maintenance.js'),
      ]);
      let config: import('../config/types.js').MentionsConfig | { error: string };
      try {
        config = configPath ? loadConfig(configPath, { knownSourceTypes: SOURCE_TYPES }) : defaultConfig();
      } catch (err) {
        if ((err as Error).name !== 'ConfigError') throw err;
        config = { error: (err as { located?: string }).located ?? (err as Error).message };
      }
      const dbPath = await databasePath(globals, 'error' in config ? defaultConfig() : config, io);
      const checks = await runDoctor({ config, configPath, databasePath: dbPath, env: io.env, offline: flags.offline, timeoutMs: timeoutSeconds * 1000 });
      io.stdout.write(flags.json ? output.renderDoctorJson(checks) : output.renderDoctor(checks, await styleFor(globals, io)));
      if (checks.some((check) => check.status === 'fail')) setExitCode(EXIT.partial);
    });
}
