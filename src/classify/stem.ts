/**
 * Word stems for morphology-aware matching: "клинер" finds "клинера", "клинеру",
 * "клинеры"; "refund" finds "refunds", "refunded". The Snowball algorithms for
 * Russian and English (Porter2), as ported by nlp.js (MIT, AXA Group Operations),
 * pick the language by the word's script. Words are already folded by the
 * tokenizer (lower case, ё → е).
 */
import { createRequire } from 'node:module';
import type StemmerEn from '@nlpjs/lang-en-min/src/stemmer-en.js';
import type StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';

// The stemmers are loaded on the first word to stem, not with this module: with nlp.js's core they
// are ~10 ms of start-up that commands which only mask profanity in what they print never need.
const require = createRequire(import.meta.url);
let russianStemmer: StemmerRu | null = null;
let englishStemmer: StemmerEn | null = null;

function russian(): StemmerRu {
  russianStemmer ??= new (require('@nlpjs/lang-ru/src/stemmer-ru.js') as typeof StemmerRu)();
  return russianStemmer;
}

function english(): StemmerEn {
  englishStemmer ??= new (require('@nlpjs/lang-en-min/src/stemmer-en.js') as typeof StemmerEn)();
  return englishStemmer;
}

/** Words shorter than this are left as they are: stemming "мтс" or "ups" only adds false matches. */
const MIN_STEM_INPUT = 4;
/** Bounded memo: mentions repeat their vocabulary heavily, but a bulk re-classification must not grow without end. */
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

/** A Cyrillic letter of a folded word (the stemmers' script, and the language guess's). */
export function isCyrillic(code: number): boolean {
  return code >= 0x400 && code <= 0x4ff;
}

/** A Latin letter of a folded word: lower case, so A–Z and À–Þ do not occur (nor ÷, not a word character). */
export function isLatin(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0xdf && code <= 0x24f);
}

/** The stem of a folded word; the word itself when it is short, mixed-script, or has digits. */
export function stemOf(word: string): string {
  if (word.length < MIN_STEM_INPUT) return word;
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const stem = computeStem(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stem);
  return stem;
}

function computeStem(word: string): string {
  let cyrillic = 0;
  let latin = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (isCyrillic(code)) cyrillic++;
    else if (isLatin(code)) latin++;
    else if (code !== 0x27) return word;
  }
  const stemmer = cyrillic === word.length ? russian() : latin + countApostrophes(word) === word.length ? english() : null;
  if (!stemmer) return word;
  stemmer.setCurrent(word);
  stemmer.innerStem();
  const stem = stemmer.getCurrent();
  return stem.length > 0 ? stem : word;
}

function countApostrophes(word: string): number {
  let n = 0;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) === 0x27) n++;
  return n;
}
