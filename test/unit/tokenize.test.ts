import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenStream, scanTokens, tokenize } from '../../src/classify/tokenize.js';
import type { Token, TokenKind } from '../../src/classify/tokenize.js';

/**
 * The tokenizer as it was before the character scanner: one global Unicode pattern over the text.
 * The scanner must give exactly its tokens (boundaries, kinds, folding, ordinals).
 */
function tokenizeByPattern(text: string): Token[] {
  const URL = String.raw`(?:https?:\/\/|www\.)[^\s]*[^\s.,;:!?)\]'"»…]`;
  const EMOTICON =
    String.raw`[:;=]['’]?-?(?:[)\]]+|[(\[]+|D+|[Pp]+|[Oo]+|[\/\\|*])(?![\p{L}\p{N}\/])` +
    String.raw`|<\/?3(?!\p{N})|\){2,}|\({2,}|\^_?\^|[xX]D+(?![\p{L}\p{N}])`;
  const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*`;
  const EMOJI = String.raw`\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*`;
  const PUNCT = String.raw`[!?]+|[.;:,…]+(?=\s|$)|\n`;
  const pattern = new RegExp(`(${URL})|(${EMOTICON})|(${WORD})|(${EMOJI})|(${PUNCT})`, 'gu');
  const tokens: Token[] = [];
  if (text.length === 0) return tokens;
  let folded = text.toLocaleLowerCase('und');
  const aligned = folded.length === text.length;
  if (aligned && folded.includes('ё')) folded = folded.replaceAll('ё', 'е');
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
      norm = m[2]; // canonical spelling compared separately below
    } else if (m[3] !== undefined) {
      kind = 'word';
      const s = text.charCodeAt(end - 1);
      const apostrophe = text.charCodeAt(end - 2);
      if (end - start >= 3 && (s === 0x73 || s === 0x53) && (apostrophe === 0x27 || apostrophe === 0x2019)) end -= 2;
      norm = aligned ? folded.slice(start, end) : text.slice(start, end).toLocaleLowerCase('und').replaceAll('ё', 'е');
      norm = norm.replaceAll('’', "'");
    } else if (m[4] !== undefined) {
      kind = 'emoji';
      norm = m[4].length > 1 ? m[4].replace(/\u{FE0F}|\p{Emoji_Modifier}/gu, '') : m[4];
    } else {
      tokens.push({ text: m[0], start, end, kind: 'punct', pos });
      continue;
    }
    tokens.push({ text: norm, start, end, kind, pos });
    pos++;
  }
  return tokens;
}

/** Tokens compared with the reference: emoticons by their span (their canonical spelling is shared code). */
function comparable(tokens: Token[]): unknown[] {
  return tokens.map((t) => (t.kind === 'emoticon' ? { ...t, text: '' } : t));
}

function expectSameAsPattern(text: string): void {
  expect(comparable(tokenize(text)), JSON.stringify(text)).toEqual(comparable(tokenizeByPattern(text)));
}

describe('tokenize (character scanner)', () => {
  it('splits as the pattern does on tricky inputs', () => {
    const texts = [
      '',
      'Ёлка, ACME’s app :( 😡',
      'ЁЖИК ёжик Ёж ёё',
      "don't l'eau rock'n'roll O’Neil's 'quoted' it's' ''",
      'emoji 👍🏽 👨‍👩‍👧 ❤️ ❤ ☺️ 🇷🇺 #️⃣ 1️⃣ ©® ‼️ ⁉ word😡word 😡😡😡',
      ':) :-) :)))) :)a :))a :D :DD :Dx xD XDDD xDa x:D :P :pp :O :o :/ :\\ :| :* ;) =) :\'( :’-( :-- :- : ( :',
      '))) ((( ) ( )( ^^ ^_^ ^__^ <3 </3 <33 <3² <3x <35',
      'ftp://x re:Design 10:30 http://x.com/a?b=1, https://t.co/abc. www.acme.ru/… http:// https://. www. HTTP://X.COM xhttp://y',
      'a.b, c... d…e f… g?! h!!! ??? .,;: end.',
      'line\nbreak\r\ntab\there\u00a0nbsp\u2003em\u3000ideo',
      'cafe\u0301 e\u0301 \u0301x naïve résumé Ωμέγα İstanbul ǅ',
      'digits 1490₽ 12.03 2026-03-12 ½ ² ³ x² №5 #tag @handle e-mail@x.ru',
      '中文 العربية עברית ไทย 日本語テキスト',
      '\ud83d lone \udc00 surrogates \ud83d\ud83d',
      '“quotes” «ёлки» — dash – ‘single’ …',
      ':-)))) ;-] =] :[ :-[[ :-((((a :(a',
      'https://x.ru/a)b) (www.x.ru) "http://q.com"',
      'İ stays aligned? ﬁ ß ẞ',
    ];
    for (const text of texts) expectSameAsPattern(text);
  });

  it('matches the pattern on arbitrary strings of the characters it treats specially', () => {
    const special = [...'aAxXDPpOo hwtps:/.,;:!?…)(][^_<3>=\'’"-*|\\ \n\t\u00a0йЁё1²½\u0301😡👍🏽\u200d\ufe0f©#@'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...special, 'http://', 'https://', 'www.', ':-)', '<3'), maxLength: 40 }), (text) => {
        expectSameAsPattern(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches the pattern on arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expectSameAsPattern(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('canonicalises emoticons and keeps offsets into the original text', () => {
    const text = 'Ok :-)))) ))) :(( ;] :’( xDD </3 ^_^';
    expect(tokenize(text).map((t) => [t.text, t.kind, text.slice(t.start, t.end)])).toEqual([
      ['ok', 'word', 'Ok'],
      [':)', 'emoticon', ':-))))'],
      [':)', 'emoticon', ')))'],
      [':(', 'emoticon', ':(('],
      [';)', 'emoticon', ';]'],
      [":'(", 'emoticon', ':’('],
      [':D', 'emoticon', 'xDD'],
      ['</3', 'emoticon', '</3'],
      ['^^', 'emoticon', '^_^'],
    ]);
  });
});

describe('TokenStream.bracketOutsideTokens', () => {
  const outside = (text: string) => {
    const stream = new TokenStream();
    scanTokens(text, stream);
    return stream.bracketOutsideTokens;
  };

  it('is set by a bracket no token covers, and only by one', () => {
    expect(outside('деньги сняли(')).toBe(true);
    expect(outside('приобрету) спасибо')).toBe(true);
    expect(outside('(see above)')).toBe(true);
    expect(outside('great :) thanks :(')).toBe(false);
    expect(outside(')))')).toBe(false);
    expect(outside('https://example.com/a_(b)_c ok')).toBe(false);
    expect(outside('no brackets at all')).toBe(false);
  });

  it('starts over with each text', () => {
    const stream = new TokenStream();
    scanTokens('опять(', stream);
    scanTokens('всё хорошо', stream);
    expect(stream.bracketOutsideTokens).toBe(false);
  });
});
