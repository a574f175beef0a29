import { describe, expect, it } from 'vitest';
import { QueryParseError, RULES_VERSION, classifyMention, compileTopics, rulesVersionOf, textDraft } from '../../src/classify/index.js';
import type { TopicDefinition, TopicRuleDefinition } from '../../src/classify/index.js';
import { thrown } from '../helpers/thrown.js';

const topic = (name: string, query: string, rules: TopicRuleDefinition[] = []): TopicDefinition => ({ name, query, ownAccounts: [], exclude: [], rules });
const classifyWith = (topics: TopicDefinition[], text: string) => classifyMention(textDraft(text, null), compileTopics(topics));
const userEvidence = (result: ReturnType<typeof classifyWith>) => result!.evidence.filter((e) => e.kind === 'user-rule');

describe('user rules: sentiment', () => {
  it('a rule weight replaces the shipped one for the words it covers (en)', () => {
    const shipped = classifyWith([topic('acme', 'acme')], 'The new Acme board is sick');
    expect(shipped!.sentiment).toBe('negative');
    const ruled = classifyWith([topic('acme', 'acme', [{ match: 'sick', sentiment: 3 }])], 'The new Acme board is sick');
    expect(ruled!.sentiment).toBe('positive');
    expect(ruled!.evidence.filter((e) => e.kind === 'lexicon')).toEqual([]);
    expect(userEvidence(ruled)).toEqual([{ kind: 'user-rule', match: 'sick', weight: 3, note: 'topic "acme" rules[0]' }]);
  });

  it('weight 0 silences a shipped word and says so', () => {
    const result = classifyWith([topic('acme', 'acme', [{ match: 'killer', sentiment: 0 }])], 'Acme deals are killer');
    expect(result!.sentiment).toBe('neutral');
    expect(userEvidence(result)).toEqual([{ kind: 'user-rule', match: 'killer', weight: 0, note: 'topic "acme" rules[0]: weight 0 replaces any shipped weight' }]);
  });

  it('a Russian phrase matches its other inflections and is negated like a lexicon word', () => {
    const rules = [{ match: 'долго грузится', sentiment: -2.5 }];
    const plain = classifyWith([topic('acme', 'акме', rules)], 'Приложение Акме долго грузилось');
    expect(plain!.sentiment).toBe('negative');
    expect(userEvidence(plain)).toEqual([{ kind: 'user-rule', match: 'долго грузилось', weight: -2.5, note: 'topic "acme" rules[0]' }]);
    const negated = classifyWith([topic('acme', 'акме', rules)], 'Приложение Акме совсем не долго грузится');
    const hit = userEvidence(negated)[0]!;
    expect(hit.weight).toBeGreaterThan(-2.5);
    expect(hit.note).toContain("negated by 'не'");
  });

  it('the clause after a contrast weighs more, for rule words too', () => {
    const rules = [{ match: 'тормозит', sentiment: -2 }];
    const result = classifyWith([topic('acme', 'акме', rules)], 'Акме тормозит, но поддержка отличная');
    const hit = userEvidence(result)[0]!;
    expect(hit.weight).toBeGreaterThan(-2);
    expect(hit.note).toContain('before a contrast');
  });

  it('a regex rule adds its weight as it stands', () => {
    const result = classifyWith([topic('acme', 'acme', [{ regex: 'error\\s+\\d{3}', sentiment: -2 }])], 'Acme checkout shows ERROR 502 again');
    expect(result!.sentiment).toBe('negative');
    expect(userEvidence(result)).toContainEqual({ kind: 'user-rule', match: 'ERROR 502', weight: -2, note: 'topic "acme" rules[0]: regex' });
  });
});

