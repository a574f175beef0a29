/**
 * Tokenizer shared by topic queries, sentiment and tag rules, so that all of
 * them agree on what a "word" is. Tokens keep their character offsets into the
 * original text: evidence quotes the mention as written, not the folded form.
 */

import { isCyrillic, isLatin } from './stem.js';
import { MAX_WORD_LENGTH, beginText, hashStep, wordIdOf, wordIdOfScratch, wordScratch, wordText } from './vocabulary.js';

export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'url' | 'punct';

export interface Token {
  /**
   * Normalised form: words lower-cased (fixed locale) with ё→е and ’→' folded and a
   * possessive 's dropped; emoticons in a canonical spelling (":-))))" → ":)", ")))" → ":)");
   * emoji without variation selectors and skin tones; punctuation and URLs as written.
   */
  text: string;
  /** UTF-16 offset of the first character in the original text. */
  start: number;
  /** UTF-16 offset just past the last character. */
  end: number;
  kind: TokenKind;
  /**
   * Ordinal among the non-punctuation tokens: the distance unit of NEAR/n and of
   * negation scope. A punctuation token carries the ordinal of the token after it.
   */
  pos: number;
}

// Case is folded with toLowerCase / toUpperCase, which use Unicode's default (locale-independent)
// mappings, so a Turkish machine still maps I to i. They give exactly what toLocaleLowerCase('und')
// gave (checked over every code point, with final-sigma contexts) at a third of the cost: V8
// resolves the locale argument on every call.

// URL characters excluding the punctuation that usually ends a sentence after a link.
const URL = String.raw`(?:https?:\/\/|www\.)[^\s]*[^\s.,;:!?)\]'"»…]`;
// Emoticons must not run into a word ("re:Design"), and ":/" must not be a path ("ftp://").
const EMOTICON =
  String.raw`[:;=]['’]?-?(?:[)\]]+|[(\[]+|D+|[Pp]+|[Oo]+|[\/\\|*])(?![\p{L}\p{N}\/])` +
  String.raw`|<\/?3(?!\p{N})|\){2,}|\({2,}|\^_?\^|[xX]D+(?![\p{L}\p{N}])`;
