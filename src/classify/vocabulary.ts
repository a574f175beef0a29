/**
 * The words met so far, each folded once and numbered. The tokenizer folds and hashes a word's
 * characters as it scans them, looks the word up here by those codes (no substring, no lower-casing
 * of the whole text), and gets back an id; the folded string is made only the first time a word is
 * met. What the lexicons and rule sets know about a word depends on its folded form alone, so they
 * keep it per id (a word memo): a word met before costs an array read, not a trie walk or a hash of
 * a string.
 *
 * Mentions repeat their vocabulary heavily (a day's mentions use a few thousand distinct words),
 * yet a bulk re-classification must not grow without end: at MAX_WORDS words the vocabulary starts
 * again empty, and every word memo with it. That happens only when a text starts (beginText), so the
 * ids of the text being classified stay valid while it is classified.
 */

/**
 * Words kept before the vocabulary starts again. The lexicons and rules number ~7,000 words as they
 * compile; the benchmark's texts bring ~83,000 more. At 2^16 that total passed the limit, and the
 * vocabulary started again every pass with all its memos (measured: 188,000 → 128,000 texts/s).
 */
export const MAX_WORDS = 1 << 17;
/** Longer words are not numbered (id -1): consumers then work from the word's string. */
export const MAX_WORD_LENGTH = 64;
/** Characters of all words together: ~8 per word on average leaves room. */
const MAX_CHARS = MAX_WORDS * 16;

const SLOTS = MAX_WORDS * 2;
const SLOT_MASK = SLOTS - 1;

/**
 * Hash table, four numbers a slot: the word's hash, its id (-1: empty slot), where its folded
 * characters start in `chars`, and how many there are. A lookup reads one slot's 16 bytes and the
 * characters: the table is megabytes, and for a large vocabulary each separate array read would
 * be a cache miss of its own.
 */
const SLOT_HASH = 0;
const SLOT_ID = 1;
const SLOT_START = 2;
const SLOT_LENGTH = 3;
const slots = new Int32Array(SLOTS * 4);
const chars = new Uint16Array(MAX_CHARS);
let wordCount = 0;
let charCount = 0;

/**
 * Per word id, a row of ROW cells: the folded word, then one cell per word memo. A word's row is
 * read when its token is scanned (its text), so what the memos keep for it is then in the same
 * cache line: for a vocabulary of tens of thousands of words, separate arrays cost a cache miss
 * each per rare word.
 */
const ROW = 4;
const rows: unknown[] = new Array<unknown>(MAX_WORDS * ROW).fill(undefined);
let memosMade = 0;

/**
 * The folded characters of the word being looked up: the tokenizer writes them here. This module
 * reads them as `scratch`: an exported binding lives in a module cell that optimized code loads, and
 * checks for being initialised, at every use, which in a per-character loop costs more than the work.
 */
const scratch = new Uint16Array(MAX_WORD_LENGTH);
export const wordScratch = scratch;

/** One step of the word hash (FNV-1a's multiplier over UTF-16 code units). */
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** Starts a text: empties the vocabulary, and every word memo, when it has no room for another text. */
export function beginText(textLength: number): void {
  if (wordCount + textLength < MAX_WORDS && charCount + textLength <= MAX_CHARS) return;
  emptySlots();
  rows.fill(undefined, 0, wordCount * ROW);
  wordCount = 0;
  charCount = 0;
  generation++;
}

let generation = 0;

/**
 * How many times the vocabulary has started again: a memo by word id kept outside the rows (one
 * per QuerySet, of which there may be many) compares it to know its ids still stand for its words.
 */
export function vocabularyGeneration(): number {
  return generation;
}

/**
 * The id of the word whose `length` folded characters are in wordScratch, with `hash` over them
 * (hashStep from 0); numbered if new. The caller keeps length ≤ MAX_WORD_LENGTH. beginText keeps
 * room for every word of a text, unless the text alone is longer than the vocabulary: then -1.
 */
export function wordIdOfScratch(hash: number, length: number): number {
  let at = ((hash ^ (hash >>> 15)) & SLOT_MASK) << 2;
  for (;;) {
    const id = slots[at + SLOT_ID]!;
    if (id === -1) break;
    if (slots[at + SLOT_HASH] === hash && slots[at + SLOT_LENGTH] === length && sameChars(slots[at + SLOT_START]!, length)) return id;
    at = (at + 4) & ((SLOT_MASK << 2) | 3);
  }
  // Only a text longer than the whole vocabulary can get here: its further words go unnumbered.
  if (wordCount >= MAX_WORDS || charCount + length > MAX_CHARS) return -1;
  const id = wordCount++;
  slots[at + SLOT_HASH] = hash;
  slots[at + SLOT_ID] = id;
  slots[at + SLOT_START] = charCount;
  slots[at + SLOT_LENGTH] = length;
  chars.set(scratch.subarray(0, length), charCount);
  charCount += length;
  rows[id * ROW] = String.fromCharCode.apply(null, scratch.subarray(0, length) as unknown as number[]);
  return id;
}

/** The id of an already folded word, numbered if new; -1 when longer than MAX_WORD_LENGTH. */
export function wordIdOf(word: string): number {
  const length = word.length;
  if (length > MAX_WORD_LENGTH) return -1;
  let hash = 0;
  for (let k = 0; k < length; k++) {
    const code = word.charCodeAt(k);
    scratch[k] = code;
    hash = hashStep(hash, code);
  }
  return wordIdOfScratch(hash, length);
}

function emptySlots(): void {
  for (let at = SLOT_ID; at < slots.length; at += 4) slots[at] = -1;
}
emptySlots();

function sameChars(at: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (chars[at + k] !== scratch[k]) return false;
  return true;
}

/** The folded word of an id. */
export function wordText(id: number): string {
  return rows[id * ROW] as string;
}

/**
 * A per-word memo: what one lexicon or rule set learned about each word, by id (undefined: not
 * yet asked); emptied when the vocabulary starts again. Only module-level consumers make one (each
 * keeps its cell of every word's row for good).
 */
export class WordMemo<T> {
  constructor(private readonly cell: number) {}

  /** The value for word `id` (≥ 0), whose folded text is `word`: kept, or computed now and kept. */
  of(id: number, word: string, compute: (word: string) => T): T {
    const at = id * ROW + this.cell;
    let value = rows[at] as T | undefined;
    if (value === undefined) {
      value = compute(word);
      rows[at] = value;
    }
    return value;
  }

  /** Forgets every word's value: what it was computed from has changed. */
  clear(): void {
    for (let id = 0; id < wordCount; id++) rows[id * ROW + this.cell] = undefined;
  }
}

export function wordMemo<T>(): WordMemo<T> {
  if (memosMade === ROW - 1) throw new Error(`vocabulary: at most ${ROW - 1} word memos (a row has ${ROW} cells)`);
  return new WordMemo<T>(++memosMade);
}
