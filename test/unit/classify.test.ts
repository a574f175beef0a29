import { describe, expect, it } from 'vitest';
import { QueryParseError, RULES_VERSION, classifyMention, compileTopics, priorityOf, priorityParts, textDraft } from '../../src/classify/index.js';
import type { MentionDraft } from '../../src/sources/types.js';

function draft(text: string, extra: Partial<MentionDraft> = {}): MentionDraft {
  return {
    externalId: 'x1',
    url: null,
    author: 'someone',
    authorUrl: null,
    authorReach: null,
    title: null,
    text,
    lang: null,
    publishedAt: null,
    parentId: null,
    threadId: null,
    ...extra,
  };
}

const topics = compileTopics([
  { name: 'acme', query: 'acme OR акме OR "acme bank"', ownAccounts: ['@AcmeSupport', 'acme_ru'], exclude: ['acme corp*', 'мультфильм'] },
]);
const classify = (text: string, extra: Partial<MentionDraft> = {}) => classifyMention(draft(text, extra), topics);

describe('compileTopics', () => {
  it('names the topic in a query error and keeps the position', () => {
    let error: unknown;
    try {
      compileTopics([{ name: 'brand', query: '(acme OR bank', ownAccounts: [], exclude: [] }]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryParseError);
    expect((error as QueryParseError).message).toBe('topic "brand": expected ")" at position 13');
    expect((error as QueryParseError).position).toBe(13);
  });

  it('rejects a bad exclude pattern as a query error', () => {
    expect(() => compileTopics([{ name: 'b', query: 'acme', ownAccounts: [], exclude: ['a*'] }])).toThrow(/topic "b": exclude/);
  });

  it('rejects a bad context word, naming the list and the item', () => {
    const compile = (context: { require?: string[]; reject?: string[] }) => () =>
      compileTopics([{ name: 'mir', query: 'мир', ownAccounts: [], exclude: [], context }]);
    expect(compile({ require: ['карта', 'б*'] })).toThrow('topic "mir": context.require[1]: a wildcard needs at least 2 characters before "*"');
    expect(compile({ reject: ['***'] })).toThrow(/^topic "mir": context\.reject\[0\]: /);
    expect(compile({ require: [], reject: [] })).not.toThrow();
  });
});

describe('classifyMention', () => {
  it('drops a mention no topic matches, and keeps everything without topics', () => {
    expect(classify('nothing about the brand here')).toBeNull();
    const free = classifyMention(draft('anything at all'), []);
    expect(free).toMatchObject({ topics: [], relevance: 'relevant', rulesVersion: RULES_VERSION });
  });

  it('classifies title and text together and explains the topic match', () => {
    const result = classify('the app keeps crashing', { title: 'Acme Bank review' })!;
    expect(result.topics).toEqual(['acme']);
    expect(result.sentiment).toBe('negative');
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'query', match: 'Acme', note: 'topic "acme": acme' }));
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'query', match: 'Acme Bank' }));
    expect(result.evidence.some((e) => e.kind === 'lexicon' && e.weight < 0)).toBe(true);
  });

  it('marks posts of own accounts as own, by name or profile link, with no priority', () => {
    expect(classify('acme news: new app', { author: 'acmesupport' })!.relevance).toBe('own');
    expect(classify('acme news', { author: '@ACME_RU' })!.relevance).toBe('own');
    expect(classify('acme news', { author: 'Acme Russia', authorUrl: 'https://t.me/acme_ru' })!.relevance).toBe('own');
    const own = classify('acme app is broken', { author: '@acmesupport' })!;
    expect(own.priority).toBe(0);
    expect(own.evidence).toContainEqual(expect.objectContaining({ kind: 'own' }));
    expect(classify('acme news', { author: 'acmesupporter' })!.relevance).toBe('relevant');
  });

  it('never calls spam relevant, in Russian or English', () => {
    const spam = [
      'GIVEAWAY! Retweet to win a new phone from acme',
      'Free crypto airdrop for acme holders, claim your bitcoin now',
      'Розыгрыш от акме! Подпишись и сделай репост',
      'Получи 500 рублей за регистрацию в акме',
      'Используй промокод ACME50 в акме https://promo.example/acme',
      'acme https://t.co/abc123',
    ];
    for (const text of spam) {
      const result = classify(text)!;
      expect(result.relevance, text).toBe('spam');
      expect(result.priority, text).toBe(0);
      expect(result.evidence.some((e) => e.kind === 'spam'), text).toBe(true);
    }
  });

  it('does not take a customer writing about a promo code or a link for spam', () => {
    expect(classify('my acme promo code does not work at checkout')!.relevance).toBe('relevant');
    expect(classify('acme support answered in five minutes, details here https://blog.example/post')!.relevance).toBe('relevant');
  });

  it('marks a match irrelevant when an exclude word is present', () => {
    const result = classify('Acme Corporation annual report')!;
    expect(result.relevance).toBe('irrelevant');
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'exclude', match: 'Acme Corporation' }));
    expect(result.priority).toBe(0);
  });

  it('tags urgent, complaint and constructive for a concrete money problem', () => {
    const result = classify('Acme списали деньги дважды, верните деньги или пойду в роспотребнадзор')!;
    expect(result.sentiment).toBe('negative');
    expect(result.tags).toEqual(expect.arrayContaining(['urgent', 'constructive']));
    expect(result.tags).not.toContain('non-constructive');
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'rule', note: expect.stringMatching(/^urgent/) }));
  });

  it('tags urgent for a blocked account and an all-day outage', () => {
    expect(classify('acme заблокировали карту без объяснений')!.tags).toContain('urgent');
    expect(classify('acme app is down all day, nobody answers')!.tags).toContain('urgent');
    expect(classify('I will talk to my lawyer about acme')!.tags).toContain('urgent');
    expect(classify('acme is great')!.tags).not.toContain('urgent');
  });

  it('tells abuse without a problem (non-constructive) from a stated one', () => {
    const abuse = classify('acme you are idiots, worst company ever')!;
    expect(abuse.sentiment).toBe('negative');
    expect(abuse.tags).toContain('non-constructive');
    expect(abuse.tags).not.toContain('constructive');
    const order = classify('acme order 123456 never arrived, still waiting')!;
    expect(order.tags).toEqual(expect.arrayContaining(['complaint', 'constructive']));
  });

  it('tags questions, leads and praise', () => {
    expect(classify('does acme ship to Canada?')!.tags).toContain('question');
    expect(classify('сколько стоит подписка акме')!.tags).toContain('lead');
    expect(classify('where can I buy acme headphones')!.tags).toContain('lead');
    const praise = classify('thank you acme, great job!')!;
    expect(praise.tags).toContain('praise');
    expect(classify('thanks for nothing acme, worst service')!.tags).not.toContain('praise');
  });

  it('uses the stated language, else detects it', () => {
    expect(classify('акме отлично')!.lang).toBe('ru');
    expect(classify('acme is fine', { lang: 'de' })!.lang).toBe('de');
  });

  it('ranks an urgent negative above a neutral question above praise', () => {
    const urgent = classify('acme stole my money, I want a refund now')!;
    const question = classify('does acme work on sundays?')!;
    const praise = classify('love acme')!;
    expect(urgent.priority).toBeGreaterThan(question.priority);
    expect(question.priority).toBeGreaterThan(praise.priority);
  });
});

