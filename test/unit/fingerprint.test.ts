import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintText, textFingerprint } from '../../src/classify/fingerprint.js';

describe('textFingerprint', () => {
  it('is 16 hex digits of the SHA-1 of the normalised text', () => {
    const fingerprint = textFingerprint('Acme, the best!');
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint).toBe(createHash('sha1').update('acme the best').digest('hex').slice(0, 16));
  });

  it('gives reposts that differ in links, handles, hashtags, numbers, emoji or punctuation one fingerprint', () => {
    const original = 'Розыгрыш от Акме: подпишись и сделай репост!';
    const copies = [
      'РОЗЫГРЫШ от акме — подпишись и сделай репост 🔥🔥 https://t.co/aaa',
      'Розыгрыш от Акме: подпишись и сделай репост!!! https://t.co/bbb #акме #розыгрыш',
      '@friend1 @friend2 Розыгрыш от Акме... подпишись, и сделай репост :)',
      'RT @acme_ru: Розыгрыш от Акме: подпишись и сделай репост! 2026',
      '  Розыгрыш   от Акме:\n\nподпишись и сделай репост  ',
      'Розыгрыш от Акмё: подпишись и сделай репост!',
    ];
    const fingerprint = textFingerprint(original);
    for (const copy of copies) expect(textFingerprint(copy), copy).toBe(fingerprint);
  });

  it('keeps different texts apart', () => {
    expect(textFingerprint('acme app is great')).not.toBe(textFingerprint('acme app is terrible'));
    expect(textFingerprint('acme app is great')).not.toBe(textFingerprint('great is acme app'));
    expect(textFingerprint('acme https://a.example/1')).toBe(textFingerprint('acme https://a.example/2'));
  });

  it('normalises to lower-case words without links, handles, hashtags and numbers', () => {
    expect(fingerprintText('Заказ №5512093 от 12.03: ГДЕ?! https://acme.example/o/1 @AcmeSupport #fail 😡')).toBe('заказ от где');
    expect(fingerprintText('Ｆｕｌｌｗｉｄｔｈ ACME')).toBe('fullwidth acme');
    expect(fingerprintText("acme's rt is fine")).toBe('acme rt is fine');
  });

  it('tells bare links apart instead of giving every link-only post one fingerprint', () => {
    expect(textFingerprint('https://a.example/1')).not.toBe(textFingerprint('https://b.example/2'));
    expect(textFingerprint('https://a.example/1 🔥')).toBe(textFingerprint('https://a.example/1 🔥'));
    expect(textFingerprint('')).toBe(textFingerprint('!!! ...'));
  });

  it('is pure and never throws on odd input', () => {
    for (const text of ['', '\u0000', '\ud800', '🏳️‍🌈', 'İstanbul', 'a'.repeat(10_000), '#', '@', '12345']) {
      expect(textFingerprint(text)).toBe(textFingerprint(text));
      expect(textFingerprint(text)).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
