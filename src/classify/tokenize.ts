/**
 * Tokenizer shared by topic queries, sentiment and tag rules, so that all of
 * them agree on what a "word" is. Tokens keep their character offsets into the
 * original text: evidence quotes the mention as written, not the folded form.
 */

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

// A fixed locale keeps lower-casing independent of the machine's (a Turkish locale maps I to dotless ı).
const LOWER_CASE_LOCALE = 'und';

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

const TOKEN_PATTERN = new RegExp(`(${URL})|(${EMOTICON})|(${WORD})|(${EMOJI})|(${PUNCT})`, 'gu');
const EMOJI_DECORATION = /\u{FE0F}|\p{Emoji_Modifier}/gu;

/** Splits text into tokens; pure, and allocation is one object per token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  if (text.length === 0) return tokens;
  let folded = text.toLocaleLowerCase(LOWER_CASE_LOCALE);
  // Rare characters change length when lower-cased (İ → i̇); then offsets must come from the original.
  const foldedAligned = folded.length === text.length;
  if (foldedAligned && folded.includes('ё')) folded = folded.replaceAll('ё', 'е');
  const pattern = TOKEN_PATTERN;
  pattern.lastIndex = 0;
  let pos = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const start = m.index;
    let end = start + m[0].length;
    let kind: TokenKind;
    let norm: string;
    if (m[1] !== undefined) {
      kind = 'url';
      norm = m[1];
    } else if (m[2] !== undefined) {
      kind = 'emoticon';
      norm = canonicalEmoticon(m[2]);
    } else if (m[3] !== undefined) {
      kind = 'word';
      const possessive = possessiveLength(text, start, end);
      end -= possessive;
      norm = foldedAligned ? folded.slice(start, end) : foldWord(text.slice(start, end));
      if (norm.includes('’')) norm = norm.replaceAll('’', "'");
    } else if (m[4] !== undefined) {
      kind = 'emoji';
      norm = m[4].length > 1 ? m[4].replace(EMOJI_DECORATION, '') : m[4];
    } else {
      kind = 'punct';
      tokens.push({ text: m[0], start, end, kind, pos });
      continue;
    }
    tokens.push({ text: norm, start, end, kind, pos });
    pos++;
  }
  return tokens;
}

function foldWord(word: string): string {
  const lower = word.toLocaleLowerCase(LOWER_CASE_LOCALE);
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
export function isShouting(text: string, token: Token): boolean {
  if (token.kind !== 'word' || token.end - token.start < 2) return false;
  const original = text.slice(token.start, token.end);
  return original !== token.text && original === original.toLocaleUpperCase(LOWER_CASE_LOCALE) && UPPER_LETTERS.test(original);
}
const UPPER_LETTERS = /\p{Lu}.*\p{Lu}/u;
