/**
 * The topic query language.
 *
 *   acme                      the word "acme" (whole words, case-insensitive, ё = е) and its
 *                             inflections: клинер finds клинера, клинеру (Snowball stems, stem.ts)
 *   acme*                     words starting with "acme" (at least 2 characters before "*")
 *   "acme bank"  «акме банк»  the words in this order, next to each other (punctuation that
 *                             ends a clause, like ". " or ", ", breaks a phrase); "*" allowed per word
 *   a b          a AND b      both (adjacent terms are joined by AND)
 *   a OR b                    either
 *   NOT a                     a absent; `a NOT b` = a AND NOT b
 *   a NEAR/3 b                at most 3 words between a and b, in either order (NEAR/0 = adjacent);
 *                             operands are words, phrases, NEARs or OR-groups of them
 *   ( ... )                   grouping
 *
 * Precedence, tightest first: NEAR, NOT, AND, OR. Operators are recognised only in upper case,
 * in English or Russian (AND/И, OR/ИЛИ, NOT/НЕ): lower-case "and", "or", "не" are words to
 * look for, because brand names and Russian phrases contain them. A word is what the tokenizer
 * calls a word: "@acme" and "#acme" match `acme`, "acme.com" is the two words `acme com`, and
 * links are not searched. A query must look for something: `NOT acme` alone is rejected.
 */
import { PatternError, PhraseMatcher, StreamMatcher, parsePatternWords } from './patterns.js';
import type { PhraseEntry, WordPattern } from './patterns.js';
import type { TokenStream } from './tokenize.js';

export const MAX_QUERY_LENGTH = 4000;
export const MAX_QUERY_DEPTH = 32;
export const MAX_QUERY_TERMS = 300;
export const MAX_NEAR_DISTANCE = 100;

export type QueryNode =
  | { type: 'term'; source: string; words: WordPattern[]; position: number }
  | { type: 'phrase'; source: string; words: WordPattern[]; position: number }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'near'; distance: number; left: QueryNode; right: QueryNode; source: string };

type LeafNode = Extract<QueryNode, { type: 'term' | 'phrase' }>;

/** A query that cannot be parsed; `position` is the 0-based character index of the problem. */
export class QueryParseError extends Error {
  override readonly name = 'QueryParseError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Where a query matched: one hit per matched word, phrase or NEAR pair, with offsets into the text. */
export interface QueryHit {
  /** The query part that matched, as written in the query (`клин*`, `"acme bank"`, `a NEAR/2 b`). */
  term: string;
  start: number;
  end: number;
}

export interface QueryMatch {
  hits: QueryHit[];
}

export interface CompiledQuery {
  readonly source: string;
  readonly ast: QueryNode;
  /** The match over a scanned text (scanTokens), or null. */
  matches(stream: TokenStream): QueryMatch | null;
}

type LexKind = 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'near' | 'phrase' | 'term' | 'end';

interface Lexeme {
  kind: LexKind;
  /** Term or phrase text (without quotes). */
  text: string;
  position: number;
  /** Index just past the lexeme in the query. */
  end: number;
  distance: number;
}

const OPERATORS: ReadonlyMap<string, LexKind> = new Map([
  ['AND', 'and'],
  ['И', 'and'],
  ['OR', 'or'],
  ['ИЛИ', 'or'],
  ['NOT', 'not'],
  ['НЕ', 'not'],
]);
const NEAR_OPERATOR = /^NEAR\/(\d{1,4})$/;
const CLOSING_QUOTE: Readonly<Record<string, string>> = { '"': '"', '«': '»', '“': '”' };

function fail(message: string, position: number): never {
  throw new QueryParseError(`${message} at position ${position}`, position);
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a);
}

function lex(text: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  const push = (kind: LexKind, value: string, position: number, end: number, distance = 0) =>
    lexemes.push({ kind, text: value, position, end, distance });
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const ch = text.charAt(i);
    if (ch === '(' || ch === ')') {
      push(ch === '(' ? 'lparen' : 'rparen', ch, i, i + 1);
      i++;
      continue;
    }
    const closing = CLOSING_QUOTE[ch];
    if (closing !== undefined) {
      const close = text.indexOf(closing, i + 1);
      if (close === -1) fail(`missing closing ${closing} for the phrase that starts`, i);
      push('phrase', text.slice(i + 1, close), i, close + 1);
      i = close + 1;
      continue;
    }
    const start = i;
    while (i < text.length) {
      const c = text.charAt(i);
      if (isSpace(text.charCodeAt(i)) || c === '(' || c === ')' || CLOSING_QUOTE[c] !== undefined) break;
      i++;
    }
    const word = text.slice(start, i);
    const operator = OPERATORS.get(word);
    if (operator) {
      push(operator, word, start, i);
      continue;
    }
    if (word === 'NEAR' || word.startsWith('NEAR/')) {
      const near = NEAR_OPERATOR.exec(word);
      if (!near) fail('NEAR needs a distance in words, like NEAR/5,', start);
      const distance = Number(near[1]);
      if (distance > MAX_NEAR_DISTANCE) fail(`NEAR distance must be at most ${MAX_NEAR_DISTANCE}`, start);
      push('near', word, start, i, distance);
      continue;
    }
    push('term', word, start, i);
  }
  push('end', '', text.length, text.length);
  return lexemes;
}

