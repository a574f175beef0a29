/**
 * Word patterns and the phrase matcher behind lexicons, tag rules, exclude words and
 * query leaves. A pattern is one or more words separated by spaces; a word ending
 * in "*" matches by prefix ("обман*" matches "обманули"). Words are normalised with
 * the tokenizer itself, so a pattern and a text always fold the same way.
 */
import { stemOf } from './stem.js';
import { K_PUNCT, K_WORD, normAt, tokenize } from './tokenize.js';
import type { Token, TokenStream } from './tokenize.js';
import { MAX_WORDS, vocabularyGeneration, wordMemo } from './vocabulary.js';

export interface WordPattern {
  /** Normalised word, or the prefix without its "*". */
  text: string;
  prefix: boolean;
  /** When set, any word with this stem matches too (morphology); null = this exact word only. */
  stem: string | null;
}

export interface PatternOptions {
  /** Match other inflections of each word (not of prefixes, which already match by beginning). */
  stem?: boolean;
}

/** A pattern that cannot be used; `offset` is the character index within the pattern source. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Shortest prefix allowed before "*": one letter would match a large part of the dictionary. */
export const MIN_PREFIX_LENGTH = 2;

/**
 * Splits a pattern source into word patterns. Punctuation inside a word splits it
 * the way the tokenizer would ("acme.com" → acme, com); "*" is allowed only at the end of a word.
 */
export function parsePatternWords(source: string, options: PatternOptions = {}): WordPattern[] {
  const words: WordPattern[] = [];
  const pieces = /\S+/g;
  for (let m = pieces.exec(source); m !== null; m = pieces.exec(source)) {
    const piece = m[0];
    // A final "*" after a letter or digit is the wildcard; any other "*" must belong to an emoticon (":*").
    const prefix = piece.length > 1 && piece.endsWith('*') && WORD_END.test(piece.charAt(piece.length - 2));
    const body = flatCopy(prefix ? piece.slice(0, -1) : piece);
    const tokens = tokenize(body).filter((t) => t.kind !== 'punct');
    const strayStar = strayStarIndex(body, tokens);
    if (strayStar !== -1) throw new PatternError('"*" is allowed only at the end of a word', m.index + strayStar);
    if (tokens.length === 0) throw new PatternError(`nothing to match in "${piece}"`, m.index);
    for (const token of tokens) words.push({ text: token.text, prefix: false, stem: options.stem && token.kind === 'word' ? stemOrNull(token.text) : null });
    if (prefix) {
      const last = words[words.length - 1]!;
      const lastToken = tokens[tokens.length - 1]!;
      if (lastToken.kind !== 'word' || lastToken.end !== body.length) {
        throw new PatternError('"*" must follow a letter or digit', m.index + body.length);
      }
      if (last.text.length < MIN_PREFIX_LENGTH) {
        throw new PatternError(`a wildcard needs at least ${MIN_PREFIX_LENGTH} characters before "*"`, m.index + body.length);
      }
      last.prefix = true;
      last.stem = null;
    }
  }
  if (words.length === 0) throw new PatternError('empty pattern', 0);
  return words;
}

const WORD_END = /[\p{L}\p{N}]/u;

/**
 * A copy of a string made whole. V8 keeps a substring of 13 or more characters as a view into the
 * string it was cut from; once the tokenizer's compiled code has scanned such views (the pieces of
 * thousands of patterns, at start-up), it scans every later text about 1.7× slower (measured: 1.6 →
 * 2.7 µs a text). Pattern pieces are therefore copied before they are tokenized.
 */
function flatCopy(piece: string): string {
  return piece.length < 13 ? piece : piece.split('').join('');
}

function stemOrNull(word: string): string | null {
  const stem = stemOf(word);
  return stem === word && word.length < 4 ? null : stem;
}

function strayStarIndex(body: string, tokens: readonly Token[]): number {
  for (let at = body.indexOf('*'); at !== -1; at = body.indexOf('*', at + 1)) {
    if (!tokens.some((t) => t.kind === 'emoticon' && t.start <= at && at < t.end)) return at;
  }
  return -1;
}

export function wordMatches(pattern: WordPattern, token: Token): boolean {
  if (token.kind === 'punct') return false;
  if (pattern.prefix) return token.text.startsWith(pattern.text);
  return token.text === pattern.text || (pattern.stem !== null && token.kind === 'word' && stemOf(token.text) === pattern.stem);
}

