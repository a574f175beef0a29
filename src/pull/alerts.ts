/**
 * One alert cycle: evaluate the rules against what is stored (queueing new
 * alerts in the database, once per rule, subject and channel), then drain the
 * queue. A channel that is down leaves its rows pending for a later cycle with
 * a growing pause; quiet hours and rate limits hold rows without counting an
 * attempt. Nothing here can fail a pull: problems are returned and logged.
 */
import { maskProfanity } from '../classify/profanity.js';
import type { AlertChannelConfig, AlertRuleConfig, MentionsConfig } from '../config/types.js';
import type { HttpClient, HttpClientOptions } from '../http/client.js';
import type { AlertView } from '../output/alert-message.js';
import { alertRetryDelayMs, detectSpike, inDailyWindow, sameHourWindows, SLA_ALERT_MAX_OVERDUE_MS, slaAlertDue, withinRateLimit } from '../report/alert-rules.js';
import { slaClockOf, slaDeadline, slaTargetSeconds } from '../report/sla.js';
import {
  alertCandidateIds,
  countAlertsByState,
  countMentionsBetween,
  countSentSince,
  dueAlerts,
  enqueueAlerts,
  isMentionUnsettled,
  markAlertAttemptFailed,
  markAlertSent,
  markAlertSkipped,
} from '../store/alerts.js';
import type { AlertRow, MentionAlertFilter, NewAlert } from '../store/alerts.js';
import type { Db } from '../store/db.js';
import { getMention } from '../store/mentions.js';
import { AlertDeliveryError, sendToChannel } from './alert-channels.js';

/**
 * Content rules also look at mentions stored this long before the pull, so
 * mentions stored by a run that stopped before its alert step (a crash, a
 * restart) are caught up by the next; the unique rows keep it to one alert each.
 */
const CONTENT_RULE_LOOKBACK_MS = 3_600_000;

/** A refused message (bad token, 400) is tried this many times in all before the row is marked failed. */
const PERMANENT_FAILURE_ATTEMPTS = 3;

/** Short timeouts and one retry: a channel that is down must not hold up the next pull; the queue retries later. */
const CHANNEL_HTTP: Partial<HttpClientOptions> = {
  retries: 1,
  retryBaseMs: 500,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  totalTimeoutMs: 20_000,
  maxRetryAfterSeconds: 5,
};

export interface AlertCycleOptions {
  db: Db;
  config: MentionsConfig;
  env: Record<string, string | undefined>;
  /** Mentions stored at or after this instant are new for content rules (the pull's start). */
  since: number;
  now?: () => number;
  http?: Partial<HttpClientOptions>;
  /** One line per delivery problem. */
  log?: (line: string) => void;
}

export interface AlertCycleResult {
  queued: number;
  sent: number;
  /** Attempts that failed this cycle (the rows stay pending unless refused for good). */
  failedAttempts: number;
  /** Rows waiting for quiet hours to end or a rate-limit window to pass. */
  held: number;
  /** Rows not sent because their mention was answered or dismissed meanwhile. */
  skipped: number;
  /** Rows pending after the cycle, and rows given up on, in the whole queue. */
  pending: number;
  failed: number;
}

export async function runAlertCycle(options: AlertCycleOptions): Promise<AlertCycleResult> {
  const now = options.now ?? Date.now;
  const queued = evaluateAlertRules(options.db, options.config, options.since, now());
  const delivery = await deliverAlerts(options);
  const counts = countAlertsByState(options.db);
  return { queued, ...delivery, pending: counts.pending, failed: counts.failed };
}

/** Queues alerts for every rule that fires now; returns how many rows are new. */
export function evaluateAlertRules(db: Db, config: MentionsConfig, since: number, now: number): number {
  const alerts: NewAlert[] = [];
  for (const rule of config.alerts.rules) {
    const filter: MentionAlertFilter = { sentiment: rule.sentiment, tags: rule.tags, topics: rule.topics, minReach: rule.minReach };
    const toChannels = (subject: Omit<NewAlert, 'rule' | 'channel'>) => rule.channels.forEach((channel) => alerts.push({ rule: rule.name, channel, ...subject }));
    if (rule.spike) {
      const windows = sameHourWindows(now, config.timezone, rule.spike.baselineDays);
      const current = countMentionsBetween(db, filter, windows.current.from, windows.current.to);
      const baseline = windows.baseline.map((w) => countMentionsBetween(db, filter, w.from, w.to));
      const verdict = detectSpike(current, baseline, rule.spike.factor, rule.spike.minCount);
      if (verdict.spike) {
        toChannels({
          spikeKey: `spike:${windows.hourKey}`,
          details: { hour: windows.hourKey, count: current, median: verdict.median, factor: rule.spike.factor, topics: rule.topics ?? [] },
        });
      }
    } else if (rule.slaWithinSeconds !== undefined) {
      const longestTarget = Math.max(config.sla.defaultSeconds, ...Object.values(config.sla.bySource));
      // In business hours a target can run over a long weekend or holidays: look further back.
      const reachMs = config.sla.hours === 'business' ? BUSINESS_LOOKBACK_MS : 0;
      const createdSince = now - longestTarget * 1000 - reachMs - SLA_ALERT_MAX_OVERDUE_MS;
      const clock = slaClockOf(config);
      for (const id of alertCandidateIds(db, filter, { createdSince })) {
        const mention = getMention(db, id);
        if (!mention) continue;
        const target = slaTargetSeconds(config.sla, { name: mention.source, type: mention.sourceType });
        if (slaAlertDue(slaDeadline(mention.createdAt, target, clock), rule.slaWithinSeconds, now)) toChannels({ mentionId: id });
      }
    } else {
      for (const id of alertCandidateIds(db, filter, { fetchedSince: since - CONTENT_RULE_LOOKBACK_MS })) toChannels({ mentionId: id });
    }
  }
  return alerts.length > 0 ? enqueueAlerts(db, alerts, now) : 0;
}

