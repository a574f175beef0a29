import { describe, expect, it } from 'vitest';
import { ALERT_TEXT_MAX_CHARS, alertPayload, escapeSlack, escapeTelegramHtml, slackMessage, telegramMessage } from '../../src/output/alert-message.js';
import type { MentionAlertView } from '../../src/output/alert-message.js';

function view(overrides: Partial<MentionAlertView> = {}): MentionAlertView {
  return {
    kind: 'mention',
    rule: 'angry',
    mentionId: 7,
    source: 'news',
    url: 'https://news.example/a?x=1&y=2',
    author: 'Eve <!channel>',
    authorReach: 12345,
    title: null,
    text: 'Acme <b>broke</b> & ate my data <https://evil.example|click>',
    sentiment: 'negative',
    tags: ['urgent', 'complaint'],
    topics: ['acme'],
    createdAt: Date.UTC(2026, 10, 20, 10, 0),
    slaRemainingMs: 12 * 60_000,
    ...overrides,
  };
}

describe('alert messages', () => {
  it('escape Slack mrkdwn so a post cannot ping or forge a link', () => {
    expect(escapeSlack('a & <b> >')).toBe('a &amp; &lt;b&gt; &gt;');
    const { text } = slackMessage(view());
    expect(text).toContain('Eve &lt;!channel&gt; (reach 12,345) on news');
    expect(text).toContain('> Acme &lt;b&gt;broke&lt;/b&gt; &amp; ate my data &lt;https://evil.example|click&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('<https://news.example/a?x=1&y=2|Open the mention>');
    expect(text).toContain('12m left to respond');
    expect(text).toContain('*[angry] negative, urgent, complaint — acme*');
  });

  it('escape Telegram HTML and link the mention', () => {
    expect(escapeTelegramHtml('<a href="x">&')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;');
    const message = telegramMessage(view({ slaRemainingMs: -5 * 60_000 }));
    expect(message.parse_mode).toBe('HTML');
    expect(message.text).toContain('<blockquote>Acme &lt;b&gt;broke&lt;/b&gt; &amp; ate my data');
    expect(message.text).toContain('<a href="https://news.example/a?x=1&amp;y=2">Open the mention</a>');
    expect(message.text).toContain('response overdue by 5m');
  });

  it('truncate long texts, drop control characters and non-http links', () => {
    const long = `${'word '.repeat(400)}\u001b[31mred`;
    const payload = alertPayload(view({ text: long, url: 'javascript:alert(1)' }));
    expect(Array.from(payload['text'] as string).length).toBeLessThanOrEqual(ALERT_TEXT_MAX_CHARS);
    expect(payload['text'] as string).toMatch(/…$/);
    expect(payload['url']).toBeNull();
    expect(JSON.stringify(payload)).not.toContain('\u001b');
    expect(payload).toMatchObject({ kind: 'mention', rule: 'angry', mention_id: 7, author_reach: 12345, sla_remaining_seconds: 720, tags: ['urgent', 'complaint'] });
  });

  it('describe a spike with the count and the usual level', () => {
    const { text } = slackMessage({ kind: 'spike', rule: 'surge', hour: '2026-11-20T14', count: 40, median: 6, factor: 3, topics: ['acme'] });
    expect(text).toContain('Volume spike about acme: 40 mentions this hour (2026-11-20T14)');
    expect(text).toContain('Usual for this hour: 6');
  });
});
