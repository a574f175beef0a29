/**
 * Intent tags and spam, by weighted phrase rules from rules/tags.json. Every rule set is
 * compiled into one phrase matcher, so a text is scanned once for all of them; a set fires
 * when the weights of its hits reach its threshold.
 */
import rules from './rules/tags.json' with { type: 'json' };
import { PhraseMatcher, parsePatternWords } from './patterns.js';
import type { PhraseEntry } from './patterns.js';
import type { Token } from './tokenize.js';
import type { Evidence, SentimentResult } from './types.js';

/** Tags in the order they are reported. */
export const TAG_NAMES = ['urgent', 'complaint', 'question', 'lead', 'praise', 'constructive', 'non-constructive'] as const;
export type TagName = (typeof TAG_NAMES)[number];

/** Rule sets scored from the rule file: the intent tags, the concrete-problem words, and spam. */
const RULE_SETS = ['complaint', 'question', 'praise', 'lead', 'urgent', 'constructive', 'spam'] as const;
type RuleSet = (typeof RULE_SETS)[number];

interface RuleHit {
  set: number;
  weight: number;
}

const THRESHOLDS: readonly number[] = RULE_SETS.map((set) => ruleSetOf(set).threshold);
const ORDER_NUMBER_MIN_DIGITS = rules.constructive.orderNumberMinDigits;
const SPAM_URL_WEIGHT = rules.spam.urlWeight;
const LINK_ONLY_MAX_WORDS = rules.spam.linkOnlyMaxWords;
const SET_INDEX = new Map<RuleSet, number>(RULE_SETS.map((set, index) => [set, index]));
const DIGITS_ONLY = /^\p{N}+$/u;

function ruleSetOf(set: RuleSet): { threshold: number; patterns: Record<string, number> } {
  switch (set) {
    case 'constructive':
      return rules.constructive;
    case 'spam':
      return rules.spam;
    default:
      return rules.tags[set];
  }
}

function buildMatcher(): PhraseMatcher<RuleHit> {
  const entries: PhraseEntry<RuleHit>[] = [];
  RULE_SETS.forEach((set, index) => {
    for (const [source, weight] of Object.entries(ruleSetOf(set).patterns)) {
      entries.push({ source, words: parsePatternWords(source), value: { set: index, weight } });
    }
  });
  return new PhraseMatcher(entries);
}

const MATCHER = buildMatcher();

export interface TagResult {
  tags: TagName[];
  spam: boolean;
  /** The rule hits behind each fired tag and behind spam (weight 0: tags carry no score). */
  evidence: Evidence[];
}

/** Intent tags and spam for a text, given its tokens and its sentiment. */
export function analyzeTags(text: string, tokens: readonly Token[], sentiment: SentimentResult): TagResult {
  const scores = new Array<number>(RULE_SETS.length).fill(0);
  const hits: Array<{ set: number; source: string; start: number; end: number }> = [];
  const found: PhraseEntry<RuleHit>[] = [];
  let words = 0;
  let urls = 0;
  let asks = false;
  let orderNumber: Token | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct') {
      if (token.text.includes('?')) asks = true;
      continue;
    }
    if (token.kind === 'url') {
      urls++;
      continue;
    }
    if (token.kind === 'word') {
      words++;
      if (!orderNumber && token.text.length >= ORDER_NUMBER_MIN_DIGITS && DIGITS_ONLY.test(token.text)) orderNumber = token;
    }
    MATCHER.collectAt(tokens, i, found);
    for (const entry of found) {
      scores[entry.value.set]! += entry.value.weight;
      const last = tokens[i + entry.words.length - 1]!;
      hits.push({ set: entry.value.set, source: entry.source, start: token.start, end: last.end });
    }
    found.length = 0;
  }

  const fired = (set: RuleSet) => scores[SET_INDEX.get(set)!]! >= THRESHOLDS[SET_INDEX.get(set)!]!;
  const evidence: Evidence[] = [];
  const explain = (set: RuleSet, label: string) => {
    const index = SET_INDEX.get(set)!;
    for (const hit of hits) {
      if (hit.set === index) evidence.push({ kind: 'rule', match: text.slice(hit.start, hit.end), weight: 0, note: `${label} (${hit.source})` });
    }
  };

  const tags: TagName[] = [];
  const negative = sentiment.sentiment === 'negative';
  if (fired('urgent')) {
    tags.push('urgent');
    explain('urgent', 'urgent');
  }
  const constructive = fired('constructive') || orderNumber !== null;
  const complaint = fired('complaint') || (negative && constructive);
  if (complaint) {
    tags.push('complaint');
    if (fired('complaint')) explain('complaint', 'complaint');
    else evidence.push({ kind: 'rule', match: '', weight: 0, note: 'complaint: negative and names a concrete problem' });
  }
  if (fired('question') || asks) {
    tags.push('question');
    if (fired('question')) explain('question', 'question');
    else evidence.push({ kind: 'rule', match: '?', weight: 0, note: 'question: asks something' });
  }
  if (fired('lead')) {
    tags.push('lead');
    explain('lead', 'lead');
  }
  if (fired('praise') && sentiment.sentiment === 'positive') {
    tags.push('praise');
    explain('praise', 'praise');
  }
  if (negative || complaint) {
    if (constructive) {
      tags.push('constructive');
      explain('constructive', 'constructive: names a concrete problem');
      if (orderNumber) evidence.push({ kind: 'rule', match: text.slice(orderNumber.start, orderNumber.end), weight: 0, note: 'constructive: a number (order, account)' });
    } else {
      tags.push('non-constructive');
      evidence.push({ kind: 'rule', match: '', weight: 0, note: 'non-constructive: negative without a concrete problem' });
    }
  }

  let spamScore = scores[SET_INDEX.get('spam')!]! + urls * SPAM_URL_WEIGHT;
  const linkOnly = urls > 0 && words <= LINK_ONLY_MAX_WORDS;
  if (linkOnly) spamScore = Math.max(spamScore, rules.spam.threshold);
  const spam = spamScore >= rules.spam.threshold;
  if (spam) {
    const index = SET_INDEX.get('spam')!;
    for (const hit of hits) {
      if (hit.set === index) evidence.push({ kind: 'spam', match: text.slice(hit.start, hit.end), weight: 0, note: `spam rule (${hit.source})` });
    }
    if (linkOnly) evidence.push({ kind: 'spam', match: '', weight: 0, note: 'spam: the text is essentially a link' });
    else if (urls > 0) evidence.push({ kind: 'spam', match: '', weight: 0, note: `spam: ${urls} link(s)` });
  }
  return { tags, spam, evidence };
}
