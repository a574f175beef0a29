/**
 * Classification of one mention: which topics it belongs to, whether it is relevant, its
 * sentiment, intent tags and static priority, with the evidence behind each decision.
 * Pure: topics are compiled once per pull, then every mention is tokenized once and the
 * tokens are shared by the topic queries, sentiment and tag rules.
 */
import type { MentionDraft } from '../sources/types.js';
import { detectLanguage } from './lang.js';
import { PatternError, PhraseMatcher } from './patterns.js';
import { QueryParseError, compileQuery } from './query.js';
import type { CompiledQuery } from './query.js';
import { analyzeTokens } from './sentiment.js';
import { analyzeTags } from './tags.js';
import { tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';
import type { Classification, Evidence, Relevance, Sentiment } from './types.js';

export { QueryParseError, compileQuery, parseQuery } from './query.js';
export type { CompiledQuery, QueryHit, QueryMatch, QueryNode } from './query.js';
export { analyzeSentiment, findProfanity, maskProfanity, PROFANITY_PATTERNS } from './sentiment.js';
export { detectLanguage } from './lang.js';
export { tokenize } from './tokenize.js';
export type { Token } from './tokenize.js';

/** Version of the rules and lexicons, stored with every result so re-classification can find stale ones. */
export const RULES_VERSION = '2026.11-1';

export interface TopicDefinition {
  name: string;
  query: string;
  ownAccounts: readonly string[];
  exclude: readonly string[];
}

export interface CompiledTopic {
  readonly name: string;
  readonly query: CompiledQuery;
  /** Handles folded as by ownAccountKey. */
  readonly ownAccounts: ReadonlySet<string>;
  /** Null when the topic excludes nothing. */
  readonly exclude: PhraseMatcher<string> | null;
}

// Reserved for options such as skipping evidence on bulk re-classification.
export type ClassifyOptions = Record<string, never>;

/** Folds an account handle for comparison: no "@", no surrounding space, lower case. */
export function ownAccountKey(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLocaleLowerCase('und');
}

/** Compiles topic queries and exclude words once; a bad query throws QueryParseError naming the topic. */
export function compileTopics(topics: readonly TopicDefinition[]): CompiledTopic[] {
  return topics.map((topic) => {
    let query: CompiledQuery;
    try {
      query = compileQuery(topic.query);
    } catch (err) {
      if (err instanceof QueryParseError) throw new QueryParseError(`topic "${topic.name}": ${err.message}`, err.position);
      throw err;
    }
    let exclude: PhraseMatcher<string> | null = null;
    if (topic.exclude.length > 0) {
      try {
        exclude = PhraseMatcher.fromSources(topic.exclude.map((word) => [word, word] as const), { stem: true });
      } catch (err) {
        if (err instanceof PatternError) throw new QueryParseError(`topic "${topic.name}": exclude: ${err.message}`, err.offset);
        throw err;
      }
    }
    const ownAccounts = new Set(topic.ownAccounts.map(ownAccountKey).filter((key) => key !== ''));
    return { name: topic.name, query, ownAccounts, exclude };
  });
}

export interface PriorityInput {
  relevance: Relevance;
  sentiment: Sentiment;
  tags: readonly string[];
  /** Followers of the author, when known. */
  reach: number | null;
}

const SENTIMENT_BASE: Readonly<Record<Sentiment, number>> = { negative: 50, neutral: 20, positive: 10 };
const TAG_BONUS: Readonly<Record<string, number>> = { urgent: 40, complaint: 10, question: 10, lead: 10 };
const REACH_FACTOR = 5;

/**
 * Static priority, higher first (the queue adds age against the SLA):
 *
 *   0                                          when relevance is spam, own or irrelevant
 *   base(sentiment)                            negative 50, neutral 20, positive 10
 *   + 40 urgent + 10 complaint + 10 question + 10 lead
 *   + 5 · log10(reach + 1)                     reach unknown or negative counts as 0
 *
 * rounded to one decimal. A negative urgent complaint from an author with 10k followers:
 * 50 + 40 + 10 + 5·4.0 = 120; a neutral question from an unknown author: 30.
 */
export function priorityOf(input: PriorityInput): number {
  let priority = 0;
  for (const term of priorityTerms(input)) priority += term.points;
  return Math.round(priority * 10) / 10;
}

/** The terms of priorityOf, for `mentions explain`: what added how many points (each rounded for display). */
export function priorityParts(input: PriorityInput): Array<{ part: string; points: number }> {
  return priorityTerms(input).map((term) => ({ part: term.part, points: Math.round(term.points * 10) / 10 }));
}

function priorityTerms(input: PriorityInput): Array<{ part: string; points: number }> {
  if (input.relevance !== 'relevant') return [{ part: `relevance ${input.relevance}`, points: 0 }];
  const terms = [{ part: `sentiment ${input.sentiment}`, points: SENTIMENT_BASE[input.sentiment] }];
  for (const tag of input.tags) {
    const bonus = TAG_BONUS[tag];
    if (bonus) terms.push({ part: `tag ${tag}`, points: bonus });
  }
  const reach = input.reach !== null && input.reach > 0 ? input.reach : 0;
  if (reach > 0) terms.push({ part: `reach ${reach}`, points: REACH_FACTOR * Math.log10(reach + 1) });
  return terms;
}

/** Handle at the end of a profile URL ("https://x.com/acme" → "acme"), for comparing with own accounts. */
function handleFromUrl(url: string | null): string | null {
  if (!url) return null;
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const slash = path.lastIndexOf('/');
  if (slash === -1 || path.charAt(slash - 1) === '/') return null;
  return ownAccountKey(path.slice(slash + 1));
}

/**
 * Classifies a mention against the topics. Null when topics are configured and none matches
 * (the pull drops such items); with no topics everything is relevant and `topics` is empty.
 * The text classified is the title and the body together.
 */
export function classifyMention(draft: MentionDraft, topics: readonly CompiledTopic[], _opts: ClassifyOptions = {}): Classification | null {
  const text = draft.title ? `${draft.title}\n${draft.text}` : draft.text;
  const tokens = tokenize(text);
  const evidence: Evidence[] = [];
  const matched: CompiledTopic[] = [];
  for (const topic of topics) {
    const match = topic.query.matches(tokens);
    if (!match) continue;
    matched.push(topic);
    for (const hit of match.hits) {
      evidence.push({ kind: 'query', match: text.slice(hit.start, hit.end), weight: 0, note: `topic "${topic.name}": ${hit.term}` });
    }
  }
  if (topics.length > 0 && matched.length === 0) return null;

  const lang = draft.lang ?? detectLanguage(text);
  const sentiment = analyzeTokens(text, tokens, lang);
  const tagged = analyzeTags(text, tokens, sentiment);
  evidence.push(...sentiment.evidence, ...tagged.evidence);

  const relevance = relevanceOf(draft, tokens, text, matched, tagged.spam, evidence);
  const tags: string[] = tagged.tags;
  return {
    topics: matched.map((topic) => topic.name),
    relevance,
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    tags,
    priority: priorityOf({ relevance, sentiment: sentiment.sentiment, tags, reach: draft.authorReach }),
    lang,
    evidence,
    rulesVersion: RULES_VERSION,
  };
}

/** own, then spam, then irrelevant (every matched topic excluded), else relevant; explains its verdict in `evidence`. */
function relevanceOf(
  draft: MentionDraft,
  tokens: readonly Token[],
  text: string,
  matched: readonly CompiledTopic[],
  spam: boolean,
  evidence: Evidence[],
): Relevance {
  const author = draft.author ? ownAccountKey(draft.author) : null;
  const authorHandle = handleFromUrl(draft.authorUrl);
  for (const topic of matched) {
    const own = (author !== null && topic.ownAccounts.has(author)) || (authorHandle !== null && topic.ownAccounts.has(authorHandle));
    if (own) {
      evidence.push({ kind: 'own', match: draft.author ?? authorHandle ?? '', weight: 0, note: `own account of topic "${topic.name}"` });
      return 'own';
    }
  }
  if (spam) return 'spam';
  if (matched.length === 0) return 'relevant';
  const exclusions: Evidence[] = [];
  for (const topic of matched) {
    const hit = topic.exclude ? firstMatch(topic.exclude, tokens) : null;
    if (!hit) return 'relevant';
    exclusions.push({ kind: 'exclude', match: text.slice(hit.start, hit.end), weight: 0, note: `excluded by topic "${topic.name}": ${hit.source}` });
  }
  evidence.push(...exclusions);
  return 'irrelevant';
}

function firstMatch(matcher: PhraseMatcher<string>, tokens: readonly Token[]): { start: number; end: number; source: string } | null {
  for (let i = 0; i < tokens.length; i++) {
    const entry = matcher.longestAt(tokens, i);
    if (entry) return { start: tokens[i]!.start, end: tokens[i + entry.words.length - 1]!.end, source: entry.source };
  }
  return null;
}
