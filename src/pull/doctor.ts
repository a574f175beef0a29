/**
 * `mentions doctor`: is this setup ready to pull? The config, the database, and each enabled
 * source (its token variables set, one page fetched exactly as `sources test` would). Never
 * prints a token: it names the variables and says whether they are set.
 */
import { existsSync } from 'node:fs';
import { listEnvRefs } from '../config/env.js';
import type { MentionsConfig, SourceConfig } from '../config/types.js';
import { openDatabase } from '../store/db.js';
import { checkDatabase } from '../store/maintenance.js';
import { pullLockPath } from '../store/pull-lock.js';
import { previewSource } from './preview.js';
import { describeFailure } from './pull.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface SetupCheck {
  /** "config", "database", "pull lock", "source acme-alerts". */
  check: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorOptions {
  /** The loaded config, or the problem that stopped it loading. */
  config: MentionsConfig | { error: string };
  configPath: string | null;
  databasePath: string;
  env: Record<string, string | undefined>;
  /** Skip fetching from the sources. */
  offline?: boolean;
  /** Per-source fetch budget, ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function runDoctor(options: DoctorOptions): Promise<SetupCheck[]> {
  const checks: SetupCheck[] = [];
  if ('error' in options.config) {
    checks.push({ check: 'config', status: 'fail', detail: options.config.error });
    return checks;
  }
  const config = options.config;
  const enabled = config.sources.filter((source) => source.enabled);
  checks.push({
    check: 'config',
    status: options.configPath ? 'ok' : 'warn',
    detail: options.configPath
      ? `${options.configPath}: ${config.topics.length} topic(s), ${enabled.length} of ${config.sources.length} source(s) enabled`
      : 'no config file found: built-in defaults (no topics, no sources); run "mentions init"',
  });
  checks.push(databaseCheck(options.databasePath));
  if (existsSync(pullLockPath(options.databasePath))) {
    checks.push({ check: 'pull lock', status: 'warn', detail: `${pullLockPath(options.databasePath)} exists: a pull is running, or one was killed (the next pull takes over a dead one's lock)` });
  }
  for (const source of enabled) checks.push(await sourceCheck(source, config, options));
  return checks;
}

function databaseCheck(path: string): SetupCheck {
  if (!existsSync(path)) return { check: 'database', status: 'fail', detail: `${path} not found: run "mentions init"` };
  try {
    const db = openDatabase(path, { readonly: true });
    try {
      const result = checkDatabase(db, { quick: true });
      if (result.schemaVersion < result.latestVersion) {
        return { check: 'database', status: 'warn', detail: `${path}: schema ${result.schemaVersion}, the next command that writes upgrades it to ${result.latestVersion}` };
      }
      if (!result.ok) return { check: 'database', status: 'fail', detail: `${path}: ${result.integrity.slice(0, 3).join('; ')} (run "mentions db check")` };
      return { check: 'database', status: 'ok', detail: `${path}: schema ${result.schemaVersion}, ${result.mentions} mention(s), quick check ok` };
    } finally {
      db.close();
    }
  } catch (err) {
    return { check: 'database', status: 'fail', detail: (err as Error).message };
  }
}

async function sourceCheck(source: SourceConfig, config: MentionsConfig, options: DoctorOptions): Promise<SetupCheck> {
  const check = `source ${source.name}`;
  const variables = listEnvRefs([source.url, source.query, source.options]);
  const missing = variables.filter((name) => !options.env[name]);
  if (missing.length > 0) {
    return { check, status: 'fail', detail: `${source.type}: environment variable${missing.length > 1 ? 's' : ''} not set: ${missing.join(', ')}` };
  }
  const tokens = variables.length > 0 ? `; ${variables.join(', ')} set` : '';
  if (options.offline) return { check, status: 'skip', detail: `${source.type}: not fetched (--offline)${tokens}` };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const preview = await previewSource({
      db: null,
      config,
      name: source.name,
      env: options.env,
      fromStart: true,
      http: { retries: 0, totalTimeoutMs: timeoutMs, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs },
    });
    const relevant = preview.items.filter((item) => item.classification !== null).length;
    return { check, status: 'ok', detail: `${source.type}: reachable, HTTP ${preview.status}, ${preview.itemsSeen} item(s), ${relevant} matching a topic${tokens}` };
  } catch (err) {
    return { check, status: 'fail', detail: `${source.type}: ${describeFailure(err)}` };
  }
}
