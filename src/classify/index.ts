/**
 * Classification of one mention: which topics it belongs to, whether it is relevant, its
 * sentiment, intent tags and static priority, with the evidence behind each decision.
 * Pure: topics are compiled once per pull, then every mention is tokenized once and the
 * tokens are shared by the topic queries, sentiment and tag rules.
 */
import type { MentionDraft } from '../sources/types.js';
import { languageOfStream } from './lang.js';
import { PatternError, PhraseMatcher, parsePatternWords } from './patterns.js';
import type { PhraseEntry } from './patterns.js';
import { QueryParseError, QuerySet, compileQuery } from './query.js';
import type { CompiledQuery, QueryMatch } from './query.js';
import { analyzeStream } from './sentiment.js';
import { analyzeTags } from './tags.js';
import { TokenStream, scanTokens, tokensOf } from './tokenize.js';
import type { Token } from './tokenize.js';
import { NONE } from './types.js';
import type { Classification, Evidence, Relevance, Sentiment } from './types.js';
import { WordListSet } from './word-lists.js';
import { compileTopicRules, ruleHitEvidence, tagAndRelevanceHits, topicsDigest, userSentimentRules } from './user-rules.js';
import type { CompiledTopicRules, RuleRelevance, TopicRuleDefinition } from './user-rules.js';

export { QueryParseError, compileQuery, parseQuery } from './query.js';
export type { CompiledQuery, QueryHit, QueryMatch, QueryNode } from './query.js';
export { analyzeSentiment } from './sentiment.js';
export { findProfanity, maskProfanity, PROFANITY_PATTERNS } from './profanity.js';
export { detectLanguage } from './lang.js';
export { tokenize } from './tokenize.js';
export type { Token } from './tokenize.js';
export type { TopicRuleDefinition } from './user-rules.js';

/** Version of the rules and lexicons, stored with every result so re-classification can find stale ones. */
export const RULES_VERSION = '2026.11-2';

export interface TopicDefinition {
  name: string;
  query: string;
  ownAccounts: readonly string[];
  /** Handles that are own accounts on one source only, by source name or type. */
  ownAccountsBySource?: ReadonlyArray<{ source: string; handles: readonly string[] }>;
  exclude: readonly string[];
  /**
   * Context words, for a brand name that is also a common word ("Мир", "Apple"): with `require`,
   * a match is relevant only when one of those words appears too; a `reject` word makes it irrelevant.
   * Matched like exclude words (whole words, other inflections, prefix*).
   */
  context?: { require?: readonly string[]; reject?: readonly string[] };
  /** The team's own rules: extra words or regexes with a sentiment weight, tags or a relevance verdict. */
  rules?: readonly TopicRuleDefinition[];
}

export interface CompiledContext {
  /** Null when the topic requires no context word. */
  readonly require: PhraseMatcher<string> | null;
  /** The required words as written, for the evidence. */
  readonly requireWords: readonly string[];
  /** Null when no context word rejects a match. */
  readonly reject: PhraseMatcher<string> | null;
}

export interface CompiledTopic {
  readonly name: string;
  readonly query: CompiledQuery;
  /** Handles folded as by ownAccountKey. */
  readonly ownAccounts: ReadonlySet<string>;
  /** Source name or type → folded handles that are own accounts there. */
  readonly ownAccountsBySource?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Null when the topic excludes nothing. */
  readonly exclude: PhraseMatcher<string> | null;
  /** Null when the topic has no context words. */
  readonly context: CompiledContext | null;
  /** Null when the topic has no rules of its own. */
  readonly rules: CompiledTopicRules | null;
  /** RULES_VERSION, plus a digest of every topic's definition when topics are configured. */
  readonly rulesVersion: string;
}

export interface ClassifyOptions {
  /** The source the mention came from: own accounts listed for one source count only there. */
  source?: { name: string; type: string };
  /**
   * False for bulk work whose output does not show the evidence (`mentions classify` without
   * `--evidence`): the result's evidence is then empty, and the topic-hit notes are not built.
   * Default true: `explain`, `--evidence` and stored results keep every piece.
   */
  evidence?: boolean;
}

/** Folds an account handle for comparison: no "@", no surrounding space, lower case. */
export function ownAccountKey(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLocaleLowerCase('und');
}

