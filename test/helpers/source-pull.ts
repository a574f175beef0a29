import { join } from 'node:path';
import { afterEach } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { pullSources } from '../../src/pull/pull.js';
import type { PullSummary } from '../../src/pull/pull.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { openDatabase } from '../../src/store/db.js';
import type { Db } from '../../src/store/db.js';
import { getSourceByName } from '../../src/store/sources.js';
import type { SourceRow } from '../../src/store/sources.js';
import { useTmpDir } from './tmp.js';

/** A stored mention as the database holds it (snake_case columns of the mentions table). */
export interface StoredMention {
  external_id: string;
  url: string | null;
  author: string | null;
  author_url: string | null;
  author_reach: number | null;
  title: string | null;
  text: string;
  lang: string | null;
  published_at: number | null;
  parent_id: string | null;
  thread_id: string | null;
}

export interface SourcePullHarness {
  db: Db;
  /** Runs a real pull (real HTTP client, real SQLite file) with fast retries. */
  pull(options?: { env?: Record<string, string | undefined>; now?: () => number; only?: string[] }): Promise<PullSummary>;
  /** Every stored mention, ordered by external id. */
  mentions(): StoredMention[];
  source(name: string): SourceRow | null;
}

/**
 * Pulls through the whole pipeline (config text → adapter → HTTP → classify →
 * SQLite) against a local server, so a source test checks what is really stored.
 * The config text must contain topics that match the fixture's items.
 */
export function useSourcePull(): (configYaml: string) => SourcePullHarness {
  const tmp = useTmpDir();
  const open: Db[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });
  return (configYaml) => {
    const dir = tmp();
    const config = parseConfigText(configYaml, join(dir, 'mentions.yml'), { knownSourceTypes: SOURCE_TYPES });
    const db = openDatabase(join(dir, 'mentions.db'), { create: true });
    open.push(db);
    return {
      db,
      pull: (options = {}) =>
        pullSources({
          db,
          config,
          env: options.env ?? {},
          now: options.now,
          only: options.only,
          http: { retryBaseMs: 10, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, totalTimeoutMs: 10_000 },
        }),
      mentions: () =>
        db
          .prepare(
            `SELECT external_id, url, author, author_url, author_reach, title, text, lang, published_at, parent_id, thread_id
             FROM mentions ORDER BY external_id`,
          )
          .all() as StoredMention[],
      source: (name) => getSourceByName(db, name),
    };
  };
}