describe('classifyMention: the rule families end to end', () => {
  it('tags a refund demand with an order number and an amount urgent, complaint, constructive', () => {
    const result = classify('Акме, верните деньги за заказ №5512093, списали дважды 1490 ₽')!;
    expect(result.relevance).toBe('relevant');
    expect(result.tags).toEqual(['urgent', 'complaint', 'constructive']);
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'rule', match: 'заказ №5512093', note: 'constructive: an order, ticket or account number' }));
  });

  it('tags abuse without a problem non-constructive', () => {
    const result = classify('Акме — отстой, ненавижу')!;
    expect(result.sentiment).toBe('negative');
    expect(result.tags).toEqual(['non-constructive']);
  });

  it('marks a giveaway spam and a link-only post spam, with no priority', () => {
    for (const text of ['Розыгрыш! Репост и подписка на @acme — выиграй iPhone', 'акме https://t.co/x1']) {
      const result = classify(text)!;
      expect(result.relevance, text).toBe('spam');
      expect(result.priority, text).toBe(0);
    }
  });

  it('tags "where to buy" a lead and a question', () => {
    const result = classify('Где купить Акме в Казани?')!;
    expect(result.tags).toEqual(['question', 'lead']);
    expect(result.priority).toBeGreaterThan(classify('Акме открыли офис в Казани')!.priority);
  });

  it('stamps the current rules version', () => {
    expect(RULES_VERSION).toBe('2026.11-2');
    // With topics, a digest of their definitions joins the version, so a config change makes results stale.
    expect(classify('acme')!.rulesVersion).toMatch(/^2026\.11-2\+[0-9a-f]{8}$/);
    expect(classifyMention(textDraft('acme', null), [])!.rulesVersion).toBe(RULES_VERSION);
  });
});

