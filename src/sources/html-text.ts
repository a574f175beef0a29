import { Parser } from 'htmlparser2';

/** Elements whose content is never readable text. */
const SKIPPED_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'object', 'svg', 'math']);

/** Elements that start a new line in rendered text, so words on either side never run together. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li',
  'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead',
  'tr', 'ul',
]);

/** Horizontal whitespace, including no-break and other Unicode spaces. */
const INLINE_SPACE = /[^\S\n]+/g;

/**
 * The readable text of an HTML fragment: tags dropped, entities decoded,
 * scripts and styles removed, one line per block, runs of whitespace
 * collapsed to one space, blank lines dropped, trimmed.
 */
export function htmlToText(html: string): string {
  const chunks: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth++;
        else if (BLOCK_ELEMENTS.has(name)) chunks.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) chunks.push('\n');
      },
      ontext(text) {
        // Newlines inside text are source formatting, not line breaks.
        if (skipDepth === 0) chunks.push(text.replace(/\s+/g, ' '));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return collapseWhitespace(chunks.join(''));
}

/** Collapses horizontal whitespace, trims every line and drops empty lines. */
export function collapseWhitespace(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(INLINE_SPACE, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * An absolute http(s) URL, resolved against `base` when relative, or null for
 * anything else (javascript:, data:, mailto:, garbage). Feeds are untrusted
 * input and these links end up clickable in reports.
 */
export function safeHttpUrl(raw: string | undefined | null, base?: string): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