export interface PhraseEntry<T> {
  /** The pattern as written in the rule file or query. */
  source: string;
  words: readonly WordPattern[];
  value: T;
}

interface TrieNode<T> {
  children: Map<number, TrieNode<T>>;
  /** Entries whose first word is exactly the path to this node. */
  exact: PhraseEntry<T>[] | null;
  /** Entries whose first word is a prefix ending at this node. */
  prefix: PhraseEntry<T>[] | null;
  /**
   * Entries whose first word matches by stem, kept where the word and its stem stop
   * agreeing ("happy"/"happi" → "happ"), so every inflection's walk passes through.
   */
  stemmed: PhraseEntry<T>[] | null;
}

function newNode<T>(): TrieNode<T> {
  return { children: new Map(), exact: null, prefix: null, stemmed: null };
}

/**
 * Finds phrase entries starting at a token. First words live in a character trie, so
 * one walk over a token's characters finds every exact and prefix entry at once,
 * whatever the number of entries; the remaining words are compared token by token.
 * A phrase never runs across punctuation that ends a clause.
 *
 * The trie is built with a map per node, then flattened: nodes become numbers, and the edges
 * one open-addressing table of (node, character) → child, so a step of the walk is a multiply,
 * a shift and an array read or two instead of a map lookup (the walk runs for every word of
 * every mention, through the lexicons, the tag rules and the topic queries).
 */
export class PhraseMatcher<T> {
  readonly size: number;
  /** The entries, in the order given. */
  readonly entries: readonly PhraseEntry<T>[];
  /** Per node: entries whose first word is exactly the path to it, a prefix ending at it, or matches by stem (see TrieNode). */
  private readonly exact: Array<PhraseEntry<T>[] | null> = [];
  private readonly prefix: Array<PhraseEntry<T>[] | null> = [];
  private readonly stemmed: Array<PhraseEntry<T>[] | null> = [];
  /** Edge table: slot → parent node (-1: empty), character, child node. */
  private readonly edgeFrom: Int32Array;
  private readonly edgeCode: Uint16Array;
  private readonly edgeTo: Int32Array;
  private readonly shift: number;
  private readonly mask: number;
  /**
   * A bit filter over the paths that hold entries: each path of one or two characters, and the first
   * three characters of each longer one. A word matches an entry only if the entry's path is a prefix
   * of it, so a word none of whose first one, two and three characters is in the filter starts no
   * entry, and skips the walk: most words of a text, for most matchers. Null when an entry sits at the
   * root (a stem sharing no first letter with its word), where every word must walk.
   */
  private readonly startFilter: Uint8Array | null;
  private readonly startShift: number;
  /** What non-word tokens can start, by text (see continuationsOf). */
  private readonly nonWordContinuations = new Map<string, Continuations<T> | null>();

  constructor(entries: Iterable<PhraseEntry<T>>) {
    const root = newNode<T>();
    this.entries = [...entries];
    for (const entry of this.entries) add(root, entry);
    this.size = this.entries.length;
    registerLaterWords(this.entries);
    // Number the nodes breadth first, and size the edge table at most half full.
    const nodes: TrieNode<T>[] = [root];
    for (let n = 0; n < nodes.length; n++) for (const child of nodes[n]!.children.values()) nodes.push(child);
    const bits = Math.max(4, Math.ceil(Math.log2(nodes.length * 2)));
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.edgeFrom = new Int32Array(1 << bits).fill(-1);
    this.edgeCode = new Uint16Array(1 << bits);
    this.edgeTo = new Int32Array(1 << bits);
    const ids = new Map<TrieNode<T>, number>(nodes.map((node, id) => [node, id]));
    nodes.forEach((node, id) => {
      this.exact.push(node.exact);
      this.prefix.push(node.prefix);
      this.stemmed.push(node.stemmed);
      for (const [code, child] of node.children) {
        let slot = this.slotOf(id, code);
        while (this.edgeFrom[slot] !== -1) slot = (slot + 1) & this.mask;
        this.edgeFrom[slot] = id;
        this.edgeCode[slot] = code;
        this.edgeTo[slot] = ids.get(child)!;
      }
    });
    const filterBits = Math.max(10, Math.ceil(Math.log2(Math.max(1, nodes.length) * 8)));
    this.startShift = 32 - filterBits;
    this.startFilter = root.exact || root.prefix || root.stemmed ? null : new Uint8Array(1 << (filterBits - 3));
    if (this.startFilter) this.fillStartFilter(root, '');
  }