describe('classifyMention: context words', () => {
  const mir = compileTopics([
    {
      name: 'mir',
      query: 'мир',
      ownAccounts: [],
      exclude: ['мир во всем мире'],
      context: { require: ['карт*', 'платежн* систем*', 'оплат*'], reject: ['труд май', 'война'] },
    },
    { name: 'apple', query: 'apple', ownAccounts: [], exclude: [], context: { require: ['iphone', 'mac*', 'ios'] } },
    { name: 'acme', query: 'acme', ownAccounts: [], exclude: [], context: { reject: ['road runner'] } },
  ]);
  const relevance = (text: string) => classifyMention(draft(text), mir)!;

  it('keeps a match with a required context word, in any inflection, and says which', () => {
    const result = relevance('Карта Мир не работает в терминале');
    expect(result.relevance).toBe('relevant');
    expect(result.evidence).toContainEqual({ kind: 'context', match: 'Карта', weight: 0, note: 'confirmed by a context word of topic "mir": карт*' });
    expect(relevance('не прошла оплата картой мир').relevance).toBe('relevant');
    expect(relevance('Мир как платежная система').relevance).toBe('relevant');
    expect(relevance('my apple iphone keeps crashing').relevance).toBe('relevant');
  });

  it('marks a match without any required word irrelevant, and says why', () => {
    const result = relevance('Весь мир смотрит финал');
    expect(result.relevance).toBe('irrelevant');
    expect(result.priority).toBe(0);
    expect(result.evidence).toContainEqual({
      kind: 'context',
      match: '',
      weight: 0,
      note: 'topic "mir" requires a context word, and none appears: карт*, платежн* систем*, оплат*',
    });
    expect(relevance('an apple a day keeps the doctor away').relevance).toBe('irrelevant');
  });

  it('marks a match with a reject word irrelevant, even with a required word', () => {
    const result = relevance('Мир, труд, май! Скидки по карте');
    expect(result.relevance).toBe('relevant'); // "труд май" is a phrase: a comma breaks it
    const rejected = relevance('Война и мир: карта сражений');
    expect(rejected.relevance).toBe('irrelevant');
    expect(rejected.evidence).toContainEqual({ kind: 'context', match: 'Война', weight: 0, note: 'rejected by a context word of topic "mir": война' });
    expect(relevance('acme vs road runner, the cartoon').relevance).toBe('irrelevant');
    expect(relevance('acme support is slow').relevance).toBe('relevant');
  });

  it('keeps exclude words working beside context words', () => {
    const result = relevance('Мир во всём мире и оплата картой');
    expect(result.relevance).toBe('irrelevant');
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'exclude', note: 'excluded by topic "mir": мир во всем мире' }));
  });

  it('is relevant when any matched topic stands', () => {
    const result = relevance('apple pie, оплата картой мир');
    expect(result.topics).toEqual(['mir', 'apple']);
    expect(result.relevance).toBe('relevant');
  });

  it('still calls spam spam before context', () => {
    expect(relevance('Розыгрыш! Карта Мир в подарок, репост').relevance).toBe('spam');
  });
});

