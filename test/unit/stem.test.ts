import { describe, expect, it } from 'vitest';
import { stemOf } from '../../src/classify/stem.js';

describe('stemOf', () => {
  it('gives the Russian inflections of a word one stem', () => {
    const forms = ['клинер', 'клинера', 'клинеру', 'клинеры', 'клинером', 'клинерами'];
    expect(new Set(forms.map(stemOf)).size).toBe(1);
    expect(stemOf('банка')).toBe(stemOf('банком'));
  });

  it('gives English inflections one stem, even when the stem is not a prefix of the word', () => {
    expect(stemOf('refunds')).toBe(stemOf('refunded'));
    expect(stemOf('happy')).toBe(stemOf('happiness'));
    expect(stemOf('happy')).not.toBe('happy'.slice(0, stemOf('happy').length));
  });

  it('leaves short words, mixed scripts and words with digits alone', () => {
    expect(stemOf('мтс')).toBe('мтс');
    expect(stemOf('ups')).toBe('ups');
    expect(stemOf('iphone15')).toBe('iphone15');
    expect(stemOf('acmeбанк')).toBe('acmeбанк');
  });

  it('does not merge different words that share a beginning', () => {
    expect(stemOf('акме')).not.toBe(stemOf('акмеизм'));
  });
});