describe('user rules: tags and relevance', () => {
  it('adds tags, own or shipped, and urgent raises priority', () => {
    const rules: TopicRuleDefinition[] = [
      { regex: 'заказ\\s*№?\\s*\\d{6,}', tags: ['order'] },
      { match: 'курьер*', tags: ['delivery', 'urgent'] },
    ];
    const plain = classifyWith([topic('acme', 'акме')], 'Акме, курьер не приехал, заказ 551209');
    const result = classifyWith([topic('acme', 'акме', rules)], 'Акме, курьер не приехал, заказ 551209');
    expect(result!.tags).toEqual(expect.arrayContaining(['order', 'delivery', 'urgent']));
    expect(result!.priority).toBeGreaterThan(plain!.priority);
    expect(userEvidence(result)).toEqual([
      { kind: 'user-rule', match: 'заказ 551209', weight: 0, note: 'topic "acme" rules[0]: tags order' },
      { kind: 'user-rule', match: 'курьер', weight: 0, note: 'topic "acme" rules[1]: tags delivery, urgent' },
    ]);
  });

  it('relevance spam and irrelevant override the shipped verdict; relevant overrides shipped spam', () => {
    const giveaway = 'Розыгрыш! Репост и подписка на @acme — выиграй iPhone от Акме';
    expect(classifyWith([topic('acme', 'акме OR acme')], giveaway)!.relevance).toBe('spam');
    const ours = classifyWith([topic('acme', 'акме OR acme', [{ match: 'выиграй iphone', relevance: 'relevant' }])], giveaway);
    expect(ours!.relevance).toBe('relevant');
    const promo = classifyWith([topic('acme', 'акме', [{ match: 'промокод*', relevance: 'spam' }])], 'Промокоды Акме на скидку тут');
    expect(promo!.relevance).toBe('spam');
    const vacancy = classifyWith([topic('acme', 'акме', [{ match: 'ваканси*', relevance: 'irrelevant' }])], 'Акме: вакансия курьера');
    expect(vacancy!.relevance).toBe('irrelevant');
    expect(userEvidence(vacancy)[0]!.note).toBe('topic "acme" rules[0]: relevance irrelevant');
  });

  it('the first relevance rule in config order decides for its topic', () => {
    const rules: TopicRuleDefinition[] = [
      { match: 'ваканси*', relevance: 'irrelevant' },
      { match: 'acme', relevance: 'relevant' },
    ];
    expect(classifyWith([topic('acme', 'acme', rules)], 'Acme posts a vacancy: вакансия')!.relevance).toBe('irrelevant');
  });

  it('a topic dismissed by its rule leaves another matched topic standing', () => {
    const topics = [topic('acme', 'acme', [{ match: 'job*', relevance: 'irrelevant' }]), topic('jobs', 'job*')];
    expect(classifyWith(topics, 'Acme job fair')!.relevance).toBe('relevant');
  });

  it('applies only the rules of topics the mention matched', () => {
    const topics = [topic('acme', 'acme'), topic('other', 'globex', [{ match: 'sick', sentiment: 3, tags: ['slang'] }])];
    const result = classifyWith(topics, 'Acme is sick');
    expect(result!.sentiment).toBe('negative');
    expect(result!.tags).not.toContain('slang');
    expect(userEvidence(result)).toEqual([]);
  });
});

describe('user rules: compiling and versions', () => {
  it('a bad match pattern names the topic and the rule', () => {
    const err = thrown(() => compileTopics([topic('acme', 'acme', [{ match: 'a*b', tags: ['x'] }])]));
    expect(err).toBeInstanceOf(QueryParseError);
    expect((err as Error).message).toBe('topic "acme": rules[0].match: "*" is allowed only at the end of a word');
  });

  it('the version joins a digest of the topics, which any change to a rule changes', () => {
    const one = [topic('acme', 'acme', [{ match: 'sick', sentiment: 3 }])];
    const two = [topic('acme', 'acme', [{ match: 'sick', sentiment: 2 }])];
    expect(rulesVersionOf([])).toBe(RULES_VERSION);
    expect(rulesVersionOf(one)).toMatch(/^2026\.11-2\+[0-9a-f]{8}$/);
    expect(rulesVersionOf(one)).toBe(rulesVersionOf([topic('acme', 'acme', [{ match: 'sick', sentiment: 3 }])]));
    expect(rulesVersionOf(two)).not.toBe(rulesVersionOf(one));
    expect(classifyWith(two, 'acme is sick')!.rulesVersion).toBe(rulesVersionOf(two));
  });
});
