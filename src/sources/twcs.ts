import type { ImportProblem, ImportRow, Layout } from './file-import.js';
import { collapseWhitespace } from './html-text.js';
import { isRecord } from './json-body.js';

/**
 * The "Customer Support on Twitter" data set (twcs) as JSONL rows of the
 * shared sets: `text`, `created_at`, `lang`, and in `extra` the tweet's
 * `tweet_id`, `author_id`, `inbound` (true: a customer; false: a brand's
 * support account) and `in_response_to_tweet_id`. Flat rows with those keys
 * at the top level (as in the original CSV's columns) read the same.
 *
 *   tweet_id → external id, author_id → author, in_response_to_tweet_id →
 *   parent id, created_at → published; inbound false → the brand's own post.
 */
export const TWCS_LAYOUT: Layout = { name: 'twcs', label: 'Twitter customer support (twcs preset)', columns: {} };

/** A date reader for `created_at` (the import's, so dates read the same in every layout): ms, or an error. */
export type DateReader = (text: string | null) => { ms: number | null; error?: string };

export function mapTwcsRecord(record: Record<string, unknown>, line: number, readDate: DateReader, problems: ImportProblem[]): ImportRow | null {
  const extra = isRecord(record['extra']) ? record['extra'] : {};
  const field = (name: string): unknown => extra[name] ?? record[name] ?? null;
  const text = (name: string): string | null => {
    const value = field(name);
    return typeof value === 'string' || typeof value === 'number' ? String(value).trim() || null : null;
  };
  const skip = (column: string, message: string) => {
    problems.push({ line, column, message, skipped: true });
    return null;
  };
  const tweetId = text('tweet_id');
  if (tweetId === null) return skip('extra.tweet_id', 'missing: a tweet needs its id');
  const body = collapseWhitespace(text('text') ?? '');
  if (body === '') return skip('text', 'empty: a mention needs its text');
  const published = readDate(text('created_at'));
  if (published.error) return skip('created_at', published.error);
  const inbound = field('inbound');
  if (typeof inbound !== 'boolean') return skip('extra.inbound', 'expected true (a customer) or false (the brand)');
  const lang = text('lang');
  return {
    line,
    own: !inbound,
    addressed: inbound,
    mention: {
      externalId: tweetId,
      url: `https://twitter.com/i/web/status/${encodeURIComponent(tweetId)}`,
      author: text('author_id'),
      authorUrl: null,
      authorReach: null,
      title: null,
      text: body,
      lang: lang === null ? null : lang.toLowerCase(),
      publishedAt: published.ms,
      parentId: text('in_response_to_tweet_id'),
      threadId: null,
    },
  };
}
