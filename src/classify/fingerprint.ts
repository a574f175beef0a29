/**
 * A near-duplicate fingerprint, for grouping reposts and copy-paste campaigns: copies of a
 * text that differ only in links, @handles, #hashtags, numbers, emoji, emoticons, punctuation,
 * case (ё = е) or spacing share it. Pure: the same text always gives the same fingerprint.
 *
 * The text (in Unicode NFKC) is reduced to its words as the tokenizer folds them (the tokenizer
 * every rule uses), without links, @handles, #hashtags, numbers and a retweet's "RT" before a
 * handle, joined by single spaces; the fingerprint is the first 16 hex digits of its SHA-1.
 * A text with no such words (only links, handles, numbers or emoji) falls back to everything
 * it has but punctuation, so two different bare links do not collide; a text of punctuation
 * and spaces alone gets the fingerprint of the empty string.
 */
import { createHash } from 'node:crypto';
import spamRules from './rules/spam.json' with { type: 'json' };
import { tokenize } from './tokenize.js';

export const FINGERPRINT_LENGTH = 16;

/** When copies of one text become a campaign (rules/spam.json `copies`): distinct authors within a window. */
export const COPY_CAMPAIGN = { minAuthors: spamRules.copies.minAuthors, windowMs: spamRules.copies.windowDays * 86_400_000 } as const;

const HASH = 0x23;
const AT = 0x40;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const HYPHEN = 0x2d;

/** The normalised form textFingerprint hashes (exported for tests and for showing what was compared). */
export function fingerprintText(text: string): string {
  // NFKC folds look-alikes (full-width letters); "№" would become "No", so it goes first.
  const normalised = text.replaceAll('№', '#').normalize('NFKC');
  const tokens = tokenize(normalised);
  const words: string[] = [];
  // End of the last @handle or #hashtag word: "@acme_ru" and "@user@mastodon.social" are tokenized in pieces.
  let taggedEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'word') continue;
    if (isTagged(normalised, token.start, taggedEnd)) {
      taggedEnd = token.end;
      continue;
    }
    if (isNumber(token.text)) continue;
    // A retweet marker before the handle it quotes: "RT @acme: text" is a copy of "text".
    const next = tokens[i + 1];
    if (token.text === 'rt' && next?.kind === 'word' && isTagged(normalised, next.start, -1)) continue;
    words.push(token.text);
  }
  if (words.length > 0) return words.join(' ');
  // Nothing but links, handles, numbers or emoji: keep them, or every such post would look alike.
  return tokens
    .filter((token) => token.kind !== 'punct')
    .map((token) => token.text)
    .join(' ');
}

/** 16 hex digits (the start of a SHA-1) of the text's normalised form; see the module comment. */
export function textFingerprint(text: string): string {
  return createHash('sha1').update(fingerprintText(text), 'utf8').digest('hex').slice(0, FINGERPRINT_LENGTH);
}

/** Whether a word starting at `start` is (part of) a handle or hashtag: after "@" or "#", or joined to one by "_", "." or "-". */
function isTagged(text: string, start: number, taggedEnd: number): boolean {
  if (start === 0) return false;
  const before = text.charCodeAt(start - 1);
  if (before === HASH || before === AT) return true;
  return taggedEnd === start - 1 && (before === UNDERSCORE || before === DOT || before === HYPHEN);
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return word.length > 0;
}
