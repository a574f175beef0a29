/**
 * Language guess for mentions whose source states none: Russian or English by the share of
 * Cyrillic and Latin letters. Russian posts routinely carry Latin brand names and links while
 * English posts almost never carry Cyrillic, so a modest Cyrillic share already means Russian.
 */

export type DetectedLanguage = 'ru' | 'en';

/** Cyrillic share of the letters from which a text counts as Russian, in tenths (integers decide exactly). */
const CYRILLIC_TENTHS_FOR_RUSSIAN = 3;
/** Characters read between two looks at whether the rest of the text can still change the answer. */
const CHUNK = 16;
/** Fewer letters than this say nothing reliable ("ok", "👍"). */
const MIN_LETTERS = 3;

/**
 * What each character below U+0500 counts for: a Latin letter (1), a Cyrillic one (2); 4 marks
 * whitespace (code ≤ 0x20), 8 a character that may start a handle or link ("@", "h", "w").
 * One table read a character instead of a chain of range tests keeps the loop free of branches
 * the processor would mispredict at every word boundary.
 */
const LATIN = 1;
const CYRILLIC = 2;
const SPACE = 4;
const MAY_SKIP = 8;
const CLASS_END = 0x500;
const CHAR_CLASS = new Uint8Array(CLASS_END);
for (let code = 0; code < CLASS_END; code++) {
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)) CHAR_CLASS[code] = LATIN;
  else if (code >= 0x400) CHAR_CLASS[code] = CYRILLIC;
  else if (code <= 0x20) CHAR_CLASS[code] = SPACE;
}
CHAR_CLASS[0x40] = MAY_SKIP;
CHAR_CLASS[0x68] = LATIN | MAY_SKIP;
CHAR_CLASS[0x77] = LATIN | MAY_SKIP;

/** 'ru', 'en', or null when the text has too few Cyrillic or Latin letters to tell. Links and @handles are ignored. */
export function detectLanguage(text: string): DetectedLanguage | null {
  let cyrillic = 0;
  let latin = 0;
  // Inside a handle or link, which runs to the next whitespace: its letters do not count.
  let skipping = 0;
  // The previous character was whitespace (or there was none): a handle or link may start here.
  let atChunkStart = SPACE;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const chunkEnd = Math.min(i + CHUNK, length);
    for (; i < chunkEnd; i++) {
      const code = text.charCodeAt(i);
      const kind = code < CLASS_END ? CHAR_CLASS[code]! : 0;
      if ((kind & MAY_SKIP) !== 0 && atChunkStart !== 0 && startsHandleOrLink(text, i, code)) skipping = 1;
      const counted = kind & ~(skipping * 0xff);
      latin += counted & LATIN;
      cyrillic += (counted & CYRILLIC) >> 1;
      atChunkStart = kind & SPACE;
      // Whitespace ends a handle or link.
      skipping &= (atChunkStart >> 2) ^ 1;
    }
    // Each character left adds at most one letter: once no rest could change the answer, it is
    // given (the same answer as reading to the end). A Russian text is decided about a third of
    // the way in, an English one about three quarters.
    const letters = cyrillic + latin;
    if (letters >= MIN_LETTERS && i < length) {
      const rest = length - i;
      if (10 * cyrillic >= CYRILLIC_TENTHS_FOR_RUSSIAN * (letters + rest)) return 'ru';
      if (10 * (cyrillic + rest) < CYRILLIC_TENTHS_FOR_RUSSIAN * (letters + rest)) return 'en';
    }
  }
  const letters = cyrillic + latin;
  if (letters < MIN_LETTERS) return null;
  return 10 * cyrillic >= CYRILLIC_TENTHS_FOR_RUSSIAN * letters ? 'ru' : 'en';
}

function startsHandleOrLink(text: string, at: number, code: number): boolean {
  return code === 0x40 || (code === 0x68 && text.startsWith('http', at)) || (code === 0x77 && text.startsWith('www.', at));
}