  private fillStartFilter(node: TrieNode<T>, path: string): void {
    if (path.length > 0 && path.length < START_KEY_LENGTH && (node.exact || node.prefix || node.stemmed)) this.setStartBit(path, path.length);
    if (path.length === START_KEY_LENGTH) {
      this.setStartBit(path, START_KEY_LENGTH);
      return;
    }
    for (const [code, child] of node.children) this.fillStartFilter(child, path + String.fromCharCode(code));
  }

  private startKey(word: string, length: number): number {
    let hash = length;
    for (let k = 0; k < length; k++) hash = Math.imul(hash ^ word.charCodeAt(k), 0x9e3779b1);
    return (hash ^ (hash >>> 15)) >>> this.startShift;
  }

  private setStartBit(word: string, length: number): void {
    const key = this.startKey(word, length);
    this.startFilter![key >> 3]! |= 1 << (key & 7);
  }

  private hasStartBit(word: string, length: number): boolean {
    const key = this.startKey(word, length);
    return (this.startFilter![key >> 3]! & (1 << (key & 7))) !== 0;
  }

  /** False when no entry can start at this word (see startFilter). */
  private mayStart(word: string): boolean {
    if (this.startFilter === null) return true;
    const length = word.length;
    if (length === 0) return false;
    if (this.hasStartBit(word, 1)) return true;
    if (length === 1) return false;
    if (this.hasStartBit(word, 2)) return true;
    return length >= START_KEY_LENGTH && this.hasStartBit(word, START_KEY_LENGTH);
  }

  /** Compiles `[pattern source, value]` pairs; throws PatternError on a bad pattern. */
  static fromSources<T>(pairs: Iterable<readonly [string, T]>, options: PatternOptions = {}): PhraseMatcher<T> {
    const entries: PhraseEntry<T>[] = [];
    for (const [source, value] of pairs) entries.push({ source, words: parsePatternWords(source, options), value });
    return new PhraseMatcher(entries);
  }

  private slotOf(node: number, code: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) >>> this.shift;
  }

  /** The child of `node` along character `code`, or -1. */
  private child(node: number, code: number): number {
    for (let slot = this.slotOf(node, code); ; slot = (slot + 1) & this.mask) {
      const from = this.edgeFrom[slot]!;
      if (from === -1) return -1;
      if (from === node && this.edgeCode[slot] === code) return this.edgeTo[slot]!;
    }
  }

  /** Pushes every entry that matches at tokens[index] onto `out`, shallow prefixes first, exact words last. */
  collectAt(tokens: readonly Token[], index: number, out: PhraseEntry<T>[]): void {
    const token = tokens[index];
    if (!token || token.kind === 'punct') return;
    const from = out.length;
    this.collectFirst(token.text, token.kind === 'word', out);
    let kept = from;
    for (let k = from; k < out.length; k++) {
      const entry = out[k]!;
      if (restMatches(entry.words, tokens, index)) out[kept++] = entry;
    }
    if (kept !== out.length) out.length = kept;
  }

  /**
   * Pushes onto `out` every entry whose first word matches `word`, whatever follows it, in the order
   * collectAt gives: shallow prefixes first, exact words last. `word` is a token's text; `isWord`
   * says whether the token is a word (only words match by stem). What a word can start depends on
   * the word alone, so a caller may keep the result per word (see vocabulary.ts).
   */
  collectFirst(word: string, isWord: boolean, out: PhraseEntry<T>[]): void {
    if (!this.mayStart(word)) return;
    let node = 0;
    let stem: string | null = null;
    if (this.stemmed[0]) stem = pushStemMatching(this.stemmed[0], word, isWord, out, stem);
    for (let k = 0; k < word.length && node !== -1; k++) {
      node = this.child(node, word.charCodeAt(k));
      if (node === -1) break;
      const prefix = this.prefix[node];
      if (prefix) for (const entry of prefix) out.push(entry);
      const stemmed = this.stemmed[node];
      if (stemmed) stem = pushStemMatching(stemmed, word, isWord, out, stem);
    }
    if (node !== -1) {
      const exact = this.exact[node];
      if (exact) for (const entry of exact) out.push(entry);
    }
  }

  /**
   * The entries `word` can start (collectFirst), arranged to be continued over a stream; null for none.
   * Words are kept per word id by their callers (see vocabulary.ts); other tokens (emoji, emoticons)
   * here, by text: their number is open, so the memo is emptied when full. Without it an emoji cost
   * ~100 ns of a text's sentiment walk, building the same list each time.
   */
  continuationsOf(word: string, isWord: boolean): Continuations<T> | null {
    if (isWord) return this.makeContinuations(word, true);
    let found = this.nonWordContinuations.get(word);
    if (found === undefined) {
      found = this.makeContinuations(word, false);
      if (this.nonWordContinuations.size >= NON_WORDS_KEPT) this.nonWordContinuations.clear();
      this.nonWordContinuations.set(word, found);
    }
    return found;
  }

  private makeContinuations(word: string, isWord: boolean): Continuations<T> | null {
    const entries: PhraseEntry<T>[] = [];
    this.collectFirst(word, isWord, entries);
    return entries.length === 0 ? null : new Continuations(entries);
  }

  /** The entry that covers the most words at tokens[index]; among equals, the most specific first word. */
  longestAt(tokens: readonly Token[], index: number): PhraseEntry<T> | null {
    const found = scratch as PhraseEntry<T>[];
    // Truncating an array is a runtime call: done only when there is something to drop.
    if (found.length !== 0) found.length = 0;
    this.collectAt(tokens, index, found);
    if (found.length === 0) return null;
    let best: PhraseEntry<T> | null = null;
    for (const entry of found) if (!best || entry.words.length >= best.words.length) best = entry;
    found.length = 0;
    return best;
  }
}

