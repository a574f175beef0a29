/** What one classified row prints (classify's Classification fits). */
export interface ClassifiedRowView {
  topics: readonly string[];
  relevance: string;
  sentiment: string;
  sentimentScore: number;
  tags: string[];
  lang: string | null;
  evidence: ReadonlyArray<{ kind: string; match: string; weight: number; note?: string }>;
}

/** One JSON line for `mentions classify`; the id is echoed as given (number or string). */
export function classifiedRowJson(id: unknown, c: ClassifiedRowView, withEvidence: boolean): string {
  const row: Record<string, unknown> = {
    id,
    sentiment: c.sentiment,
    score: c.sentimentScore,
    tags: c.tags,
    relevance: c.relevance,
    lang: c.lang,
    topics: c.topics,
  };
  if (withEvidence) row['evidence'] = c.evidence;
  return `${JSON.stringify(row)}\n`;
}
