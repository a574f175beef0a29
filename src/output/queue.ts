import type { ChalkInstance } from 'chalk';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { mentionJson } from './mention-view.js';
import type { MentionView } from './mention-view.js';
import { safeLink, snippet, truncate } from './sanitize.js';
import { renderTable } from './table.js';
import { formatSpan } from './time-format.js';

const SNIPPET_CHARS = 60;

export function dueLabel(remainingMs: number | null): string {
  if (remainingMs === null) return '—';
  return remainingMs >= 0 ? `in ${formatSpan(remainingMs)}` : `${formatSpan(remainingMs)} over`;
}

export function renderQueueTable(rows: readonly MentionView[], now: number, style: ChalkInstance): string {
  if (rows.length === 0) return 'The queue is empty: nothing waits for an answer.\n';
  const sentimentColour = (s: string | null) =>
    s === 'negative' ? style.red : s === 'positive' ? style.green : (t: string) => t;
  return renderTable<MentionView>(
    [
      { header: 'ID', value: (m) => `${m.urgent ? '!' : ''}${m.id}`, align: 'right', paint: (t, m) => (m.urgent ? style.red.bold(t) : t) },
      { header: 'AGE', value: (m) => formatSpan(now - m.createdAt), align: 'right' },
      {
        header: 'DUE',
        value: (m) => dueLabel(m.slaRemainingMs),
        paint: (t, m) =>
          m.slaRemainingMs === null ? t : m.slaRemainingMs < 0 ? style.red.bold(t) : m.slaRemainingMs < 10 * 60_000 ? style.yellow(t) : t,
      },
      { header: 'CASE', value: (m) => ((m.caseSize ?? 1) > 1 ? `${m.caseSize}` : ''), align: 'right' },
      { header: 'WHO', value: (m) => truncate(m.assignee ?? '', 12) },
      { header: 'SOURCE', value: (m) => truncate(m.source, 18) },
      { header: 'AUTHOR', value: (m) => truncate(m.author ?? '', 18) },
      { header: 'SENTIMENT', value: (m) => m.sentiment ?? '', paint: (t, m) => sentimentColour(m.sentiment)(t) },
      { header: 'TAGS', value: (m) => m.tags.join(','), paint: (t, m) => (m.tags.includes('urgent') ? style.red(t) : t) },
      { header: 'MENTION', value: (m) => snippet(m, SNIPPET_CHARS) },
      { header: 'LINK', value: (m) => safeLink(m.url) ?? '', paint: (t) => style.dim(t) },
    ],
    rows,
  );
}

export function renderQueueJson(rows: readonly MentionView[]): string {
  return renderJson(rows.map(mentionJson));
}

const CSV_COLUMNS = [
  'id', 'source', 'source_type', 'created_at', 'status', 'assignee', 'priority', 'urgent', 'case_size', 'sentiment', 'sentiment_score',
  'relevance', 'tags', 'topics', 'sla_remaining_seconds', 'author', 'author_reach', 'url', 'title', 'text',
] as const;

export function renderQueueCsv(rows: readonly MentionView[]): string {
  return renderCsv(CSV_COLUMNS, rows.map(mentionJson));
}
