/**
 * The team's own rules per topic (config `topics[].rules`): word patterns or regular expressions
 * that add sentiment, tags or a relevance verdict, applied to the mentions that match the topic.
 * A rule's sentiment goes through the sentiment analysis as a lexicon entry that takes precedence
 * over the shipped ones (see UserSentimentRules); tags and relevance are applied here.
 */
import { PatternError, PhraseMatcher, parsePatternWords } from './patterns.js';
import type { PhraseEntry } from './patterns.js';
import { QueryParseError } from './query.js';
import type { UserSentimentRules, UserValence } from './sentiment.js';
import type { Token } from './tokenize.js';
import type { Evidence, Relevance } from './types.js';

export type RuleRelevance = Exclude<Relevance, 'own'>;

export interface TopicRuleDefinition {
  match?: string;
  regex?: string;
  sentiment?: number;
  tags?: readonly string[];
  relevance?: RuleRelevance;
}

interface CompiledRule {
  /** Position in the topic's list: the first relevance rule in config order decides. */
  readonly index: number;
  /** `topic "acme" rules[2]`, for evidence. */
  readonly label: string;
  readonly sentiment: number | undefined;
  readonly tags: readonly string[];
  readonly relevance: RuleRelevance | undefined;
}

export interface CompiledTopicRules {
  /** Word-pattern rules with a sentiment, for the sentiment analysis; null when none. */
  readonly valence: PhraseMatcher<UserValence> | null;
  /** Word-pattern rules with tags or a relevance; null when none. */
  readonly words: PhraseMatcher<CompiledRule> | null;
  readonly regexes: ReadonlyArray<{ readonly pattern: RegExp; readonly rule: CompiledRule }>;
}

/** Compiles one topic's rules; a bad pattern throws QueryParseError naming topic, rule and field. */
export function compileTopicRules(topic: string, rules: readonly TopicRuleDefinition[]): CompiledTopicRules | null {
  if (rules.length === 0) return null;
  const valence: PhraseEntry<UserValence>[] = [];
  const words: PhraseEntry<CompiledRule>[] = [];
  const regexes: Array<{ pattern: RegExp; rule: CompiledRule }> = [];
  rules.forEach((definition, index) => {
    const label = `topic "${topic}" rules[${index}]`;
    const rule: CompiledRule = { index, label, sentiment: definition.sentiment, tags: definition.tags ?? [], relevance: definition.relevance };
    if (definition.match !== undefined) {
      let patternWords;
      try {
        patternWords = parsePatternWords(definition.match, { stem: true });
      } catch (err) {
        if (err instanceof PatternError) throw new QueryParseError(`topic "${topic}": rules[${index}].match: ${err.message}`, err.offset);
        throw err;
      }
      const source = definition.match;
      if (rule.sentiment !== undefined) valence.push({ source, words: patternWords, value: { weight: rule.sentiment, label } });
      if (rule.tags.length > 0 || rule.relevance !== undefined) words.push({ source, words: patternWords, value: rule });
    } else if (definition.regex !== undefined) {
      // Config loading has checked the syntax; case-insensitive, as topic queries are.
      regexes.push({ pattern: new RegExp(definition.regex, 'iu'), rule });
    }
  });
  return {
    valence: valence.length > 0 ? new PhraseMatcher(valence) : null,
    words: words.length > 0 ? new PhraseMatcher(words) : null,
    regexes,
  };
}

/** One rule that hit, with the text it matched. */
export interface RuleHit {
  readonly rule: CompiledRule;
  readonly match: string;
}

/** The sentiment part of the rules of the matched topics: phrases, and regex hits as flat contributions. */
export function userSentimentRules(rules: readonly CompiledTopicRules[], text: string): UserSentimentRules | null {
  const phrases: PhraseMatcher<UserValence>[] = [];
  const flat: Evidence[] = [];
  for (const topicRules of rules) {
    if (topicRules.valence) phrases.push(topicRules.valence);
    for (const { pattern, rule } of topicRules.regexes) {
      if (rule.sentiment === undefined) continue;
      const found = pattern.exec(text);
      if (found) flat.push({ kind: 'user-rule', match: found[0], weight: rule.sentiment, note: `${rule.label}: regex` });
    }
  }
  return phrases.length > 0 || flat.length > 0 ? { phrases, flat } : null;
}

/** Every tag or relevance rule of one topic that hits the text, in config order. */
export function tagAndRelevanceHits(rules: CompiledTopicRules, text: string, tokens: readonly Token[]): RuleHit[] {
  const hits: RuleHit[] = [];
  if (rules.words) {
    const seen = new Set<CompiledRule>();
    const found: PhraseEntry<CompiledRule>[] = [];
    for (let i = 0; i < tokens.length; i++) {
      rules.words.collectAt(tokens, i, found);
      for (const entry of found) {
        if (seen.has(entry.value)) continue;
        seen.add(entry.value);
        const last = tokens[i + entry.words.length - 1]!;
        hits.push({ rule: entry.value, match: text.slice(tokens[i]!.start, last.end) });
      }
      found.length = 0;
    }
  }
  for (const { pattern, rule } of rules.regexes) {
    if (rule.tags.length === 0 && rule.relevance === undefined) continue;
    const found = pattern.exec(text);
    if (found) hits.push({ rule, match: found[0] });
  }
  return hits.sort((a, b) => a.rule.index - b.rule.index);
}

/** Evidence for a tag or relevance hit. */
export function ruleHitEvidence(hit: RuleHit): Evidence {
  const effects = [...(hit.rule.tags.length > 0 ? [`tags ${hit.rule.tags.join(', ')}`] : []), ...(hit.rule.relevance ? [`relevance ${hit.rule.relevance}`] : [])];
  return { kind: 'user-rule', match: hit.match, weight: 0, note: `${hit.rule.label}: ${effects.join('; ')}` };
}

/**
 * A short, stable digest of every topic's query, words and rules (FNV-1a, 32 bits): it joins the
 * shipped rules version, so `mentions reclassify` finds the mentions classified before a config change.
 */
export function topicsDigest(json: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    hash ^= json.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
