import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/classify/lang.js';
import { analyzeSentiment } from '../../src/classify/sentiment.js';
import { tokenize } from '../../src/classify/tokenize.js';
import { findProfanity, maskProfanity } from '../../src/classify/profanity.js';
import type { Evidence } from '../../src/classify/types.js';

const score = (text: string) => analyzeSentiment(text).score;
const sentiment = (text: string) => analyzeSentiment(text).sentiment;
const evidenceOf = (text: string) => analyzeSentiment(text).evidence;
/** The evidence entry for a matched piece of text (as written in the text). */
const hit = (text: string, match: string): Evidence | undefined => evidenceOf(text).find((e) => e.match === match);

describe('negation', () => {
  it('flips a negated positive word, in English and Russian, and says so', () => {
    expect(sentiment('this is good')).toBe('positive');
    expect(sentiment('this is not good')).toBe('negative');
    expect(sentiment("it isn't good")).toBe('negative');
    expect(hit('the app is not good', 'good')).toMatchObject({ kind: 'lexicon', note: "negated by 'not'" });
    expect(hit('the app is not good', 'good')!.weight).toBeLessThan(0);
    expect(sentiment('мне не нравится новый тариф')).toBe('negative');
    expect(hit('мне не нравится новый тариф', 'нравится')).toMatchObject({ note: "negated by 'не'" });
    expect(sentiment('приложение работает отлично')).toBe('positive');
    expect(sentiment('приложение не работает')).toBe('negative');
  });

  it('reads a negated negative word as mildly positive, not as praise ("not bad", "не плохо")', () => {
    for (const [text, word] of [
      ['not bad', 'bad'],
      ['не плохо', 'плохо'],
    ] as const) {
      expect(sentiment(text)).toBe('positive');
      const e = hit(text, word)!;
      expect(e.note).toMatch(/^negated by/);
      expect(e.weight).toBeGreaterThan(0);
      expect(e.weight).toBeLessThan(1);
    }
  });

  it('reads "not very good" and "не очень хорошо" as a diminished opposite', () => {
    for (const [text, word, negator, booster] of [
      ['not very good', 'good', 'not', 'very'],
      ['не очень хорошо', 'хорошо', 'не', 'очень'],
    ] as const) {
      expect(sentiment(text)).toBe('negative');
      expect(hit(text, word)!.note).toBe(`negated by '${negator}' with '${booster}': diminished`);
    }
    // Weaker than a plain negation of the same word, which is weaker than the word's opposite.
    expect(score('не очень хорошо')).toBeGreaterThan(score('не хорошо'));
    expect(score('not very good')).toBeGreaterThan(score('bad'));
  });

  it('keeps negation within its clause and its scope of words', () => {
    expect(sentiment('not now. great service')).toBe('positive');
    expect(hit('not now. great service', 'great service')!.note).toBeUndefined();
    expect(sentiment('нет, спасибо, всё отлично')).toBe('positive');
    expect(hit('нет, спасибо, всё отлично', 'отлично')!.note).toBeUndefined();
    // "friendly" stands five words after "not": out of scope, so it is not flipped.
    const far = 'I did not expect the crew on this flight to be so friendly';
    expect(hit(far, 'friendly')!.weight).toBeGreaterThan(0);
    expect(sentiment(far)).toBe('positive');
  });

  it('keeps Russian double negation negative ("ни разу не ответили", "никто не отвечает")', () => {
    expect(sentiment('ни разу не ответили')).toBe('negative');
    expect(sentiment('сижу на линии уже час, никто не отвечает')).toBe('negative');
    expect(hit('никто не отвечает', 'никто не отвечает')).toMatchObject({ kind: 'lexicon' });
  });

  it('treats a negator that negates no sentiment word as a mild complaint', () => {
    for (const [text, negator] of [
      ['my bag still has not arrived', 'not'],
      ['the app no longer syncs', 'no longer'],
      ['заявку так и не рассмотрели', 'не'],
    ] as const) {
      expect(sentiment(text), text).toBe('negative');
      expect(evidenceOf(text)).toContainEqual(expect.objectContaining({ kind: 'negation', match: negator }));
    }
    // Not when nothing follows the negator in its clause ("No, thanks").
    expect(evidenceOf('No, thanks!').some((e) => e.kind === 'negation')).toBe(false);
  });

  it('knows idioms that only look negated', () => {
    expect(sentiment("can't wait for my trip")).toBe('positive');
    expect(analyzeSentiment('не за что')).toMatchObject({ sentiment: 'neutral', evidence: [] });
    expect(analyzeSentiment('no matter what')).toMatchObject({ sentiment: 'neutral', evidence: [] });
  });
});

