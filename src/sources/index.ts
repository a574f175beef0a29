import { blueskyAdapter } from './bluesky.js';
import { feedAdapter } from './feed.js';
import { githubAdapter } from './github.js';
import { hackerNewsAdapter } from './hackernews.js';
import { jsonAdapter } from './json.js';
import { mastodonAdapter } from './mastodon.js';
import { redditAdapter } from './reddit.js';
import { stackExchangeAdapter } from './stackexchange.js';
import { telegramAdapter } from './telegram.js';
import type { SourceAdapter } from './types.js';
import { vkAdapter } from './vk.js';
import { youtubeAdapter } from './youtube.js';

/** Every adapter, one per source type; a new source type registers here and in catalog.ts. */
export const ADAPTERS: readonly SourceAdapter[] = [
  feedAdapter as unknown as SourceAdapter,
  redditAdapter as unknown as SourceAdapter,
  hackerNewsAdapter as unknown as SourceAdapter,
  mastodonAdapter as unknown as SourceAdapter,
  blueskyAdapter as unknown as SourceAdapter,
  vkAdapter as unknown as SourceAdapter,
  youtubeAdapter as unknown as SourceAdapter,
  telegramAdapter as unknown as SourceAdapter,
  stackExchangeAdapter as unknown as SourceAdapter,
  githubAdapter as unknown as SourceAdapter,
  jsonAdapter as unknown as SourceAdapter,
];

const BY_TYPE = new Map<string, SourceAdapter>(ADAPTERS.flatMap((a) => a.types.map((t) => [t, a] as const)));

export function adapterForType(type: string): SourceAdapter | null {
  return BY_TYPE.get(type) ?? null;
}
