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
/** Characters of the words too long for their slot, together: room for far more than such words take. */
const MAX_CHARS = MAX_WORDS * 16;

const SLOTS = MAX_WORDS * 2;
const SLOT_MASK = SLOTS - 1;

/**
 * Hash table, eight numbers (32 bytes) a slot: the word's hash; its id, with its length above
 * ID_BITS (-1: an empty slot); then its folded characters themselves, two to a number, for a word
 * of up to INLINE_CHARS characters (98% of the words in the shared sets' texts), or, for a longer
 * one, where its characters start in `chars`. Looking up a word met before then reads one slot,
 * not the slot and the characters elsewhere: the table is megabytes, and for a large vocabulary
 * every separate array read is a cache miss of its own (measured: the characters' read alone cost
 * ~7% of classification).
 */
const SLOT_NUMBERS = 8;
const SLOT_HASH = 0;
const SLOT_ID_LENGTH = 1;
const SLOT_CHARS = 2;
const INLINE_CHARS = (SLOT_NUMBERS - SLOT_CHARS) * 2;
/** Ids are below MAX_WORDS, a power of two: the bits above them hold the length. */
const ID_BITS = 31 - Math.clz32(MAX_WORDS);
const ID_MASK = (1 << ID_BITS) - 1;
const EMPTY = -1;
const TABLE_MASK = SLOTS * SLOT_NUMBERS - 1;
const slots = new Int32Array(SLOTS * SLOT_NUMBERS);
const chars = new Uint16Array(MAX_CHARS);
let wordCount = 0;
let charCount = 0;

/**
 * Per word id, a row of ROW cells: the folded word, then one cell per word memo, so that a word
 * whose text and memos are both read costs one cache line: for a vocabulary of tens of thousands
 * of words, separate arrays cost a cache miss each per rare word. The scanner does not read it: a
 * token's text is read from here only when asked for (see normAt in tokenize.ts).
 */
const ROW = 4;
const rows: unknown[] = new Array<unknown>(MAX_WORDS * ROW).fill(undefined);
let memosMade = 0;

/**
 * Per word id, a bit per word memo (1 << its cell) set once the memo has found the word inert (its
 * `inert` value: most words, for every memo). A memo reads this first, so an inert word's row is
 * never read: 128 KB stay in the processor's cache where the rows (megabytes) do not.
 */
const inertBits = new Uint8Array(MAX_WORDS);

/**
 * The folded characters of the word being looked up: the tokenizer writes them here. This module
 * reads them as `scratch`: an exported binding lives in a module cell that optimized code loads, and
 * checks for being initialised, at every use, which in a per-character loop costs more than the work.
 */
const scratch = new Uint16Array(MAX_WORD_LENGTH + 2);
export const wordScratch = scratch;
/**
 * The same characters two to a number, as a slot keeps them: a word is stored and compared a pair at
 * a time, with no arithmetic on the characters (slots are written and read only through this view).
 * The character after the word is set to 0 first, so that an odd word's last pair is always the same.
 */
const scratchPairs = new Int32Array(scratch.buffer);

/** One step of the word hash (FNV-1a's multiplier over UTF-16 code units). */
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** Starts a text: empties the vocabulary, and every word memo, when it has no room for another text. */
export function beginText(textLength: number): void {
  if (wordCount + textLength < MAX_WORDS && charCount + textLength <= MAX_CHARS) return;
  emptySlots();
  rows.fill(undefined, 0, wordCount * ROW);
  inertBits.fill(0, 0, wordCount);
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
  const lengthBits = length << ID_BITS;
  scratch[length] = 0;
  let at = ((hash ^ (hash >>> 15)) & SLOT_MASK) * SLOT_NUMBERS;
  for (;;) {
    const idLength = slots[at + SLOT_ID_LENGTH]!;
    if (idLength === EMPTY) break;
    if (slots[at + SLOT_HASH] === hash && (idLength & ~ID_MASK) === lengthBits && sameWord(at, length)) return idLength & ID_MASK;
    at = (at + SLOT_NUMBERS) & TABLE_MASK;
  }
  // Only a text longer than the whole vocabulary can get here: its further words go unnumbered.
  if (wordCount >= MAX_WORDS || charCount + length > MAX_CHARS) return -1;
  const id = wordCount++;
  slots[at + SLOT_HASH] = hash;
  slots[at + SLOT_ID_LENGTH] = lengthBits | id;
  if (length <= INLINE_CHARS) {
    for (let pair = 0, cell = at + SLOT_CHARS; pair << 1 < length; pair++, cell++) slots[cell] = scratchPairs[pair]!;
  } else {
    slots[at + SLOT_CHARS] = charCount;
    chars.set(scratch.subarray(0, length), charCount);
    charCount += length;
  }
  rows[id * ROW] = String.fromCharCode.apply(null, scratch.subarray(0, length) as unknown as number[]);
  return id;
}

/** Whether the scratch word is the word of the slot at `at`, whose hash and length are the same. */
function sameWord(at: number, length: number): boolean {
  if (length > INLINE_CHARS) return sameChars(slots[at + SLOT_CHARS]!, length);
  for (let pair = 0, cell = at + SLOT_CHARS; pair << 1 < length; pair++, cell++) if (slots[cell] !== scratchPairs[pair]) return false;
  return true;
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
  for (let at = SLOT_ID_LENGTH; at < slots.length; at += SLOT_NUMBERS) slots[at] = EMPTY;
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
 * keeps its cell of every word's row for good). `inert` is the value most words get (nothing
 * known): a word found inert is marked so in inertBits, and its row is not read again.
 */
export class WordMemo<T> {
  private readonly bit: number;

  constructor(
    private readonly cell: number,
    private readonly inert: T,
  ) {
    this.bit = 1 << cell;
  }

  /** The value for word `id` (≥ 0): kept, or computed now from its folded text and kept. */
  of(id: number, compute: (word: string) => T): T {
    if ((inertBits[id]! & this.bit) !== 0) return this.inert;
    const at = id * ROW + this.cell;
    let value = rows[at] as T | undefined;
    if (value === undefined) {
      value = compute(rows[id * ROW] as string);
      rows[at] = value;
      if (value === this.inert) inertBits[id] = inertBits[id]! | this.bit;
    }
    return value;
  }

  /** Forgets every word's value: what it was computed from has changed. */
  clear(): void {
    for (let id = 0; id < wordCount; id++) {
      rows[id * ROW + this.cell] = undefined;
      inertBits[id] = inertBits[id]! & ~this.bit;
    }
  }
}

/** A memo whose most common value, that of a word nothing is known of, is `inert` (compared by identity). */
export function wordMemo<T>(inert: T): WordMemo<T> {
  if (memosMade === ROW - 1) throw new Error(`vocabulary: at most ${ROW - 1} word memos (a row has ${ROW} cells)`);
  return new WordMemo<T>(++memosMade, inert);
}
