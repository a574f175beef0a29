/**
 * The `alerts:` section, read with the same located-problem helpers as the rest
 * of the config (load.ts):
 *
 *   alerts:
 *     channels:                      list; name unique
 *       - name: team                 type slack: url (a ${VAR} reference: the webhook URL is a secret)
 *         type: slack                type telegram: bot_token (a ${VAR} reference), chat_id, api_url (optional)
 *         url: ${SLACK_WEBHOOK_URL}  type webhook: url (http/https; may use ${VAR})
 *                                    type command: command (a list: program and arguments, no shell)
 *     rules:                         list; name unique; every condition given must hold
 *       - name: angry
 *         channel: team              or channels: [team, ops]
 *         sentiment: negative        or a list (any of)
 *         tags: [urgent, complaint]  any of
 *         topics: [acme]             any of
 *         min_reach: 10000           author reach at least this
 *         sla_within: 10m            open mentions whose response target is missed within this
 *         spike: { factor: 3, min_count: 5 }   this hour's count > factor × median of the same hour, 14 days
 *         quiet_hours: "22:00-08:00" in the config's time zone: deliveries wait until the end
 *         rate_limit: 10/1h          per channel; the rest wait for the next window
 *
 * Secrets stay ${VAR} references here; they are resolved when sending (pull/alert-channels.ts).
 */
import { isScalar } from 'yaml';
import { parseDailyWindow } from './calendar.js';
import { parseDuration } from './duration.js';
import { listEnvRefs } from './env.js';
import type { Field, Fields, Walk } from './load.js';
import {
  addProblem,
  at,
  checkEnvRefSyntax,
  expected,
  offsetOf,
  prefixed,
  present,
  readChoice,
  readHttpUrl,
  readDuration,
  readInteger,
  readList,
  readMapping,
  readName,
  readRequiredText,
  readText,
  readTextList,
  reportDuplicateNames,
  reportUnknownKeys,
} from './load.js';
import type { AlertChannelConfig, AlertChannelType, AlertRuleConfig, AlertsConfig, TopicConfig } from './types.js';

const ALERTS_KEYS = ['channels', 'rules'] as const;
const CHANNEL_TYPES: readonly AlertChannelType[] = ['slack', 'telegram', 'webhook', 'command'];
const CHANNEL_KEYS: Record<AlertChannelType, readonly string[]> = {
  slack: ['name', 'type', 'url'],
  telegram: ['name', 'type', 'bot_token', 'chat_id', 'api_url'],
  webhook: ['name', 'type', 'url'],
  command: ['name', 'type', 'command'],
};
const RULE_KEYS = ['name', 'channel', 'channels', 'sentiment', 'tags', 'topics', 'min_reach', 'sla_within', 'spike', 'quiet_hours', 'rate_limit'] as const;
const SPIKE_KEYS = ['factor', 'min_count', 'baseline_days'] as const;
const SENTIMENTS = ['positive', 'negative', 'neutral'] as const;
const DEFAULT_SPIKE_MIN_COUNT = 5;
const DEFAULT_BASELINE_DAYS = 14;
const MAX_REACH = 1e12;

export function readAlerts(walk: Walk, field: Field | undefined, topics: TopicConfig[]): AlertsConfig {
  const alerts: AlertsConfig = { channels: [], rules: [] };
  if (!present(field)) return alerts;
  const fields = readMapping(walk, field.value, 'alerts', field.offset);
  if (!fields) return alerts;
  reportUnknownKeys(walk, fields, ALERTS_KEYS, 'alerts');
  alerts.channels = readChannels(walk, fields.get('channels'));
  alerts.rules = readRules(walk, fields.get('rules'), alerts.channels, topics);
  return alerts;
}

function location(walk: Walk, offset: number): string {
  return `${walk.fileLabel}:${walk.lineCounter.linePos(offset).line}`;
}

