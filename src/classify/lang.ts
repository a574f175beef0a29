/**
 * Language guess for mentions whose source states none: Russian or English by the share of
 * Cyrillic and Latin letters. Russian posts routinely carry Latin brand names and links while
 * English posts almost never carry Cyrillic, so a modest Cyrillic share already means Russian.
 *
 * The letters counted are those of the text's words as the tokenizer cuts them: not those of links
 * or emoticons (":D"), nor of the names in @handles and e-mail addresses (a word right after "@" or
 * "_"), which the sentiment walk does not read as words either. The tokenizer counts them as it
 * folds each word (TokenStream.latinLetters), so the guess costs no pass of its own.
 */
import { TokenStream, scanTokens } from './tokenize.js';

export type DetectedLanguage = 'ru' | 'en';

/** Cyrillic share of the letters from which a text counts as Russian, in tenths (integers decide exactly). */
const CYRILLIC_TENTHS_FOR_RUSSIAN = 3;
/** Fewer letters than this say nothing reliable ("ok", "👍"). */
const MIN_LETTERS = 3;

/** 'ru', 'en', or null when the words of a scanned text have too few Cyrillic or Latin letters to tell. */
export function languageOfStream(stream: TokenStream): DetectedLanguage | null {
  const cyrillic = stream.cyrillicLetters;
  const letters = stream.latinLetters + cyrillic;
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