describe('priorityOf', () => {
  it('follows the documented formula', () => {
    expect(priorityOf({ relevance: 'relevant', sentiment: 'negative', tags: ['urgent', 'complaint'], reach: 9999 })).toBe(120);
    expect(priorityOf({ relevance: 'relevant', sentiment: 'neutral', tags: ['question'], reach: null })).toBe(30);
    expect(priorityOf({ relevance: 'relevant', sentiment: 'positive', tags: ['praise'], reach: 0 })).toBe(10);
    expect(priorityOf({ relevance: 'spam', sentiment: 'negative', tags: ['urgent'], reach: 1e6 })).toBe(0);
    expect(priorityOf({ relevance: 'relevant', sentiment: 'neutral', tags: [], reach: -5 })).toBe(20);
  });

  it('names for explain the terms it adds up', () => {
    const input = { relevance: 'relevant' as const, sentiment: 'negative' as const, tags: ['urgent', 'complaint', 'praise'], reach: 9999 };
    const parts = priorityParts(input);
    expect(parts).toEqual([
      { part: 'sentiment negative', points: 50 },
      { part: 'tag urgent', points: 40 },
      { part: 'tag complaint', points: 10 },
      { part: 'reach 9999', points: 20 },
    ]);
    expect(parts.reduce((sum, term) => sum + term.points, 0)).toBe(priorityOf(input));
    expect(priorityParts({ ...input, relevance: 'own' })).toEqual([{ part: 'relevance own', points: 0 }]);
  });
});

describe('classifyMention with evidence: false', () => {
  it('gives the same classification with an empty evidence list, on and off topic', () => {
    const topics = compileTopics([{ name: 'acme', query: 'acme OR акме', ownAccounts: [], exclude: ['wile'] }]);
    const texts = ['Акме, верните деньги! Заказ 123456 не пришёл', 'Acme is great, thanks!', 'wile e coyote buys acme', 'nothing about it'];
    let withEvidence = 0;
    for (const text of texts) {
      for (const list of [topics, []]) {
        const full = classifyMention(draft(text), list);
        const bare = classifyMention(draft(text), list, { evidence: false });
        if (full === null) {
          expect(bare).toBeNull();
          continue;
        }
        if (full.evidence.length > 0) withEvidence++;
        expect(bare).toEqual({ ...full, evidence: [] });
      }
    }
    expect(withEvidence).toBeGreaterThanOrEqual(4);
  });

  it('shares its empty lists with no other result to change: they cannot be added to', () => {
    const first = classifyMention(draft('Acme, thanks!'), [], { evidence: false })!;
    const second = classifyMention(draft('Acme is down again'), [], { evidence: false })!;
    expect(() => (first.evidence as unknown[]).push({ kind: 'x', match: 'x', weight: 1 })).toThrow(TypeError);
    expect(() => (first.topics as string[]).push('acme')).toThrow(TypeError);
    expect(second.evidence).toEqual([]);
    expect(second.topics).toEqual([]);
  });

  it('gives each text its own result, though the stages reuse theirs between texts', () => {
    const first = classifyMention(draft('Acme, my order never arrived, terrible, refund now!'), [], { evidence: false })!;
    const copy = structuredClone(first);
    const second = classifyMention(draft('Acme, thanks a lot, great service?'), [], { evidence: false })!;
    expect(first).toEqual(copy);
    expect(second.sentiment).not.toBe(first.sentiment);
    expect(second.tags).not.toBe(first.tags);
    expect(second.tags).not.toEqual(first.tags);
  });
});
