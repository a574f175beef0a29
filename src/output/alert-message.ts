/**
 * Alert messages for each channel's markup. Posts and author names are
 * untrusted: control characters are stripped everywhere, and the text is
 * escaped for the markup that renders it (Slack mrkdwn, Telegram HTML), so a
 * post cannot ping @channel, forge a link or break the message.
 */
import { safeLink, terminalSafe, terminalSafeLine, truncate } from './sanitize.js';
import { formatSpan } from './time-format.js';

export const ALERT_TEXT_MAX_CHARS = 600;
const AUTHOR_MAX_CHARS = 100;

export interface MentionAlertView {
  kind: 'mention';
  rule: string;
  mentionId: number;
  source: string;
  url: string | null;
  author: string | null;
  authorReach: number | null;
  title: string | null;
  text: string;
  sentiment: string | null;
  tags: string[];
  topics: string[];
  createdAt: number;
  /** Time left to the first-response target at sending; negative when overdue. */
  slaRemainingMs: number;
}

export interface SpikeAlertView {
  kind: 'spike';
  rule: string;
  /** The local hour, "2026-11-20T14". */
  hour: string;
  count: number;
  median: number;
  factor: number;
  topics: string[];
}

export interface TestAlertView {
  kind: 'test';
  channel: string;
}

export type AlertView = MentionAlertView | SpikeAlertView | TestAlertView;

/** Plain fields, cleaned and shortened, before any markup. */
interface Parts {
  headline: string;
  who: string | null;
  body: string | null;
  link: string | null;
  sla: string | null;
}

function parts(view: AlertView): Parts {
  if (view.kind === 'test') {
    return { headline: `Test alert from mentions to channel "${terminalSafeLine(view.channel)}"`, who: null, body: 'If you can read this, alerts reach this channel.', link: null, sla: null };
  }
  if (view.kind === 'spike') {
    const scope = view.topics.length > 0 ? ` about ${view.topics.join(', ')}` : '';
    return {
      headline: `[${view.rule}] Volume spike${scope}: ${view.count} mentions this hour (${view.hour})`,
      who: null,
      body: `Usual for this hour: ${formatCount(view.median)} (median of the same hour over the last days); alert above ${formatCount(view.factor)}×.`,
      link: null,
      sla: null,
    };
  }
  const labels = [view.sentiment, ...view.tags].filter((l): l is string => Boolean(l)).join(', ');
  const topic = view.topics.length > 0 ? ` — ${view.topics.join(', ')}` : '';
  const author = view.author ? truncate(terminalSafeLine(view.author), AUTHOR_MAX_CHARS) : 'unknown author';
  const reach = view.authorReach !== null ? ` (reach ${view.authorReach.toLocaleString('en-US')})` : '';
  const content = [view.title, view.text].filter((p) => p && p.trim()).join('\n');
  return {
    headline: `[${view.rule}] ${labels || 'mention'}${topic}`,
    who: `${author}${reach} on ${terminalSafeLine(view.source)}`,
    body: truncate(terminalSafe(content).trim(), ALERT_TEXT_MAX_CHARS),
    link: safeLink(view.url),
    sla: view.slaRemainingMs >= 0 ? `${formatSpan(view.slaRemainingMs)} left to respond` : `response overdue by ${formatSpan(view.slaRemainingMs)}`,
  };
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Slack mrkdwn: &, < and > are the only characters Slack asks to escape; they also stop <!channel> and forged links. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram parse_mode HTML: &, <, > (and " inside attributes). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Body of a Slack incoming-webhook POST. */
export function slackMessage(view: AlertView): { text: string; unfurl_links: boolean } {
  const p = parts(view);
  const lines = [`*${escapeSlack(p.headline)}*`];
  if (p.who) lines.push(escapeSlack(p.who));
  if (p.body) lines.push(p.body.split('\n').map((line) => `> ${escapeSlack(line)}`).join('\n'));
  // In <url|label> a "|" or ">" in the URL would end it early; safeLink has already percent-encoded the rest.
  if (p.link) lines.push(`<${p.link.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|Open the mention>`);
  if (p.sla) lines.push(`:hourglass: ${escapeSlack(p.sla)}`);
  return { text: lines.join('\n'), unfurl_links: false };
}

/** Parameters of a Bot API sendMessage call (chat_id added by the channel). */
export function telegramMessage(view: AlertView): { text: string; parse_mode: 'HTML'; disable_web_page_preview: boolean } {
  const p = parts(view);
  const lines = [`<b>${escapeTelegramHtml(p.headline)}</b>`];
  if (p.who) lines.push(escapeTelegramHtml(p.who));
  if (p.body) lines.push(`<blockquote>${escapeTelegramHtml(p.body)}</blockquote>`);
  if (p.link) lines.push(`<a href="${escapeTelegramHtml(p.link)}">Open the mention</a>`);
  if (p.sla) lines.push(`⏳ ${escapeTelegramHtml(p.sla)}`);
  return { text: lines.join('\n'), parse_mode: 'HTML', disable_web_page_preview: true };
}

/** The JSON a generic webhook or a local command receives: the fields, plus a plain-text rendering. */
export function alertPayload(view: AlertView): Record<string, unknown> {
  const p = parts(view);
  const text = [p.headline, p.who, p.body, p.link, p.sla].filter((l): l is string => Boolean(l)).join('\n');
  if (view.kind === 'test') return { kind: 'test', channel: view.channel, message: text };
  if (view.kind === 'spike') {
    return { kind: 'spike', rule: view.rule, hour: view.hour, count: view.count, median: view.median, factor: view.factor, topics: view.topics, message: text };
  }
  return {
    kind: 'mention',
    rule: view.rule,
    mention_id: view.mentionId,
    source: view.source,
    url: p.link,
    author: view.author === null ? null : terminalSafeLine(view.author),
    author_reach: view.authorReach,
    title: view.title === null ? null : terminalSafeLine(view.title),
    text: p.body,
    sentiment: view.sentiment,
    tags: view.tags,
    topics: view.topics,
    created_at: new Date(view.createdAt).toISOString(),
    sla_remaining_seconds: Math.round(view.slaRemainingMs / 1000),
    message: text,
  };
}
