import { feedAdapter } from './feed.js';
import type { SourceAdapter } from './types.js';

/** Every adapter, one per source type; a new source type registers here and in catalog.ts. */
export const ADAPTERS: readonly SourceAdapter[] = [feedAdapter as unknown as SourceAdapter];

const BY_TYPE = new Map<string, SourceAdapter>(ADAPTERS.flatMap((a) => a.types.map((t) => [t, a] as const)));

export function adapterForType(type: string): SourceAdapter | null {
  return BY_TYPE.get(type) ?? null;
}
