import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/types.js';
import { storedTarget } from '../../src/pull/pull.js';

const source = (over: Partial<SourceConfig>): SourceConfig => ({
  name: 'r',
  type: 'reddit',
  query: 'acme',
  intervalSeconds: 900,
  enabled: true,
  maxPages: 5,
  options: {},
  location: 'mentions.yml:3',
  ...over,
});

describe('storedTarget', () => {
  it('is the URL or query as written, with ${VAR} references unresolved', () => {
    expect(storedTarget(source({ url: 'https://example.com/feed?key=${KEY}', query: undefined }))).toBe('https://example.com/feed?key=${KEY}');
    expect(storedTarget(source({}))).toBe('acme');
  });

  it('changes when an adapter option changes (a new subreddit is a new stream), not when their order does', () => {
    const a = storedTarget(source({ options: { subreddit: 'acme', client_id: '${ID}' } }));
    expect(storedTarget(source({ options: { client_id: '${ID}', subreddit: 'acme' } }))).toBe(a);
    expect(storedTarget(source({ options: { client_id: '${ID}', subreddit: 'acmeofficial' } }))).not.toBe(a);
    expect(a).not.toContain('undefined');
  });
});