/**
 * Compiles topic queries, exclude and context words once; a bad query or word throws
 * QueryParseError naming the topic (and the field: `exclude`, `context.require[1]`).
 */
export function compileTopics(topics: readonly TopicDefinition[]): CompiledTopic[] {
  const rulesVersion = rulesVersionOf(topics);
  const compiled = topics.map((topic): CompiledTopic => {
    let query: CompiledQuery;
    try {
      query = compileQuery(topic.query);
    } catch (err) {
      if (err instanceof QueryParseError) throw new QueryParseError(`topic "${topic.name}": ${err.message}`, err.position);
      throw err;
    }
    const exclude = compileWords(topic.name, 'exclude', topic.exclude);
    const requireWords = topic.context?.require ?? [];
    const require = compileWords(topic.name, 'context.require', requireWords);
    const reject = compileWords(topic.name, 'context.reject', topic.context?.reject ?? []);
    const context = require || reject ? { require, requireWords: require ? [...requireWords] : [], reject } : null;
    const ownAccounts = new Set(topic.ownAccounts.map(ownAccountKey).filter((key) => key !== ''));
    const rules = compileTopicRules(topic.name, topic.rules ?? []);
    const result: CompiledTopic = { name: topic.name, query, ownAccounts, exclude, context, rules, rulesVersion };
    if (topic.ownAccountsBySource && topic.ownAccountsBySource.length > 0) {
      const bySource = new Map<string, Set<string>>();
      for (const { source, handles } of topic.ownAccountsBySource) {
        const set = bySource.get(source) ?? new Set<string>();
        for (const key of handles.map(ownAccountKey)) if (key !== '') set.add(key);
        bySource.set(source, set);
      }
      return { ...result, ownAccountsBySource: bySource };
    }
    return result;
  });
  querySets.set(compiled, new QuerySet(compiled.map((topic) => topic.query)));
  return compiled;
}

/** One matcher over the query words of all topics, per compiled topic list (see QuerySet). */
const querySets = new WeakMap<readonly CompiledTopic[], QuerySet>();

/** The exclude and context word lists of a topic list, searched together: list 3t + EXCLUDE, REJECT, REQUIRE for topic t. */
interface TopicWordLists {
  set: WordListSet;
  indexOf: ReadonlyMap<CompiledTopic, number>;
}
const EXCLUDE = 0;
const REJECT = 1;
const REQUIRE = 2;
const topicWordLists = new WeakMap<readonly CompiledTopic[], TopicWordLists>();

function wordListsOf(topics: readonly CompiledTopic[]): TopicWordLists {
  let lists = topicWordLists.get(topics);
  if (!lists) {
    const set = new WordListSet(topics.flatMap((topic) => [topic.exclude, topic.context?.reject ?? null, topic.context?.require ?? null]));
    lists = { set, indexOf: new Map(topics.map((topic, index) => [topic, index])) };
    topicWordLists.set(topics, lists);
  }
  return lists;
}

/** The match of each topic's query over a scanned text, in topic order, in one pass. */
function matchTopics(topics: readonly CompiledTopic[], stream: TokenStream, withHits: boolean): Array<QueryMatch | null> {
  let set = querySets.get(topics);
  if (!set) {
    // A list not made by compileTopics (a filtered copy): compiled once, then reused.
    set = new QuerySet(topics.map((topic) => topic.query));
    querySets.set(topics, set);
  }
  return set.matchAll(stream, withHits);
}

/**
 * The version stored with each result: the shipped rules' version, and with topics configured a
 * digest of their definitions ("2026.11-2+1a2b3c4d"), so a changed query, word list or rule makes
 * earlier results stale for `mentions reclassify`.
 */
export function rulesVersionOf(topics: readonly TopicDefinition[]): string {
  if (topics.length === 0) return RULES_VERSION;
  const definitions = topics.map((topic) => [topic.name, topic.query, topic.ownAccounts, topic.ownAccountsBySource ?? [], topic.exclude, topic.context ?? null, topic.rules ?? []]);
  return `${RULES_VERSION}+${topicsDigest(JSON.stringify(definitions))}`;
}

