import { describe, expect, it } from 'vitest';
import { analyzeTags } from '../../src/classify/tags.js';
import type { TagResult } from '../../src/classify/tags.js';
import { TokenStream, scanTokens } from '../../src/classify/tokenize.js';
import type { Sentiment } from '../../src/classify/types.js';

// The sentiment is given, not computed: these tests pin the tag rules, not the lexicons.
function tagsOf(text: string, sentiment: Sentiment = 'neutral'): TagResult {
  const score = sentiment === 'negative' ? -0.6 : sentiment === 'positive' ? 0.6 : 0;
  const stream = new TokenStream();
  scanTokens(text, stream);
  return analyzeTags(stream, { sentiment, score, evidence: [] });
}
const tags = (text: string, sentiment: Sentiment = 'neutral') => tagsOf(text, sentiment).tags;
const isSpam = (text: string, sentiment: Sentiment = 'neutral') => tagsOf(text, sentiment).spam;

describe('urgent', () => {
  it('tags refunds and legal threats, in Russian and English', () => {
    for (const text of [
      'Акме, верните деньги',
      'подам в суд на Акме',
      'разберётся суд',
      'пишу жалобу в Роспотребнадзор',
      'обращусь в прокуратуру',
      'I want a refund from acme',
      'acme refunded nothing so far',
      'my lawyer will contact acme',
      'I will sue acme',
    ]) {
      expect(tags(text, 'negative'), text).toContain('urgent');
    }
  });

  it('tags safety, a blocked account and an outage', () => {
    for (const text of [
      'отравился после обеда в Акме',
      'она отравилась их йогуртом',
      'зарядка Акме загорелась ночью',
      'the acme charger caught fire',
      'my son got injured by the acme scooter',
      'Акме заблокировали карту без объяснений',
      'acme account suspended for no reason',
      'приложение Акме не работает весь день',
      'acme is down for everyone',
    ]) {
      expect(tags(text, 'negative'), text).toContain('urgent');
    }
  });

  it('does not take a judging phrase, a positive refund or ordinary words for urgent', () => {
    expect(tags('судя по отзывам, Акме неплохой', 'neutral')).not.toContain('urgent');
    expect(tags('thanks acme for the quick refund!', 'positive')).not.toContain('urgent');
    expect(tags('acme is great', 'positive')).not.toContain('urgent');
    expect(tags('сегодня купил Акме', 'neutral')).not.toContain('urgent');
  });

  it('explains urgent with every hit and its weight', () => {
    const result = tagsOf('верните деньги, иначе суд', 'negative');
    expect(result.evidence).toContainEqual({ kind: 'rule', match: 'верните деньги', weight: 1, note: 'urgent (верните деньги)' });
    expect(result.evidence).toContainEqual({ kind: 'rule', match: 'суд', weight: 1, note: 'urgent (суд)' });
  });
});

describe('complaint', () => {
  it('tags failures in Russian and English, whatever the inflection', () => {
    expect(tags('посылка так и не пришла', 'negative')).toContain('complaint');
    expect(tags('приложение не работает', 'negative')).toContain('complaint');
    expect(tags('acme double charged me', 'negative')).toContain('complaint');
    expect(tags('the app keeps crashing', 'negative')).toContain('complaint');
  });

  it('counts two spellings of one pattern once', () => {
    const hits = tagsOf('приложение не работает', 'negative').evidence.filter((e) => e.note?.startsWith('complaint'));
    expect(hits).toHaveLength(1);
  });

  it('does not tag a neutral or happy mention without a problem', () => {
    expect(tags('Акме открыли новый офис', 'neutral')).not.toContain('complaint');
    expect(tags('acme works great', 'positive')).not.toContain('complaint');
  });
});

describe('question and lead', () => {
  it('tags a question by its words or by "?"', () => {
    expect(tags('подскажите, как вернуть товар в Акме')).toContain('question');
    expect(tags('how do i reset my acme password')).toContain('question');
    expect(tags('Акме работает в выходные?')).toContain('question');
    expect(tags('Акме работает в выходные')).not.toContain('question');
  });

  it('tags purchase intent in both languages', () => {
    for (const text of [
      'Где купить Акме в Казани?',
      'сколько стоит подписка Акме',
      'хочу подключить тариф Акме',
      'how much is acme premium?',
      'where can I buy acme headphones',
      'looking for a good phone plan, is acme any good?',
    ]) {
      expect(tags(text), text).toContain('lead');
    }
    expect(tags('Где купить Акме в Казани?')).toEqual(['question', 'lead']);
  });

  it('does not take impatience or a search for help for a lead', () => {
    expect(tags('how much longer do I have to wait, acme', 'negative')).not.toContain('lead');
    expect(tags('looking for help with my acme account', 'neutral')).not.toContain('lead');
    expect(tags('Акме выпустила новый телефон')).not.toContain('lead');
  });
});

describe('praise', () => {
  it('tags thanks and recommendations only when the mention is positive', () => {
    expect(tags('спасибо Акме, быстро помогли', 'positive')).toContain('praise');
    expect(tags('thank you acme, great job', 'positive')).toContain('praise');
    expect(tags('спасибо за ничего, Акме', 'negative')).not.toContain('praise');
    expect(tags('thanks for nothing acme', 'negative')).not.toContain('praise');
  });
});