// Apostrophes join word parts (don't, l'eau) but each part must start with a letter or digit,
// so the repetition cannot backtrack.
const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*`;
const EMOJI = String.raw`\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*`;
// "!" and "?" always count (sentiment reads them); other marks only where they end a clause,
// so "acme.com" and "10.5" stay one run of words.
const PUNCT = String.raw`[!?]+|[.;:,…]+(?=\s|$)|\n`;

// The definition of a token. The scanner below follows it character by character for the
// characters in its tables, and hands any position where it meets another one to this pattern.
const TOKEN_SOURCE = `(${URL})|(${EMOTICON})|(${WORD})|(${EMOJI})|(${PUNCT})`;
/** Matches one token exactly at lastIndex (sticky), or nothing. */
const TOKEN_AT = new RegExp(TOKEN_SOURCE, 'uy');
const EMOJI_DECORATION = /\u{FE0F}|\p{Emoji_Modifier}/gu;

// ---------------------------------------------------------------------------
// Character classes. The scanner reads code units through these tables, built at load from the
// same Unicode properties the pattern uses: Latin, Greek and Cyrillic (below U+0500) and General
// Punctuation (U+2000–U+206F: ’ … “ ” —). A code unit outside them has no class (0): the scanner
// then lets TOKEN_AT decide at that position, so emoji, other scripts and surrogates tokenize
// exactly as the pattern says, and the scanner only needs to be right for the tabled characters.

/** In a table (has a class). */
const KNOWN = 1;
/** \p{L} or \p{N}: starts and continues a word. */
const LETTER_OR_DIGIT = 2;
/** \p{M}: continues a word. */
const MARK = 4;
/** \p{N}: "<3" must not run into one. */
const NUMBER = 8;
/** \p{Extended_Pictographic} (©, ®, ‼, ⁉): left to TOKEN_AT. */
const PICTOGRAPHIC = 16;

const LOW_END = 0x500;
const PUNCT_START = 0x2000;
const PUNCT_END = 0x2070;

function classTable(from: number, to: number): Uint8Array {
  const table = new Uint8Array(to - from);
  const letterOrDigit = /[\p{L}\p{N}]/u;
  const mark = /\p{M}/u;
  const number = /\p{N}/u;
  const pictographic = /\p{Extended_Pictographic}/u;
  for (let code = from; code < to; code++) {
    const ch = String.fromCharCode(code);
    let flags = KNOWN;
    if (letterOrDigit.test(ch)) flags |= LETTER_OR_DIGIT;
    if (mark.test(ch)) flags |= MARK;
    if (number.test(ch)) flags |= NUMBER;
    if (pictographic.test(ch)) flags |= PICTOGRAPHIC;
    table[code - from] = flags;
  }
  return table;
}

const LOW_CLASSES = classTable(0, LOW_END);
const PUNCT_CLASSES = classTable(PUNCT_START, PUNCT_END);

/**
 * The folded form of each tabled character, as a word folds (lower case by Unicode's default
 * mapping, ё → е, ’ → '); 0 where the lower case depends on the neighbours (Σ: σ or final ς) or
 * is longer than one code unit (İ → i̇): a word with one takes the string path (foldedByString).
 */
function foldTable(from: number, to: number): Uint16Array {
  const table = new Uint16Array(to - from);
  for (let code = from; code < to; code++) {
    const lower = String.fromCharCode(code).toLowerCase();
    if (lower.length !== 1 || code === 0x3a3) continue;
    let folded = lower.charCodeAt(0);
    if (folded === 0x451) folded = 0x435; // ё → е
    else if (folded === 0x2019) folded = 0x27; // ’ → '
    table[code - from] = folded;
  }
  return table;
}

/** Marks a word character without a one-unit fold of its own in the tables below. */
const UNFOLDABLE = 0xffff;

/** The fold of each tabled character that continues a word (\p{L}, \p{N}, \p{M}), UNFOLDABLE, or 0 for any other. */
function wordFoldTable(from: number, to: number, classes: Uint8Array): Uint16Array {
  const folds = foldTable(from, to);
  const table = new Uint16Array(to - from);
  for (let k = 0; k < table.length; k++) {
    if ((classes[k]! & (LETTER_OR_DIGIT | MARK)) === 0) continue;
    table[k] = folds[k] === 0 ? UNFOLDABLE : folds[k]!;
  }
  return table;
}

const WORD_FOLD_LOW = wordFoldTable(0, LOW_END, LOW_CLASSES);
const WORD_FOLD_PUNCT = wordFoldTable(PUNCT_START, PUNCT_END, PUNCT_CLASSES);

/**
 * The letters a word counts for the language guess, packed: LATIN_LETTER per Latin letter and
 * CYRILLIC_LETTER per Cyrillic one of its folded form. The scanner sums a word's as it folds it, so
 * that the guess needs no pass of its own over the words (it cost ~5% of classification).
 */
const LATIN_LETTER = 1;
const CYRILLIC_LETTER = 1 << 16;

/** Per character below LOW_END, what it adds to a word's packed letters (see LATIN_LETTER); 0 for UNFOLDABLE. */
function wordLettersTable(): Int32Array {
  const table = new Int32Array(LOW_END);
  for (let code = 0; code < LOW_END; code++) {
    const folded = WORD_FOLD_LOW[code]!;
    if (folded === UNFOLDABLE) continue;
    if (isLatin(folded)) table[code] = LATIN_LETTER;
    else if (isCyrillic(folded)) table[code] = CYRILLIC_LETTER;
  }
  return table;
}

const WORD_LETTERS_LOW = wordLettersTable();
// The scanner adds no letters for the other tabled range: it holds no word character at all.
if (WORD_FOLD_PUNCT.some((folded) => folded !== 0)) throw new Error('tokenize: word characters in the punctuation range need their letters counted');

function classOf(code: number): number {
  if (code < LOW_END) return LOW_CLASSES[code]!;
  if (code >= PUNCT_START && code < PUNCT_END) return PUNCT_CLASSES[code - PUNCT_START]!;
  return 0;
}

/** \s of JavaScript patterns. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** Characters a URL does not end with: . , ; : ! ? ) ] ' " » … */
function endsNoUrl(code: number): boolean {
  switch (code) {
    case 0x2e: case 0x2c: case 0x3b: case 0x3a: case 0x21: case 0x3f: case 0x29: case 0x5d: case 0x27: case 0x22: case 0xbb: case 0x2026:
      return true;
    default:
      return false;
  }
}

/** [.;:,…]: clause punctuation, a token only when a space or the end follows. */
function isClauseMark(code: number): boolean {
  return code === 0x2e || code === 0x3b || code === 0x3a || code === 0x2c || code === 0x2026;
}

const isApostrophe = (code: number) => code === 0x27 || code === 0x2019;

/** Returned by the scanning steps: no token starts here. */
const NO_MATCH = -1;
/** Returned by the scanning steps: a character without a class decides; ask TOKEN_AT. */
const UNDECIDED = -2;

/** End of a URL starting at `start` (http://, https://, www.), or NO_MATCH. */
function scanUrl(text: string, start: number): number {
  // Most words starting with "h" or "w" ("how", "we") go no further than their second letter.
  const second = text.charCodeAt(start + 1);
  if (second !== 0x74 && second !== 0x77) return NO_MATCH;
  let body: number;
  if (text.startsWith('http://', start)) body = start + 7;
  else if (text.startsWith('https://', start)) body = start + 8;
  else if (text.startsWith('www.', start)) body = start + 4;
  else return NO_MATCH;
  let end = body;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  while (end > body && endsNoUrl(text.charCodeAt(end - 1))) end--;
  return end > body ? end : NO_MATCH;
}

/** Whether an emoticon may end before `at`: (?![\p{L}\p{N}]), plus "/" when `slash`; UNDECIDED for an unclassed character. */
function emoticonMayEnd(text: string, at: number, slash: boolean): boolean | typeof UNDECIDED {
  if (at >= text.length) return true;
  const code = text.charCodeAt(at);
  if (slash && code === 0x2f) return false;
  const flags = classOf(code);
  if (flags === 0) return UNDECIDED;
  return (flags & LETTER_OR_DIGIT) === 0;
}

function runOf(text: string, at: number, a: number, b: number): number {
  let end = at;
  while (end < text.length && (text.charCodeAt(end) === a || text.charCodeAt(end) === b)) end++;
  return end;
}

/** End of an emoticon (see EMOTICON) starting at `start`, NO_MATCH or UNDECIDED. */
function scanEmoticon(text: string, start: number, first: number): number {
  switch (first) {
    case 0x3a: // :
    case 0x3b: // ;
    case 0x3d: {
      // =   [:;=]['’]?-?(mouth)(?![\p{L}\p{N}\/])
      let at = start + 1;
      if (at < text.length && isApostrophe(text.charCodeAt(at))) at++;
      if (at < text.length && text.charCodeAt(at) === 0x2d) at++;
      if (at >= text.length) return NO_MATCH;
      const mouth = text.charCodeAt(at);
      let end: number;
      let brackets = false;
      if (mouth === 0x29 || mouth === 0x5d) {
        end = runOf(text, at, 0x29, 0x5d);
        brackets = true;
      } else if (mouth === 0x28 || mouth === 0x5b) {
        end = runOf(text, at, 0x28, 0x5b);
        brackets = true;
      } else if (mouth === 0x44) end = runOf(text, at, 0x44, 0x44);
      else if (mouth === 0x50 || mouth === 0x70) end = runOf(text, at, 0x50, 0x70);
      else if (mouth === 0x4f || mouth === 0x6f) end = runOf(text, at, 0x4f, 0x6f);
      else if (mouth === 0x2f || mouth === 0x5c || mouth === 0x7c || mouth === 0x2a) end = at + 1;
      else return NO_MATCH;
      const ok = emoticonMayEnd(text, end, true);
      if (ok === UNDECIDED) return UNDECIDED;
      if (ok) return end;
      // The pattern backtracks: a shorter run of brackets ends before a bracket, which is fine;
      // a shorter run of letters ends before a letter, which is not.
      return brackets && end - at >= 2 ? end - 1 : NO_MATCH;
    }
    case 0x3c: {
      // <   <\/?3(?!\p{N})
      let at = start + 1;
      if (at < text.length && text.charCodeAt(at) === 0x2f) at++;
      if (at >= text.length || text.charCodeAt(at) !== 0x33) return NO_MATCH;
      if (at + 1 >= text.length) return at + 1;
      const flags = classOf(text.charCodeAt(at + 1));
      if (flags === 0) return UNDECIDED;
      return flags & NUMBER ? NO_MATCH : at + 1;
    }
    case 0x29: // )   \){2,}
    case 0x28: {
      // (   \({2,}
      const end = runOf(text, start, first, first);
      return end - start >= 2 ? end : NO_MATCH;
    }
    case 0x5e: {
      // ^   \^_?\^
      let at = start + 1;
      if (at < text.length && text.charCodeAt(at) === 0x5f) at++;
      return at < text.length && text.charCodeAt(at) === 0x5e ? at + 1 : NO_MATCH;
    }
    case 0x78: // x
    case 0x58: {
      // X   [xX]D+(?![\p{L}\p{N}])
      const end = runOf(text, start + 1, 0x44, 0x44);
      if (end === start + 1) return NO_MATCH;
      const ok = emoticonMayEnd(text, end, false);
      if (ok === UNDECIDED) return UNDECIDED;
      return ok ? end : NO_MATCH;
    }
    default:
      return NO_MATCH;
  }
}

/** End of a punctuation token (see PUNCT) starting at `start`, or NO_MATCH. */
function scanPunct(text: string, start: number, first: number): number {
  if (first === 0x0a) return start + 1;
  if (first === 0x21 || first === 0x3f) return runOf(text, start, 0x21, 0x3f);
  if (!isClauseMark(first)) return NO_MATCH;
  let end = start + 1;
  while (end < text.length && isClauseMark(text.charCodeAt(end))) end++;
  return end === text.length || isSpace(text.charCodeAt(end)) ? end : NO_MATCH;
}

/** Token kinds in a TokenStream (TokenKind by number): the order of KIND_NAMES. */
export const K_WORD = 0;
export const K_EMOJI = 1;
export const K_EMOTICON = 2;
export const K_URL = 3;
export const K_PUNCT = 4;
const KIND_NAMES: readonly TokenKind[] = ['word', 'emoji', 'emoticon', 'url', 'punct'];
const KIND_OF: Readonly<Record<TokenKind, number>> = { word: K_WORD, emoji: K_EMOJI, emoticon: K_EMOTICON, url: K_URL, punct: K_PUNCT };

/**
 * The tokens of one text, column by column: what classification reads, token by token, without an
 * object or (for a word met before) a string per token. Token fields as in Token; `word` is the
 * word's id in the vocabulary (vocabulary.ts), -1 for other kinds and for words too long to number.
 * A stream is reused from text to text: its arrays grow to the longest text seen.
 */
export class TokenStream {
  text = '';
  count = 0;
  kind = new Uint8Array(64);
  start = new Int32Array(64);
  end = new Int32Array(64);
  pos = new Int32Array(64);
  word = new Int32Array(64);
  /**
   * Normalised text per token (Token.text), except for a numbered word, whose text stays in the
   * vocabulary: read a token's through normAt. Made with a string so its elements kind never changes.
   */
  readonly norm: string[] = [''];
  /** The whole text folded, made only for a word the tables cannot fold character by character ('' until then). */
  folded = '';
  /** False when lower-casing changed the length: such words are then folded one by one. */
  foldedAligned = true;
  /** The running word ordinal. */
  nextPos = 0;
  /** A "(" or ")" stands outside every token (inside none of an emoticon, link or other token). */
  bracketOutsideTokens = false;
  /**
   * The Latin and the Cyrillic letters of the word tokens' normal forms, except those of names (a word
   * right after isNameMark's "@" or "_"): what the language guess weighs (lang.ts).
   */
  latinLetters = 0;
  cyrillicLetters = 0;

  /** Empties the stream for `text`, with room for its tokens (never more than its characters). */
  reset(text: string): void {
    this.text = text;
    this.count = 0;
    this.folded = '';
    this.foldedAligned = true;
    this.nextPos = 0;
    this.bracketOutsideTokens = false;
    this.latinLetters = 0;
    this.cyrillicLetters = 0;
    if (this.kind.length < text.length + 1) {
      let size = this.kind.length;
      while (size < text.length + 1) size *= 2;
      this.kind = new Uint8Array(size);
      this.start = new Int32Array(size);
      this.end = new Int32Array(size);
      this.pos = new Int32Array(size);
      this.word = new Int32Array(size);
    }
  }

  /** Appends a token; punctuation carries the ordinal of the token after it and does not advance it. */
  push(kind: number, start: number, end: number, norm: string, word: number): void {
    const t = this.count++;
    this.kind[t] = kind;
    this.start[t] = start;
    this.end[t] = end;
    this.word[t] = word;
    this.norm[t] = norm;
    this.pos[t] = this.nextPos;
    if (kind !== K_PUNCT) this.nextPos++;
  }
}

/**
 * Whether a word after this character is part of a name, not a word of the text: of an @handle or an
 * e-mail address ("@lie_2_me", "help@acme.com"). Sentiment and the language guess pass such words by.
 */
export function isNameMark(before: number): boolean {
  return before === 0x40 || before === 0x5f;
}

/**
 * Token t's normal form (Token.text). A numbered word's is read from the vocabulary only here, when
 * asked for: most words are read by id alone, and the vocabulary's copy of a rare word is a cache
 * miss.
 */
export function normAt(stream: TokenStream, t: number): string {
  const id = stream.word[t]!;
  return id >= 0 ? wordText(id) : stream.norm[t]!;
}

/** Token t of a stream as a Token. */
export function tokenAt(stream: TokenStream, t: number): Token {
  return { text: normAt(stream, t), start: stream.start[t]!, end: stream.end[t]!, kind: KIND_NAMES[stream.kind[t]!]!, pos: stream.pos[t]! };
}

/** The tokens of a stream as Token objects, for what works on them (topic queries, user rules, explain). */
export function tokensOf(stream: TokenStream): Token[] {
  const tokens: Token[] = new Array(stream.count);
  for (let t = 0; t < stream.count; t++) tokens[t] = tokenAt(stream, t);
  return tokens;
}

// Reused by tokenize, which turns it into Token objects before it returns.
const tokenizeStream = new TokenStream();

/** Splits text into tokens; pure in what it returns (the vocabulary it numbers words in is a cache). */
export function tokenize(text: string): Token[] {
  scanTokens(text, tokenizeStream);
  const tokens = tokensOf(tokenizeStream);
  return tokens;
}

/**
 * Splits text into the stream's tokens, numbering words in the vocabulary. Words of the tabled
 * characters are folded and hashed as they are scanned (see scanWord); anything else goes through
 * the string path (pushToken), which is also the definition the tables follow.
 */
export function scanTokens(text: string, stream: TokenStream): void {
  stream.reset(text);
  if (text.length === 0) return;
  beginText(text.length);
  const length = text.length;
  let at = 0;
  while (at < length) {
    const code = text.charCodeAt(at);
    // A space starts no token: most characters between tokens are one.
    if (code === 0x20) {
      at++;
      continue;
    }
    // The pattern's alternatives in its order: URL, emoticon, word, emoji, punctuation.
    if (code === 0x68 || code === 0x77) {
      const end = scanUrl(text, at);
      if (end !== NO_MATCH) {
        pushToken(stream, 'url', at, end);
        at = end;
        continue;
      }
    }
    const flags = classOf(code);
    // Only "xD" starts both an emoticon and a word: any other letter or digit starts a word.
    if (flags & LETTER_OR_DIGIT && code !== 0x78 && code !== 0x58) {
      const end = scanWord(stream, text, at);
      at = end >= 0 ? end : tokenByPattern(stream, at);
      continue;
    }
    let end = flags === 0 || flags & PICTOGRAPHIC ? UNDECIDED : scanEmoticon(text, at, code);
    if (end >= 0) {
      pushToken(stream, 'emoticon', at, end);
      at = end;
      continue;
    }
    if (end === NO_MATCH && flags & LETTER_OR_DIGIT) {
      end = scanWord(stream, text, at);
      at = end >= 0 ? end : tokenByPattern(stream, at);
      continue;
    }
    if (end === NO_MATCH) {
      end = scanPunct(text, at, code);
      if (end >= 0) {
        stream.push(K_PUNCT, at, end, text.slice(at, end), -1);
        at = end;
        continue;
      }
      if (code === 0x28 || code === 0x29) stream.bracketOutsideTokens = true;
      at++;
      continue;
    }
    at = tokenByPattern(stream, at);
  }
}

// The vocabulary's scratch and hash step as constants of this module. Optimized code loads an imported
// binding from its module cell and checks it at every use; a local copy of one is still checked at every
// use (the array's map, the function's identity) and its storage reloaded, in the character loop below.
// A constant of the module's own is compiled in: the scan ~3% faster.
const SCRATCH = wordScratch;
const HASH_STEP = hashStep;

/**
 * Scans a word (see WORD) starting at `start`, whose first character is a letter or digit, folding
 * and hashing its characters into the vocabulary's scratch as it goes, and pushes it; returns its
 * end, or UNDECIDED (nothing pushed) at a character without a class.
 */
function scanWord(stream: TokenStream, text: string, start: number): number {
  const length = text.length;
  let end = start;
  let folds = 0;
  let hash = 0;
  // False once a character has no one-unit fold of its own (Σ, İ): the word then takes the string path.
  let foldable = true;
  // The character that ended the last part (read there, not again), and whether an apostrophe joined parts.
  let stop = 0;
  let joined = false;
  // Packed as WORD_LETTERS_LOW's; wraps for a word far too long to be numbered, whose letters are counted again from its string.
  let letters = 0;
  for (;;) {
    while (end < length) {
      const code = text.charCodeAt(end);
      let folded: number;
      if (code < LOW_END) {
        folded = WORD_FOLD_LOW[code]!;
        letters = (letters + WORD_LETTERS_LOW[code]!) | 0;
      } else if (code >= PUNCT_START && code < PUNCT_END) folded = WORD_FOLD_PUNCT[code - PUNCT_START]!;
      else return UNDECIDED;
      // 0 (not a word character) and UNFOLDABLE in one test: inside a word, both are rare.
      if (((folded - 1) & 0xffff) >= UNFOLDABLE - 1) {
        if (folded === 0) {
          stop = code;
          break;
        }
        foldable = false;
      }
      // Past the scratch's end the typed array ignores the write; a word longer than MAX_WORD_LENGTH (or not foldable) is not looked up.
      SCRATCH[folds] = folded;
      hash = HASH_STEP(hash, folded);
      folds++;
      end++;
    }
    // An apostrophe joins the next part when a letter or digit follows it ("don't", "l'eau").
    if (end + 1 >= length || !isApostrophe(stop)) break;
    const next = classOf(text.charCodeAt(end + 1));
    if (next === 0) return UNDECIDED;
    if ((next & LETTER_OR_DIGIT) === 0) break;
    SCRATCH[folds] = 0x27;
    hash = HASH_STEP(hash, 0x27);
    folds++;
    end++;
    joined = true;
  }
  // A possessive's apostrophe can only have been joined above.
  const possessive = joined ? possessiveLength(text, start, end) : 0;
  const tokenEnd = end - possessive;
  let id = -1;
  let norm: string;
  if (foldable && folds <= MAX_WORD_LENGTH) {
    if (possessive !== 0) {
      folds -= possessive;
      hash = 0;
      for (let k = 0; k < folds; k++) hash = HASH_STEP(hash, SCRATCH[k]!);
    }
    id = wordIdOfScratch(hash, folds);
    // A numbered word's text stays in the vocabulary (see normAt).
    norm = id >= 0 ? '' : String.fromCharCode.apply(null, SCRATCH.subarray(0, folds) as unknown as number[]);
    // The possessive's "s" was counted; its apostrophe is no letter.
    if (possessive !== 0) letters -= LATIN_LETTER;
    addLetters(stream, start, letters & 0xffff, letters >>> 16);
  } else {
    norm = foldedByString(stream, start, tokenEnd);
    id = wordIdOf(norm);
    countLetters(stream, start, norm);
  }
  stream.push(K_WORD, start, tokenEnd, norm, id);
  return end;
}

/** Adds the letters of word `norm`, standing at `start`, to the stream's counts (see addLetters). */
function countLetters(stream: TokenStream, start: number, norm: string): void {
  let latin = 0;
  let cyrillic = 0;
  for (let k = 0; k < norm.length; k++) {
    const code = norm.charCodeAt(k);
    if (isLatin(code)) latin++;
    else if (isCyrillic(code)) cyrillic++;
  }
  addLetters(stream, start, latin, cyrillic);
}

/** Adds a word's letters, the word standing at `start`, to the stream's counts (TokenStream.latinLetters), unless it is a name. */
function addLetters(stream: TokenStream, start: number, latin: number, cyrillic: number): void {
  if (start > 0 && isNameMark(stream.text.charCodeAt(start - 1))) return;
  stream.latinLetters += latin;
  stream.cyrillicLetters += cyrillic;
}

/** Lets TOKEN_AT decide at `at`: pushes the token found there, if any; returns where to go on. */
function tokenByPattern(stream: TokenStream, at: number): number {
  const text = stream.text;
  TOKEN_AT.lastIndex = at;
  const m = TOKEN_AT.exec(text);
  if (m === null) {
    // No token here: step over one code point, as a global /u search does.
    const code = text.charCodeAt(at);
    if (code === 0x28 || code === 0x29) stream.bracketOutsideTokens = true;
    const pair = code >= 0xd800 && code <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
    return at + (pair ? 2 : 1);
  }
  const kind: TokenKind = m[1] !== undefined ? 'url' : m[2] !== undefined ? 'emoticon' : m[3] !== undefined ? 'word' : m[4] !== undefined ? 'emoji' : 'punct';
  const end = at + m[0].length;
  pushToken(stream, kind, at, end);
  return end;
}

/** Pushes a token through strings: the definition of every kind's normal form. */
function pushToken(stream: TokenStream, kind: TokenKind, start: number, end: number): void {
  const text = stream.text;
  switch (kind) {
    case 'url':
      stream.push(K_URL, start, end, text.slice(start, end), -1);
      return;
    case 'emoticon':
      stream.push(K_EMOTICON, start, end, canonicalEmoticon(text.slice(start, end)), -1);
      return;
    case 'word': {
      end -= possessiveLength(text, start, end);
      const norm = foldedByString(stream, start, end);
      countLetters(stream, start, norm);
      stream.push(K_WORD, start, end, norm, wordIdOf(norm));
      return;
    }
    case 'emoji': {
      const raw = text.slice(start, end);
      stream.push(K_EMOJI, start, end, raw.length > 1 ? raw.replace(EMOJI_DECORATION, '') : raw, -1);
      return;
    }
    default:
      stream.push(KIND_OF[kind], start, end, text.slice(start, end), -1);
  }
}

/**
 * A word folded through strings: the whole text lower-cased (Σ's lower case depends on what
 * follows it, even past the word), then ё → е and ’ → '. Words of the tabled characters get the
 * same from the fold tables, which are built from this definition.
 */
function foldedByString(stream: TokenStream, start: number, end: number): string {
  if (stream.folded === '') {
    let folded = stream.text.toLowerCase();
    // Rare characters change length when lower-cased (İ → i̇); then offsets must come from the original.
    stream.foldedAligned = folded.length === stream.text.length;
    if (stream.foldedAligned && folded.includes('ё')) folded = folded.replaceAll('ё', 'е');
    stream.folded = folded;
  }
  const norm = stream.foldedAligned ? stream.folded.slice(start, end) : foldWord(stream.text.slice(start, end));
  return norm.includes('’') ? norm.replaceAll('’', "'") : norm;
}

function foldWord(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes('ё') ? lower.replaceAll('ё', 'е') : lower;
}

/** Length of a trailing possessive "'s" ("Acme's" → 2), so "acme" still matches the brand. */
function possessiveLength(text: string, start: number, end: number): number {
  if (end - start < 3) return 0;
  const s = text.charCodeAt(end - 1);
  const apostrophe = text.charCodeAt(end - 2);
  if ((s === 0x73 || s === 0x53) && (apostrophe === 0x27 || apostrophe === 0x2019)) return 2;
  return 0;
}

function canonicalEmoticon(raw: string): string {
  const first = raw.charCodeAt(0);
  if (first === 0x29) return ':)'; // ")))"
  if (first === 0x28) return ':('; // "((("
  if (first === 0x3c) return raw.length === 3 ? '</3' : '<3';
  if (first === 0x5e) return '^^';
  if (first === 0x78 || first === 0x58) return ':D'; // xD
  const wink = first === 0x3b;
  const crying = raw.includes("'") || raw.includes('’');
  const mouth = raw.charAt(raw.length - 1);
  switch (mouth) {
    case ')':
    case ']':
      return wink ? ';)' : ':)';
    case '(':
    case '[':
      return crying ? ":'(" : ':(';
    case 'D':
      return ':D';
    case 'P':
    case 'p':
      return ':P';
    case 'O':
    case 'o':
      return ':O';
    case '*':
      return ':*';
    case '|':
      return ':|';
    default:
      return ':/';
  }
}

/** True when the original spelling of a word token is in capitals ("NEVER"), with at least two letters. */
export function isShoutingAt(text: string, start: number, end: number, norm: string, isWord: boolean): boolean {
  if (!isWord || end - start < 2) return false;
  const original = text.slice(start, end);
  return original !== norm && original === original.toUpperCase() && UPPER_LETTERS.test(original);
}
const UPPER_LETTERS = /\p{Lu}.*\p{Lu}/u;