function readChannels(walk: Walk, field: Field | undefined): AlertChannelConfig[] {
  const channels: AlertChannelConfig[] = [];
  const names: Array<{ name: string; offset: number; path: string }> = [];
  readList(walk, field, 'alerts.channels').forEach((node, index) => {
    const path = at('alerts.channels', index);
    const fields = readMapping(walk, node, path, field?.offset ?? 0);
    if (!fields) return;
    const name = readName(walk, fields, path, offsetOf(node));
    const typeField = fields.get('type');
    let type: AlertChannelType | undefined;
    if (!present(typeField)) addProblem(walk, typeField?.keyOffset ?? offsetOf(node), prefixed(at(path, 'type'), `is required (one of ${CHANNEL_TYPES.join(', ')})`));
    else type = readChoice(walk, typeField, at(path, 'type'), CHANNEL_TYPES);
    if (type === undefined) return;
    reportUnknownKeys(walk, fields, CHANNEL_KEYS[type], path);
    const channel: AlertChannelConfig = { name: name ?? '', type, location: location(walk, offsetOf(node)) };
    if (type === 'slack' || type === 'webhook') {
      channel.url = readChannelUrl(walk, fields, path, offsetOf(node), type === 'slack');
    } else if (type === 'telegram') {
      channel.botToken = readSecretRef(walk, fields, 'bot_token', path, offsetOf(node));
      channel.chatId = readScalarText(walk, fields, 'chat_id', path, offsetOf(node));
      const apiUrl = fields.get('api_url');
      if (present(apiUrl)) channel.apiUrl = readHttpUrl(walk, apiUrl, at(path, 'api_url'));
    } else {
      channel.command = readCommand(walk, fields, path, offsetOf(node));
    }
    if (name !== undefined) names.push({ name, offset: fields.get('name')!.offset, path: at(path, 'name') });
    channels.push(channel);
  });
  reportDuplicateNames(walk, names, 'channel');
  return channels;
}

/** A Slack webhook URL grants posting to the channel: it must come from the environment. */
function readChannelUrl(walk: Walk, fields: Fields, path: string, ownerOffset: number, secret: boolean): string | undefined {
  const urlPath = at(path, 'url');
  const url = readRequiredText(walk, fields, 'url', path, ownerOffset);
  if (url === undefined) return undefined;
  const offset = fields.get('url')!.offset;
  if (!checkEnvRefSyntax(walk, url, offset, urlPath)) return undefined;
  if (listEnvRefs(url).length > 0) return url;
  if (secret) {
    addProblem(walk, offset, prefixed(urlPath, 'a Slack webhook URL is a secret: write ${SLACK_WEBHOOK_URL} (any variable name) and set the variable'));
    return undefined;
  }
  return readHttpUrl(walk, fields.get('url')!, urlPath);
}


function readSecretRef(walk: Walk, fields: Fields, key: string, path: string, ownerOffset: number): string | undefined {
  const text = readRequiredText(walk, fields, key, path, ownerOffset);
  if (text === undefined) return undefined;
  const offset = fields.get(key)!.offset;
  if (!checkEnvRefSyntax(walk, text, offset, at(path, key))) return undefined;
  if (!/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(text.trim())) {
    addProblem(walk, offset, prefixed(at(path, key), 'is a secret: write a variable reference such as ${TELEGRAM_BOT_TOKEN} and set the variable'));
    return undefined;
  }
  return text.trim();
}

/** Text or a number (chat ids are numbers in YAML unless quoted). */
function readScalarText(walk: Walk, fields: Fields, key: string, path: string, ownerOffset: number): string | undefined {
  const field = fields.get(key);
  if (present(field) && isScalar(field.value) && typeof field.value.value === 'number' && Number.isSafeInteger(field.value.value)) {
    return String(field.value.value);
  }
  return readRequiredText(walk, fields, key, path, ownerOffset);
}

