import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { prepareSources } from '../../src/pull/pull.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { exampleFor, fillExample } from '../../src/sources/examples.js';

describe('source examples (mentions sources add)', () => {
  it.each(SOURCE_TYPES.map((type) => [type]))('%s: has an example that loads and passes its adapter\'s checks', async (type) => {
    const example = await exampleFor(type);
    expect(example, `no example for ${type}`).not.toBeNull();
    const entry = fillExample(example!, { name: `my-${type}`, query: 'acme OR акме' });
    const yaml = `topics:\n  - name: acme\n    query: acme\nsources:\n  - ${entry.replace(/\n/g, '\n    ')}\n`;
    const config = parseConfigText(yaml, 'mentions.yml', { knownSourceTypes: SOURCE_TYPES });
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]!.type).toBe(type);
    const env = Object.fromEntries(example!.env.map((name) => [name, `test-value-of-${name}`]));
    const [prepared] = await prepareSources(config, undefined, env);
    expect(prepared!.settings.type).toBe(type);
    // Secrets are references: no literal token-looking value in the example itself.
    for (const name of example!.env) expect(example!.yaml).toContain(`\${${name}}`);
  });

  it('fills name, query and url, quoting what YAML would misread', () => {
    const example = { summary: '', yaml: 'name: {name}\ntype: json\nurl: {url|https://x.example/?q={query}}\nquery: {query}', env: [], doc: '' };
    expect(fillExample(example, { name: 'a', query: '"acme bank"' })).toBe('name: a\ntype: json\nurl: https://x.example/?q={query}\nquery: "\\"acme bank\\""');
    expect(fillExample(example, { name: 'yes', query: 'acme: bank', url: 'https://y.example/feed' })).toBe(
      'name: "yes"\ntype: json\nurl: https://y.example/feed\nquery: "acme: bank"',
    );
  });
});