/** Whole words with their inflections, prefix*; null for none. */
function compileWords(topic: string, field: string, words: readonly string[]): PhraseMatcher<string> | null {
  if (words.length === 0) return null;
  const entries: PhraseEntry<string>[] = [];
  words.forEach((word, index) => {
    try {
      entries.push({ source: word, words: parsePatternWords(word, { stem: true }), value: word });
    } catch (err) {
      // "exclude" keeps its message as before; context words name the item.
      const where = field === 'exclude' ? field : `${field}[${index}]`;
      if (err instanceof PatternError) throw new QueryParseError(`topic "${topic}": ${where}: ${err.message}`, err.offset);
      throw err;
    }
  });
  return new PhraseMatcher(entries);
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
  return Math.round(priorityTotal(input, null) * 10) / 10;
}

/** The terms of priorityOf, for `mentions explain`: what added how many points (each rounded for display). */
export function priorityParts(input: PriorityInput): Array<{ part: string; points: number }> {
  const parts: Array<{ part: string; points: number }> = [];
  priorityTotal(input, parts);
  return parts.map((term) => ({ part: term.part, points: Math.round(term.points * 10) / 10 }));
}

/** The sum of priorityOf's terms, each also named into `parts` when given (only explain asks: every classification computes the sum). */
function priorityTotal(input: PriorityInput, parts: Array<{ part: string; points: number }> | null): number {
  if (input.relevance !== 'relevant') {
    parts?.push({ part: `relevance ${input.relevance}`, points: 0 });
    return 0;
  }
  let total = SENTIMENT_BASE[input.sentiment];
  parts?.push({ part: `sentiment ${input.sentiment}`, points: total });
  for (const tag of input.tags) {
    const bonus = TAG_BONUS[tag];
    if (!bonus) continue;
    total += bonus;
    parts?.push({ part: `tag ${tag}`, points: bonus });
  }
  const reach = input.reach !== null && input.reach > 0 ? input.reach : 0;
  if (reach > 0) {
    const points = REACH_FACTOR * Math.log10(reach + 1);
    total += points;
    parts?.push({ part: `reach ${reach}`, points });
  }
  return total;
}

/** Handle at the end of a profile URL ("https://x.com/acme" → "acme"), for comparing with own accounts. */
function handleFromUrl(url: string | null): string | null {
  if (!url) return null;
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const slash = path.lastIndexOf('/');
  if (slash === -1 || path.charAt(slash - 1) === '/') return null;
  return ownAccountKey(path.slice(slash + 1));
}

/** A bare text as a mention (for `classify` and `explain --text`): no author, link or date. */
export function textDraft(text: string, lang: string | null, externalId = 'text'): MentionDraft {
  return { externalId, url: null, author: null, authorUrl: null, authorReach: null, title: null, text, lang, publishedAt: null, parentId: null, threadId: null };
}

/**
 * Like classifyMention, but a mention that matches no configured topic still gets its
 * sentiment and tags, as `irrelevant` with priority 0 and no topics (`matched` false):
 * for stored mentions after a topic change, and for texts tried out by hand.
 */
export function classifyEvenOffTopic(
  draft: MentionDraft,
  topics: readonly CompiledTopic[],
  opts: ClassifyOptions = {},
): { classification: Classification; matched: boolean } {
  const result = classifyTokens(draft, topics, opts, true)!;
  if (result.matched) return result;
  return { classification: { ...result.classification, relevance: 'irrelevant', priority: 0 }, matched: false };
}

/** Whether the author (by name, or by the handle in the profile link) is one of the topic's own accounts. */
function isOwnAuthor(draft: MentionDraft, topic: CompiledTopic, source: ClassifyOptions['source']): boolean {
  // Asked of every topic a mention does not match: the common answers come before any allocation.
  if (!draft.author && !draft.authorUrl) return false;
  if (topic.ownAccounts.size === 0 && !topic.ownAccountsBySource) return false;
  const sets = [topic.ownAccounts];
  if (source && topic.ownAccountsBySource) {
    for (const key of [source.name, source.type]) {
      const set = topic.ownAccountsBySource.get(key);
      if (set) sets.push(set);
    }
  }
  if (sets.every((set) => set.size === 0)) return false;
  const author = draft.author ? ownAccountKey(draft.author) : null;
  const handle = handleFromUrl(draft.authorUrl);
  return sets.some((set) => (author !== null && set.has(author)) || (handle !== null && set.has(handle)));
}

/**
 * Classifies a mention against the topics. Null when topics are configured and none matches
 * (the pull drops such items); with no topics everything is relevant and `topics` is empty.
 * The text classified is the title and the body together.
 */
