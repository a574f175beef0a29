import { describe, expect, it } from 'vitest';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, QueryParseError, QuerySet, compileQuery, parseQuery } from '../../src/classify/query.js';
import { TokenStream, scanTokens, tokenize } from '../../src/classify/tokenize.js';

/** A text scanned into a stream of its own, as classification scans a mention. */
function scanned(text: string): TokenStream {
  const stream = new TokenStream();
  scanTokens(text, stream);
  return stream;
}

const matches = (query: string, text: string) => compileQuery(query).matches(scanned(text)) !== null;

function parseError(query: string): QueryParseError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QueryParseError) return err;
    throw err;
  }
  throw new Error(`expected "${query}" not to parse`);
}

describe('tokenize', () => {
  it('keeps offsets into the original text and folds case and ё', () => {
    const text = 'Ёлка, ACME’s app :( 😡';
    const tokens = tokenize(text);
    expect(tokens.map((t) => [t.text, t.kind])).toEqual([
      ['елка', 'word'],
      [',', 'punct'],
      ['acme', 'word'],
      ['app', 'word'],
      [':(', 'emoticon'],
      ['😡', 'emoji'],
    ]);
    const acme = tokens[2]!;
    expect(text.slice(acme.start, acme.end)).toBe('ACME');
  });

  it('reads Russian bracket smileys and keeps links whole', () => {
    const tokens = tokenize('спасибо))) см. https://acme.ru/x.');
    expect(tokens.map((t) => t.text)).toEqual(['спасибо', ':)', 'см', '.', 'https://acme.ru/x', '.']);
    expect(tokens[4]!.kind).toBe('url');
  });

  it('does not take "re:Design" or a time for emoticons', () => {
    expect(tokenize('re:Design at 10:30').some((t) => t.kind === 'emoticon')).toBe(false);
  });
});

describe('parseQuery', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    const ast = parseQuery('a OR b c NOT d');
    expect(ast.type).toBe('or');
    if (ast.type !== 'or') return;
    expect(ast.children[0]).toMatchObject({ type: 'term', source: 'a' });
    expect(ast.children[1]).toMatchObject({ type: 'and', children: [{ source: 'b' }, { source: 'c' }, { type: 'not', child: { source: 'd' } }] });
  });

  it('treats Russian upper-case operators as operators and lower-case ones as words', () => {
    expect(parseQuery('банк ИЛИ кредит').type).toBe('or');
    expect(parseQuery('банк или кредит').type).toBe('and');
    expect(matches('acme НЕ работа', 'acme работа')).toBe(false);
    expect(matches('"не работает"', 'приложение не работает')).toBe(true);
  });

  it('reports the position of an unclosed parenthesis', () => {
    const err = parseError('(acme OR bank');
    expect(err.position).toBe(13);
    expect(err.message).toBe('expected ")" at position 13');
  });

  it('reports stray parentheses, dangling operators and unterminated phrases with positions', () => {
    expect(parseError('acme)').position).toBe(4);
    expect(parseError('acme AND').position).toBe(8);
    expect(parseError('acme OR OR bank').position).toBe(8);
    const phrase = parseError('acme "mobile bank');
    expect(phrase.position).toBe(5);
    expect(phrase.message).toMatch(/at position 5$/);
    expect(parseError('').message).toMatch(/empty query/);
    expect(parseError('acme ()').position).toBe(5);
  });

  it('rejects misplaced wildcards and too short prefixes', () => {
    expect(parseError('ac*me').position).toBe(2);
    expect(parseError('a*').position).toBe(1);
    expect(parseError('bank "a* app"').position).toBe(7);
  });

  it('rejects NEAR without a distance and over AND groups', () => {
    expect(parseError('acme NEAR bank').position).toBe(5);
    expect(parseError('(a b) NEAR/2 c').message).toMatch(/NEAR joins/);
  });

  it('rejects a query that only excludes', () => {
    expect(parseError('NOT acme').message).toMatch(/only excludes/);
    expect(parseError('acme OR NOT bank').message).toMatch(/only excludes/);
    expect(() => parseQuery('acme NOT bank')).not.toThrow();
  });

  it('guards against pathological input', () => {
    const deep = '('.repeat(MAX_QUERY_DEPTH + 1) + 'a' + ')'.repeat(MAX_QUERY_DEPTH + 1);
    expect(parseError(deep).message).toMatch(/nesting deeper/);
    expect(parseError('NOT '.repeat(MAX_QUERY_DEPTH + 1) + 'a').message).toMatch(/nesting deeper/);
    expect(parseError('a '.repeat(MAX_QUERY_LENGTH)).position).toBe(MAX_QUERY_LENGTH);
    expect(() => parseQuery('('.repeat(MAX_QUERY_DEPTH) + 'a' + ')'.repeat(MAX_QUERY_DEPTH))).not.toThrow();
  });
});

