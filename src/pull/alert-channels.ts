/**
 * Sending one alert to one channel: Slack incoming webhook, Telegram Bot API
 * sendMessage, a generic JSON webhook, or a local command that reads the JSON
 * on stdin. Secrets are resolved from the environment here, at send time, and
 * never appear in errors: HTTP errors name the host only, env errors the variable.
 */
import { spawn } from 'node:child_process';
import { resolveEnvRefs } from '../config/env.js';
import type { AlertChannelConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import type { HttpClient } from '../http/client.js';
import { HttpError, isTransient } from '../http/errors.js';
import { alertPayload, slackMessage, telegramMessage } from '../output/alert-message.js';
import type { AlertView } from '../output/alert-message.js';
import { terminalSafeLine, truncate } from '../output/sanitize.js';

const DEFAULT_TELEGRAM_API = 'https://api.telegram.org';
const COMMAND_TIMEOUT_MS = 30_000;
const ERROR_DETAIL_CHARS = 200;

/** A delivery failed; `permanent` when sending the same again cannot work (a bad token, a 400, a missing program). */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface ChannelContext {
  http: HttpClient;
  env: Record<string, string | undefined>;
}

export async function sendToChannel(channel: AlertChannelConfig, view: AlertView, context: ChannelContext): Promise<void> {
  try {
    switch (channel.type) {
      case 'slack':
        return await postJson(context, resolved(channel, channel.url, context.env), slackMessage(view));
      case 'webhook':
        return await postJson(context, resolved(channel, channel.url, context.env), alertPayload(view));
      case 'telegram':
        return await sendTelegram(channel, view, context);
      case 'command':
        return await runCommand(channel, view, context.env);
    }
  } catch (err) {
    throw asDeliveryError(err);
  }
}

function resolved(channel: AlertChannelConfig, value: string | undefined, env: Record<string, string | undefined>): string {
  if (value === undefined) throw new AlertDeliveryError(`channel "${channel.name}" is incomplete in the config`, true);
  return resolveEnvRefs(value, env, `${channel.location}: alerts channel "${channel.name}"`) as string;
}

async function postJson(context: ChannelContext, url: string, body: unknown): Promise<void> {
  await context.http.fetch({ url, method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
}

async function sendTelegram(channel: AlertChannelConfig, view: AlertView, context: ChannelContext): Promise<void> {
  const token = resolved(channel, channel.botToken, context.env);
  const base = (channel.apiUrl ? resolved(channel, channel.apiUrl, context.env) : DEFAULT_TELEGRAM_API).replace(/\/+$/, '');
  let response;
  try {
    response = await context.http.fetch({
      url: `${base}/bot${token}/sendMessage`,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ chat_id: channel.chatId, ...telegramMessage(view) }),
      authHint: `the bot token of channel "${channel.name}"`,
    });
  } catch (err) {
    // The Bot API explains a refusal in the body ("Bad Request: chat not found"); it never echoes the token.
    const description = err instanceof HttpError && err.response ? telegramDescription(err.response.body) : null;
    if (description && err instanceof HttpError) throw new AlertDeliveryError(`${err.message}: ${description}`, !isTransient(err));
    throw err;
  }
  const description = telegramDescription(response.body);
  if (description !== null) throw new AlertDeliveryError(`Telegram refused the message: ${description}`, true);
}

/** The Bot API's `description` when `ok` is false, cleaned for a log line; null when the call succeeded. */
function telegramDescription(body: Uint8Array): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { ok?: boolean; description?: unknown };
    if (parsed.ok === true) return null;
    return truncate(terminalSafeLine(String(parsed.description ?? 'no description')), ERROR_DETAIL_CHARS);
  } catch {
    return 'the answer was not Bot API JSON';
  }
}

function runCommand(channel: AlertChannelConfig, view: AlertView, env: Record<string, string | undefined>): Promise<void> {
  const argv = (channel.command ?? []).map((arg) => resolved(channel, arg, env));
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new AlertDeliveryError(`channel "${channel.name}" has no command`, true));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'], env: env as NodeJS.ProcessEnv, timeout: COMMAND_TIMEOUT_MS });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT' || err.code === 'EACCES';
      reject(new AlertDeliveryError(`command "${terminalSafeLine(program)}" could not run: ${err.code ?? err.message}`, missing));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const detail = truncate(terminalSafeLine(stderr), ERROR_DETAIL_CHARS);
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      reject(new AlertDeliveryError(`command "${terminalSafeLine(program)}" ${how}${detail ? `: ${detail}` : ''}`, false));
    });
    // A command that exits without reading its input is its own business; the exit code decides.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify(alertPayload(view))}\n`);
  });
}

function asDeliveryError(err: unknown): AlertDeliveryError {
  if (err instanceof AlertDeliveryError) return err;
  if (err instanceof HttpError) return new AlertDeliveryError(err.message, !isTransient(err) && err.kind !== 'dns' && err.kind !== 'refused');
  if (err instanceof ConfigError) return new AlertDeliveryError(err.message, true);
  return new AlertDeliveryError(err instanceof Error ? `${err.name}: ${err.message}` : String(err), false);
}
