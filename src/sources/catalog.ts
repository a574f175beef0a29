/**
 * Source type names, kept apart from the adapters so that loading a config
 * does not load every parser (start-up time of queue and report commands).
 * A test checks this list against the adapters' own `types`.
 */
export const SOURCE_TYPES = [
  'rss',
  'atom',
  'feed',
  'google-alerts',
  'talkwalker',
  'reddit',
  'hackernews',
  'mastodon',
  'bluesky',
  'vk',
  'youtube',
  'telegram',
  'stackexchange',
  'github',
  'json',
] as const;