describe('compileQuery', () => {
  it('matches whole words only, Latin and Cyrillic', () => {
    expect(matches('acme', 'I love Acme!')).toBe(true);
    expect(matches('acme', 'welcome to acmeville')).toBe(false);
    expect(matches('acme*', 'welcome to acmeville')).toBe(true);
    expect(matches('банк', 'мой банк опять')).toBe(true);
    expect(matches('банк', 'банкомат сломался')).toBe(false);
    expect(matches('банк*', 'банкомат сломался')).toBe(true);
    expect(matches('клин*', 'КЛИНИКА на углу')).toBe(true);
  });

  it('folds ё and finds @handles, #hashtags and possessives', () => {
    expect(matches('ещё', 'еще раз')).toBe(true);
    expect(matches('acme', 'thanks @Acme')).toBe(true);
    expect(matches('acme', '#acme rocks')).toBe(true);
    expect(matches('acme', "Acme's support")).toBe(true);
  });

  it('matches phrases only with the words adjacent and in order', () => {
    expect(matches('"acme bank"', 'new Acme Bank app')).toBe(true);
    expect(matches('"acme bank"', 'bank of acme')).toBe(false);
    expect(matches('"acme bank"', 'acme, bank')).toBe(false);
    expect(matches('«акме банк»', 'Акме Банк снова')).toBe(true);
    expect(matches('"мобильн* банк*"', 'мобильный банкинг')).toBe(true);
    expect(matches('acme.com', 'go to acme.com now')).toBe(true);
  });

  it('evaluates precedence on texts', () => {
    const query = 'acme OR bank app NOT scam';
    expect(matches(query, 'acme scam')).toBe(true);
    expect(matches(query, 'bank app')).toBe(true);
    expect(matches(query, 'bank app scam')).toBe(false);
    expect(matches(query, 'bank only')).toBe(false);
    expect(matches('(acme OR bank) app', 'acme app')).toBe(true);
    expect(matches('(acme OR bank) app', 'acme')).toBe(false);
  });

  it('counts NEAR distance in words between the terms, either order', () => {
    expect(matches('acme NEAR/2 refund', 'acme never sent my refund')).toBe(false);
    expect(matches('acme NEAR/3 refund', 'acme never sent my refund')).toBe(true);
    expect(matches('acme NEAR/3 refund', 'refund from acme')).toBe(true);
    expect(matches('acme NEAR/0 bank', 'acme bank')).toBe(true);
    expect(matches('acme NEAR/0 bank', 'acme big bank')).toBe(false);
    expect(matches('(acme OR акме) NEAR/1 "не работает"', 'акме опять не работает')).toBe(true);
  });

  it('lists the matched terms with offsets as evidence, none from NOT', () => {
    const text = 'Acme bank: clinic refund';
    const match = compileQuery('(acme OR zeta) клин* OR clinic NOT fraud').matches(scanned(text));
    expect(match).not.toBeNull();
    const quoted = match!.hits.map((hit) => [hit.term, text.slice(hit.start, hit.end)]);
    expect(quoted).toEqual([['clinic', 'clinic']]);
    const near = compileQuery('acme NEAR/3 refund').matches(scanned(text))!;
    expect(near.hits.map((hit) => [hit.term, text.slice(hit.start, hit.end)])).toEqual([['acme NEAR/3 refund', text]]);
  });

  it('does not match emoji or links by accident', () => {
    expect(matches('acme', 'https://acme.com/page')).toBe(false);
    expect(matches('😡', 'acme 😡')).toBe(true);
  });
});

