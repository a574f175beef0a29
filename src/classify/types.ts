/** Results of classification, stored per mention and shown in the queue. */

export type Sentiment = 'positive' | 'negative' | 'neutral';
export type Relevance = 'relevant' | 'irrelevant' | 'spam' | 'own';

/** One piece of evidence behind a decision: what matched and what it weighed. */
export interface Evidence {
  /** What produced this: 'lexicon', 'negation', 'intensifier', 'rule', 'query', 'emoji', ... */
  kind: string;
  /** The text that matched, as it stands in the mention. */
  match: string;
  /** Signed contribution to the score it belongs to: sentiment valence, or a tag/spam rule weight toward its threshold; 0 for plain facts (topic match, own account). */
  weight: number;
  /** Short human note ("negated by 'не'"). */
  note?: string;
}

/**
 * The evidence of a result classified without it, and the topics of one that matched none: one
 * shared empty list, frozen, where each result made its own (bulk classification made three empty
 * arrays a text, ~3% of its time with the collections they brought).
 */
export const NONE: readonly never[] = Object.freeze([]);

export interface SentimentResult {
  sentiment: Sentiment;
  /** Normalised score in [-1, 1]. */
  score: number;
  evidence: readonly Evidence[];
}

export interface Classification {
  /** Names of the topics whose query matched. */
  topics: readonly string[];
  relevance: Relevance;
  sentiment: Sentiment;
  sentimentScore: number;
  /** Intent tags: complaint, question, praise, urgent, ... */
  tags: string[];
  /** Static part of priority (sentiment, tags, reach); the queue adds age vs SLA. Higher first. */
  priority: number;
  lang: string | null;
  /** Every piece of evidence, so `mentions show` can say why. */
  evidence: readonly Evidence[];
  rulesVersion: string;
}
