import { describe, expect, it } from 'vitest';
import { parseDailyWindow } from '../../src/config/calendar.js';
import { parseConfigText } from '../../src/config/load.js';
import { starterConfigText } from '../../src/config/starter.js';
import { ConfigError } from '../../src/config/types.js';
import type { MentionsConfig } from '../../src/config/types.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';

function parse(text: string): MentionsConfig {
  return parseConfigText(text, 'mentions.yml', { knownSourceTypes: SOURCE_TYPES, env: {}, baseDir: '/tmp' });
}

function problems(text: string): string {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).located;
  }
  throw new Error('expected a ConfigError');
}

const TOPICS = `topics:
  - name: acme
    query: acme
`;

describe('alerts config', () => {
  it('reads channels and rules with every condition', () => {
    const config = parse(`${TOPICS}alerts:
  channels:
    - name: team
      type: slack
      url: \${SLACK_WEBHOOK_URL}
    - name: tg
      type: telegram
      bot_token: \${TG_TOKEN}
      chat_id: -100123
    - name: hook
      type: webhook
      url: https://hooks.example/in
    - name: local
      type: command
      command: [notify, --json]
  rules:
    - name: angry
      channels: [team, tg]
      sentiment: negative
      tags: [urgent, complaint]
      topics: acme
      min_reach: 1000
      quiet_hours: "22:00-08:00"
      rate_limit: 10/1h
    - name: sla
      channel: hook
      sla_within: 10m
    - name: spike
      channel: local
      spike: { factor: 3 }
`);
    expect(config.alerts.channels.map((c) => [c.name, c.type])).toEqual([['team', 'slack'], ['tg', 'telegram'], ['hook', 'webhook'], ['local', 'command']]);
    expect(config.alerts.channels[0]!.url).toBe('${SLACK_WEBHOOK_URL}');
    expect(config.alerts.channels[1]!.chatId).toBe('-100123');
    expect(config.alerts.channels[3]!.command).toEqual(['notify', '--json']);
    const [angry, sla, spike] = config.alerts.rules;
    expect(angry).toMatchObject({
      channels: ['team', 'tg'],
      sentiment: ['negative'],
      tags: ['urgent', 'complaint'],
      topics: ['acme'],
      minReach: 1000,
      quietHours: { startMinute: 22 * 60, endMinute: 8 * 60 },
      rateLimit: { count: 10, windowSeconds: 3600 },
    });
    expect(sla).toMatchObject({ channels: ['hook'], slaWithinSeconds: 600 });
    expect(spike!.spike).toEqual({ factor: 3, minCount: 5, baselineDays: 14 });
  });

  it('has no alerts by default', () => {
    expect(parse(TOPICS).alerts).toEqual({ channels: [], rules: [] });
  });

  it('reports each problem with its line, column and field path', () => {
    const text = problems(`${TOPICS}alerts:
  channels:
    - name: team
      type: slack
      url: https://hooks.slack.com/services/T/B/secret
    - name: tg
      type: telegram
      bot_token: 123:abc
      chat_id: 1
    - name: x
      type: pager
  rules:
    - name: r1
      channel: nowhere
      sentiment: angry
    - name: r2
      channel: team
      quiet_hours: "22:00-22:00"
      rate_limit: ten per hour
      topics: [acne]
    - name: r3
      channel: team
`);
    expect(text).toContain('mentions.yml:8:12: alerts.channels[0].url: a Slack webhook URL is a secret');
    expect(text).not.toContain('/services/T/B/secret');
    expect(text).not.toContain('123:abc');
    expect(text).toMatch(/:11:18: alerts\.channels\[1\]\.bot_token: is a secret/);
    expect(text).toMatch(/:14:13: alerts\.channels\[2\]\.type: expected one of slack, telegram, webhook, command, got "pager"/);
    expect(text).toMatch(/:17:16: alerts\.rules\[0\]\.channel: unknown channel "nowhere"/);
    expect(text).toMatch(/alerts\.rules\[0\]\.sentiment: expected positive, negative, neutral, got "angry"/);
    expect(text).toMatch(/alerts\.rules\[1\]\.quiet_hours: invalid time window "22:00-22:00"/);
    expect(text).toMatch(/alerts\.rules\[1\]\.rate_limit: invalid rate limit "ten per hour": expected COUNT\/DURATION/);
    expect(text).toMatch(/alerts\.rules\[1\]\.topics: unknown topic "acne"/);
    expect(text).toMatch(/alerts\.rules\[2\]: needs a condition/);
  });

  it('the starter config\'s commented alerts example loads once uncommented', () => {
    const text = starterConfigText();
    const start = text.indexOf('# alerts:');
    const block = text.slice(start).split('\n').filter((line) => line.startsWith('#')).map((line) => line.slice(2)).join('\n');
    const config = parse(`${TOPICS}${block}\n`);
    expect(config.alerts.rules.map((r) => r.name)).toEqual(['angry-and-urgent', 'about-to-miss-sla']);
  });

  it('parses daily windows that cross midnight', () => {
    expect(parseDailyWindow('22:00-08:00')).toEqual({ startMinute: 1320, endMinute: 480 });
    expect(parseDailyWindow('00:00-24:00')).toEqual({ startMinute: 0, endMinute: 1440 });
    expect(() => parseDailyWindow('25:00-08:00')).toThrow(/hours are 00–23/);
  });
});