function add<T>(root: TrieNode<T>, entry: PhraseEntry<T>): void {
  const first = entry.words[0]!;
  const path = first.stem === null ? first.text : commonPrefix(first.text, first.stem);
  let node = root;
  for (let k = 0; k < path.length; k++) {
    const code = path.charCodeAt(k);
    let child = node.children.get(code);
    if (!child) {
      child = newNode();
      node.children.set(code, child);
    }
    node = child;
  }
  if (first.prefix) (node.prefix ??= []).push(entry);
  else if (first.stem !== null) (node.stemmed ??= []).push(entry);
  else (node.exact ??= []).push(entry);
}

/** Non-word tokens whose continuations a matcher keeps (see PhraseMatcher.continuationsOf). */
const NON_WORDS_KEPT = 4096;

/** How many first characters of a longer path the start filter keeps. */
const START_KEY_LENGTH = 3;

// Reused by longestAt, which is synchronous and not re-entrant, to avoid an array per token.
const scratch: PhraseEntry<unknown>[] = [];

/**
 * Pushes the stem entries whose first word matches the word (its own spelling, or by stem: see
 * wordMatches). `stem` is the word's stem when already known, so a walk past several stem nodes
 * stems the word once; returns it.
 */
function pushStemMatching<T>(entries: PhraseEntry<T>[], word: string, isWord: boolean, out: PhraseEntry<T>[], stem: string | null): string | null {
  for (const entry of entries) {
    const first = entry.words[0]!;
    let matches = word === first.text;
    if (!matches && first.stem !== null && isWord) {
      stem ??= stemOf(word);
      matches = stem === first.stem;
    }
    if (matches) out.push(entry);
  }
  return stem;
}