describe('intensifiers and diminishers', () => {
  it('scales the next word and explains it', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(hit('very good', 'good')!.note).toBe("×1.3 by 'very'");
    expect(score('slightly bad')).toBeGreaterThan(score('bad'));
    expect(score('barely helpful')).toBeLessThan(score('helpful'));
    expect(score('очень плохо')).toBeLessThan(score('плохо'));
    expect(hit('очень плохо', 'плохо')!.note).toBe("×1.3 by 'очень'");
    expect(score('слегка плохо')).toBeGreaterThan(score('плохо'));
    expect(hit('совсем плохо', 'плохо')!.note).toBe("×1.3 by 'совсем'");
  });

  it('lets a swear word intensify the next sentiment word instead of counting on its own', () => {
    expect(sentiment('fucking amazing')).toBe('positive');
    expect(hit('fucking amazing', 'fucking')).toMatchObject({ kind: 'profanity', weight: 0, note: "intensifies 'amazing'" });
    expect(hit('fucking amazing', 'amazing')!.note).toBe("×1.5 by 'fucking'");
    expect(sentiment('пиздец как медленно')).toBe('negative');
    expect(hit('пиздец как медленно', 'медленно')!.note).toBe("×1.5 by 'пиздец'");
  });
});

describe('contrast and concession', () => {
  it('lets the clause after "but" / "но" weigh more', () => {
    expect(sentiment('good but the app keeps crashing')).toBe('negative');
    expect(sentiment('great app but slow')).toBe('negative');
    expect(sentiment('slow app but great support')).toBe('positive');
    expect(sentiment('доставка задержалась, но курьер был очень вежливый')).toBe('positive');
    expect(sentiment('курьер вежливый, но доставка опять задержалась')).toBe('negative');
    const evidence = evidenceOf('good but the app keeps crashing');
    expect(evidence.find((e) => e.match === 'good')!.note).toMatch(/before a contrast/);
    expect(evidence.find((e) => e.match === 'crashing')!.note).toMatch(/after a contrast/);
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'contrast', match: 'but', weight: 0 }));
  });

  it('limits a contrast to the sentence it stands in', () => {
    const text = 'Support was great. The app is slow, but it works.';
    expect(hit(text, 'great')!.note).toBeUndefined();
    expect(hit(text, 'slow')!.note).toBe('before a contrast');
    expect(sentiment(text)).toBe('positive');
    const ru = 'Поддержка отличная. Приложение тормозит, но работает.';
    expect(hit(ru, 'отличная')!.note).toBeUndefined();
    expect(hit(ru, 'тормозит')!.note).toBe('before a contrast');
  });

  it('weighs a concession less than its main clause, in either order', () => {
    for (const [text, conceded, meant] of [
      ['Although the flight was late, the crew was great', 'late', 'great'],
      ['Great crew, although the flight was late', 'late', 'Great'],
      ['Хотя рейс задержали, экипаж был прекрасный', 'задержали', 'прекрасный'],
    ] as const) {
      expect(sentiment(text), text).toBe('positive');
      expect(hit(text, conceded)!.note).toBe('in a concession');
      expect(hit(text, meant)!.note).toBe('after a contrast');
    }
  });
});

describe('emoji and emoticons', () => {
  it('reads emoji and emoticons, including Russian bracket runs', () => {
    expect(sentiment('заказ пришел 😍')).toBe('positive');
    expect(sentiment('order arrived 😡')).toBe('negative');
    expect(hit('order arrived 😡', '😡')).toMatchObject({ kind: 'emoji' });
    expect(sentiment('ну вот опять((')).toBe('negative');
    expect(sentiment('получил посылку)))')).toBe('positive');
    expect(hit('получил посылку)))', ')))')).toMatchObject({ kind: 'emoji' });
    expect(sentiment('ok :(')).toBe('negative');
  });

  it('reads an emoji the same after many thousand others (what each can start is kept, and the memo bounded)', () => {
    const texts = ['order arrived 😡', 'заказ пришел 😍 :)', 'ok 🔥🔥 :-(('];
    const before = texts.map((text) => analyzeSentiment(text));
    // 6,400 distinct emoji tokens (pairs joined by U+200D are one token each): more than the memo keeps.
    const faces = Array.from({ length: 80 }, (_, k) => String.fromCodePoint(0x1f600 + k));
    for (const first of faces) analyzeSentiment(faces.map((second) => `${first}\u200d${second}`).join(' '));
    expect(texts.map((text) => analyzeSentiment(text))).toEqual(before);
    expect(before[0]!.sentiment).toBe('negative');
    expect(before[1]!.sentiment).toBe('positive');
  });

  it('reads a lone bracket as a weak smiley, but not a parenthesis or a list marker', () => {
    expect(hit('первым приобрету)', ')')).toMatchObject({ kind: 'emoji', note: 'a lone bracket as a smiley' });
    expect(hit('сняли все деньги(', '(')).toMatchObject({ kind: 'emoji', note: 'a lone bracket as a smiley' });
    expect(sentiment('сняли все деньги(')).toBe('negative');
    expect(evidenceOf('(см. выше)')).toEqual([]);
    expect(evidenceOf('1) тариф 2) роуминг')).toEqual([]);
    expect(evidenceOf('fares from $59 (+taxes)')).toEqual([]);
  });
});