export function classifyMention(draft: MentionDraft, topics: readonly CompiledTopic[], opts: ClassifyOptions = {}): Classification | null {
  return classifyTokens(draft, topics, opts, false)?.classification ?? null;
}

/**
 * The classification, and whether a topic matched. A text that matches none of the configured topics
 * is null, or with `keepOffTopic` is classified on (its sentiment and tags, as with no topics) in the
 * same pass, its words tokenized once.
 */
function classifyTokens(
  draft: MentionDraft,
  topics: readonly CompiledTopic[],
  opts: ClassifyOptions,
  keepOffTopic: boolean,
): { classification: Classification; matched: boolean } | null {
  const text = draft.title ? `${draft.title}\n${draft.text}` : draft.text;
  const stream = classifyStream;
  scanTokens(text, stream);
  const withEvidence = opts.evidence !== false;
  // Bulk work keeps no evidence: then there is no list to fill (with no topics, nothing is allocated for them either).
  const evidence: Evidence[] | null = withEvidence ? [] : null;
  const matched = topics.length > 0 ? matchedTopics(draft, text, stream, topics, opts.source, evidence) : NO_TOPICS;
  const offTopic = topics.length > 0 && matched.length === 0;
  if (offTopic && !keepOffTopic) return null;
  // Exclude and context words and the topics' own rules read Token objects: made only when a matched topic has them.
  const tokens = matched.some(readsTokens) ? tokensOf(stream) : NO_TOKENS;

  const lang = draft.lang ?? languageOfStream(stream);
  const topicRules = matched.length > 0 ? rulesOf(matched) : NONE;
  const userSentiment = topicRules.length > 0 ? userSentimentRules(topicRules, text) : null;
  const sentiment = analyzeStream(stream, tokens, userSentiment, withEvidence);
  const tagged = analyzeTags(stream, sentiment, withEvidence);
  if (evidence !== null) {
    for (const item of sentiment.evidence) evidence.push(item);
    for (const item of tagged.evidence) evidence.push(item);
  }

  const tags: string[] = tagged.tags;
  // Only a topic with rules has a verdict: most texts need no map.
  const verdicts = topicRules.length > 0 ? new Map<CompiledTopic, RuleRelevance>() : null;
  for (const topic of matched) {
    if (!topic.rules || !verdicts) continue;
    for (const hit of tagAndRelevanceHits(topic.rules, text, tokens)) {
      evidence?.push(ruleHitEvidence(hit));
      for (const tag of hit.rule.tags) if (!tags.includes(tag)) tags.push(tag);
      // The first relevance rule to hit decides for its topic.
      if (hit.rule.relevance !== undefined && !verdicts.has(topic)) verdicts.set(topic, hit.rule.relevance);
    }
  }
  const relevance = relevanceOf(draft, stream, topics, matched, tagged.spam, verdicts ?? NO_VERDICTS, evidence, opts.source);
  const classification: Classification = {
    topics: matched.length === 0 ? NONE : matched.map((topic) => topic.name),
    relevance,
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    tags,
    priority: priorityOf({ relevance, sentiment: sentiment.sentiment, tags, reach: draft.authorReach }),
    lang,
    evidence: evidence ?? NONE,
    rulesVersion: topics[0]?.rulesVersion ?? RULES_VERSION,
  };
  return { classification, matched: !offTopic };
}

/**
 * The topics whose query matches a scanned text, or one of whose own accounts wrote it, in topic
 * order; each query hit is noted into `evidence` when it is kept.
 */
function matchedTopics(
  draft: MentionDraft,
  text: string,
  stream: TokenStream,
  topics: readonly CompiledTopic[],
  source: ClassifyOptions['source'],
  evidence: Evidence[] | null,
): CompiledTopic[] {
  const matched: CompiledTopic[] = [];
  const matches = matchTopics(topics, stream, evidence !== null);
  for (let t = 0; t < topics.length; t++) {
    const topic = topics[t]!;
    const match = matches[t];
    if (!match) {
      // The brand's own replies rarely name the brand, yet reply detection needs them stored.
      if (isOwnAuthor(draft, topic, source)) matched.push(topic);
      continue;
    }
    matched.push(topic);
    if (evidence === null) continue;
    for (const hit of match.hits) {
      evidence.push({ kind: 'query', match: text.slice(hit.start, hit.end), weight: 0, note: `topic "${topic.name}": ${hit.term}` });
    }
  }
  return matched;
}

