/**
 * Untrusted text (posts, author names, URLs) must never act on the terminal.
 * These strip escape sequences (CSI, OSC incl. OSC 8 links and title setting,
 * DCS/SOS/PM/APC strings, lone ESC), C0/C1 controls and bidirectional
 * overrides that could make a line read differently from what it is.
 */

// ESC [ ... final byte; ESC ] ... BEL or ST; ESC P/X/^/_ ... ST; other two-byte ESC sequences.
// Written without nested quantifiers so it runs in linear time on hostile input.
const ESCAPE_SEQUENCE =
  /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?/g;
const CONTROLS_KEEP_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROLS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
// LRE RLE PDF LRO RLO, LRI RLI FSI PDI, and the invisible marks that pair with them.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Text safe to print on a terminal; newlines kept (for `show`). */
export function terminalSafe(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(CONTROLS_KEEP_NEWLINES, '')
    .replace(BIDI_CONTROLS, '');
}

/** Text safe to print in one table cell or log line: newlines and tabs become spaces. */
export function terminalSafeLine(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROLS_ALL, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Shortens to at most `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Title and text as one line, shortened to `max` characters: the queue's and reports' one-line view. */
export function snippet(m: { title: string | null; text: string }, max: number): string {
  return truncate([m.title, m.text].filter((p) => p && p.trim()).join(' — ').replace(/\s+/g, ' ').trim(), max);
}

/** Only http(s) links are shown or linked; anything else (javascript:, data:, file:) is dropped. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}