class Parser {
  private index = 0;
  private terms = 0;

  constructor(
    private readonly text: string,
    private readonly lexemes: Lexeme[],
  ) {}

  parse(): QueryNode {
    if (this.peek().kind === 'end') fail('empty query', 0);
    const node = this.parseOr(0);
    const next = this.peek();
    if (next.kind !== 'end') fail(`unexpected "${next.text}"`, next.position);
    if (!lookingFor(node)) fail('the query only excludes; add a term to look for', 0);
    return node;
  }

  private peek(): Lexeme {
    return this.lexemes[this.index]!;
  }

  private take(): Lexeme {
    return this.lexemes[this.index++]!;
  }

  private parseOr(depth: number): QueryNode {
    const children = [this.parseAnd(depth)];
    while (this.peek().kind === 'or') {
      this.take();
      children.push(this.parseAnd(depth));
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  private parseAnd(depth: number): QueryNode {
    const children = [this.parseNot(depth)];
    for (;;) {
      const next = this.peek().kind;
      if (next === 'and') this.take();
      else if (next !== 'term' && next !== 'phrase' && next !== 'lparen' && next !== 'not') break;
      children.push(this.parseNot(depth));
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private parseNot(depth: number): QueryNode {
    if (this.peek().kind !== 'not') return this.parseNear(depth);
    const not = this.take();
    if (depth >= MAX_QUERY_DEPTH) fail(`nesting deeper than ${MAX_QUERY_DEPTH} levels`, not.position);
    return { type: 'not', child: this.parseNot(depth + 1) };
  }

  private parseNear(depth: number): QueryNode {
    const start = this.peek().position;
    let left = this.parsePrimary(depth);
    while (this.peek().kind === 'near') {
      const near = this.take();
      if (!positional(left)) fail('NEAR joins words, phrases or OR-groups of them, not AND or NOT,', near.position);
      const rightStart = this.peek().position;
      const right = this.parsePrimary(depth);
      if (!positional(right)) fail('NEAR joins words, phrases or OR-groups of them, not AND or NOT,', rightStart);
      const end = this.lexemes[this.index - 1]!.end;
      left = { type: 'near', distance: near.distance, left, right, source: this.text.slice(start, end) };
    }
    return left;
  }

  private parsePrimary(depth: number): QueryNode {
    const lexeme = this.take();
    switch (lexeme.kind) {
      case 'lparen': {
        if (depth >= MAX_QUERY_DEPTH) fail(`nesting deeper than ${MAX_QUERY_DEPTH} levels`, lexeme.position);
        if (this.peek().kind === 'rparen') fail('empty parentheses', lexeme.position);
        const inner = this.parseOr(depth + 1);
        const close = this.peek();
        if (close.kind !== 'rparen') fail('expected ")"', close.position);
        this.take();
        return inner;
      }
      case 'term':
      case 'phrase':
        return this.leaf(lexeme);
      case 'end':
        return fail('expected a term, found the end of the query,', lexeme.position);
      default:
        return fail(`expected a term, found "${lexeme.text}",`, lexeme.position);
    }
  }

  private leaf(lexeme: Lexeme): LeafNode {
    if (++this.terms > MAX_QUERY_TERMS) fail(`more than ${MAX_QUERY_TERMS} terms`, lexeme.position);
    const contentOffset = lexeme.kind === 'phrase' ? lexeme.position + 1 : lexeme.position;
    let words: WordPattern[];
    try {
      words = parsePatternWords(lexeme.text, { stem: true });
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      const message = lexeme.kind === 'phrase' && lexeme.text.trim() === '' ? 'empty phrase' : err.message;
      return fail(message, lexeme.kind === 'phrase' && lexeme.text.trim() === '' ? lexeme.position : contentOffset + err.offset);
    }
    const source = this.text.slice(lexeme.position, lexeme.end);
    return { type: lexeme.kind === 'phrase' ? 'phrase' : 'term', source, words, position: lexeme.position };
  }
}

/** True for nodes that stand at word positions: NEAR can measure distances to them. */
function positional(node: QueryNode): boolean {
  switch (node.type) {
    case 'term':
    case 'phrase':
    case 'near':
      return true;
    case 'or':
      return node.children.every(positional);
    default:
      return false;
  }
}

/** True when a match of this node requires some word to be present (it does not match by absence alone). */
function lookingFor(node: QueryNode): boolean {
  switch (node.type) {
    case 'not':
      return false;
    case 'and':
      return node.children.some(lookingFor);
    case 'or':
      return node.children.every(lookingFor);
    default:
      return true;
  }
}

/** Parses a query; throws QueryParseError with the position of the first problem. */
export function parseQuery(text: string): QueryNode {
  if (text.length > MAX_QUERY_LENGTH) fail(`query longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  return new Parser(text, lex(text)).parse();
}

/** A run of matched words, in word positions (for NEAR) and characters (for evidence). */
interface Span {
  from: number;
  to: number;
  start: number;
  end: number;
}

// Bounds the pairwise NEAR comparison on texts that repeat a term very often.
const MAX_SPANS = 64;

/** A compiled query with its leaves (words and phrases) numbered in query order, for a QuerySet. */
interface QueryParts {
  readonly ast: QueryNode;
  readonly leaves: readonly LeafNode[];
  readonly leafIds: Map<LeafNode, number>;
}

const queryParts = new WeakMap<CompiledQuery, QueryParts>();

/** Parses and compiles a query once; `matches` then runs over a scanned text without building regexes. */
export function compileQuery(text: string): CompiledQuery {
  const ast = parseQuery(text);
  const leaves: LeafNode[] = [];
  const leafIds = new Map<LeafNode, number>();
  collectLeaves(ast, leaves, leafIds);
  const parts: QueryParts = { ast, leaves, leafIds };
  const set = new QuerySet([parts]);
  const query: CompiledQuery = {
    source: text,
    ast,
    matches: (stream) => set.matchAll(stream)[0]!,
  };
  queryParts.set(query, parts);
  return query;
}

/** Which query and which of its leaves a matcher entry stands for. */
interface LeafRef {
  query: number;
  leaf: number;
}

/**
 * Many queries matched in one pass (topic matching): the leaves of every query go into one
 * phrase matcher, one walk over the tokens finds every leaf occurrence, and only the queries
 * with an occurrence evaluate their AND / OR / NOT / NEAR tree. A query with no occurrence
 * cannot match: parseQuery rejects queries that match by absence alone.
 */
export class QuerySet {
  /** Per query: its parts, or null for a CompiledQuery made elsewhere (a wrapper), asked on its own. */
  private readonly queries: ReadonlyArray<QueryParts | null>;
  private readonly opaque: ReadonlyArray<CompiledQuery | null>;
  private readonly matcher: StreamMatcher<LeafRef>;
  // Scratch for matchAll (synchronous, not re-entrant).
  private readonly found: PhraseEntry<LeafRef>[] = [];
  // Scratch for matchAll: per query, its leaves' occurrences (null between calls), and the queries given some.
  private readonly occurrences: Array<Occurrences | null>;
  private readonly touched: number[] = [];
  /** The queries made elsewhere, asked on their own. */
  private readonly opaqueIndexes: readonly number[];

  constructor(queries: readonly (CompiledQuery | QueryParts)[]) {
    this.queries = queries.map((query) => ('leaves' in query ? query : (queryParts.get(query) ?? null)));
    this.opaque = queries.map((query, index) => (this.queries[index] === null ? (query as CompiledQuery) : null));
    const entries: PhraseEntry<LeafRef>[] = [];
    this.queries.forEach((parts, query) => {
      parts?.leaves.forEach((leaf, id) => entries.push({ source: leaf.source, words: leaf.words, value: { query, leaf: id } }));
    });
    this.matcher = new StreamMatcher(new PhraseMatcher(entries));
    this.occurrences = new Array<Occurrences | null>(queries.length).fill(null);
    this.opaqueIndexes = this.opaque.flatMap((opaque, query) => (opaque === null ? [] : [query]));
  }

  /**
   * The match of each query over a scanned text, in the order given (null where it does not match).
   * Without `withHits` a match lists no hits: only whether each query matches is worked out.
   */
  matchAll(stream: TokenStream, withHits = true): Array<QueryMatch | null> {
    // Token indexes where each leaf of each query starts (null: none yet); most texts match few queries.
    const occurrences = this.occurrences;
    const touched = this.touched;
    const found = this.found;
    for (let i = 0; i < stream.count; i++) {
      const count = this.matcher.collectAt(stream, i, found);
      for (let k = 0; k < count; k++) {
        const { query, leaf } = found[k]!.value;
        let byLeaf = occurrences[query] ?? null;
        if (byLeaf === null) {
          // An array only for the leaves that occur: a query has ~10, a text hits one or two.
          byLeaf = new Array<number[] | undefined>(this.queries[query]!.leaves.length);
          occurrences[query] = byLeaf;
          touched.push(query);
        }
        (byLeaf[leaf] ??= []).push(i);
      }
    }
    const results = new Array<QueryMatch | null>(this.queries.length).fill(null);
    for (const query of this.opaqueIndexes) results[query] = this.opaque[query]!.matches(stream);
    for (const query of touched) {
      results[query] = evaluate(this.queries[query]!, stream, occurrences[query]!, withHits);
      occurrences[query] = null;
    }
    touched.length = 0;
    return results;
  }
}

/** Per leaf of a query, the token indexes where it occurs; undefined where it does not. */
type Occurrences = Array<number[] | undefined>;
const NONE: readonly number[] = [];

function evaluate(parts: QueryParts, stream: TokenStream, occurrences: Occurrences, withHits: boolean): QueryMatch | null {
  const state: EvalState = { stream, occurrences, leafIds: parts.leafIds };
  if (!holds(parts.ast, state)) return null;
  if (!withHits) return { hits: [] };
  const hits: QueryHit[] = [];
  collectHits(parts.ast, state, hits);
  return { hits };
}

function collectLeaves(node: QueryNode, leaves: LeafNode[], ids: Map<LeafNode, number>): void {
  switch (node.type) {
    case 'term':
    case 'phrase':
      ids.set(node, leaves.length);
      leaves.push(node);
      return;
    case 'and':
    case 'or':
      for (const child of node.children) collectLeaves(child, leaves, ids);
      return;
    case 'not':
      collectLeaves(node.child, leaves, ids);
      return;
    case 'near':
      collectLeaves(node.left, leaves, ids);
      collectLeaves(node.right, leaves, ids);
  }
}

interface EvalState {
  stream: TokenStream;
  occurrences: Occurrences;
  leafIds: Map<LeafNode, number>;
}

function holds(node: QueryNode, state: EvalState): boolean {
  switch (node.type) {
    case 'term':
    case 'phrase':
      return state.occurrences[state.leafIds.get(node)!] !== undefined;
    case 'and':
      for (const child of node.children) if (!holds(child, state)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (holds(child, state)) return true;
      return false;
    case 'not':
      return !holds(node.child, state);
    case 'near':
      return spansOf(node, state).length > 0;
  }
}

function spansOf(node: QueryNode, state: EvalState): Span[] {
  switch (node.type) {
    case 'term':
    case 'phrase': {
      const { stream } = state;
      const last = node.words.length - 1;
      return (state.occurrences[state.leafIds.get(node)!] ?? NONE).slice(0, MAX_SPANS).map((i) => {
        return { from: stream.pos[i]!, to: stream.pos[i + last]!, start: stream.start[i]!, end: stream.end[i + last]! };
      });
    }
    case 'or':
      return node.children.flatMap((child) => spansOf(child, state)).slice(0, MAX_SPANS);
    case 'near': {
      const spans: Span[] = [];
      const rights = spansOf(node.right, state);
      if (rights.length === 0) return spans;
      for (const a of spansOf(node.left, state)) {
        for (const b of rights) {
          const gap = b.from > a.to ? b.from - a.to - 1 : a.from > b.to ? a.from - b.to - 1 : -1;
          if (gap < 0 || gap > node.distance) continue;
          spans.push({ from: Math.min(a.from, b.from), to: Math.max(a.to, b.to), start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });
          if (spans.length >= MAX_SPANS) return spans;
        }
      }
      return spans;
    }
    default:
      return [];
  }
}

/** Evidence: the words behind a successful match; nothing from NOT branches or failed OR branches. */
function collectHits(node: QueryNode, state: EvalState, hits: QueryHit[]): void {
  switch (node.type) {
    case 'term':
    case 'phrase':
    case 'near':
      for (const span of spansOf(node, state)) hits.push({ term: node.source, start: span.start, end: span.end });
      return;
    case 'and':
      for (const child of node.children) collectHits(child, state, hits);
      return;
    case 'or':
      for (const child of node.children) if (holds(child, state)) collectHits(child, state, hits);
      return;
    case 'not':
      return;
  }
}