function readCommand(walk: Walk, fields: Fields, path: string, ownerOffset: number): string[] | undefined {
  const field = fields.get('command');
  if (!present(field)) {
    addProblem(walk, field?.keyOffset ?? ownerOffset, prefixed(at(path, 'command'), 'is required: a list, the program then its arguments'));
    return undefined;
  }
  const argv = readTextList(walk, field, at(path, 'command'));
  argv.forEach((arg) => checkEnvRefSyntax(walk, arg, field.offset, at(path, 'command')));
  return argv.length > 0 ? argv : undefined;
}

function readRules(walk: Walk, field: Field | undefined, channels: AlertChannelConfig[], topics: TopicConfig[]): AlertRuleConfig[] {
  const rules: AlertRuleConfig[] = [];
  const names: Array<{ name: string; offset: number; path: string }> = [];
  const channelNames = channels.map((c) => c.name);
  const topicNames = topics.map((t) => t.name);
  readList(walk, field, 'alerts.rules').forEach((node, index) => {
    const path = at('alerts.rules', index);
    const fields = readMapping(walk, node, path, field?.offset ?? 0);
    if (!fields) return;
    reportUnknownKeys(walk, fields, RULE_KEYS, path);
    const name = readName(walk, fields, path, offsetOf(node));
    const rule: AlertRuleConfig = { name: name ?? '', channels: readRuleChannels(walk, fields, path, offsetOf(node), channelNames), location: location(walk, offsetOf(node)) };

    const sentiment = fields.get('sentiment');
    if (present(sentiment)) {
      const list = readTextList(walk, sentiment, at(path, 'sentiment'));
      const bad = list.find((s) => !(SENTIMENTS as readonly string[]).includes(s));
      if (bad !== undefined) addProblem(walk, sentiment.offset, prefixed(at(path, 'sentiment'), `expected ${SENTIMENTS.join(', ')}, got "${bad}"`));
      else rule.sentiment = list as AlertRuleConfig['sentiment'];
    }
    const tags = fields.get('tags');
    if (present(tags)) rule.tags = readTextList(walk, tags, at(path, 'tags')).map((t) => t.trim());
    const topicsField = fields.get('topics');
    if (present(topicsField)) {
      const list = readTextList(walk, topicsField, at(path, 'topics')).map((t) => t.trim());
      const unknown = list.find((t) => !topicNames.includes(t));
      if (unknown !== undefined) {
        addProblem(walk, topicsField.offset, prefixed(at(path, 'topics'), `unknown topic "${unknown}"; topics: ${topicNames.join(', ') || '(none configured)'}`));
      } else rule.topics = list;
    }
    const minReach = fields.get('min_reach');
    if (present(minReach)) rule.minReach = readInteger(walk, minReach, at(path, 'min_reach'), 0, MAX_REACH);
    const slaWithin = fields.get('sla_within');
    if (present(slaWithin)) rule.slaWithinSeconds = readDuration(walk, slaWithin, at(path, 'sla_within'));
    const spike = fields.get('spike');
    if (present(spike)) rule.spike = readSpike(walk, spike, at(path, 'spike'));
    const quiet = fields.get('quiet_hours');
    if (present(quiet)) {
      const text = readText(walk, quiet, at(path, 'quiet_hours'));
      if (text !== undefined) {
        try {
          rule.quietHours = parseDailyWindow(text);
        } catch (err) {
          addProblem(walk, quiet.offset, prefixed(at(path, 'quiet_hours'), (err as Error).message));
        }
      }
    }
    const rateLimit = fields.get('rate_limit');
    if (present(rateLimit)) rule.rateLimit = readRateLimit(walk, rateLimit, at(path, 'rate_limit'));

    if (rule.spike && rule.slaWithinSeconds !== undefined) {
      addProblem(walk, offsetOf(node), prefixed(path, 'spike counts mentions per hour and sla_within watches single mentions: make them two rules'));
    }
    const conditions = ['sentiment', 'tags', 'topics', 'min_reach', 'sla_within', 'spike'];
    if (!conditions.some((key) => present(fields.get(key)))) {
      addProblem(walk, offsetOf(node), prefixed(path, `needs a condition: ${conditions.join(', ')}`));
    }
    if (name !== undefined) names.push({ name, offset: fields.get('name')!.offset, path: at(path, 'name') });
    rules.push(rule);
  });
  reportDuplicateNames(walk, names, 'rule');
  return rules;
}

