/**
 * Language guess for mentions whose source states none: Russian or English by the share of
 * Cyrillic and Latin letters. Russian posts routinely carry Latin brand names and links while
 * English posts almost never carry Cyrillic, so a modest Cyrillic share already means Russian.
 */

export type DetectedLanguage = 'ru' | 'en';

/** Cyrillic share of the letters from which a text counts as Russian. */
const CYRILLIC_SHARE_FOR_RUSSIAN = 0.3;
/** Fewer letters than this say nothing reliable ("ok", "👍"). */
const MIN_LETTERS = 3;

/** 'ru', 'en', or null when the text has too few Cyrillic or Latin letters to tell. Links and @handles are ignored. */
export function detectLanguage(text: string): DetectedLanguage | null {
  let cyrillic = 0;
  let latin = 0;
  let skipping = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20) {
      skipping = false;
      continue;
    }
    if (skipping) continue;
    if (code === 0x40 || (code === 0x68 && text.startsWith('http', i)) || (code === 0x77 && text.startsWith('www.', i))) {
      // A handle or a link runs to the next whitespace.
      if (i === 0 || text.charCodeAt(i - 1) <= 0x20) {
        skipping = true;
        continue;
      }
    }
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)) {
      latin++;
    } else if (code >= 0x400 && code <= 0x4ff) {
      cyrillic++;
    }
  }
  const letters = cyrillic + latin;
  if (letters < MIN_LETTERS) return null;
  return cyrillic / letters >= CYRILLIC_SHARE_FOR_RUSSIAN ? 'ru' : 'en';
}