describe('exclamation and capitals', () => {
  it('amplifies with exclamation marks, and explains it', () => {
    expect(score('terrible!!!')).toBeLessThan(score('terrible'));
    expect(score('отлично!!')).toBeGreaterThan(score('отлично'));
    expect(evidenceOf('terrible!!!')).toContainEqual(expect.objectContaining({ kind: 'punctuation', match: '!!!', note: 'exclamation amplifies' }));
  });

  it('adds weight to a word in capitals, unless the whole text is in capitals', () => {
    expect(score('the service is TERRIBLE')).toBeLessThan(score('the service is terrible'));
    expect(hit('the service is TERRIBLE', 'TERRIBLE')!.note).toBe('in capitals');
    expect(hit('THE SERVICE IS TERRIBLE', 'TERRIBLE')!.note).toBeUndefined();
    expect(hit('связь УЖАСНАЯ', 'УЖАСНАЯ')!.note).toBe('in capitals');
  });
});

describe('profanity', () => {
  it('scores profanity as strong negative and masks it', () => {
    expect(sentiment('fuck this')).toBe('negative');
    expect(hit('fuck this', 'fuck')).toMatchObject({ kind: 'profanity', weight: -3 });
    expect(sentiment('опять блять')).toBe('negative');
    expect(evidenceOf('опять блять')).toContainEqual(expect.objectContaining({ kind: 'profanity', match: 'блять' }));
    expect(maskProfanity('what the fuck, acme')).toBe('what the f***, acme');
    expect(maskProfanity('бляха-муха, сукно')).toBe('бляха-муха, сукно');
    expect(findProfanity('shit. Bullshit!').length).toBe(2);
  });

  it('reads praise slang that looks like swearing as positive, and still masks it', () => {
    expect(sentiment('заебись сервис')).toBe('positive');
    expect(maskProfanity('заебись сервис')).toBe('з****** сервис');
  });
});

describe('questions', () => {
  it('damps valence in a question, praise more than complaint, and explains it', () => {
    expect(score('is the service terrible?')).toBeGreaterThan(score('the service is terrible'));
    expect(sentiment('is the service terrible?')).toBe('negative');
    expect(hit('is the service terrible?', 'terrible')!.note).toBe('in a question');
    expect(evidenceOf('is the service terrible?')).toContainEqual(expect.objectContaining({ kind: 'question', match: '?', weight: 0 }));
    expect(sentiment('какой тариф лучше?')).toBe('neutral');
    expect(sentiment('почему опять не работает?')).toBe('negative');
  });

  it('damps only the sentence that asks', () => {
    const text = 'Thanks, the crew was great! Is there wifi on board?';
    expect(hit(text, 'great')!.note).toBeUndefined();
    expect(sentiment(text)).toBe('positive');
  });
});

describe('irrealis, politeness, sarcasm', () => {
  it('damps what is wished or required rather than real ("would be nice", "было бы удобно")', () => {
    expect(sentiment('it would be nice to get an answer')).toBe('neutral');
    expect(hit('it would be nice to get an answer', 'nice')!.note).toBe("not real: 'would'");
    expect(sentiment('было бы удобно')).toBe('neutral');
    expect(hit('было бы удобно', 'удобно')!.note).toBe("not real: 'бы'");
  });

  it('weighs thanks little beside a complaint', () => {
    expect(sentiment('thanks for losing my bag')).toBe('negative');
    expect(hit('thanks for losing my bag', 'thanks')!.note).toBe('politeness beside a complaint');
    expect(sentiment('спасибо, что опять списали деньги дважды')).toBe('negative');
    expect(sentiment('спасибо, всё решили быстро')).toBe('positive');
  });

  it('turns praise negative when the text marks sarcasm', () => {
    expect(sentiment('great, another delay #sarcasm')).toBe('negative');
    expect(hit('great, another delay #sarcasm', 'great')!.note).toBe("sarcasm marked by 'sarcasm'");
  });

  it('does not count greetings and apology formulas of support replies', () => {
    expect(analyzeSentiment('Добрый день! Приносим извинения за неудобства.')).toMatchObject({ sentiment: 'neutral', evidence: [] });
    expect(analyzeSentiment('Good morning! Sorry for the inconvenience.')).toMatchObject({ sentiment: 'neutral', evidence: [] });
  });
});