describe('constructive / non-constructive', () => {
  it('tags a concrete problem constructive: an order number, an amount', () => {
    const result = tagsOf('Акме, верните деньги за заказ №5512093, списали дважды 1490 ₽', 'negative');
    expect(result.tags).toEqual(['urgent', 'complaint', 'constructive']);
    expect(result.evidence).toContainEqual(expect.objectContaining({ match: 'заказ №5512093', weight: 1, note: 'constructive: an order, ticket or account number' }));
    expect(result.evidence).toContainEqual(expect.objectContaining({ match: '1490', weight: 1, note: 'constructive: an amount of money' }));
    expect(result.evidence).toContainEqual(expect.objectContaining({ note: expect.stringMatching(/^constructive: names a concrete problem \(score [\d.]+, needs 1\)$/) }));
  });

  it('finds ids, amounts and dates written in several ways', () => {
    const notes = ['an order, ticket or account number', 'an amount of money', 'a date or time', 'a duration'];
    const detail = (text: string) =>
      tagsOf(text, 'negative')
        .evidence.map((e) => e.note?.replace(/^(non-)?constructive: /, '') ?? '')
        .filter((note) => notes.includes(note));
    expect(detail('ticket #4821, acme, seriously')).toEqual(['an order, ticket or account number']);
    expect(detail('заказ 481 так себе')).toEqual(['an order, ticket or account number']);
    expect(detail('acme took $50 from me')).toEqual(['an amount of money']);
    expect(detail('Акме, 500 рублей просто так')).toEqual(['an amount of money']);
    expect(detail('Акме, 1490р за это?')).toEqual(['an amount of money']);
    expect(detail('ordered on March 3, acme, thanks a lot')).toEqual(['a date or time']);
    expect(detail('заказал 12 марта, Акме — позор')).toEqual(['a date or time']);
    expect(detail('с 12.03 жду, Акме')).toEqual(['a date or time']);
    expect(detail('жду уже 3 недели, Акме')).toEqual(['a duration']);
    expect(detail('acme, 2 hours on hold')).toEqual(['a duration']);
  });

  it('tags a failed feature or process constructive, in both languages', () => {
    expect(tags('приложение Акме вылетает при оплате', 'negative')).toContain('constructive');
    expect(tags('курьер Акме опоздал на три часа', 'negative')).toContain('constructive');
    expect(tags('acme app crashes when I tap pay', 'negative')).toContain('constructive');
    expect(tags('my acme parcel never arrived', 'negative')).toContain('constructive');
  });

  it('forgets the details of the text before, with evidence and without', () => {
    const bare = (text: string) => {
      const stream = new TokenStream();
      scanTokens(text, stream);
      return analyzeTags(stream, { sentiment: 'negative', score: -0.6, evidence: [] }, false).tags;
    };
    for (const classify of [tags, bare]) {
      expect(classify('Акме, заказ №5512093 и 1490 ₽ в 12:30, жду 3 недели', 'negative')).toContain('constructive');
      expect(classify('Акме — отстой, ненавижу', 'negative')).toEqual(['non-constructive']);
    }
  });

  it('tags abuse without a stated problem non-constructive, with the insults as evidence', () => {
    const result = tagsOf('Акме — отстой, ненавижу', 'negative');
    expect(result.tags).toEqual(['non-constructive']);
    expect(result.evidence).toContainEqual({ kind: 'rule', match: 'отстой', weight: 1, note: 'non-constructive: abuse (отстой*)' });
    expect(result.evidence).toContainEqual(expect.objectContaining({ note: 'non-constructive: negative without a concrete problem (score 0, needs 1)' }));
    expect(tags('acme you are idiots, worst company ever', 'negative')).toEqual(['non-constructive']);
  });

  it('does not take a product noun alone for a concrete problem (the old bug)', () => {
    expect(tags('Акме, приложение — говно', 'negative')).toEqual(['non-constructive']);
    expect(tags('acme app sucks', 'negative')).toEqual(['non-constructive']);
    expect(tags('сайт и приложение Акме — отстой', 'negative')).toEqual(['non-constructive']);
    // ...but a feature with a time frame names a problem
    expect(tags('Акме, приложение с утра — отстой', 'negative')).toContain('constructive');
  });

  it('gives a negative mention exactly one of the two, and other mentions neither', () => {
    const both = ['constructive', 'non-constructive'];
    for (const text of ['Акме — отстой', 'заказ 12345 не пришёл', 'acme sucks', 'acme lost my bag']) {
      expect(tags(text, 'negative').filter((t) => both.includes(t)), text).toHaveLength(1);
    }
    for (const text of ['заказ 12345 пришёл, спасибо', 'Акме открыли офис', 'acme order 123456 arrived today']) {
      expect(tags(text, 'positive').filter((t) => both.includes(t)), text).toEqual([]);
      expect(tags(text, 'neutral').filter((t) => both.includes(t)), text).toEqual([]);
    }
  });

  it('treats a complaint the lexicons scored neutral as a negative mention', () => {
    expect(tags('посылка не пришла', 'neutral')).toEqual(['complaint', 'constructive']);
  });
});

