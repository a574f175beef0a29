/**
 * The health of each source for `mentions sources`: the config says what
 * should be polled and how often, the store says what happened. Pure.
 */
export type SourceState = 'ok' | 'failing' | 'stale' | 'never polled' | 'disabled' | 'not in config';

export interface SourceHealth {
  name: string;
  type: string;
  state: SourceState;
  enabled: boolean;
  intervalSeconds: number | null;
  lastPolledAt: number | null;
  lastOkAt: number | null;
  /** When the next scheduled poll is due (cron runs `pull` at its own pace; this is the config's wish). */
  nextDueAt: number | null;
  consecutiveFailures: number;
  errorCount: number;
  lastError: string | null;
  mentionCount: number;
  newestMentionAt: number | null;
}

export interface ConfiguredSource {
  name: string;
  type: string;
  enabled: boolean;
  intervalSeconds: number;
}

export interface StoredSourceStats {
  name: string;
  type: string;
  lastPolledAt: number | null;
  lastOkAt: number | null;
  consecutiveFailures: number;
  errorCount: number;
  lastError: string | null;
  mentionCount: number;
  newestMentionAt: number | null;
}

/** A source not polled successfully for this many intervals is stale even without errors (nobody runs pull). */
const STALE_INTERVALS = 4;

export function buildSourceHealth(configured: readonly ConfiguredSource[], stored: readonly StoredSourceStats[], now: number): SourceHealth[] {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const rows: SourceHealth[] = configured.map((c) => {
    const s = byName.get(c.name);
    byName.delete(c.name);
    const intervalMs = c.intervalSeconds * 1000;
    let state: SourceState;
    if (!c.enabled) state = 'disabled';
    else if (!s || s.lastPolledAt === null) state = 'never polled';
    else if (s.consecutiveFailures > 0) state = 'failing';
    else if (s.lastOkAt !== null && now - s.lastOkAt > STALE_INTERVALS * intervalMs) state = 'stale';
    else state = 'ok';
    return {
      name: c.name,
      type: c.type,
      state,
      enabled: c.enabled,
      intervalSeconds: c.intervalSeconds,
      lastPolledAt: s?.lastPolledAt ?? null,
      lastOkAt: s?.lastOkAt ?? null,
      nextDueAt: c.enabled ? (s?.lastPolledAt ?? null) === null ? now : s!.lastPolledAt! + intervalMs : null,
      consecutiveFailures: s?.consecutiveFailures ?? 0,
      errorCount: s?.errorCount ?? 0,
      lastError: s?.lastError ?? null,
      mentionCount: s?.mentionCount ?? 0,
      newestMentionAt: s?.newestMentionAt ?? null,
    };
  });
  // Imports and sources since removed from the config still own stored mentions.
  for (const s of byName.values()) {
    rows.push({
      name: s.name,
      type: s.type,
      state: 'not in config',
      enabled: false,
      intervalSeconds: null,
      lastPolledAt: s.lastPolledAt,
      lastOkAt: s.lastOkAt,
      nextDueAt: null,
      consecutiveFailures: s.consecutiveFailures,
      errorCount: s.errorCount,
      lastError: s.lastError,
      mentionCount: s.mentionCount,
      newestMentionAt: s.newestMentionAt,
    });
  }
  return rows;
}

/** Failing first (they need a fix), then by name. */
export function sortByAttention(rows: readonly SourceHealth[]): SourceHealth[] {
  const rank: Record<SourceState, number> = { failing: 0, stale: 1, 'never polled': 2, ok: 3, disabled: 4, 'not in config': 5 };
  return [...rows].sort((a, b) => rank[a.state] - rank[b.state] || a.name.localeCompare(b.name));
}
