/**
 * A ready-to-paste config entry per source type, for `mentions sources add`
 * and the docs. `{name}`, `{query}` and `{url}` are filled from the command's
 * flags; secrets are always ${VARIABLE} references. A test loads every
 * example through the real config loader and the adapter's own checks.
 */
export interface SourceExample {
  summary: string;
  /** The YAML mapping of one `sources:` entry, without the leading "- ". */
  yaml: string;
  /** Environment variables the entry reads. */
  env: string[];
  /** Where the full reference for this type lives. */
  doc: string;
}

const FEED = (type: string, summary: string, url: string): SourceExample => ({
  summary,
  yaml: `name: {name}
type: ${type}
url: {url|${url}}
interval: 15m
max_pages: 1`,
  env: [],
  doc: 'README.md#sources',
});

export const SOURCE_EXAMPLES: Record<string, SourceExample> = {
  rss: FEED('rss', 'an RSS 2.0 or RDF feed (news sites, blogs)', 'https://example.com/feed.xml'),
  atom: FEED('atom', 'an Atom feed', 'https://example.com/atom.xml'),
  feed: FEED('feed', 'any RSS, Atom or RDF feed (the format is detected)', 'https://example.com/feed'),
  'google-alerts': FEED('google-alerts', 'a Google Alerts feed (alert → Deliver to: RSS feed)', 'https://www.google.com/alerts/feeds/USER_ID/ALERT_ID'),
  talkwalker: FEED('talkwalker', 'a Talkwalker Alerts RSS feed', 'https://alerts.talkwalker.com/alerts/rss/TOKEN'),
  reddit: {
    summary: 'Reddit search (posts and comments, newest first) over the OAuth API',
    yaml: `name: {name}
type: reddit
query: {query}
client_id: \${REDDIT_CLIENT_ID}
client_secret: \${REDDIT_CLIENT_SECRET}
# subreddit: acme          # search one subreddit only
interval: 15m`,
    env: ['REDDIT_CLIENT_ID', 'REDDIT_CLIENT_SECRET'],
    doc: 'docs/sources/reddit.md',
  },
  hackernews: {
    summary: 'Hacker News stories and comments via the Algolia search API (no key)',
    yaml: `name: {name}
type: hackernews
query: {query}
interval: 15m`,
    env: [],
    doc: 'docs/sources/hackernews.md',
  },
  mastodon: {
    summary: 'Mastodon: a hashtag timeline, or full-text search with a token',
    yaml: `name: {name}
type: mastodon
url: {url|https://mastodon.social}
hashtag: acme              # or remove this line and search text with a token:
# query: {query}
# token: \${MASTODON_TOKEN}
interval: 15m`,
    env: [],
    doc: 'docs/sources/mastodon.md',
  },
  bluesky: {
    summary: 'Bluesky post search (needs an app password)',
    yaml: `name: {name}
type: bluesky
query: {query}
handle: acme.bsky.social
app_password: \${BLUESKY_APP_PASSWORD}
interval: 15m`,
    env: ['BLUESKY_APP_PASSWORD'],
    doc: 'docs/sources/bluesky.md',
  },
  vk: {
    summary: 'VK newsfeed.search (a service token from your VK app)',
    yaml: `name: {name}
type: vk
query: {query}
token: \${VK_SERVICE_TOKEN}
interval: 15m`,
    env: ['VK_SERVICE_TOKEN'],
    doc: 'docs/sources/vk.md',
  },
  youtube: {
    summary: 'YouTube: new videos by search, and comments on the brand channel',
    yaml: `name: {name}
type: youtube
query: {query}
api_key: \${YOUTUBE_API_KEY}
# channel_id: UCxxxxxxxxxxxxxxxxxxxxxx   # the brand channel: its comment threads too
interval: 1h               # a search costs 100 of the 10,000 daily quota units`,
    env: ['YOUTUBE_API_KEY'],
    doc: 'docs/sources/youtube.md',
  },
  telegram: {
    summary: 'a public Telegram channel (its t.me/s web preview; no keyword search)',
    yaml: `name: {name}
type: telegram
channel: acme_news
interval: 15m`,
    env: [],
    doc: 'docs/sources/telegram.md',
  },
  stackexchange: {
    summary: 'Stack Overflow (or another Stack Exchange site) questions and answers',
    yaml: `name: {name}
type: stackexchange
query: {query}
site: stackoverflow
# key: \${STACKEXCHANGE_KEY}   # raises the daily quota from 300 to 10,000
interval: 30m`,
    env: [],
    doc: 'docs/sources/stackexchange.md',
  },
  github: {
    summary: 'GitHub issues and pull requests that mention the query',
    yaml: `name: {name}
type: github
query: {query}
# token: \${GITHUB_TOKEN}      # optional: 30 searches a minute instead of 10
interval: 30m`,
    env: [],
    doc: 'docs/sources/github.md',
  },
  json: {
    summary: 'any JSON API, described by a URL template and JSONPath field mapping',
    yaml: `name: {name}
type: json
url: {url|https://hn.algolia.com/api/v1/search_by_date?query={query}&numericFilters=created_at_i>{cursor}}
query: {query}
items: $.hits[*]
fields:
  id: $.objectID
  url: "https://news.ycombinator.com/item?id={$.objectID}"
  author: $.author
  text: [$.comment_text, $.story_text, $.title]
  published: $.created_at_i
cursor: published
interval: 15m`,
    env: [],
    doc: 'docs/sources/json.md',
  },
};

/**
 * The example with flags filled in. `{url|default}` takes the default when no
 * --url was given; the json type's own `{query}`/`{cursor}` URL placeholders
 * are left alone inside the URL default.
 */
export function fillExample(example: SourceExample, values: { name: string; query?: string; url?: string }): string {
  return example.yaml
    .replace(/\{url\|([^\n]*)\}$/m, (_m, fallback: string) => yamlScalar(values.url ?? fallback))
    .replace(/^name: \{name\}$/m, `name: ${yamlScalar(values.name)}`)
    .replace(/^(#? ?)query: \{query\}$/m, (_m, lead: string) => `${lead}query: ${yamlScalar(values.query ?? 'acme')}`);
}

/** Quotes a value only when YAML would misread it bare. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_./:@-][^#]*$/.test(value) && !/[:]\s|\s$|^(true|false|null|yes|no|~)$/i.test(value) ? value : JSON.stringify(value);
}
