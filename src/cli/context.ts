import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { MentionsConfig } from '../config/types.js';
import type { Db } from '../store/db.js';
import { UsageError } from './usage-error.js';

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  config?: string;
  db?: string;
  color?: boolean;
  as?: string;
}

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Writes a line of talk (progress, confirmations) to stderr, keeping stdout for data. */
export function say(io: Io, line: string): void {
  io.stderr.write(`${line}\n`);
}

export async function locateConfig(globals: GlobalOptions, io: Io): Promise<string | null> {
  const { findConfigFile } = await import('../config/locate.js');
  return findConfigFile({
    flag: globals.config ? resolve(io.cwd, globals.config) : undefined,
    env: io.env['MENTIONS_CONFIG'] ? resolve(io.cwd, io.env['MENTIONS_CONFIG']) : undefined,
    cwd: io.cwd,
    xdgConfigHome: io.env['XDG_CONFIG_HOME'],
    home: io.env['HOME'] ?? userInfo().homedir,
  });
}

/** The config in force; without a config file, built-in defaults (no topics, no sources). */
export async function loadCurrentConfig(globals: GlobalOptions, io: Io): Promise<MentionsConfig> {
  const path = await locateConfig(globals, io);
  if (!path) return (await import('../config/defaults.js')).defaultConfig();
  const [{ loadConfigCached, defaultCacheDir }, { SOURCE_TYPES }, { VERSION }] = await Promise.all([
    import('../config/cache.js'),
    import('../sources/catalog.js'),
    import('./version.js'),
  ]);
  return loadConfigCached(path, { knownSourceTypes: SOURCE_TYPES }, { cacheDir: defaultCacheDir(io.env), version: VERSION });
}

export async function databasePath(globals: GlobalOptions, config: MentionsConfig, io: Io): Promise<string> {
  if (globals.db) return resolve(io.cwd, globals.db);
  if (io.env['MENTIONS_DB']) return resolve(io.cwd, io.env['MENTIONS_DB']);
  if (config.database) return config.database;
  const { defaultDatabasePath } = await import('../config/locate.js');
  return defaultDatabasePath({ xdgDataHome: io.env['XDG_DATA_HOME'], home: io.env['HOME'] ?? userInfo().homedir });
}

export async function openStore(globals: GlobalOptions, config: MentionsConfig, io: Io, create = false): Promise<Db> {
  const { openDatabase } = await import('../store/db.js');
  return openDatabase(await databasePath(globals, config, io), { create });
}

/** Who is acting: --as, $MENTIONS_AGENT, the config's agent, then the OS user. */
export function actingAgent(globals: GlobalOptions, config: MentionsConfig, io: Io): string {
  return globals.as ?? io.env['MENTIONS_AGENT'] ?? config.agent ?? safeUserName();
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function styleFor(globals: GlobalOptions, io: Io, stream: NodeJS.WriteStream = io.stdout) {
  const { createStyle, wantsColor } = await import('../output/style.js');
  return createStyle({ color: wantsColor(stream, globals.color, io.env) });
}

export function parseMentionId(raw: string): number {
  if (!/^\d+$/.test(raw)) {
    throw new UsageError(`mention id must be a number, got "${raw}" (see "mentions queue" for ids)`);
  }
  return Number(raw);
}