/** The rules of the topics that have them. */
function rulesOf(topics: readonly CompiledTopic[]): CompiledTopicRules[] {
  const rules: CompiledTopicRules[] = [];
  for (const topic of topics) if (topic.rules) rules.push(topic.rules);
  return rules;
}

// Reused by classifyTokens, which is synchronous and not re-entrant.
const classifyStream = new TokenStream();
const NO_TOKENS: readonly Token[] = [];
// Not NONE: a for-of over a frozen array makes an iterator, where over this one it is a plain loop (the walks below iterate it).
const NO_TOPICS: readonly CompiledTopic[] = [];
const NO_VERDICTS: ReadonlyMap<CompiledTopic, RuleRelevance> = new Map();

const readsTokens = (topic: CompiledTopic) => topic.rules !== null;

/**
 * own; then spam (a topic's rule says so, or the shipped spam rules do and no topic's rule says
 * relevant); then relevant when some matched topic stands: its rule says relevant, or it has no
 * relevance rule that hit and no exclude word, no reject context word and (when it requires one)
 * a required context word; else irrelevant. Explains its verdict in `evidence`.
 */
function relevanceOf(
  draft: MentionDraft,
  stream: TokenStream,
  topics: readonly CompiledTopic[],
  matched: readonly CompiledTopic[],
  spam: boolean,
  verdicts: ReadonlyMap<CompiledTopic, RuleRelevance>,
  evidence: Evidence[] | null,
  source: ClassifyOptions['source'],
): Relevance {
  for (const topic of matched) {
    if (isOwnAuthor(draft, topic, source)) {
      const authorHandle = handleFromUrl(draft.authorUrl);
      evidence?.push({ kind: 'own', match: draft.author ?? authorHandle ?? '', weight: 0, note: `own account of topic "${topic.name}"` });
      return 'own';
    }
  }
  let ruledSpam = false;
  let ruledRelevant = false;
  for (const verdict of verdicts.values()) {
    if (verdict === 'spam') ruledSpam = true;
    else if (verdict === 'relevant') ruledRelevant = true;
  }
  if (ruledSpam) return 'spam';
  if (spam && !ruledRelevant) return 'spam';
  if (matched.length === 0 || ruledRelevant) return 'relevant';
  const text = stream.text;
  const lists = wordListsOf(topics);
  const found = lists.set.firstMatches(stream);
  const firstMatch = (topic: CompiledTopic, list: number) => found[lists.indexOf.get(topic)! * 3 + list] ?? null;
  const reasons: Evidence[] = [];
  for (const topic of matched) {
    if (verdicts.get(topic) === 'irrelevant') continue;
    const excluded = topic.exclude ? firstMatch(topic, EXCLUDE) : null;
    if (excluded) {
      reasons.push({ kind: 'exclude', match: text.slice(excluded.start, excluded.end), weight: 0, note: `excluded by topic "${topic.name}": ${excluded.source}` });
      continue;
    }
    const context = topic.context;
    if (!context) return 'relevant';
    const rejected = context.reject ? firstMatch(topic, REJECT) : null;
    if (rejected) {
      const note = `rejected by a context word of topic "${topic.name}": ${rejected.source}`;
      reasons.push({ kind: 'context', match: text.slice(rejected.start, rejected.end), weight: 0, note });
      continue;
    }
    if (context.require) {
      const confirmed = firstMatch(topic, REQUIRE);
      if (!confirmed) {
        const note = `topic "${topic.name}" requires a context word, and none appears: ${listWords(context.requireWords)}`;
        reasons.push({ kind: 'context', match: '', weight: 0, note });
        continue;
      }
      const note = `confirmed by a context word of topic "${topic.name}": ${confirmed.source}`;
      evidence?.push({ kind: 'context', match: text.slice(confirmed.start, confirmed.end), weight: 0, note });
    }
    return 'relevant';
  }
  evidence?.push(...reasons);
  return 'irrelevant';
}

const LISTED_WORDS = 8;

function listWords(words: readonly string[]): string {
  const shown = words.slice(0, LISTED_WORDS).join(', ');
  return words.length > LISTED_WORDS ? `${shown}, … (${words.length - LISTED_WORDS} more)` : shown;
}

