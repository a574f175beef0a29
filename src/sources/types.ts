/**
 * The contract every source adapter fulfils. An adapter is a pure mapping:
 * it builds the request for a poll from its cursor, and maps one HTTP
 * response to mentions plus the next cursor. It never performs I/O itself,
 * so the pull orchestrator can store each page and its cursor in one
 * transaction, and tests can feed recorded responses straight in.
 */

/** One item found at a source, normalised, before classification. */
export interface MentionDraft {
  /** Stable id of the item at its source (guid, Atom id, post id); unique per source. */
  externalId: string;
  /** Link to the item itself (http/https only), or null when the source gives none. */
  url: string | null;
  /** Display name or handle of the author, or null when unknown. */
  author: string | null;
  /** Link to the author's profile, when the source gives one. */
  authorUrl: string | null;
  /** Followers/subscribers of the author when the source reports it. */
  authorReach: number | null;
  /** Headline, for sources that have one (feeds, videos, questions). Plain text. */
  title: string | null;
  /** The body as plain text (HTML stripped, entities decoded, whitespace collapsed). */
  text: string;
  /** ISO 639-1 language code when the source states it (e.g. "en", "ru"). */
  lang: string | null;
  /** When the item was published, epoch milliseconds UTC; null when the source gives no usable date. */
  publishedAt: number | null;
  /** External id of the item this one replies to, when the source says. */
  parentId: string | null;
  /** External id of the thread / conversation root, when the source says. */
  threadId: string | null;
}

/** What the pull asks the HTTP layer to fetch. */
export interface RequestSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** A complete HTTP response as the HTTP layer hands it to an adapter. */
export interface FetchedResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Decompressed body bytes (not yet decoded to text: adapters pick the charset). */
  body: Uint8Array;
}

/** Incremental state of one source, stored as JSON beside it and advanced with the page it came with. */
export type SourceCursor = Record<string, unknown>;

export interface SourcePage<C extends SourceCursor = SourceCursor> {
  mentions: MentionDraft[];
  /** Cursor to store together with these mentions. */
  cursor: C;
  /** The next page to fetch in this pull, or null when this pull is done. */
  next: RequestSpec | null;
  /** Number of raw items seen in the response (before any dropping of unusable items). */
  itemsSeen: number;
  /** Human-readable problems with single items that were skipped (never fatal). */
  warnings: string[];
  /** The API asked for a pause before the next request to it (Stack Exchange `backoff`), seconds. */
  backoffSeconds?: number;
}

/** Settings of one configured source, as the adapter sees them (env references already resolved). */
export interface SourceSettings {
  name: string;
  type: string;
  url?: string;
  query?: string;
  /** Adapter-specific options from the config, untyped here and validated by the adapter. */
  options: Record<string, unknown>;
}

/** Headers a login step yields, added to every request of the pull; held in memory only, never stored. */
export interface SourceSession {
  headers: Record<string, string>;
}

/** A ready-to-paste config entry for one source type (`mentions sources add`, docs). */
export interface SourceExample {
  summary: string;
  /**
   * One `sources:` entry without the leading "- ". `{name}` and `{query}` are filled
   * from the command's flags, `{url|default}` takes --url or the default. Secrets
   * are always ${VARIABLE} references.
   */
  yaml: string;
  /** Environment variables the entry reads. */
  env: string[];
  /** Where the full reference for this type lives. */
  doc: string;
}

export interface SourceAdapter<C extends SourceCursor = SourceCursor> {
  /** The config `type:` value(s) this adapter serves. */
  readonly types: readonly string[];
  /** One example per type in `types`; a test loads each through the config loader and checkSettings. */
  readonly examples?: Readonly<Record<string, SourceExample>>;
  /**
   * Problems with the settings, each as "field: message" (e.g. "query: is required"),
   * checked before any request goes out so a bad entry is a config error (exit 2).
   */
  checkSettings?(source: SourceSettings): string[];
  /**
   * For sources that exchange credentials for a short-lived token (Bluesky app
   * passwords, Reddit OAuth): one request per pull, before the first page.
   */
  readonly login?: {
    request(source: SourceSettings): RequestSpec;
    parse(source: SourceSettings, response: FetchedResponse): SourceSession;
  };
  /** Politeness towards the API host: at most `requests` starts per `perMs` (VK: 3 per second). */
  readonly rateLimit?: { requests: number; perMs: number };
  /** The request that starts a poll, given the stored cursor (null on the first poll). */
  firstRequest(source: SourceSettings, cursor: C | null): RequestSpec;
  /**
   * Maps one response to a page. A 304 Not Modified must yield an empty page that
   * keeps the cursor. Throws SourceFormatError when the body is not what the source
   * serves, and SourceApiError when the body is the API's own error report.
   */
  parsePage(source: SourceSettings, response: FetchedResponse, cursor: C | null): SourcePage<C>;
  /**
   * Reads an HTTP error response (status ≥ 400) for the API's own explanation,
   * e.g. YouTube's 403 "quotaExceeded" that is not a credentials problem. Returns
   * null to keep the HTTP layer's message. Must not echo request parameters.
   */
  explainError?(source: SourceSettings, response: FetchedResponse): SourceApiError | null;
}

/** The response body is not in the format the source should serve (clear, one-line message). */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
}

/**
 * The API answered with an error in its body (VK and Telegram use HTTP 200 for
 * these). `retryAfterSeconds` set means "throttled, try the same request again
 * after this long"; `auth` means the credentials were refused.
 */
export class SourceApiError extends Error {
  override readonly name = 'SourceApiError';
  constructor(
    message: string,
    readonly details: { retryAfterSeconds?: number | null; auth?: boolean } = {},
  ) {
    super(message);
  }
}
