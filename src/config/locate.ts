import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './types.js';

export interface ConfigSearch {
  /** `--config` value, if given. */
  flag?: string | undefined;
  /** `$MENTIONS_CONFIG`, if set. */
  env?: string | undefined;
  cwd: string;
  /** `$XDG_CONFIG_HOME`, if set. */
  xdgConfigHome?: string | undefined;
  home: string;
  /** Injected for tests; by default, whether a regular file exists there. */
  isFile?: (path: string) => boolean;
}

/**
 * The config file in force: `--config`, `$MENTIONS_CONFIG`, `./mentions.yml`,
 * then `$XDG_CONFIG_HOME/mentions/config.yml`; null when there is none.
 * An explicitly named file that is missing is an error rather than a silent
 * fall-through, since running with another config would surprise.
 */
export function findConfigFile(search: ConfigSearch): string | null {
  const isFile = search.isFile ?? isRegularFile;
  const explicit: Array<[string | undefined, string]> = [
    [search.flag, '--config'],
    [search.env, '$MENTIONS_CONFIG'],
  ];
  for (const [given, origin] of explicit) {
    if (!given) continue;
    const path = resolve(search.cwd, given);
    if (!isFile(path)) throw new ConfigError(`config file not found: ${path} (from ${origin})`);
    return path;
  }
  const implicit = [join(search.cwd, 'mentions.yml'), join(configHome(search), 'mentions', 'config.yml')];
  return implicit.find((path) => isFile(path)) ?? null;
}

/** `$XDG_DATA_HOME/mentions/mentions.db`, with the XDG default `~/.local/share`. */
export function defaultDatabasePath(dirs: { xdgDataHome?: string | undefined; home: string }): string {
  return join(xdgBase(dirs.xdgDataHome, dirs.home, '.local/share'), 'mentions', 'mentions.db');
}

function configHome(search: ConfigSearch): string {
  return xdgBase(search.xdgConfigHome, search.home, '.config');
}

/** The XDG spec says a relative XDG_* path is invalid and must be ignored. */
function xdgBase(value: string | undefined, home: string, fallbackUnderHome: string): string {
  return value && isAbsolute(value) ? value : join(home, fallbackUnderHome);
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
