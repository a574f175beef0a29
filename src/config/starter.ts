/**
 * The commented config `mentions init` writes. Its one source is disabled,
 * so a fresh `mentions pull` makes no request until the user has pasted a
 * real feed URL and turned it on; a test checks that this text loads.
 */
export function starterConfigText(): string {
  return `# mentions config: what to listen for, where, and how fast to answer.
# Docs: README.md, section "Config". Check your edits with: mentions queue
#
# Durations: 90s, 10m, 1h, 1h30m, 2d (a bare number is seconds).
# Secrets (tokens, feed keys) do not belong here: write \${VARIABLE} and set
# the variable in the environment; it is read only when pulling.

# Time zone for daily reports and business hours: an IANA name such as
# Europe/Moscow, Europe/Berlin or America/New_York.
timezone: UTC

# The database, relative to this file's folder (or an absolute path).
database: mentions.db

# Who is acting when you mark mentions done or ignored, unless --as or
# $MENTIONS_AGENT says otherwise (default: your OS user name).
# agent: anna

# First-response targets: how long a mention may wait for an answer.
sla:
  default: 1h                 # any source not listed below
  hours: all                  # all = round the clock; business = only business_hours count
  by_source:                  # by source name or source type; a name wins over a type
    google-alerts: 10m
    twitter: 30m              # social networks: people expect a quick answer

# Working hours, used when sla.hours is "business". A day that is not listed
# is closed; a day may have several intervals: ["09:00-13:00", "14:00-18:00"].
business_hours:
  mon: "09:00-18:00"
  tue: "09:00-18:00"
  wed: "09:00-18:00"
  thu: "09:00-18:00"
  fri: "09:00-18:00"
  holidays: []                # days off, YYYY-MM-DD: [2026-01-01, 2026-01-07]
  extra_working_days: []      # weekend days worked, YYYY-MM-DD; they get Monday's hours
  # extra_working_hours: "10:00-16:00"   # other hours for extra working days

# What to listen for. A mention is kept when it matches a topic's query.
topics:
  - name: acme                # letters, digits, ".", "_", "-"; used in reports and "mentions queue -t"
    # Query: words, "exact phrases", AND, OR, NOT, (brackets), prefix*, NEAR/n.
    query: 'acme OR "acme mobile"'
    # The brand's own accounts: their posts are never queued, their replies count as answers.
    own_accounts: [acme_support]
    # Words that reject a match (for a brand name that is also a common word).
    exclude: []
    # Context words, for a brand name that is also a common word ("Мир", "Apple"):
    # with require, a match counts only when one of these words appears too (else it
    # is irrelevant); a reject word makes it irrelevant. Other inflections match too
    # (карта finds картой), and prefix* works as in queries.
    # context:
    #   require: [iphone, mac*, ios]
    #   reject: [pie, juice]
    # Your own rules, for this topic's mentions: match (words, as above) or regex, then
    # sentiment (-4..4, replaces a shipped word's weight; 0 silences it), tags to add,
    # and/or relevance (relevant, irrelevant, spam). Try them: mentions explain --text "…"
    # rules:
    #   - match: "still waiting"
    #     sentiment: -2
    #     tags: [complaint]
    #   - regex: 'order\\s*#?\\d{6,}'
    #     tags: [order]

# Where to listen. Types: rss, atom, feed (either), google-alerts, talkwalker,
# reddit, hackernews, mastodon, bluesky, vk, youtube, telegram, stackexchange,
# github, json (any JSON API). "mentions sources add TYPE" prints a ready entry.
sources:
  - name: acme-google-alerts
    type: google-alerts
    # Google Alerts → create an alert → "Deliver to: RSS feed", then paste the feed URL here.
    url: https://www.google.com/alerts/feeds/YOUR_USER_ID/YOUR_ALERT_ID
    enabled: false            # set to true once the URL above is real
    interval: 15m             # how often to poll (at least 1m)
    max_pages: 5              # most pages fetched per pull
    # Any other key is passed to the source adapter, e.g. a key kept in the environment:
    # api_key: \${ACME_FEED_KEY}

# Alerts for "mentions watch" and "mentions pull --alert" (see the README). Secrets only as \${VARIABLES}.
# alerts:
#   channels:
#     - name: team
#       type: slack             # slack, telegram (bot_token, chat_id), webhook (url), command (list)
#       url: \${SLACK_WEBHOOK_URL}
#   rules:
#     - name: angry-and-urgent
#       channel: team
#       sentiment: negative
#       tags: [urgent]
#       quiet_hours: "22:00-08:00"
#       rate_limit: 10/1h
#     - name: about-to-miss-sla
#       channel: team
#       sla_within: 10m
`;
}
