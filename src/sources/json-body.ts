import { charsetFromContentType, decodeBody } from './charset.js';
import type { FetchedResponse } from './types.js';
import { SourceFormatError } from './types.js';

/**
 * Parses a JSON API response. A 200 that is really an HTML block or login
 * page (Reddit's "whoa there", captive portals) is named as such instead of
 * surfacing as a JSON syntax error at position 0.
 */
export function parseJsonBody(response: FetchedResponse, what: string): unknown {
  const contentType = response.headers['content-type'] ?? null;
  const text = decodeBody(response.body, contentType && charsetFromContentType(contentType) ? contentType : 'application/json; charset=utf-8');
  const head = text.trimStart().slice(0, 200).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    throw new SourceFormatError(`${what} answered with an HTML page instead of JSON (blocked, or a login page?)`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SourceFormatError(`${what} sent invalid JSON: ${(err as Error).message}`);
  }
}

/** A plain object (not null, not an array), for walking untrusted JSON safely. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function numberField(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** `base` with `params` set in its query string; null/undefined params are left out. */
export function withQuery(base: string, params: Record<string, string | number | null | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** The JSON of an error response, or null when it is not JSON (explainError must never throw). */
export function jsonOfErrorBody(response: FetchedResponse): unknown {
  try {
    return JSON.parse(decodeBody(response.body, response.headers['content-type'] ?? 'application/json; charset=utf-8')) as unknown;
  } catch {
    return null;
  }
}
