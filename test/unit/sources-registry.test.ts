import { describe, expect, it } from 'vitest';
import { loadAdapter, SOURCE_TYPES } from '../../src/sources/catalog.js';

describe('source registry', () => {
  it('loads, for every registered type, an adapter that says it serves that type', async () => {
    for (const type of SOURCE_TYPES) expect((await loadAdapter(type))?.types, type).toContain(type);
  });

  it('knows no adapter for an unknown type, even one named like an object property', async () => {
    expect(await loadAdapter('myspace')).toBeNull();
    expect(await loadAdapter('toString')).toBeNull();
  });
});