describe('customer-care phrases', () => {
  it('knows complaints of English customer care', () => {
    for (const [text, phrase] of [
      ['still waiting for my refund', 'still waiting'],
      ['no one answers the phone', 'no one answers'],
      ['worst airline ever', 'worst'],
      ['my flight was cancelled', 'cancelled'],
      ['on hold for 2 hours', 'on hold'],
    ] as const) {
      expect(sentiment(text), text).toBe('negative');
      expect(hit(text, phrase), text).toMatchObject({ kind: 'lexicon' });
    }
  });

  it('knows complaints and praise of Russian customer care', () => {
    for (const [text, phrase] of [
      ['до сих пор не вернули деньги', 'до сих пор не'],
      ['верните деньги', 'верните деньги'],
      ['не могу дозвониться третий день', 'не могу дозвониться'],
      ['обманули с тарифом', 'обманули'],
    ] as const) {
      expect(sentiment(text), text).toBe('negative');
      expect(hit(text, phrase), text).toMatchObject({ kind: 'lexicon' });
    }
    expect(sentiment('спасибо, всё решили быстро')).toBe('positive');
    expect(sentiment('МТС запустила сеть LTE в Пскове')).toBe('positive');
    expect(sentiment('Сбербанк приостановит работу банкоматов')).toBe('negative');
  });
});

describe('base lists and word forms', () => {
  it('finds English words through the VADER base list', () => {
    expect(sentiment('the gate agent was so condescending')).toBe('negative');
    expect(sentiment('what a horrendous experience')).toBe('negative');
    expect(hit('what a horrendous experience', 'horrendous')).toMatchObject({ kind: 'lexicon' });
  });

  it('finds Russian words by stem through the nlp.js base list, and explains the stem', () => {
    expect(sentiment('банк поступил бесчеловечно')).toBe('negative');
    expect(hit('банк поступил бесчеловечно', 'бесчеловечно')!.note).toBe("stem 'бесчеловечн'");
    expect(sentiment('бесчеловечное отношение к клиентам')).toBe('negative');
    // A capitalised word inside a sentence is taken for a name ("Безруков"), not for "безрук…".
    expect(evidenceOf('в рекламе снялся Безруков')).toEqual([]);
  });

  it('reads stretched words and run-together hashtags', () => {
    expect(sentiment('soooo goooood')).toBe('positive');
    expect(hit('soooo goooood', 'goooood')!.note).toMatch(/^stretched/);
    expect(sentiment('урааа, заработало')).toBe('positive');
    expect(hit('@united lost my bag #unitedfails', 'unitedfails')).toMatchObject({ kind: 'hashtag', note: "hashtag with 'fail'" });
  });

  it('skips the parts of @handles', () => {
    expect(evidenceOf('@lie_2_me @FuckingFan hi')).toEqual([]);
    // A word after "_" is part of a name too, wherever the name starts; the same word alone is read.
    expect(evidenceOf('@acme_sucks hi')).toEqual([]);
    expect(evidenceOf('acme sucks')).not.toEqual([]);
  });
});

describe('score', () => {
  it('is neutral without cues, and keeps the score in [-1, 1]', () => {
    expect(analyzeSentiment('Сбербанк открыл отделение на Тверской')).toMatchObject({ sentiment: 'neutral', score: 0, evidence: [] });
    expect(analyzeSentiment('the flight leaves at 6pm')).toMatchObject({ sentiment: 'neutral', score: 0, evidence: [] });
    const extreme = score('worst worst worst terrible awful horrible scam fraud!!!!!!');
    expect(extreme).toBeGreaterThanOrEqual(-1);
    expect(extreme).toBeLessThan(-0.9);
  });

  it('is the squashed sum of its evidence', () => {
    for (const text of ['good but the app keeps crashing!!', 'не очень хорошо, но спасибо)', 'is the service terrible? thanks', 'fucking amazing 😍']) {
      const { score: s, evidence } = analyzeSentiment(text);
      const total = evidence.reduce((sum, e) => sum + e.weight, 0);
      expect(s, text).toBeCloseTo(total / Math.sqrt(total * total + 15), 3);
    }
  });

  it('never throws and is deterministic on arbitrary Unicode', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['а', 'Я', 'ё', 'x', 'Q', ' ', '!', '?', '(', ')', ':', '#', '@', '_', "'", '’', 'n', '😍', '👍🏽', '\u200d', '\u0301', '\n', '.', 'не', 'not', 'but', 'но', 'ooo', '\ud800'];
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = next() % 40;
      for (let k = 0; k < length; k++) text += alphabet[next() % alphabet.length];
      const first = analyzeSentiment(text);
      expect(first.score).toBeGreaterThanOrEqual(-1);
      expect(first.score).toBeLessThanOrEqual(1);
      expect(analyzeSentiment(text)).toEqual(first);
    }
  });
});

