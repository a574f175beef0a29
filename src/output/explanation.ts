import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import { terminalSafe, terminalSafeLine } from './sanitize.js';

/** What `mentions explain` shows (classify's Classification plus the priority terms fits). */
export interface ExplanationView {
  /** The mention id, or null for --text. */
  id: number | null;
  text: string;
  lang: string | null;
  topics: readonly string[];
  relevance: string;
  sentiment: string;
  sentimentScore: number;
  tags: string[];
  priority: number;
  priorityParts: Array<{ part: string; points: number }>;
  evidence: ReadonlyArray<{ kind: string; match: string; weight: number; note?: string }>;
  rulesVersion: string;
  /** For a stored mention: the result stored with it, when it differs from the current rules' result. */
  stored: { rulesVersion: string; relevance: string | null; sentiment: string | null; tags: string[] } | null;
}

const GROUPS: ReadonlyArray<{ title: string; kinds: readonly string[] }> = [
  { title: 'Topic match', kinds: ['query'] },
  { title: 'Relevance', kinds: ['own', 'exclude', 'spam', 'context'] },
  { title: 'Sentiment', kinds: ['lexicon', 'emoji', 'profanity', 'contrast', 'punctuation', 'question', 'negation', 'booster'] },
  { title: 'Tags', kinds: ['tag', 'rule'] },
  { title: 'Topic rules (config)', kinds: ['user-rule'] },
];

export function renderExplanation(view: ExplanationView, style: ChalkInstance): string {
  const out: string[] = [];
  out.push(style.bold(view.id === null ? 'Text' : `Mention ${view.id}`) + style.dim(`  (rules ${view.rulesVersion}, language ${view.lang ?? 'unknown'})`));
  out.push(terminalSafe(view.text), '');
  out.push(`${style.dim('relevance'.padEnd(10))} ${view.relevance}${view.topics.length ? ` (topics: ${view.topics.map(terminalSafeLine).join(', ')})` : ''}`);
  out.push(`${style.dim('sentiment'.padEnd(10))} ${view.sentiment} (score ${view.sentimentScore.toFixed(2)} in -1..1)`);
  out.push(`${style.dim('tags'.padEnd(10))} ${view.tags.join(', ') || '—'}`);
  out.push(
    `${style.dim('priority'.padEnd(10))} ${view.priority.toFixed(1)} = ${view.priorityParts.map((p) => `${p.points} ${p.part}`).join(' + ')}`,
  );
  const used = new Set<string>();
  for (const group of GROUPS) {
    const rows = view.evidence.filter((e) => group.kinds.includes(e.kind));
    rows.forEach((e) => used.add(`${e.kind}\u0000${e.match}\u0000${e.note ?? ''}`));
    if (rows.length > 0) out.push('', style.bold(group.title), ...rows.map((e) => evidenceLine(e, style)));
  }
  const other = view.evidence.filter((e) => !used.has(`${e.kind}\u0000${e.match}\u0000${e.note ?? ''}`));
  if (other.length > 0) out.push('', style.bold('Other'), ...other.map((e) => evidenceLine(e, style)));
  if (view.evidence.length === 0) out.push('', style.dim('No rule matched: neutral, no tags.'));
  if (view.stored) {
    out.push(
      '',
      style.yellow(
        `Stored result (rules ${view.stored.rulesVersion}) differs: ${view.stored.relevance ?? '—'}, ${view.stored.sentiment ?? '—'}, ` +
          `tags ${view.stored.tags.join(', ') || '—'}. Run "mentions reclassify" to apply the current rules.`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

function evidenceLine(e: { kind: string; match: string; weight: number; note?: string }, style: ChalkInstance): string {
  const weight = e.weight === 0 ? '' : ` ${e.weight > 0 ? '+' : ''}${e.weight.toFixed(2)}`;
  return `  ${e.kind.padEnd(12)} "${terminalSafeLine(e.match)}"${weight}${e.note ? style.dim(`  ${terminalSafeLine(e.note)}`) : ''}`;
}

export function renderExplanationJson(view: ExplanationView): string {
  return renderJson({
    id: view.id,
    text: view.text,
    lang: view.lang,
    topics: view.topics,
    relevance: view.relevance,
    sentiment: view.sentiment,
    score: view.sentimentScore,
    tags: view.tags,
    priority: view.priority,
    priority_parts: view.priorityParts,
    evidence: view.evidence,
    rules_version: view.rulesVersion,
    stored: view.stored && { rules_version: view.stored.rulesVersion, relevance: view.stored.relevance, sentiment: view.stored.sentiment, tags: view.stored.tags },
  });
}
