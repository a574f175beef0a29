/**
 * Turns a feed body's bytes into text. Feeds in the wild still come in
 * windows-1251, KOI8-R and UTF-16, and servers often send a charset in
 * Content-Type that contradicts the XML declaration, so the bytes are
 * decoded here rather than by the HTTP client (which would assume UTF-8).
 */

const UTF8 = 'utf-8';

/** How many leading bytes may hold the XML declaration (it must come first, and is short). */
const DECLARATION_WINDOW = 512;

/**
 * Decodes a response body. Order: BOM → `charset` in Content-Type → `encoding`
 * in the XML declaration, or for HTML the `<meta>` charset → UTF-8. Labels TextDecoder does not know are skipped,
 * never thrown. One exception to the order: when Content-Type and the XML
 * declaration disagree and the bytes themselves prove Content-Type wrong (it
 * says UTF-8 but they are not valid UTF-8, or the declaration says UTF-8 and
 * they are valid non-ASCII UTF-8), the declaration wins — a misconfigured
 * server default is far more common than a lying document.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const bom = detectBom(bytes);
  if (bom) return decode(bytes.subarray(bom.length), bom.encoding);

  const fromHeader = knownEncoding(charsetFromContentType(contentType));
  const fromDeclaration = knownEncoding(encodingFromXmlDeclaration(bytes) ?? encodingFromHtmlMeta(bytes));
  const encoding = chooseEncoding(bytes, fromHeader, fromDeclaration) ?? UTF8;
  return stripLeadingBom(decode(bytes, encoding));
}

/** The `charset` parameter of a Content-Type header value, unquoted, or null. */
export function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const label = (match?.[1] ?? match?.[2] ?? '').trim();
  return label === '' ? null : label;
}

/** The `encoding` pseudo-attribute of a leading `<?xml ...?>` declaration, or null. */
export function encodingFromXmlDeclaration(bytes: Uint8Array): string | null {
  const head = asciiView(bytes.subarray(0, DECLARATION_WINDOW));
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (match?.[1]) return match[1];
  // A UTF-16 document without a BOM still starts with "<?" in two-byte units.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  return null;
}

/** HTML meta tags may appear this far in (the HTML spec's prescan looks at the first 1024 bytes). */
const META_WINDOW = 1024;

/** `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` near the top of an HTML page. */
export function encodingFromHtmlMeta(bytes: Uint8Array): string | null {
  const head = asciiView(bytes.subarray(0, META_WINDOW));
  const direct = /<meta\s[^>]*?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head);
  return direct?.[1] ?? null;
}

function chooseEncoding(bytes: Uint8Array, fromHeader: string | null, fromDeclaration: string | null): string | null {
  if (!fromHeader || !fromDeclaration || fromHeader === fromDeclaration) return fromHeader ?? fromDeclaration;
  const headerIsUtf8 = fromHeader === UTF8;
  const declarationIsUtf8 = fromDeclaration === UTF8;
  if (headerIsUtf8 && !isValidUtf8(bytes)) return fromDeclaration;
  if (declarationIsUtf8 && !isAscii(bytes) && isValidUtf8(bytes)) return fromDeclaration;
  return fromHeader;
}

/** The canonical WHATWG name for a label (e.g. "cp1251" → "windows-1251"), or null when unknown. */
function knownEncoding(label: string | null): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

function detectBom(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: UTF8, length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

function decode(bytes: Uint8Array, encoding: string): string {
  // ignoreBOM: the BOM was handled (or is stripped below); never let it decide twice.
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

function stripLeadingBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder(UTF8, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte > 0x7f) return false;
  return true;
}

/** Bytes as latin1 text: every byte maps to one char, so ASCII markup can be matched whatever the encoding. */
function asciiView(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}