describe('lexicon files', () => {
  it('each names where its entries came from and under which licence', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/classify/lexicons');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['en.json', 'ru.json', 'en-vader.json', 'ru-nlpjs.json', 'emoji.json', 'profanity.json', 'modifiers.json']));
    for (const file of files) {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      expect(typeof data._origin, file).toBe('string');
      expect(typeof data._licence, file).toBe('string');
    }
    const vader = JSON.parse(readFileSync(join(dir, 'en-vader.json'), 'utf8')) as { _licence: string };
    expect(vader._licence).toMatch(/Copyright \(c\) 2016 C\.J\. Hutto/);
    const nlpjs = JSON.parse(readFileSync(join(dir, 'ru-nlpjs.json'), 'utf8')) as { _licence: string };
    expect(nlpjs._licence).toMatch(/Copyright \(c\) AXA Group Operations Spain S\.A\./);
  });
});

describe('detectLanguage', () => {
  it('tells Russian from English by script, ignoring links and handles', () => {
    expect(detectLanguage('Купил iPhone в Apple Store, всё отлично')).toBe('ru');
    expect(detectLanguage('@acme_support my order never arrived')).toBe('en');
    expect(detectLanguage('http://t.co/abcdefgh Взять кредит')).toBe('ru');
    expect(detectLanguage('👍 ok')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });

  it('counts the letters of words, not of links, handles, e-mail names or emoticons', () => {
    const latin = 'x'.repeat(40);
    // 14 Cyrillic letters against 40 Latin ones would read as English were the Latin ones counted.
    expect(detectLanguage(`Отличный сервис @${latin}`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис\twww.${latin}.com`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис\nhttps://${latin}.com`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис (https://${latin}.com)`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис help@${latin}.com`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис @acme_${latin}`)).toBe('ru');
    expect(detectLanguage(`Отличный сервис ${':D xD :P '.repeat(10)}`)).toBe('ru');
    // A word is counted wherever it stands: after a handle, or with "http" inside it.
    expect(detectLanguage(`Отличный сервис howhttp${latin}`)).toBe('en');
    expect(detectLanguage(`@acme ${latin} отлично`)).toBe('en');
    expect(detectLanguage(`“@DrBrianMay: Билайн...Russia?`)).toBe('ru');
  });

  it('answers as counting the letters of every word token would, on arbitrary mixes of scripts, links and handles', () => {
    // The definition over Token objects: words not right after "@" or "_", their letters by script.
    const isLatin = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7);
    const byDefinition = (text: string) => {
      let latin = 0;
      let cyrillic = 0;
      for (const token of tokenize(text)) {
        if (token.kind !== 'word' || (token.start > 0 && '@_'.includes(text[token.start - 1]!))) continue;
        for (let k = 0; k < token.text.length; k++) {
          const code = token.text.charCodeAt(k);
          if (isLatin(code)) latin++;
          else if (code >= 0x400 && code < 0x500) cyrillic++;
        }
      }
      const letters = latin + cyrillic;
      return letters < 3 ? null : cyrillic / letters >= 0.3 ? 'ru' : 'en';
    };
    // With possessives (their "s" is no part of the word), and letters that fold only through a string (Σ, İ).
    const pieces = ['а', 'ж', 'ё', 'a', 'Z', 'é', ' ', '\n', '@', '_', 'h', 'http', 'www.', 'https://', '.', '1', '😀', ':D', 'привет', 'hello', 'x'.repeat(70), "'s", '’S', 'Σ', 'İ', 'ß'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 120 }), (picked) => {
        const text = picked.join('');
        expect(detectLanguage(text)).toBe(byDefinition(text));
      }),
      { numRuns: 2000 },
    );
  });
});
