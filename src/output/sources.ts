import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { safeLink, snippet, terminalSafeLine, truncate } from './sanitize.js';
import { renderTable } from './table.js';
import { formatSpan } from './time-format.js';

/** What the sources list shows (report/source-health's SourceHealth fits). */
export interface SourceHealthView {
  name: string;
  type: string;
  state: string;
  enabled: boolean;
  intervalSeconds: number | null;
  lastPolledAt: number | null;
  lastOkAt: number | null;
  nextDueAt: number | null;
  consecutiveFailures: number;
  errorCount: number;
  lastError: string | null;
  mentionCount: number;
  newestMentionAt: number | null;
}

const ago = (at: number | null, now: number) => (at === null ? '—' : `${formatSpan(now - at)} ago`);

export function renderSourcesTable(rows: readonly SourceHealthView[], now: number, style: ChalkInstance): string {
  if (rows.length === 0) return 'No sources configured or stored yet: add some under "sources:" in the config (see "mentions sources add --help").\n';
  const stateColour = (state: string) =>
    state === 'failing' ? style.red.bold : state === 'stale' ? style.yellow : state === 'ok' ? style.green : style.dim;
  const table = renderTable<SourceHealthView>(
    [
      { header: 'SOURCE', value: (r) => truncate(r.name, 24) },
      { header: 'TYPE', value: (r) => r.type },
      { header: 'STATE', value: (r) => (r.state === 'failing' ? `failing ×${r.consecutiveFailures}` : r.state), paint: (t, r) => stateColour(r.state)(t) },
      { header: 'LAST OK', value: (r) => ago(r.lastOkAt, now), align: 'right' },
      { header: 'LAST POLL', value: (r) => ago(r.lastPolledAt, now), align: 'right' },
      { header: 'EVERY', value: (r) => (r.intervalSeconds === null ? '—' : formatSpan(r.intervalSeconds * 1000)), align: 'right' },
      { header: 'MENTIONS', value: (r) => String(r.mentionCount), align: 'right' },
      { header: 'NEWEST', value: (r) => ago(r.newestMentionAt, now), align: 'right' },
    ],
    rows,
  );
  const errors = rows
    .filter((r) => r.lastError && r.consecutiveFailures > 0)
    .map((r) => style.red(`${terminalSafeLine(r.name)}: ${terminalSafeLine(r.lastError!)}`));
  return `${table.trimEnd()}\n${errors.length > 0 ? `\n${errors.join('\n')}\n` : ''}`;
}

export function renderSourcesJson(rows: readonly SourceHealthView[]): string {
  return renderJson(
    rows.map((r) => ({
      name: r.name,
      type: r.type,
      state: r.state,
      enabled: r.enabled,
      interval_seconds: r.intervalSeconds,
      last_polled_at: iso(r.lastPolledAt),
      last_ok_at: iso(r.lastOkAt),
      next_due_at: iso(r.nextDueAt),
      consecutive_failures: r.consecutiveFailures,
      error_count: r.errorCount,
      last_error: r.lastError,
      mention_count: r.mentionCount,
      newest_mention_at: iso(r.newestMentionAt),
    })),
  );
}

/** What `sources test` shows (pull/preview's SourcePreview fits). */
export interface SourcePreviewView {
  name: string;
  type: string;
  status: number;
  itemsSeen: number;
  warnings: string[];
  hasMore: boolean;
  fromCursor: boolean;
  items: Array<{
    mention: {
      externalId: string;
      url: string | null;
      author: string | null;
      authorReach: number | null;
      title: string | null;
      text: string;
      lang: string | null;
      publishedAt: number | null;
      parentId: string | null;
      threadId: string | null;
    };
    classification: { topics: readonly string[]; relevance: string; sentiment: string; tags: string[] } | null;
    stored: boolean;
  }>;
}

type PreviewItemView = SourcePreviewView['items'][number];

function verdict(item: PreviewItemView): string {
  if (item.stored) return 'already stored';
  if (!item.classification) return 'off-topic, skipped';
  return item.classification.relevance === 'relevant' ? 'new → queue' : `new (${item.classification.relevance})`;
}

export function renderSourcePreview(preview: SourcePreviewView, now: number, style: ChalkInstance): string {
  const head =
    `${terminalSafeLine(preview.name)} (${preview.type}): HTTP ${preview.status}, ${preview.itemsSeen} item${preview.itemsSeen === 1 ? '' : 's'} on the first page` +
    `${preview.fromCursor ? ' since the stored cursor' : ''}${preview.hasMore ? ', more pages follow' : ''}. Nothing was stored.`;
  const lines = [head, ''];
  if (preview.items.length > 0) {
    const table = renderTable<PreviewItemView>(
      [
        { header: 'WOULD BE', value: verdict, paint: (t, i) => (verdict(i).startsWith('new →') ? style.green(t) : style.dim(t)) },
        { header: 'AGE', value: (i) => (i.mention.publishedAt === null ? '—' : formatSpan(now - i.mention.publishedAt)), align: 'right' },
        { header: 'AUTHOR', value: (i) => truncate(i.mention.author ?? '', 18) },
        { header: 'SENTIMENT', value: (i) => i.classification?.sentiment ?? '' },
        { header: 'TOPICS', value: (i) => i.classification?.topics.join(',') ?? '' },
        { header: 'MENTION', value: (i) => snippet(i.mention, 60) },
        { header: 'LINK', value: (i) => safeLink(i.mention.url) ?? '', paint: (t) => style.dim(t) },
      ],
      preview.items,
    );
    lines.push(table.trimEnd());
  }
  for (const warning of preview.warnings) lines.push(style.yellow(`warning: ${terminalSafeLine(warning)}`));
  return `${lines.join('\n')}\n`;
}

export function renderSourcePreviewJson(preview: SourcePreviewView): string {
  return renderJson({
    name: preview.name,
    type: preview.type,
    status: preview.status,
    items_seen: preview.itemsSeen,
    has_more: preview.hasMore,
    from_cursor: preview.fromCursor,
    warnings: preview.warnings,
    items: preview.items.map((i) => ({
      would_be: i.stored ? 'duplicate' : i.classification ? 'stored' : 'skipped',
      external_id: i.mention.externalId,
      url: i.mention.url,
      author: i.mention.author,
      author_reach: i.mention.authorReach,
      title: i.mention.title,
      text: i.mention.text,
      lang: i.mention.lang,
      published_at: iso(i.mention.publishedAt),
      parent_id: i.mention.parentId,
      thread_id: i.mention.threadId,
      topics: i.classification?.topics ?? [],
      relevance: i.classification?.relevance ?? null,
      sentiment: i.classification?.sentiment ?? null,
      tags: i.classification?.tags ?? [],
    })),
  });
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