describe('spam', () => {
  it('catches giveaways and contests', () => {
    expect(isSpam('Розыгрыш! Репост и подписка на @acme — выиграй iPhone')).toBe(true);
    expect(isSpam('Разыгрываем три подписки Акме среди подписчиков')).toBe(true);
    expect(isSpam('GIVEAWAY: retweet to win an acme phone')).toBe(true);
    expect(isSpam('Acme giveaway winners announced')).toBe(true);
  });

  it('catches crypto and easy-money offers', () => {
    expect(isSpam('Заработок на крипте без вложений, пиши в лс')).toBe(true);
    expect(isSpam('USDT каждый день, криптовалюта — это просто')).toBe(true);
    expect(isSpam('Free acme airdrop, claim now')).toBe(true);
    expect(isSpam('passive income with acme, DM me')).toBe(true);
  });

  it('catches a reward for signing up, a few words apart, in either order', () => {
    const result = tagsOf('Получи 500 рублей за регистрацию в Акме');
    expect(result.spam).toBe(true);
    expect(result.evidence).toContainEqual({
      kind: 'spam',
      match: 'Получи 500 рублей за регистрацию',
      weight: 2,
      note: 'spam: "получи" near "регистрац*" (reward for sign-up)',
    });
    expect(isSpam('За регистрацию в Акме — получите бонус')).toBe(true);
    expect(isSpam('Sign up for acme and get $20')).toBe(true);
    // too far apart, or the customer's own "получил"
    expect(isSpam('Получите справку в отделении, для этого нужна паспортная регистрация в Акме')).toBe(false);
    expect(isSpam('я так и не получил бонус за регистрацию в Акме', 'negative')).toBe(false);
  });

  it('catches referral and promo-code blasts', () => {
    expect(isSpam('Используй промокод ACME50 в Акме https://promo.example/acme')).toBe(true);
    expect(isSpam('use my referral code JOHN10 for acme https://acme.example/r/john')).toBe(true);
    expect(isSpam('регистрируйся в Акме по моей реферальной ссылке https://acme.example/r/1')).toBe(true);
  });

  it('catches link-only posts and too many hashtags or handles', () => {
    const linkOnly = tagsOf('acme https://t.co/abc123');
    expect(linkOnly.spam).toBe(true);
    expect(linkOnly.evidence).toContainEqual(expect.objectContaining({ kind: 'spam', weight: 2, note: 'spam: the text is essentially a link (1 word(s) besides)' }));
    expect(isSpam('https://acme.example/x')).toBe(true);
    expect(isSpam('#acme #sale #deal #promo #shop #buy #cheap')).toBe(true);
    expect(isSpam('@a @b @c @d @e @f look at acme')).toBe(true);
    expect(isSpam('#acme #support')).toBe(false);
  });

  it('leaves customers alone: a promo code, a link, crypto or a contest question', () => {
    expect(isSpam('my acme promo code does not work at checkout', 'negative')).toBe(false);
    expect(isSpam('acme support answered in five minutes, details here https://blog.example/post', 'positive')).toBe(false);
    expect(isSpam('Акме, когда добавите оплату криптой?')).toBe(false);
    expect(isSpam('Акме, где посмотреть итоги конкурса?')).toBe(false);
    expect(isSpam('my referral bonus never arrived, acme', 'negative')).toBe(false);
  });

  it('puts every spam hit in the evidence with its weight, and a total', () => {
    const result = tagsOf('Розыгрыш! Репост и подписка — выиграй приз https://x.example/a');
    expect(result.spam).toBe(true);
    const spam = result.evidence.filter((e) => e.kind === 'spam');
    expect(spam).toContainEqual({ kind: 'spam', match: 'Розыгрыш', weight: 2, note: 'spam rule (розыгрыш*)' });
    expect(spam).toContainEqual({ kind: 'spam', match: 'выиграй', weight: 1.5, note: 'spam rule (выиграй*)' });
    expect(spam).toContainEqual({ kind: 'spam', match: '', weight: 0.5, note: 'spam: 1 link(s)' });
    expect(spam.at(-1)).toEqual({ kind: 'spam', match: '', weight: 0, note: 'spam: score 7, threshold 2' });
    const total = spam.reduce((sum, e) => sum + e.weight, 0);
    expect(total).toBe(7);
  });

  it('adds no spam evidence when it is not spam', () => {
    expect(tagsOf('my acme promo code does not work', 'negative').evidence.some((e) => e.kind === 'spam')).toBe(false);
  });
});

describe('analyzeTags', () => {
  it('is deterministic and survives odd input', () => {
    for (const text of ['', '???', '\n\n', '🔥🔥🔥', '#', '@', '№', '12.', '1490₽', 'a'.repeat(5000), '𝔸𝕔𝕞𝕖 ’s', '\u0000\uffff']) {
      const first = tagsOf(text, 'negative');
      expect(tagsOf(text, 'negative')).toEqual(first);
    }
  });
});
