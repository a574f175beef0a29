import { describe, expect, it } from 'vitest';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { ADAPTERS, adapterForType } from '../../src/sources/index.js';

describe('source registry', () => {
  it('lists in the catalog exactly the types the adapters serve, each served once', () => {
    const served = ADAPTERS.flatMap((a) => [...a.types]);
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...SOURCE_TYPES].sort());
  });

  it('finds the adapter for a type, and none for an unknown one', () => {
    for (const type of SOURCE_TYPES) expect(adapterForType(type)?.types).toContain(type);
    expect(adapterForType('myspace')).toBeNull();
  });
});
