/** The validated configuration, as the rest of the program sees it. */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Minutes from local midnight, [start, end). */
export interface TimeInterval {
  startMinute: number;
  endMinute: number;
}

export interface BusinessHours {
  /** Working intervals per weekday; a missing or empty day is closed. */
  week: Partial<Record<Weekday, TimeInterval[]>>;
  /** Local dates (YYYY-MM-DD) that are days off. */
  holidays: string[];
  /** Local dates (YYYY-MM-DD) that are working days despite the weekday, using `extraWorkingHours`. */
  extraWorkingDays: string[];
  /** Hours of an extra working day: `business_hours.extra_working_hours`, else Monday's hours. */
  extraWorkingHours: TimeInterval[];
}

export interface SlaConfig {
  /** Default first-response target, seconds. */
  defaultSeconds: number;
  /** Targets per source name or source type, seconds; a name wins over a type. */
  bySource: Record<string, number>;
  /** Whether targets count all hours or only business hours. */
  hours: 'all' | 'business';
}

export interface TopicConfig {
  name: string;
  /** Keyword query in the topic query language (see classify/query). */
  query: string;
  /** The brand's own accounts: posts by them are `own`, and their replies answer mentions. */
  ownAccounts: string[];
  /** Own accounts on one source only (by source name or type); absent when the topic has none. */
  ownAccountsBySource?: Array<{ source: string; handles: string[] }>;
  /** Words whose presence rejects a match (a brand name that is also a common word). */
  exclude: string[];
  /** Context words for a brand name that is also a common word; absent when the topic has none. */
  context?: TopicContext;
  /** The team's own rules for this topic, in config order; absent when the topic has none. */
  rules?: TopicRule[];
}

/**
 * `topics[].rules[]`: a word pattern (`match`, as in exclude: whole words with their inflections,
 * "phrases", prefix*) or a regular expression (`regex`, case-insensitive), and what a hit does.
 */
export interface TopicRule {
  match?: string;
  regex?: string;
  /** Valence in lexicon units (-4 … 4); replaces the shipped weight of the words it covers. */
  sentiment?: number;
  /** Tags added on a hit (complaint, urgent, … or the team's own, such as "delivery"). */
  tags?: string[];
  /** Overrides the relevance verdict of the topic (spam rules, exclude and context words). */
  relevance?: 'relevant' | 'irrelevant' | 'spam';
}

/** `topics[].context`: words that confirm or reject a match of the topic's query. */
export interface TopicContext {
  /** When not empty, a match is relevant only if one of these words appears too. */
  require: string[];
  /** A match with any of these words is irrelevant. */
  reject: string[];
}

export interface SourceConfig {
  name: string;
  type: string;
  url?: string;
  query?: string;
  /** Poll interval, seconds. */
  intervalSeconds: number;
  enabled: boolean;
  /** Max pages fetched from this source in one pull. */
  maxPages: number;
  /** Longest wait for response headers, and longest silence while reading a body, seconds; absent = the HTTP client's 15 s. */
  timeoutSeconds?: number;
  /** Raw adapter options: strings may still hold ${ENV} references, resolved only when pulling. */
  options: Record<string, unknown>;
  /** Where this source is declared, for error messages ("mentions.yml:23"). */
  location: string;
}

export interface MentionsConfig {
  /** Absolute path of the file this came from, or null for built-in defaults. */
  file: string | null;
  /** IANA time zone for reports and business hours. */
  timezone: string;
  /** Database path from the config (absolute, resolved against the config file's folder), if set. */
  database: string | null;
  topics: TopicConfig[];
  sources: SourceConfig[];
  sla: SlaConfig;
  businessHours: BusinessHours;
  /** Default acting agent name, if set. */
  agent: string | null;
  /** Alert channels and rules (`alerts:`); empty when not configured. */
  alerts: AlertsConfig;
}

export type AlertChannelType = 'slack' | 'telegram' | 'webhook' | 'command';

/**
 * Where alerts go. Secret fields (a Slack webhook URL, a bot token) hold
 * ${VAR} references, resolved only when sending, so a secret never reaches
 * the database or a log line.
 */
export interface AlertChannelConfig {
  name: string;
  type: AlertChannelType;
  /** slack, webhook: the URL to POST to, ${VAR} unresolved. */
  url?: string;
  /** telegram: the bot token reference, e.g. "${TELEGRAM_BOT_TOKEN}". */
  botToken?: string;
  /** telegram: the chat to post to (a numeric id or @channel). */
  chatId?: string;
  /** telegram: Bot API base URL (default https://api.telegram.org; a local Bot API server or a test server). */
  apiUrl?: string;
  /** command: program and arguments, run without a shell; the alert is JSON on its stdin. */
  command?: string[];
  /** Where this channel is declared ("mentions.yml:40"). */
  location: string;
}

/** A daily window in local time; may cross midnight ("22:00-08:00"). Minutes from local midnight. */
export interface DailyWindow {
  startMinute: number;
  endMinute: number;
}

export interface AlertRuleConfig {
  name: string;
  /** Channel names, each declared under alerts.channels. */
  channels: string[];
  /** Conditions, all of which must hold; a list means any of its items. */
  sentiment?: Array<'positive' | 'negative' | 'neutral'>;
  tags?: string[];
  topics?: string[];
  minReach?: number;
  /** Alert open mentions whose first-response target is missed within this many seconds. */
  slaWithinSeconds?: number;
  /** Volume spike: this hour's count above factor × the median of the same hour over the last days. */
  spike?: { factor: number; baselineDays: number; minCount: number };
  /** Deliveries held (not dropped) in this local window. */
  quietHours?: DailyWindow;
  /** At most `count` deliveries per channel in any `windowSeconds`; the rest wait. */
  rateLimit?: { count: number; windowSeconds: number };
  location: string;
}

export interface AlertsConfig {
  channels: AlertChannelConfig[];
  rules: AlertRuleConfig[];
}

/** A config problem, located: "mentions.yml:12:5: sources[1].url: ...". Exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly file: string | null = null,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(message);
  }
  /** "file:line:col: message" — the form editors and terminals make clickable. */
  get located(): string {
    if (!this.file) return this.message;
    const where = [this.file, this.line, this.column].filter((p) => p !== null).join(':');
    return `${where}: ${this.message}`;
  }
}
