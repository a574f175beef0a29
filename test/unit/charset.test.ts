import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, encodingFromHtmlMeta, encodingFromXmlDeclaration } from '../../src/sources/charset.js';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/feeds/${path}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);
/** "Привет" in windows-1251, as in real cp1251 feeds. */
const PRIVET_CP1251 = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2];

function cp1251Doc(declared: string): Uint8Array {
  return Uint8Array.from([...utf8(`<?xml version="1.0" encoding="${declared}"?><rss>`), ...PRIVET_CP1251, ...utf8('</rss>')]);
}

describe('decodeBody', () => {
  it('strips a UTF-8 BOM and decodes UTF-8', () => {
    const text = decodeBody(fixture('odd/utf8-bom.xml'), null);
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('Café review: Acme Wi-Fi hotspot');
  });

  it('lets the BOM win over a contradicting Content-Type', () => {
    expect(decodeBody(fixture('odd/utf8-bom.xml'), 'text/xml; charset=windows-1251')).toContain('Café');
  });

  it('decodes UTF-16LE and UTF-16BE by their BOMs', () => {
    const le = decodeBody(fixture('odd/utf16le-bom.xml'), null);
    expect(le.startsWith('<?xml')).toBe(true);
    expect(le).toContain('naïve me expected worse');
    const be = Uint8Array.from([0xfe, 0xff, 0x00, 0x3c, 0x00, 0x61, 0x00, 0x3e, 0x04, 0x1f]);
    expect(decodeBody(be, null)).toBe('<a>П');
  });

  it('uses the charset from Content-Type', () => {
    expect(decodeBody(cp1251Doc('windows-1251'), 'application/rss+xml; charset=windows-1251')).toContain('<rss>Привет</rss>');
    expect(decodeBody(cp1251Doc('windows-1251'), 'text/xml; Charset="CP1251"')).toContain('Привет');
  });

  it('falls back to the XML declaration when Content-Type names no charset', () => {
    expect(decodeBody(cp1251Doc('windows-1251'), 'application/xml')).toContain('Привет');
    expect(decodeBody(cp1251Doc('windows-1251'), null)).toContain('Привет');
  });

  it('decodes a KOI8-R feed by its declaration', () => {
    expect(decodeBody(fixture('odd/koi8r.xml'), null)).toContain('<title>Акме не вернул деньги за роуминг</title>');
  });

  it('decodes the windows-1251 fixture to a known Russian title', () => {
    expect(decodeBody(fixture('ru-news-cp1251.xml'), null)).toContain('<title>«Акме» дважды списал абонплату и не возвращает деньги</title>');
  });

  it('trusts the declaration when a server default of UTF-8 cannot be right for the bytes', () => {
    // The replay server and many real ones send "charset=utf-8" for every .xml file.
    const text = decodeBody(fixture('ru-news-cp1251.xml'), 'application/xml; charset=utf-8');
    expect(text).toContain('«Акме» дважды списал');
    expect(text).not.toContain('\ufffd');
  });

  it('trusts a UTF-8 declaration when Content-Type claims a legacy charset but the bytes are UTF-8', () => {
    const text = decodeBody(fixture('odd/wrong-charset.xml'), 'text/xml; charset=ISO-8859-1');
    expect(text).toContain('Жалоба: Акме — «ошибка 403» в приложении');
  });

  it('keeps Content-Type when the bytes do not contradict it', () => {
    // Declared UTF-8, sent as windows-1251 with invalid UTF-8 bytes: the header is right.
    expect(decodeBody(cp1251Doc('utf-8'), 'text/xml; charset=windows-1251')).toContain('Привет');
  });

  it('skips unknown labels instead of throwing, ending at UTF-8', () => {
    expect(decodeBody(cp1251Doc('windows-1251'), 'text/xml; charset=x-no-such-charset')).toContain('Привет');
    expect(decodeBody(utf8('<?xml version="1.0" encoding="bogus-8"?><a>Ж</a>'), 'text/xml; charset=nonsense')).toContain('<a>Ж</a>');
  });

  it('defaults to UTF-8 with nothing declared', () => {
    expect(decodeBody(utf8('<a>Акме</a>'), null)).toBe('<a>Акме</a>');
    expect(decodeBody(new Uint8Array(0), null)).toBe('');
  });
});

describe('charsetFromContentType', () => {
  it('reads bare and quoted charset parameters in any case', () => {
    expect(charsetFromContentType('text/xml; charset=windows-1251')).toBe('windows-1251');
    expect(charsetFromContentType('text/xml;CHARSET="KOI8-R"; foo=bar')).toBe('KOI8-R');
    expect(charsetFromContentType('application/rss+xml')).toBeNull();
    expect(charsetFromContentType('text/xml; charset=')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
});

describe('encodingFromXmlDeclaration', () => {
  it('reads the encoding pseudo-attribute with either quote', () => {
    expect(encodingFromXmlDeclaration(utf8(`<?xml version='1.0' encoding='KOI8-R' standalone='yes'?><rss/>`))).toBe('KOI8-R');
    expect(encodingFromXmlDeclaration(utf8('\n  <?xml version="1.0" encoding="windows-1251"?>'))).toBe('windows-1251');
  });

  it('ignores documents without a declaration, or an encoding outside it', () => {
    expect(encodingFromXmlDeclaration(utf8('<rss encoding="koi8-r"/>'))).toBeNull();
    expect(encodingFromXmlDeclaration(utf8('<?xml version="1.0"?><rss/>'))).toBeNull();
  });

  it('recognises UTF-16 without a BOM by its first bytes', () => {
    expect(encodingFromXmlDeclaration(Uint8Array.from([0x3c, 0x00, 0x3f, 0x00]))).toBe('utf-16le');
    expect(encodingFromXmlDeclaration(Uint8Array.from([0x00, 0x3c, 0x00, 0x3f]))).toBe('utf-16be');
  });
});

describe('encodingFromHtmlMeta', () => {
  const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
  it('reads <meta charset> and the http-equiv form, and decodes a windows-1251 page by it', () => {
    expect(encodingFromHtmlMeta(ascii('<!doctype html><html><head><meta charset="windows-1251">'))).toBe('windows-1251');
    expect(encodingFromHtmlMeta(ascii('<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'))).toBe('koi8-r');
    expect(encodingFromHtmlMeta(ascii('<html><head><title>x</title>'))).toBeNull();
    const page = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1251"></head><body>'), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), Buffer.from('</body></html>')]);
    expect(decodeBody(new Uint8Array(page), 'text/html')).toContain('Привет');
  });
});
