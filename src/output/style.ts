import type { ChalkInstance } from 'chalk';

/**
 * No colour: every style is the identity, chained or called (`style.bold.red(text)` is `text`), with
 * chalk's API but without loading chalk, which costs more start-up than a plain command needs.
 */
export const PLAIN_STYLE: ChalkInstance = new Proxy(function plain() {}, {
  // Not a thenable: `await createStyle(...)` must not mistake it for a promise.
  get: (_target, property) => (property === 'then' ? undefined : property === 'level' ? 0 : PLAIN_STYLE),
  apply: (_target, _this, args: unknown[]) => args.join(' '),
}) as unknown as ChalkInstance;

/**
 * Colour only for people: on a terminal, and not when NO_COLOR is set or
 * --no-color was given. Cron and pipes get plain text (and chalk is never loaded).
 */
export async function createStyle(options: { color: boolean }): Promise<ChalkInstance> {
  if (!options.color) return PLAIN_STYLE;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}

export function wantsColor(stream: NodeJS.WriteStream, flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}
