/**
 * Schema migrations: a numbered list, applied in order inside one transaction
 * each, with the version kept in PRAGMA user_version. Never edit a step that
 * has shipped; add a new one. Tests upgrade a database created at every
 * earlier version to the latest and compare it with a fresh one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sources with their cursors, and mentions unique per source',
    sql: `
      CREATE TABLE sources (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE,
        type            TEXT NOT NULL,
        -- the URL or query as written in the config: \${ENV} references stay unresolved
        target          TEXT,
        cursor          TEXT,
        created_at      INTEGER NOT NULL,
        last_polled_at  INTEGER,
        last_ok_at      INTEGER,
        error_count     INTEGER NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT
      ) STRICT;

      CREATE TABLE mentions (
        id              INTEGER PRIMARY KEY,
        source_id       INTEGER NOT NULL REFERENCES sources(id),
        external_id     TEXT NOT NULL,
        url             TEXT,
        author          TEXT,
        author_url      TEXT,
        author_reach    INTEGER,
        title           TEXT,
        text            TEXT NOT NULL,
        lang            TEXT,
        published_at    INTEGER,
        fetched_at      INTEGER NOT NULL,
        -- when the item happened, for SLA clocks and reports: published_at, or fetched_at when the source gave no date
        created_at      INTEGER NOT NULL,
        parent_id       TEXT,
        thread_id       TEXT,
        UNIQUE (source_id, external_id)
      ) STRICT;
      CREATE INDEX mentions_created ON mentions (created_at);
      CREATE INDEX mentions_source_created ON mentions (source_id, created_at);
      CREATE INDEX mentions_parent ON mentions (source_id, parent_id) WHERE parent_id IS NOT NULL;
    `,
  },
  {
    version: 2,
    description: 'classification results and topic membership',
    sql: `
      CREATE TABLE classifications (
        mention_id      INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
        rules_version   TEXT NOT NULL,
        relevance       TEXT NOT NULL CHECK (relevance IN ('relevant','irrelevant','spam','own')),
        sentiment       TEXT NOT NULL CHECK (sentiment IN ('positive','negative','neutral')),
        sentiment_score REAL NOT NULL,
        tags            TEXT NOT NULL DEFAULT '[]',
        lang            TEXT,
        evidence        TEXT NOT NULL DEFAULT '[]',
        classified_at   INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE mention_topics (
        mention_id      INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        topic           TEXT NOT NULL,
        PRIMARY KEY (topic, mention_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX mention_topics_mention ON mention_topics (mention_id);
    `,
  },
  {
    version: 3,
    description: 'work state on mentions, status events, and the queue index',
    sql: `
      ALTER TABLE mentions ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new','assigned','responded','resolved','ignored'));
      ALTER TABLE mentions ADD COLUMN assignee TEXT;
      -- static priority from classification; the queue adds the SLA clock at read time
      ALTER TABLE mentions ADD COLUMN priority REAL NOT NULL DEFAULT 0;
      -- only relevant, open mentions are in the queue; spam and own posts never are
      ALTER TABLE mentions ADD COLUMN in_queue INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE mentions ADD COLUMN first_response_at INTEGER;
      ALTER TABLE mentions ADD COLUMN resolved_at INTEGER;
      CREATE INDEX mentions_queue ON mentions (priority DESC, created_at) WHERE in_queue = 1;

      CREATE TABLE events (
        id              INTEGER PRIMARY KEY,
        mention_id      INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        at              INTEGER NOT NULL,
        actor           TEXT NOT NULL,
        -- manual (a person at the CLI), auto (reply detection), pull (the puller)
        origin          TEXT NOT NULL DEFAULT 'manual',
        from_status     TEXT,
        to_status       TEXT,
        note            TEXT
      ) STRICT;
      CREATE INDEX events_mention ON events (mention_id, at);
      CREATE INDEX events_actor_at ON events (actor, at);
    `,
  },
  {
    version: 4,
    description: 'near-duplicate fingerprints: reposts point at the first copy',
    sql: `
      ALTER TABLE mentions ADD COLUMN fingerprint TEXT;
      -- the earliest stored mention with the same fingerprint within the copy window, for grouping reposts
      ALTER TABLE mentions ADD COLUMN duplicate_of INTEGER REFERENCES mentions(id);
      CREATE INDEX mentions_fingerprint ON mentions (fingerprint, created_at) WHERE fingerprint IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: 'work events: kinds, batches and before/after state for undo; manual urgency',
    sql: `
      -- set by "mentions urgent"; the queue adds it to the static priority
      ALTER TABLE mentions ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
        CHECK (kind IN ('status','assign','respond','note','urgent','undo'));
      -- the events one command wrote share a batch; undo reverses a whole batch
      ALTER TABLE events ADD COLUMN batch INTEGER;
      ALTER TABLE events ADD COLUMN reply_url TEXT;
      -- JSON work state (status, assignee, urgent, first_response_at, resolved_at) around the change
      ALTER TABLE events ADD COLUMN before_state TEXT;
      ALTER TABLE events ADD COLUMN after_state TEXT;
      ALTER TABLE events ADD COLUMN undoes_batch INTEGER;
      CREATE INDEX events_batch ON events (batch);
      CREATE INDEX events_undoes ON events (undoes_batch) WHERE undoes_batch IS NOT NULL;
      -- reply detection and conversations look mentions up by thread
      CREATE INDEX mentions_thread ON mentions (source_id, thread_id) WHERE thread_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    description: 'full-text search over title, text and author (FTS5), kept in step by triggers',
    sql: `
      -- External content: the text lives once, in mentions; the index holds only tokens.
      -- unicode61 folds case and (remove_diacritics 2) Latin accents; ё is folded to е here, as
      -- Russian writers mostly type е, and the search terms are folded the same way (store/search.ts).
      -- Every insert and delete passes the same folded values, so the index never disagrees with itself.
      CREATE VIRTUAL TABLE mentions_fts USING fts5(
        title, text, author,
        content = 'mentions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER mentions_fts_insert AFTER INSERT ON mentions BEGIN
        INSERT INTO mentions_fts (rowid, title, text, author)
          VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.author, 'ё', 'е'), 'Ё', 'Е'));
      END;
      CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text, author)
          VALUES ('delete', old.id, replace(replace(old.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.author, 'ё', 'е'), 'Ё', 'Е'));
      END;
      CREATE TRIGGER mentions_fts_update AFTER UPDATE OF title, text, author ON mentions BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text, author)
          VALUES ('delete', old.id, replace(replace(old.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.author, 'ё', 'е'), 'Ё', 'Е'));
        INSERT INTO mentions_fts (rowid, title, text, author)
          VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.author, 'ё', 'е'), 'Ё', 'Е'));
      END;
      INSERT INTO mentions_fts (rowid, title, text, author)
        SELECT id, replace(replace(title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(author, 'ё', 'е'), 'Ё', 'Е') FROM mentions;
    `,
  },
  {
    version: 7,
    description: 'covering indexes for response-time statistics over a date range',
    sql: `
      -- stats and reports read only these columns of a created_at range: the index alone answers them
      CREATE INDEX mentions_stats ON mentions (created_at, source_id, first_response_at, resolved_at, status);
      CREATE INDEX classifications_relevance ON classifications (mention_id, relevance);
    `,
  },
  {
    version: 8,
    description: 'alert queue: one row per rule, subject and channel, delivered with retries',
    sql: `
      CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        rule            TEXT NOT NULL,
        -- the subject: a mention, or a spike key such as "spike:2026-11-20T14" (its figures in details)
        mention_id      INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
        spike_key       TEXT,
        details         TEXT,
        channel         TEXT NOT NULL,
        -- skipped: the mention was answered or dismissed before the alert could go out
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed','skipped')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        -- a retry waits until then; quiet hours and rate limits hold rows without counting attempts
        next_attempt_at INTEGER,
        created_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        CHECK ((mention_id IS NULL) <> (spike_key IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX alerts_once_per_mention ON alerts (rule, mention_id, channel) WHERE mention_id IS NOT NULL;
      CREATE UNIQUE INDEX alerts_once_per_spike ON alerts (rule, spike_key, channel) WHERE spike_key IS NOT NULL;
      CREATE INDEX alerts_pending ON alerts (state, next_attempt_at) WHERE state = 'pending';
      CREATE INDEX alerts_sent ON alerts (rule, channel, sent_at) WHERE state = 'sent';
    `,
  },
  {
    version: 9,
    description: 'full-text indexing after each pull or import instead of per row: a mark of the last indexed mention',
    sql: `
      -- Indexing row by row in every page's transaction was half the cost of storing a page; a pull, an import
      -- and a search now index what is new in one statement (indexPendingMentions in store/search.ts).
      -- Mentions up to indexed_through are in mentions_fts; later ones are not yet.
      CREATE TABLE fts_progress (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_through INTEGER NOT NULL
      ) STRICT;
      INSERT INTO fts_progress (id, indexed_through) SELECT 1, coalesce(max(id), 0) FROM mentions;
      DROP TRIGGER mentions_fts_insert;
      DROP TRIGGER mentions_fts_delete;
      DROP TRIGGER mentions_fts_update;
      -- Only an indexed row has index entries to remove: a 'delete' for any other would damage the index.
      CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions
        WHEN old.id <= (SELECT indexed_through FROM fts_progress) BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text, author)
          VALUES ('delete', old.id, replace(replace(old.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.author, 'ё', 'е'), 'Ё', 'Е'));
      END;
      CREATE TRIGGER mentions_fts_update AFTER UPDATE OF title, text, author ON mentions
        WHEN old.id <= (SELECT indexed_through FROM fts_progress) BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text, author)
          VALUES ('delete', old.id, replace(replace(old.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(old.author, 'ё', 'е'), 'Ё', 'Е'));
        INSERT INTO mentions_fts (rowid, title, text, author)
          VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.author, 'ё', 'е'), 'Ё', 'Е'));
      END;
    `,
  },
  {
    version: 10,
    description: 'the events that set a first response time, by mention: who answered, for statistics by agent',
    sql: `
      -- responseAgentSql (store/stats.ts) looks this up for every mention of a statistics window; without the index each
      -- lookup read the mention's events and parsed their JSON states (about two thirds of "stats --by agent" at 1M).
      CREATE INDEX events_first_response ON events (mention_id, json_extract(after_state, '$.firstResponseAt'),
        json_extract(before_state, '$.firstResponseAt'), actor)
        WHERE json_extract(after_state, '$.firstResponseAt') IS NOT json_extract(before_state, '$.firstResponseAt');
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
