/**
 * Language guess for mentions whose source states none: Russian or English by the share of
 * Cyrillic and Latin letters. Russian posts routinely carry Latin brand names and links while
 * English posts almost never carry Cyrillic, so a modest Cyrillic share already means Russian.
 *
 * The letters counted are those of the text's words as the tokenizer cuts them: not those of links
 * or emoticons (":D"), nor of the names in @handles and e-mail addresses (a word right after "@" or
 * "_"), which the sentiment walk does not read as words either. Counting over the scanned words
 * costs a number per word, kept by word id, instead of a second pass over every character.
 */
import { isCyrillic, isLatin } from './stem.js';
import { K_WORD, TokenStream, isNameMark, normAt, scanTokens } from './tokenize.js';
import { MAX_WORDS, MAX_WORD_LENGTH, vocabularyGeneration } from './vocabulary.js';

export type DetectedLanguage = 'ru' | 'en';

/** Cyrillic share of the letters from which a text counts as Russian, in tenths (integers decide exactly). */
const CYRILLIC_TENTHS_FOR_RUSSIAN = 3;
/** Fewer letters than this say nothing reliable ("ok", "👍"). */
const MIN_LETTERS = 3;

/**
 * Per word id, the letters of the word: Latin ones in the low LETTER_BITS, Cyrillic ones in the
 * next, and COUNTED above them (0: not counted yet). A numbered word has at most MAX_WORD_LENGTH
 * characters, so each count fits. Emptied when the vocabulary starts again (its ids then stand for
 * other words).
 */
const LETTER_BITS = 7;
const LETTER_MASK = (1 << LETTER_BITS) - 1;
const COUNTED = 1 << (2 * LETTER_BITS);
if (MAX_WORD_LENGTH > LETTER_MASK) throw new Error('lang: a numbered word may have more letters than a count holds');
const lettersById = new Uint16Array(MAX_WORDS);
let lettersGeneration = vocabularyGeneration();

/** The letters of word[from, to), packed as in lettersById; at most LETTER_MASK characters. */
function lettersOf(word: string, from: number, to: number): number {
  let latin = 0;
  let cyrillic = 0;
  for (let k = from; k < to; k++) {
    const code = word.charCodeAt(k);
    if (isLatin(code)) latin++;
    else if (isCyrillic(code)) cyrillic++;
  }
  return COUNTED | (cyrillic << LETTER_BITS) | latin;
}

/** 'ru', 'en', or null when the words of a scanned text have too few Cyrillic or Latin letters to tell. */
export function languageOfStream(stream: TokenStream): DetectedLanguage | null {
  if (lettersGeneration !== vocabularyGeneration()) {
    lettersById.fill(0);
    lettersGeneration = vocabularyGeneration();
  }
  const text = stream.text;
  let latin = 0;
  let cyrillic = 0;
  for (let t = 0; t < stream.count; t++) {
    if (stream.kind[t] !== K_WORD) continue;
    const start = stream.start[t]!;
    if (start > 0 && isNameMark(text.charCodeAt(start - 1))) continue;
    const id = stream.word[t]!;
    if (id < 0) {
      // Too long to number: counted now, a packed number's worth of characters at a time.
      const word = normAt(stream, t);
      for (let from = 0; from < word.length; from += LETTER_MASK) {
        const letters = lettersOf(word, from, Math.min(from + LETTER_MASK, word.length));
        latin += letters & LETTER_MASK;
        cyrillic += (letters >> LETTER_BITS) & LETTER_MASK;
      }
      continue;
    }
    let letters = lettersById[id]!;
    if (letters === 0) {
      const word = normAt(stream, t);
      lettersById[id] = letters = lettersOf(word, 0, word.length);
    }
    latin += letters & LETTER_MASK;
    cyrillic += (letters >> LETTER_BITS) & LETTER_MASK;
  }
  const letters = latin + cyrillic;
  if (letters < MIN_LETTERS) return null;
  return 10 * cyrillic >= CYRILLIC_TENTHS_FOR_RUSSIAN * letters ? 'ru' : 'en';
}

// Reused by detectLanguage, which is synchronous and not re-entrant.
const detectStream = new TokenStream();

/** The language of a text by its words (see languageOfStream): scans it first. */
export function detectLanguage(text: string): DetectedLanguage | null {
  scanTokens(text, detectStream);
  return languageOfStream(detectStream);
}
