import { describe, expect, it } from 'vitest';
import { collapseWhitespace, htmlToText, safeHttpUrl } from '../../src/sources/html-text.js';

describe('htmlToText', () => {
  it('puts block elements on their own lines and keeps inline elements in the flow', () => {
    expect(htmlToText('<p>Acme <b>charged</b> me <em>twice</em>.</p><p>No refund.</p>')).toBe('Acme charged me twice.\nNo refund.');
    expect(htmlToText('line one<br>line two<br/>line three')).toBe('line one\nline two\nline three');
    expect(htmlToText('<ul><li>calls</li><li>data</li></ul>')).toBe('calls\ndata');
  });

  it('does not split a word that markup splits', () => {
    expect(htmlToText('<b>Ac</b>me')).toBe('Acme');
  });

  it('drops scripts, styles and other non-text elements', () => {
    const html = '<style>p { color: red }</style><p>Visible</p><script>track("x < y")</script><noscript>enable JS</noscript>';
    expect(htmlToText(html)).toBe('Visible');
  });

  it('decodes named and numeric entities, and turns no-break spaces into spaces', () => {
    expect(htmlToText('Tom &amp; Jerry&nbsp;&mdash; it&#8217;s &#x201C;fine&#x201D;')).toBe('Tom & Jerry — it’s “fine”');
  });

  it('collapses whitespace and trims, including source newlines inside a paragraph', () => {
    expect(htmlToText('  <p>\n  Acme\t\tMobile \n  outage  </p>\n\n<p> </p>  ')).toBe('Acme Mobile outage');
  });

  it('returns plain text unchanged and empty input as the empty string', () => {
    expect(htmlToText('No markup here')).toBe('No markup here');
    expect(htmlToText('')).toBe('');
  });

  it('keeps a lone "<" that does not start a tag', () => {
    expect(htmlToText('price < 500 rubles')).toBe('price < 500 rubles');
  });
});

describe('collapseWhitespace', () => {
  it('keeps line breaks but drops empty lines and runs of spaces', () => {
    expect(collapseWhitespace(' a   b \n\n\t c\u00a0 d ')).toBe('a b\nc d');
  });
});

describe('safeHttpUrl', () => {
  it('accepts absolute http and https URLs', () => {
    expect(safeHttpUrl('https://acme.example/a?b=1')).toBe('https://acme.example/a?b=1');
    expect(safeHttpUrl('  http://acme.example  ')).toBe('http://acme.example/');
  });

  it('resolves relative URLs against the base', () => {
    expect(safeHttpUrl('/posts/1', 'https://blog.example/feed.xml')).toBe('https://blog.example/posts/1');
    expect(safeHttpUrl('../x', 'https://blog.example/a/b/feed.xml')).toBe('https://blog.example/a/x');
    expect(safeHttpUrl('//cdn.example/p', 'https://blog.example/')).toBe('https://cdn.example/p');
  });

  it('rejects script, data and other non-web schemes, even disguised', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('JavaScript:alert(1)', 'https://blog.example/')).toBeNull();
    expect(safeHttpUrl('java\nscript:alert(1)', 'https://blog.example/')).toBeNull();
    expect(safeHttpUrl('data:text/html;base64,PHNjcmlwdD4=')).toBeNull();
    expect(safeHttpUrl('mailto:support@acme.example')).toBeNull();
    expect(safeHttpUrl('ftp://files.example/x')).toBeNull();
  });

  it('returns null for empty, missing or unparsable input', () => {
    expect(safeHttpUrl(undefined)).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
    expect(safeHttpUrl('   ')).toBeNull();
    expect(safeHttpUrl('/relative/without/base')).toBeNull();
    expect(safeHttpUrl('http://')).toBeNull();
    expect(safeHttpUrl('/x', 'not a base')).toBeNull();
  });
});
