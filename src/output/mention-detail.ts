import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { mentionJson } from './mention-view.js';
import type { MentionView } from './mention-view.js';
import { safeLink, terminalSafe, terminalSafeLine } from './sanitize.js';
import { dueLabel } from './queue.js';
import { formatLocal } from './time-format.js';

export interface EvidenceView {
  kind: string;
  match: string;
  weight: number;
  note?: string;
}

export interface EventView {
  at: number;
  actor: string;
  origin: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

export interface MentionDetail {
  mention: MentionView;
  evidence: EvidenceView[];
  rulesVersion: string | null;
  events: EventView[];
}

export function renderMentionDetail(detail: MentionDetail, timeZone: string, style: ChalkInstance): string {
  const m = detail.mention;
  const line = (label: string, value: string | null | undefined) =>
    value === null || value === undefined || value === '' ? null : `${style.dim(label.padEnd(11))} ${terminalSafeLine(value)}`;
  const when = (ms: number | null) => (ms === null ? null : `${formatLocal(ms, timeZone)} (${timeZone})`);
  const out: Array<string | null> = [
    style.bold(`Mention ${m.id}`) + `  ${m.status}${m.assignee ? ` → ${terminalSafeLine(m.assignee)}` : ''}`,
    line('source', `${m.source} (${m.sourceType})`),
    line('link', safeLink(m.url)),
    line('author', m.author ? `${m.author}${m.authorReach !== null ? ` · reach ${m.authorReach}` : ''}` : null),
    line('author url', safeLink(m.authorUrl)),
    line('published', when(m.publishedAt)),
    line('fetched', when(m.fetchedAt)),
    line('language', m.lang),
    line('topics', m.topics.join(', ')),
    line('relevance', m.relevance),
    line('sentiment', m.sentiment ? `${m.sentiment} (${(m.sentimentScore ?? 0).toFixed(2)})` : null),
    line('tags', m.tags.join(', ')),
    line('priority', m.priority.toFixed(1)),
    line('due', m.slaRemainingMs === null ? (m.firstResponseAt ? `answered ${when(m.firstResponseAt)}` : null) : dueLabel(m.slaRemainingMs)),
    line('parent', m.parentId),
    line('thread', m.threadId),
    line('copy of', m.duplicateOf === null ? null : `mention ${m.duplicateOf} (same text, posted earlier)`),
    '',
    m.title ? style.bold(terminalSafeLine(m.title)) : null,
    terminalSafe(m.text),
  ];
  if (detail.evidence.length > 0) {
    out.push('', style.bold(`Why (rules ${detail.rulesVersion ?? '?'})`));
    for (const e of detail.evidence) {
      const weight = e.weight === 0 ? '' : ` ${e.weight > 0 ? '+' : ''}${e.weight.toFixed(2)}`;
      out.push(`  ${e.kind.padEnd(12)} "${terminalSafeLine(e.match)}"${weight}${e.note ? style.dim(`  ${terminalSafeLine(e.note)}`) : ''}`);
    }
  }
  if (detail.events.length > 0) {
    out.push('', style.bold('History'));
    for (const e of detail.events) {
      out.push(
        `  ${formatLocal(e.at, timeZone)}  ${terminalSafeLine(e.actor)} (${e.origin}): ${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}` +
          (e.note ? `  "${terminalSafeLine(e.note)}"` : ''),
      );
    }
  }
  return `${out.filter((l) => l !== null).join('\n')}\n`;
}

export function renderMentionDetailJson(detail: MentionDetail): string {
  return renderJson({
    ...mentionJson(detail.mention),
    rules_version: detail.rulesVersion,
    evidence: detail.evidence,
    events: detail.events.map((e) => ({
      at: new Date(e.at).toISOString(),
      actor: e.actor,
      origin: e.origin,
      from: e.fromStatus,
      to: e.toStatus,
      note: e.note,
    })),
  });
}
