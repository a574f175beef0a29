import { describe, expect, it } from 'vitest';
import { classifyMention, compileTopics, textDraft } from '../../src/classify/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/types.js';

const OPTIONS = { knownSourceTypes: ['rss', 'mastodon', 'bluesky'], env: {} };

function topicsOf(yaml: string) {
  return parseConfigText(`topics:\n  - name: acme\n    query: acme\n${yaml}`, 'mentions.yml', OPTIONS).topics;
}

describe('own accounts per source', () => {
  it('reads plain handles for every source and {source, handles} for one', () => {
    const [topic] = topicsOf('    own_accounts: [AcmeSupport, {source: mastodon, handles: [AcmeHelp, acme_dev]}, {source: bsky, handles: acme.bsky.social}]\n');
    expect(topic!.ownAccounts).toEqual(['AcmeSupport']);
    expect(topic!.ownAccountsBySource).toEqual([
      { source: 'mastodon', handles: ['AcmeHelp', 'acme_dev'] },
      { source: 'bsky', handles: ['acme.bsky.social'] },
    ]);
  });

  it('locates a mapping without handles, or with an unknown key', () => {
    let error: unknown;
    try {
      topicsOf('    own_accounts:\n      - source: mastodon\n        handle: AcmeHelp\n');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).located).toMatch(/mentions\.yml:6:\d+: .*unknown field "handle"/);
    expect((error as ConfigError).located).toMatch(/own_accounts\[0\]\.handles: is required/);
  });

  it('a per-source handle is own only on that source (by name or type), and kept even when it does not name the topic', () => {
    const topics = compileTopics(topicsOf('    own_accounts: [{source: mastodon, handles: ["@AcmeHelp"]}]\n'));
    const reply = { ...textDraft('@nadia sorry for the wait, we are on it', 'en'), author: 'acmehelp' };
    expect(classifyMention(reply, topics, { source: { name: 'masto', type: 'mastodon' } })).toMatchObject({ relevance: 'own', topics: ['acme'] });
    expect(classifyMention(reply, topics, { source: { name: 'mastodon', type: 'json' } })!.relevance).toBe('own');
    // On another source the same name is a customer: matched by the query only.
    expect(classifyMention(reply, topics, { source: { name: 'news', type: 'rss' } })).toBeNull();
    expect(classifyMention({ ...reply, text: 'acme is down' }, topics, { source: { name: 'news', type: 'rss' } })!.relevance).toBe('relevant');
  });
});