function readRuleChannels(walk: Walk, fields: Fields, path: string, ownerOffset: number, known: string[]): string[] {
  const one = fields.get('channel');
  const many = fields.get('channels');
  if (present(one) && present(many)) {
    addProblem(walk, many.keyOffset, prefixed(path, 'give channel or channels, not both'));
    return [];
  }
  const field = present(one) ? one : many;
  if (!present(field)) {
    addProblem(walk, ownerOffset, prefixed(at(path, 'channel'), `is required (a channel from alerts.channels: ${known.join(', ') || 'none declared'})`));
    return [];
  }
  const names = readTextList(walk, field, at(path, field.key));
  const unknown = names.find((n) => !known.includes(n));
  if (unknown !== undefined) {
    addProblem(walk, field.offset, prefixed(at(path, field.key), `unknown channel "${unknown}"; declared under alerts.channels: ${known.join(', ') || '(none)'}`));
    return [];
  }
  return [...new Set(names)];
}

function readSpike(walk: Walk, field: Field, path: string): AlertRuleConfig['spike'] {
  const fields = readMapping(walk, field.value, path, field.offset);
  if (!fields) return undefined;
  reportUnknownKeys(walk, fields, SPIKE_KEYS, path);
  const factorField = fields.get('factor');
  let factor: number | undefined;
  if (!present(factorField)) addProblem(walk, factorField?.keyOffset ?? field.offset, prefixed(at(path, 'factor'), 'is required: how many times the usual count, e.g. 3'));
  else if (isScalar(factorField.value) && typeof factorField.value.value === 'number' && factorField.value.value > 1 && factorField.value.value <= 1000) {
    factor = factorField.value.value;
  } else expected(walk, factorField.value, at(path, 'factor'), 'a number above 1 (3 = three times the usual count)', factorField.offset);
  const minCount = fields.get('min_count');
  const baselineDays = fields.get('baseline_days');
  const spike = {
    factor: factor ?? 0,
    minCount: (present(minCount) ? readInteger(walk, minCount, at(path, 'min_count'), 1, 1_000_000) : undefined) ?? DEFAULT_SPIKE_MIN_COUNT,
    baselineDays: (present(baselineDays) ? readInteger(walk, baselineDays, at(path, 'baseline_days'), 1, 90) : undefined) ?? DEFAULT_BASELINE_DAYS,
  };
  return factor === undefined ? undefined : spike;
}

/** "10/1h": at most 10 deliveries per channel in any hour. */
function readRateLimit(walk: Walk, field: Field, path: string): AlertRuleConfig['rateLimit'] {
  const text = readText(walk, field, path);
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\S.*)$/.exec(text);
  const hint = 'expected COUNT/DURATION, like "10/1h"';
  if (!match) {
    addProblem(walk, field.offset, prefixed(path, `invalid rate limit "${text}": ${hint}`));
    return undefined;
  }
  const count = Number(match[1]);
  let windowSeconds: number;
  try {
    windowSeconds = parseDuration(match[2]!);
  } catch (err) {
    addProblem(walk, field.offset, prefixed(path, `invalid rate limit "${text}": ${(err as Error).message}`));
    return undefined;
  }
  if (count < 1 || windowSeconds < 1) {
    addProblem(walk, field.offset, prefixed(path, `invalid rate limit "${text}": the count and the duration must be above 0`));
    return undefined;
  }
  return { count, windowSeconds };
}
