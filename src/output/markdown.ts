import { safeLink } from './sanitize.js';

/**
 * Untrusted text inside Markdown: escape the characters that would start
 * formatting, links, HTML or table cells, and drop controls, so a post
 * cannot inject links, images or markup into a report.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~-]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .trim();
}

/** A link only when http(s); the visible text escaped. */
export function markdownLink(label: string, url: string | null): string {
  const safe = safeLink(url);
  if (!safe) return markdownText(label);
  return `[${markdownText(label)}](<${safe.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}