function commonPrefix(a: string, b: string): string {
  let k = 0;
  while (k < a.length && k < b.length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return a.slice(0, k);
}

function restMatches(words: readonly WordPattern[], tokens: readonly Token[], index: number): boolean {
  for (let w = 1; w < words.length; w++) {
    const token = tokens[index + w];
    if (!token || !wordMatches(words[w]!, token)) return false;
  }
  return true;
}

/** Whether the words after the first of a pattern match the tokens after stream token `index` (see wordMatches). */
export function restMatchesInStream(words: readonly WordPattern[], stream: TokenStream, index: number): boolean {
  for (let w = 1; w < words.length; w++) {
    const t = index + w;
    if (t >= stream.count) return false;
    const kind = stream.kind[t]!;
    if (kind === K_PUNCT) return false;
    const pattern = words[w]!;
    const text = normAt(stream, t);
    if (pattern.prefix) {
      if (!text.startsWith(pattern.text)) return false;
    } else if (text !== pattern.text && (pattern.stem === null || kind !== K_WORD || laterWordAt(stream, t).stem !== pattern.stem)) return false;
  }
  return true;
}

/**
 * What the matchers know of a word as a later word of a pattern (the second, third…). Every phrase
 * matcher registers the later words of its entries as it is made; a word is asked once, kept per
 * word (see vocabulary.ts), and asked again after a matcher has added later words. Most words of a
 * text stand in no pattern after its first word: they then need no lookup under the word before
 * them, and no stem.
 */
interface LaterWord {
  /** The word is written so in some pattern, after its first word. */
  readonly text: boolean;
  /** Its stem, when some pattern matches a later word by that stem; else null. */
  readonly stem: string | null;
}

const NOT_LATER: LaterWord = { text: false, stem: null };
const laterTexts = new Set<string>();
const laterStems = new Set<string>();
const laterWords = wordMemo<LaterWord>(NOT_LATER);

function registerLaterWords(entries: readonly PhraseEntry<unknown>[]): void {
  let added = false;
  for (const entry of entries) {
    for (let w = 1; w < entry.words.length; w++) {
      const word = entry.words[w]!;
      // A later word matched by prefix is tried at every occurrence (see Continuations), never looked up.
      if (word.prefix) continue;
      if (!laterTexts.has(word.text)) {
        laterTexts.add(word.text);
        added = true;
      }
      if (word.stem !== null && !laterStems.has(word.stem)) {
        laterStems.add(word.stem);
        added = true;
      }
    }
  }
  if (added) laterWords.clear();
}

function laterWordOf(word: string): LaterWord {
  const text = laterTexts.has(word);
  const stem = stemOf(word);
  const stemmed = laterStems.has(stem) ? stem : null;
  return text || stemmed !== null ? { text, stem: stemmed } : NOT_LATER;
}

function laterWordAt(stream: TokenStream, t: number): LaterWord {
  const id = stream.word[t]!;
  return id < 0 ? laterWordOf(normAt(stream, t)) : laterWords.of(id, laterWordOf);
}

/**
 * The entries one word can start (PhraseMatcher.collectFirst, in its order), arranged by what must
 * follow: a common first word starts dozens of phrases ("не" starts 47 cue patterns and 47 tag
 * rules), and testing each against the next words at every occurrence would cost more than all the
 * rest of a text. Entries whose second word is an exact word are listed by it, and those whose
 * second word matches by stem are listed by the stem, so the next token picks them out with a
 * lookup or two; the others (one word, or a second word matched by prefix) are tried at every
 * occurrence. The three lists keep the collectFirst order, and are walked merged.
 *
 * A second word matched by stem is listed by its stem alone: the word it is written as has that
 * stem too, so "the same text, or the same stem" comes down to the same stem.
 */
export class Continuations<T> {
  /** Indexes into `entries` of the entries tried at every occurrence. */
  private readonly open: readonly number[];
  /** Second word → indexes into `entries` of the entries it continues; null when there are none. */
  private readonly bySecond: Map<string, number[]> | null;
  /** Stem of the second word → indexes into `entries`; null when there are none. */
  private readonly bySecondStem: Map<string, number[]> | null;

  constructor(readonly entries: readonly PhraseEntry<T>[]) {
    const open: number[] = [];
    let bySecond: Map<string, number[]> | null = null;
    let bySecondStem: Map<string, number[]> | null = null;
    const list = (map: Map<string, number[]>, key: string, k: number) => {
      const indexes = map.get(key);
      if (indexes) indexes.push(k);
      else map.set(key, [k]);
    };
    entries.forEach((entry, k) => {
      const second = entry.words[1];
      if (second === undefined || second.prefix) open.push(k);
      else if (second.stem !== null) list((bySecondStem ??= new Map()), second.stem, k);
      else list((bySecond ??= new Map()), second.text, k);
    });
    this.open = open;
    this.bySecond = bySecond;
    this.bySecondStem = bySecondStem;
  }

  /** The entries listed under the text of the token after `index`, or null. */
  private followers(stream: TokenStream, index: number): readonly number[] | null {
    if (this.bySecond === null) return null;
    const next = index + 1;
    if (next >= stream.count || stream.kind[next] === K_PUNCT) return null;
    // A numbered word is asked first (kept per word); other tokens (emoji, links) are looked up.
    if (stream.word[next]! >= 0 && !laterWordAt(stream, next).text) return null;
    return this.bySecond.get(normAt(stream, next)) ?? null;
  }

  /** The entries listed under the stem of the word after `index`, or null. */
  private stemFollowers(stream: TokenStream, index: number): readonly number[] | null {
    if (this.bySecondStem === null) return null;
    const next = index + 1;
    if (next >= stream.count || stream.kind[next] !== K_WORD) return null;
    const stem = laterWordAt(stream, next).stem;
    return stem === null ? null : (this.bySecondStem.get(stem) ?? null);
  }

  /**
   * Writes every entry that matches at stream token `index` into `out` from its start, in
   * collectFirst's order, and returns how many: `out` is a buffer reused from token to token, and
   * emptying an array (setting its length) is a call into the runtime.
   */
  collectAt(stream: TokenStream, index: number, out: PhraseEntry<T>[]): number {
    let count = 0;
    for (const k of this.tried(stream, index)) {
      const entry = this.entries[k]!;
      if (entry.words.length === 1 || restMatchesInStream(entry.words, stream, index)) out[count++] = entry;
    }
    return count;
  }

  /** The matching entry that covers the most words at stream token `index`; among equals, the last in order. */
  longestAt(stream: TokenStream, index: number): PhraseEntry<T> | null {
    let best: PhraseEntry<T> | null = null;
    for (const k of this.tried(stream, index)) {
      const entry = this.entries[k]!;
      if (best !== null && entry.words.length < best.words.length) continue;
      if (entry.words.length === 1 || restMatchesInStream(entry.words, stream, index)) best = entry;
    }
    return best;
  }

  /** Indexes into `entries` of those to try at stream token `index`, in collectFirst's order: the open ones, and those the next word picks out. */
  private tried(stream: TokenStream, index: number): readonly number[] {
    const exact = this.followers(stream, index);
    const stemmed = this.stemFollowers(stream, index);
    if (exact === null && stemmed === null) return this.open;
    // One list alone is already in order: merged only when two have entries.
    if (this.open.length === 0) {
      if (stemmed === null) return exact!;
      if (exact === null) return stemmed;
    }
    return mergeAscending(this.open, exact ?? NONE, stemmed ?? NONE);
  }
}

const NONE: readonly number[] = [];

/** Three ascending lists of distinct numbers as one ascending list. */
function mergeAscending(a: readonly number[], b: readonly number[], c: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length || k < c.length) {
    const x = i < a.length ? a[i]! : Number.MAX_SAFE_INTEGER;
    const y = j < b.length ? b[j]! : Number.MAX_SAFE_INTEGER;
    const z = k < c.length ? c[k]! : Number.MAX_SAFE_INTEGER;
    if (x < y && x < z) merged.push(a[i++]!);
    else if (y < z) merged.push(b[j++]!);
    else merged.push(c[k++]!);
  }
  return merged;
}

