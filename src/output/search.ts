import type { ChalkInstance } from 'chalk';
import { MATCH_END, MATCH_START } from '../store/search.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { mentionJson } from './mention-view.js';
import type { MentionView } from './mention-view.js';
import { safeLink, terminalSafeLine } from './sanitize.js';
import { formatLocal } from './time-format.js';

export interface SearchView {
  mention: MentionView;
  /** Text around the match, matched words between MATCH_START and MATCH_END. */
  snippet: string;
}

const MARKS = new RegExp(`[${MATCH_START}${MATCH_END}]`, 'g');

/** The snippet as plain text: the match marks dropped. */
export function plainSnippet(snippet: string): string {
  return snippet.replace(MARKS, '');
}

/** One block per hit: id, time, source, sentiment and status, then the snippet with matches in bold, then the link. */
export function renderSearch(hits: readonly SearchView[], timeZone: string, style: ChalkInstance): string {
  if (hits.length === 0) return 'No mentions match.\n';
  const blocks = hits.map(({ mention: m, snippet }) => {
    const head = [
      style.bold(`#${m.id}`),
      formatLocal(m.createdAt, timeZone),
      terminalSafeLine(m.source),
      terminalSafeLine(m.author ?? '—'),
      m.sentiment ?? '—',
      m.status,
    ].join('  ');
    // Sanitise first, then bold our own marks: the text can never carry an escape of its own.
    const body = terminalSafeLine(snippet).replace(new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g'), (_all, word: string) => style.bold.underline(word));
    const link = safeLink(m.url);
    // A snippet cut inside a match leaves a lone mark: drop it.
    return [head, `  ${plainSnippet(body)}`, ...(link ? [`  ${style.dim(terminalSafeLine(link))}`] : [])].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

export function renderSearchJson(hits: readonly SearchView[]): string {
  return renderJson(hits.map(({ mention, snippet }) => ({ ...mentionJson(mention), snippet: plainSnippet(snippet) })));
}

const CSV_COLUMNS = ['id', 'source', 'created_at', 'author', 'url', 'sentiment', 'status', 'relevance', 'topics', 'snippet'] as const;

export function renderSearchCsv(hits: readonly SearchView[]): string {
  return renderCsv(
    CSV_COLUMNS,
    hits.map(({ mention: m, snippet }) => ({
      id: m.id,
      source: m.source,
      created_at: new Date(m.createdAt).toISOString(),
      author: m.author,
      url: safeLink(m.url),
      sentiment: m.sentiment,
      status: m.status,
      relevance: m.relevance,
      topics: m.topics,
      snippet: plainSnippet(snippet),
    })),
  );
}