/** Sends the due rows, oldest first; see the module comment for what holds a row back. */
export async function deliverAlerts(options: AlertCycleOptions): Promise<{ sent: number; failedAttempts: number; held: number; skipped: number }> {
  const { db, config } = options;
  const now = options.now ?? Date.now;
  const result = { sent: 0, failedAttempts: 0, held: 0, skipped: 0 };
  const rows = dueAlerts(db, now());
  if (rows.length === 0) return result;
  const rules = new Map(config.alerts.rules.map((r) => [r.name, r]));
  const channels = new Map(config.alerts.channels.map((c) => [c.name, c]));
  const downThisCycle = new Set<string>();
  let http: HttpClient | null = null;
  try {
    for (const row of rows) {
      const channel = channels.get(row.channel);
      // A channel or rule removed from the config: the row stays pending (listed by `mentions alerts`) until it is back.
      if (!channel || downThisCycle.has(channel.name)) continue;
      // Answered or dismissed while the alert waited (quiet hours, a rate limit, a channel down): nobody needs it now.
      if (row.mentionId !== null && !isMentionUnsettled(db, row.mentionId)) {
        markAlertSkipped(db, row.id, 'the mention was answered or dismissed before delivery');
        result.skipped++;
        continue;
      }
      const rule = rules.get(row.rule);
      if (rule && isHeld(db, rule, row, config.timezone, now())) {
        result.held++;
        continue;
      }
      const view = alertView(db, config, row, now());
      if (!view) continue;
      if (!http && channel.type !== 'command') {
        const { HttpClient } = await import('../http/client.js');
        http = new HttpClient({ ...CHANNEL_HTTP, ...options.http });
      }
      try {
        await sendToChannel(channel, view, { http: http as HttpClient, env: options.env });
        markAlertSent(db, row.id, now());
        result.sent++;
      } catch (err) {
        const failure = err instanceof AlertDeliveryError ? err : new AlertDeliveryError(String(err), false);
        const attempts = row.attempts + 1;
        const givingUp = failure.permanent && attempts >= PERMANENT_FAILURE_ATTEMPTS;
        markAlertAttemptFailed(db, row.id, failure.message, givingUp ? null : now() + alertRetryDelayMs(attempts));
        result.failedAttempts++;
        if (!failure.permanent) downThisCycle.add(channel.name);
        options.log?.(`alert ${row.id} (rule ${row.rule}) to ${describeChannel(channel)}: ${failure.message}${givingUp ? '; giving up' : '; will retry'}`);
      }
    }
  } finally {
    await (http as HttpClient | null)?.close();
  }
  return result;
}

function describeChannel(channel: AlertChannelConfig): string {
  return `channel "${channel.name}" (${channel.type})`;
}

function isHeld(db: Db, rule: AlertRuleConfig, row: AlertRow, timeZone: string, now: number): boolean {
  if (rule.quietHours && inDailyWindow(now, rule.quietHours, timeZone)) return true;
  if (!rule.rateLimit) return false;
  const sent = countSentSince(db, rule.name, row.channel, now - rule.rateLimit.windowSeconds * 1000);
  return !withinRateLimit(sent, rule.rateLimit);
}

/** What the message shows, read at sending so the SLA time left is current. Null when the mention is gone. */
function alertView(db: Db, config: MentionsConfig, row: AlertRow, now: number): AlertView | null {
  if (row.spikeKey !== null) {
    const d = row.details ?? {};
    return {
      kind: 'spike',
      rule: row.rule,
      hour: String(d['hour'] ?? row.spikeKey.replace(/^spike:/, '')),
      count: Number(d['count'] ?? 0),
      median: Number(d['median'] ?? 0),
      factor: Number(d['factor'] ?? 0),
      topics: Array.isArray(d['topics']) ? (d['topics'] as unknown[]).map(String) : [],
    };
  }
  const mention = row.mentionId === null ? null : getMention(db, row.mentionId);
  if (!mention) return null;
  const target = slaTargetSeconds(config.sla, { name: mention.source, type: mention.sourceType });
  const deadline = slaDeadline(mention.createdAt, target, slaClockOf(config)) ?? mention.createdAt + target * 1000;
  return {
    kind: 'mention',
    rule: row.rule,
    mentionId: mention.id,
    source: mention.source,
    url: mention.url,
    author: mention.author,
    authorReach: mention.authorReach,
    // Alerts land in a shared channel: profanity masked, as in every view for people.
    title: mention.title === null ? null : maskProfanity(mention.title),
    text: maskProfanity(mention.text),
    sentiment: mention.sentiment,
    tags: mention.tags,
    topics: mention.topics,
    createdAt: mention.createdAt,
    slaRemainingMs: deadline - now,
  };
}

/** Up to two weeks of holidays between a mention and its business-hours deadline (Russian New Year: ten days). */
const BUSINESS_LOOKBACK_MS = 14 * 24 * 3_600_000;