describe('morphology (Snowball stems)', () => {
  it('matches the inflected forms of a Russian word and of an English one', () => {
    for (const form of ['клинер', 'клинера', 'клинеру', 'клинеры', 'клинером']) expect(matches('клинер', `Вызвали ${form} от Акме`), form).toBe(true);
    expect(matches('refund', 'Still no refunds from Acme')).toBe(true);
    expect(matches('happy', 'pure happiness with acme')).toBe(true);
  });

  it('applies to each word of a phrase and to NEAR operands, and quotes the text as written', () => {
    expect(matches('"акме банк"', 'карта Акме Банка заблокирована')).toBe(true);
    expect(matches('"акме банк"', 'Акме, банк напротив')).toBe(false);
    expect(matches('доставка NEAR/2 акме', 'доставкой Акме недоволен')).toBe(true);
    const match = compileQuery('клинер').matches(scanned('Клинерами довольны'));
    expect(match?.hits).toEqual([{ term: 'клинер', start: 0, end: 9 }]);
  });

  it('does not stem short words, prefixes, or words that only share a beginning', () => {
    expect(matches('мтс', 'мтсы')).toBe(false);
    expect(matches('акме', 'акмеизм в поэзии')).toBe(false);
    expect(matches('клин*', 'клиника')).toBe(true);
    expect(matches('клинер', 'клиника')).toBe(false);
  });
});

describe('QuerySet', () => {
  const queries = [
    'acme OR "acme bank" OR клинер',
    'банк* NOT кредит',
    'refund NEAR/2 (money OR деньги)',
    '(delay OR late) AND flight NOT "on time"',
    'acme',
  ].map(compileQuery);
  const set = new QuerySet(queries);

  it('gives each query the match it gives alone, in one pass over the tokens', () => {
    const texts = [
      'Acme bank: клинера не вернули, refund my money',
      'Банку не доверяю, кредит не дали',
      'банковский вопрос',
      'The flight was late, not on time. Acme!',
      'flight on time, no delay',
      'nothing to see',
    ];
    for (const text of texts) {
      const stream = scanned(text);
      expect(set.matchAll(stream)).toEqual(queries.map((query) => query.matches(stream)));
    }
  });

  it('matches no query on a text without any of their words, and finds the shared word for every query', () => {
    expect(set.matchAll(scanned('nothing here')).every((match) => match === null)).toBe(true);
    const both = set.matchAll(scanned('ACME'));
    expect(both.map((match) => match !== null)).toEqual([true, false, false, false, true]);
    expect(both[0]!.hits).toEqual([{ term: 'acme', start: 0, end: 4 }]);
  });

  it('asks a query made elsewhere (a wrapper around a compiled one) on its own', () => {
    const inner = compileQuery('acme');
    const always = { source: inner.source, ast: inner.ast, matches: (stream: TokenStream) => inner.matches(stream) ?? { hits: [] } };
    const mixed = new QuerySet([always, compileQuery('bank')]);
    expect(mixed.matchAll(scanned('a bank'))).toEqual([{ hits: [] }, { hits: [{ term: 'bank', start: 2, end: 6 }] }]);
    expect(mixed.matchAll(scanned('Acme'))).toEqual([{ hits: [{ term: 'acme', start: 0, end: 4 }] }, null]);
  });
});
