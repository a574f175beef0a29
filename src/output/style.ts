import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';

/**
 * Colour only for people: on a terminal, and not when NO_COLOR is set or
 * --no-color was given. Cron and pipes get plain text.
 */
export function createStyle(options: { color: boolean }): ChalkInstance {
  return new Chalk({ level: options.color ? 1 : 0 });
}

export function wantsColor(stream: NodeJS.WriteStream, flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}
