/** Small text helpers every adapter uses for API messages and encoded fields. */

/** `text` cut to `max` characters, the last one an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An API's message on one short line, for a one-line error. */
export function oneLine(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), 160);
}

/** The five entities XML predefines. */
export const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes numeric character references and the `named` entities; any other
 * reference, and one naming an invalid code point, stays literal.
 */
export function decodeCharacterReferences(text: string, named: Readonly<Record<string, string>> = XML_ENTITIES): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[\dA-Fa-f]+|#\d+|[A-Za-z]+);/g, (reference, name: string) => {
    if (name[0] !== '#') return named[name] ?? reference;
    const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    const usable = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return usable ? String.fromCodePoint(codePoint) : reference;
  });
}
