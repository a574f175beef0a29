/**
 * The validated config, cached as JSON between runs. Parsing YAML with positions (the `yaml`
 * package, for file:line:column errors) is the largest part of a command's start-up, and the
 * config rarely changes between two commands. A cached copy is used only when everything the
 * config was built from is the same: the file's exact text, the values of the ${VARIABLES} it
 * names, the home folder, the known source types and this program's version. Anything else, or
 * a cache that cannot be read or written, means an ordinary load. Problems are never cached: a
 * config with errors is parsed (and reported) every time.
 *
 * The cache holds the config as loaded, where only timezone, database and agent have their
 * variables resolved (sources keep theirs until a pull), and, for the key, a SHA-256 digest of
 * the variables' values, never the values.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoadOptions } from './load.js';
import type { MentionsConfig } from './types.js';

/** Bump when the shape of MentionsConfig changes, so older cached copies are not read. */
const CACHE_FORMAT = 1;
const VARIABLE = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

export interface CacheOptions {
  /** Folder for cached configs; null: no cache. */
  cacheDir: string | null;
  /** The program's version: a new version reads configs afresh. */
  version: string;
}

/** `$XDG_CACHE_HOME/mentions`, else `~/.cache/mentions`; null when MENTIONS_NO_CACHE is set. */
export function defaultCacheDir(env: Record<string, string | undefined>): string | null {
  if (env['MENTIONS_NO_CACHE']) return null;
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] ?? homedir(), '.cache');
  return join(base, 'mentions');
}

/** loadConfig, through the cache when it holds this exact config. */
export async function loadConfigCached(path: string, options: LoadOptions, cache: CacheOptions): Promise<MentionsConfig> {
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // loadConfig reports a missing or unreadable file
  }
  const absolute = resolve(path);
  const file = cache.cacheDir && text !== null ? join(cache.cacheDir, `config-${digest(absolute).slice(0, 16)}.json`) : null;
  const key = text !== null ? cacheKey(absolute, text, options, cache.version) : null;
  if (file && key) {
    const hit = readCached(file, key);
    if (hit) return hit;
  }
  const { configFromFileText, loadConfig } = await import('./load.js');
  // The text already read is parsed; loadConfig only to report a file that could not be read.
  const config = text !== null ? configFromFileText(text, path, options) : loadConfig(path, options);
  if (file && key) writeCached(file, key, config);
  return config;
}

function cacheKey(absolute: string, text: string, options: LoadOptions, version: string): string {
  const env = options.env ?? process.env;
  const names = [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!))].sort();
  const values = names.map((name) => [name, env[name] ?? null]);
  return digest(JSON.stringify([CACHE_FORMAT, version, absolute, text, values, options.home ?? homedir(), options.baseDir ?? null, [...options.knownSourceTypes].sort()]));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readCached(file: string, key: string): MentionsConfig | null {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; config?: unknown };
    return cached.key === key && cached.config && typeof cached.config === 'object' ? (cached.config as MentionsConfig) : null;
  } catch {
    return null;
  }
}

/** Best effort and atomic (temp file + rename): a reader sees the old copy or the whole new one. */
function writeCached(file: string, key: string, config: MentionsConfig): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(resolve(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, JSON.stringify({ key, config }), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
