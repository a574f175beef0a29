/**
 * A stored mention as every renderer shows it: the record plus its SLA
 * clock, computed once by the command so table, JSON and CSV agree.
 */
export interface MentionView {
  id: number;
  source: string;
  sourceType: string;
  externalId: string;
  url: string | null;
  author: string | null;
  authorUrl: string | null;
  authorReach: number | null;
  title: string | null;
  text: string;
  lang: string | null;
  publishedAt: number | null;
  fetchedAt: number;
  createdAt: number;
  parentId: string | null;
  threadId: string | null;
  duplicateOf: number | null;
  status: string;
  assignee: string | null;
  priority: number;
  urgent: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  relevance: string | null;
  sentiment: string | null;
  sentimentScore: number | null;
  tags: string[];
  topics: string[];
  slaTargetSeconds: number;
  /** Until the target is missed (negative: overdue); null once answered. */
  slaRemainingMs: number | null;
  /** In the queue: open mentions of its conversation, this one included (absent elsewhere). */
  caseSize?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The stable JSON shape of a mention; scripts depend on these names. */
export function mentionJson(m: MentionView): Record<string, unknown> {
  return {
    id: m.id,
    source: m.source,
    source_type: m.sourceType,
    external_id: m.externalId,
    url: m.url,
    author: m.author,
    author_url: m.authorUrl,
    author_reach: m.authorReach,
    title: m.title,
    text: m.text,
    lang: m.lang,
    published_at: iso(m.publishedAt),
    fetched_at: iso(m.fetchedAt),
    created_at: iso(m.createdAt),
    parent_id: m.parentId,
    thread_id: m.threadId,
    duplicate_of: m.duplicateOf,
    status: m.status,
    assignee: m.assignee,
    priority: m.priority,
    urgent: m.urgent,
    first_response_at: iso(m.firstResponseAt),
    resolved_at: iso(m.resolvedAt),
    relevance: m.relevance,
    sentiment: m.sentiment,
    sentiment_score: m.sentimentScore,
    tags: m.tags,
    topics: m.topics,
    sla_target_seconds: m.slaTargetSeconds,
    sla_remaining_seconds: m.slaRemainingMs === null ? null : Math.round(m.slaRemainingMs / 1000),
    ...(m.caseSize === undefined ? {} : { case_size: m.caseSize }),
  };
}
