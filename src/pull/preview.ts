import { classifyMention, compileTopics } from '../classify/index.js';
import type { Classification } from '../classify/types.js';
import type { MentionsConfig } from '../config/types.js';
import { HttpClient } from '../http/client.js';
import type { HttpClientOptions } from '../http/client.js';
import type { MentionDraft } from '../sources/types.js';
import type { Db } from '../store/db.js';
import { getSourceByName, storedExternalIds } from '../store/sources.js';
import { prepareSources, sourceFetcher, storedTarget } from './pull.js';

export interface PreviewItem {
  mention: MentionDraft;
  /** Null when the item matches no topic (a pull would not store it). */
  classification: Classification | null;
  /** Already in the database: a pull would count it as a duplicate. */
  stored: boolean;
}

export interface SourcePreview {
  name: string;
  type: string;
  /** HTTP status of the page fetched (304 = nothing new since the stored cursor). */
  status: number;
  itemsSeen: number;
  items: PreviewItem[];
  warnings: string[];
  /** The source has more pages after this one. */
  hasMore: boolean;
  /** The stored cursor was used (else a first poll was simulated). */
  fromCursor: boolean;
}

export interface PreviewOptions {
  /** The database to read the cursor and known ids from; null when none exists yet. */
  db: Db | null;
  config: MentionsConfig;
  name: string;
  env: Record<string, string | undefined>;
  /** Ignore the stored cursor and fetch as a first poll would. */
  fromStart?: boolean;
  http?: Partial<HttpClientOptions>;
}

/**
 * `mentions sources test`: fetches one page of one source exactly as a pull
 * would (same config checks, login, headers and parsing) and classifies it,
 * but writes nothing: not the mentions, not the cursor, not the failure count.
 */
export async function previewSource(options: PreviewOptions): Promise<SourcePreview> {
  const [source] = await prepareSources(options.config, [options.name], options.env);
  const stored = options.db && !options.fromStart ? getSourceByName(options.db, options.name) : null;
  // A changed target resets the cursor in a pull; the preview follows suit.
  const cursor = stored && stored.type === source!.config.type && stored.target === storedTarget(source!.config) ? stored.cursor : null;
  const http = new HttpClient(options.http);
  try {
    const fetchPage = await sourceFetcher(source!, http);
    const page = await fetchPage(source!.adapter.firstRequest(source!.settings, cursor), cursor);
    const topics = compileTopics(options.config.topics);
    const known = options.db ? storedExternalIds(options.db, options.name, page.mentions.map((m) => m.externalId)) : new Set<string>();
    return {
      name: source!.config.name,
      type: source!.config.type,
      status: page.response.status,
      itemsSeen: page.itemsSeen,
      items: page.mentions.map((mention) => ({
        mention,
        classification: classifyMention(mention, topics, { source: { name: source!.config.name, type: source!.config.type } }),
        stored: known.has(mention.externalId),
      })),
      warnings: page.warnings,
      hasMore: page.next !== null,
      fromCursor: cursor !== null,
    };
  } finally {
    await http.close();
  }
}
