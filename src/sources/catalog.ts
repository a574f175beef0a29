import type { SourceAdapter } from './types.js';

/**
 * The registry: one line per source type, naming the adapter that serves it.
 * Adapters load lazily, so reading a config or printing the queue never loads
 * a parser, and a pull loads only the adapters its sources use.
 */
export const SOURCE_REGISTRY = {
  rss: () => import('./feed.js').then((m) => m.feedAdapter),
  atom: () => import('./feed.js').then((m) => m.feedAdapter),
  feed: () => import('./feed.js').then((m) => m.feedAdapter),
  'google-alerts': () => import('./feed.js').then((m) => m.feedAdapter),
  talkwalker: () => import('./feed.js').then((m) => m.feedAdapter),
  reddit: () => import('./reddit.js').then((m) => m.redditAdapter),
  hackernews: () => import('./hackernews.js').then((m) => m.hackerNewsAdapter),
  mastodon: () => import('./mastodon.js').then((m) => m.mastodonAdapter),
  bluesky: () => import('./bluesky.js').then((m) => m.blueskyAdapter),
  vk: () => import('./vk.js').then((m) => m.vkAdapter),
  youtube: () => import('./youtube.js').then((m) => m.youtubeAdapter),
  telegram: () => import('./telegram.js').then((m) => m.telegramAdapter),
  stackexchange: () => import('./stackexchange.js').then((m) => m.stackExchangeAdapter),
  github: () => import('./github.js').then((m) => m.githubAdapter),
  json: () => import('./json.js').then((m) => m.jsonAdapter),
} as const satisfies Record<string, () => Promise<Pick<SourceAdapter, 'types'>>>;

export type SourceType = keyof typeof SOURCE_REGISTRY;

export const SOURCE_TYPES = Object.keys(SOURCE_REGISTRY) as SourceType[];

/** The adapter for a config `type:`, or null when no adapter serves it. */
export async function loadAdapter(type: string): Promise<SourceAdapter | null> {
  if (!Object.hasOwn(SOURCE_REGISTRY, type)) return null;
  return (await SOURCE_REGISTRY[type as SourceType]()) as unknown as SourceAdapter;
}
