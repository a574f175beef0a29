import { isSeq, parseDocument } from 'yaml';
import type { LoadOptions } from './load.js';
import { parseConfigText } from './load.js';
import { ConfigError } from './types.js';

/**
 * The config text with one more `sources:` entry, comments and layout of the
 * rest kept. The result is loaded with the real loader before it is returned,
 * so a duplicate name or a bad field is a ConfigError and nothing is written.
 */
export function withSourceEntry(fileLabel: string, text: string, entryYaml: string, options: LoadOptions): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(`${fileLabel}: cannot add a source to a file that does not parse; fix it first`, fileLabel);
  const entry = parseDocument(entryYaml).contents;
  const name = (entry as { get?: (key: string) => unknown } | null)?.get?.('name');
  const existing = doc.get('sources', true);
  if (isSeq(existing) && existing.items.some((item) => (item as { get?: (key: string) => unknown }).get?.('name') === name)) {
    throw new ConfigError(`${fileLabel}: a source named "${String(name)}" already exists; pick another --name`, fileLabel);
  }
  if (isSeq(existing)) existing.items.push(entry);
  else doc.set('sources', doc.createNode([entry]));
  const updated = doc.toString();
  parseConfigText(updated, fileLabel, options);
  return updated;
}
