import { loadAdapter, SOURCE_TYPES } from './catalog.js';
import type { SourceExample } from './types.js';

/** The example config entry of a source type, from its adapter; null for an unknown type. */
export async function exampleFor(type: string): Promise<SourceExample | null> {
  return (await loadAdapter(type))?.examples?.[type] ?? null;
}

/** Every source type with its example, in registry order (loads every adapter). */
export async function allExamples(): Promise<Array<{ type: string; example: SourceExample | null }>> {
  return Promise.all(SOURCE_TYPES.map(async (type) => ({ type, example: await exampleFor(type) })));
}

/**
 * The example with flags filled in. `{url|default}` takes the default when no
 * --url was given; the json type's own `{query}`/`{cursor}` URL placeholders
 * are left alone inside the URL default.
 */
export function fillExample(example: SourceExample, values: { name: string; query?: string; url?: string }): string {
  return example.yaml
    .replace(/\{url\|([^\n]*)\}$/m, (_m, fallback: string) => yamlScalar(values.url ?? fallback))
    .replace(/^name: \{name\}$/m, `name: ${yamlScalar(values.name)}`)
    .replace(/^(#? ?)query: \{query\}$/m, (_m, lead: string) => `${lead}query: ${yamlScalar(values.query ?? 'acme')}`);
}

/** Quotes a value only when YAML would misread it bare. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_./:@-][^#]*$/.test(value) && !/[:]\s|\s$|^(true|false|null|yes|no|~)$/i.test(value) ? value : JSON.stringify(value);
}