/**
 * A matcher made once and run over many scanned texts (topic queries, exclude and context words):
 * what each word can start (collectFirst, as Continuations) is kept by word id, in an array made
 * when first asked and made again when the vocabulary has started again (its ids then stand for
 * other words). One per matcher, of which a configuration may have many: not in the word rows.
 */
export class StreamMatcher<T> {
  private byWord: Array<Continuations<T> | null | undefined> | null = null;
  private byWordGeneration = -1;

  constructor(readonly matcher: PhraseMatcher<T>) {}

  /**
   * Writes the entries that match at stream token t into `out` from its start, in collectFirst's
   * order (see Continuations.collectAt), and returns how many: 0 for punctuation, which starts none.
   */
  collectAt(stream: TokenStream, t: number, out: PhraseEntry<T>[]): number {
    if (stream.kind[t] === K_PUNCT) return 0;
    const candidates = this.candidatesAt(stream, t);
    return candidates === null ? 0 : candidates.collectAt(stream, t, out);
  }

  /** The entries stream token t (not punctuation) can start, in collectFirst's order; null for none. */
  private candidatesAt(stream: TokenStream, t: number): Continuations<T> | null {
    const id = stream.word[t]!;
    if (id < 0) return this.matcher.continuationsOf(normAt(stream, t), stream.kind[t] === K_WORD);
    const generation = vocabularyGeneration();
    if (this.byWord === null || this.byWordGeneration !== generation) {
      this.byWord = new Array<Continuations<T> | null | undefined>(MAX_WORDS).fill(undefined);
      this.byWordGeneration = generation;
    }
    let candidates = this.byWord[id];
    if (candidates === undefined) {
      candidates = this.matcher.continuationsOf(normAt(stream, t), true);
      this.byWord[id] = candidates;
    }
    return candidates;
  }
}
