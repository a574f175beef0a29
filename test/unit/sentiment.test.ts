import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/classify/lang.js';
import { analyzeSentiment, findProfanity, maskProfanity } from '../../src/classify/sentiment.js';

const score = (text: string) => analyzeSentiment(text).score;
const sentiment = (text: string) => analyzeSentiment(text).sentiment;

describe('analyzeSentiment', () => {
  it('flips a negated word, in Russian and English', () => {
    expect(sentiment('приложение не работает')).toBe('negative');
    expect(sentiment('приложение работает отлично')).toBe('positive');
    expect(sentiment('this is good')).toBe('positive');
    expect(sentiment('this is not good')).toBe('negative');
    expect(sentiment("it isn't good")).toBe('negative');
    expect(sentiment('не плохо')).toBe('positive');
    expect(sentiment('не очень хорошо')).toBe('negative');
  });

  it('explains a negation in the evidence', () => {
    const result = analyzeSentiment('the app is not good');
    expect(result.evidence).toContainEqual(expect.objectContaining({ kind: 'lexicon', match: 'good', note: "negated by 'not'" }));
    expect(result.evidence[0]!.weight).toBeLessThan(0);
  });

  it('does not carry negation over a clause break', () => {
    expect(sentiment('not now. great service')).toBe('positive');
  });

  it('keeps Russian double negation negative ("ни разу не ответили")', () => {
    expect(sentiment('ни разу не ответили')).toBe('negative');
    expect(sentiment('никто не отвечает')).toBe('negative');
  });

  it('lets the clause after a contrast word weigh more', () => {
    expect(sentiment('good but the app keeps crashing')).toBe('negative');
    // Without the contrast rule the stronger word before "but" would win.
    expect(sentiment('great app but slow')).toBe('negative');
    expect(sentiment('slow app but great support')).toBe('positive');
    expect(sentiment('доставка задержалась, но курьер был очень вежливый')).toBe('positive');
    const evidence = analyzeSentiment('good but the app keeps crashing').evidence;
    expect(evidence.find((e) => e.match === 'good')!.note).toMatch(/before a contrast/);
    expect(evidence.find((e) => e.match === 'crashing')!.note).toMatch(/after a contrast/);
  });

  it('scales by intensifiers and diminishers', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('slightly bad')).toBeGreaterThan(score('bad'));
    expect(score('очень плохо')).toBeLessThan(score('плохо'));
    expect(score('чуть плохо')).toBeGreaterThan(score('плохо'));
  });

  it('amplifies with exclamation marks and capitals, damps questions', () => {
    expect(score('terrible!!!')).toBeLessThan(score('terrible'));
    expect(score('the service is TERRIBLE')).toBeLessThan(score('the service is terrible'));
    expect(score('is the service terrible?')).toBeGreaterThan(score('the service is terrible'));
    expect(score('is the service terrible?')).toBeLessThan(0);
  });

  it('reads emoji and emoticons, including Russian bracket smileys', () => {
    expect(sentiment('заказ пришел 😍')).toBe('positive');
    expect(sentiment('order arrived 😡')).toBe('negative');
    expect(sentiment('ну вот опять((')).toBe('negative');
    expect(sentiment('получил посылку)))')).toBe('positive');
    expect(sentiment('ok :(')).toBe('negative');
  });

  it('knows customer-care phrases', () => {
    expect(sentiment('still waiting for my refund')).toBe('negative');
    expect(sentiment('не могу дозвониться третий день')).toBe('negative');
    expect(sentiment('верните деньги')).toBe('negative');
    expect(sentiment('спасибо, всё решили быстро')).toBe('positive');
    expect(sentiment('обманули с тарифом')).toBe('negative');
  });

  it('is neutral without cues, and keeps the score in [-1, 1]', () => {
    expect(analyzeSentiment('Сбербанк открыл отделение на Тверской')).toMatchObject({ sentiment: 'neutral', score: 0, evidence: [] });
    const extreme = score('worst worst worst terrible awful horrible scam fraud!!!!!!');
    expect(extreme).toBeGreaterThanOrEqual(-1);
    expect(extreme).toBeLessThan(-0.9);
  });

  it('scores profanity as strong negative and masks it', () => {
    expect(sentiment('fuck this')).toBe('negative');
    expect(analyzeSentiment('опять блять').evidence).toContainEqual(expect.objectContaining({ kind: 'profanity' }));
    expect(maskProfanity('what the fuck, acme')).toBe('what the f***, acme');
    expect(maskProfanity('бляха-муха, сукно')).toBe('бляха-муха, сукно');
    expect(findProfanity('shit. Bullshit!').length).toBe(2);
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
});
