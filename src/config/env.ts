import { ConfigError } from './types.js';

/**
 * `${NAME}` references to environment variables, so secrets (tokens, feed
 * keys) stay out of the config file. `$${` is a literal `${`.
 *
 * Messages name the variable, never a value: resolved strings may be secrets.
 */

/** A reference, or the `$${` escape (group 1 empty). */
const REFERENCE_PATTERN = /\$\$\{|\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Any `${` that is not escaped, to find malformed references like `${vk_token}` or `${TOKEN`. */
const OPENING_PATTERN = /\$\$\{|\$\{([^}]*)(\}?)/g;

export function resolveEnvRefs(value: unknown, env: Record<string, string | undefined>, where: string): unknown {
  if (typeof value === 'string') return resolveString(value, env, where);
  if (Array.isArray(value)) return value.map((item) => resolveEnvRefs(item, env, where));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveEnvRefs(item, env, where)]));
  }
  return value;
}

/** Names referenced anywhere in `value`, each once, in order of first appearance. */
export function listEnvRefs(value: unknown): string[] {
  const names = new Set<string>();
  collectRefs(value, names);
  return [...names];
}

/**
 * The first malformed reference in `text`, with why, or null. Such text would
 * otherwise be sent literally, which is never what was meant.
 */
export function findMalformedEnvRef(text: string): string | null {
  for (const match of text.matchAll(OPENING_PATTERN)) {
    if (match[0] === '$${') continue;
    const [whole, name = '', closing] = match;
    if (!closing) return `"${whole}" has no closing "}" (write $\${ for a literal \${)`;
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) {
      return `"${whole}" is not a valid variable reference: names are upper-case letters, digits and _ (write $\${ for a literal \${)`;
    }
  }
  return null;
}

function resolveString(text: string, env: Record<string, string | undefined>, where: string): string {
  return text.replace(REFERENCE_PATTERN, (_whole, name: string | undefined) => {
    if (name === undefined) return '${';
    const resolved = env[name];
    if (resolved === undefined) {
      throw new ConfigError(`${where}: environment variable ${name} is not set (referenced as \${${name}})`);
    }
    if (resolved === '') {
      throw new ConfigError(`${where}: environment variable ${name} is empty (referenced as \${${name}})`);
    }
    return resolved;
  });
}

function collectRefs(value: unknown, names: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE_PATTERN)) if (match[1] !== undefined) names.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, names);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) collectRefs(item, names);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
