/**
 * `mentions watch`: a cycle every `everyMs` — pull the sources that are due
 * (pull/schedule.ts), then evaluate and deliver alerts — until the signal is
 * aborted. An abort never interrupts a cycle: the current pull finishes its
 * pages (each stored in one transaction) and the loop ends before the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MentionsConfig } from '../config/types.js';
import type { HttpClientOptions } from '../http/client.js';
import type { Db } from '../store/db.js';
import { listSources } from '../store/sources.js';
import type { AlertCycleResult } from './alerts.js';
import { runAlertCycle } from './alerts.js';
import { describeFailure, pullSources } from './pull.js';
import type { PullSummary } from './pull.js';
import { dueSources } from './schedule.js';

export interface WatchCycle {
  number: number;
  startedAt: number;
  /** Sources due this cycle (the others were skipped). */
  due: string[];
  pull: PullSummary | null;
  alerts: AlertCycleResult | null;
  /** A cycle-wide failure (the database busy past its timeout, …); the loop goes on. */
  error: string | null;
}

export interface WatchOptions {
  db: Db;
  config: MentionsConfig;
  env: Record<string, string | undefined>;
  everyMs: number;
  signal: AbortSignal;
  onCycle: (cycle: WatchCycle) => void;
  /** Delivery problems, one line each. */
  log: (line: string) => void;
  now?: () => number;
  http?: Partial<HttpClientOptions>;
}

/** Runs cycles until the signal aborts; resolves with the number of cycles run. */
export async function watch(options: WatchOptions): Promise<number> {
  const now = options.now ?? Date.now;
  let number = 0;
  while (!options.signal.aborted) {
    const cycle: WatchCycle = { number: ++number, startedAt: now(), due: [], pull: null, alerts: null, error: null };
    try {
      const states = new Map(listSources(options.db).map((s) => [s.name, s]));
      cycle.due = dueSources(options.config.sources, states, cycle.startedAt);
      if (cycle.due.length > 0) {
        cycle.pull = await pullSources({ db: options.db, config: options.config, only: cycle.due, env: options.env, now, http: options.http });
      }
      if (options.config.alerts.rules.length > 0) {
        cycle.alerts = await runAlertCycle({ db: options.db, config: options.config, env: options.env, since: cycle.startedAt, now, log: options.log });
      }
    } catch (err) {
      cycle.error = describeFailure(err);
    }
    options.onCycle(cycle);
    try {
      await sleep(Math.max(0, cycle.startedAt + options.everyMs - now()), undefined, { signal: options.signal });
    } catch {
      // aborted while sleeping: the loop condition ends it
    }
  }
  return number;
}
