import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigCached } from '../../src/config/cache.js';
import { loadConfig } from '../../src/config/load.js';
import { VERSION } from '../../src/cli/version.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const FULL = `timezone: \${TZ_NAME}
agent: anna
sla:
  default: 2h
  hours: business
  by_source: { twitter: 30m }
business_hours:
  mon: ["09:00-13:00", "14:00-18:00"]
  holidays: [2026-01-07]
topics:
  - name: acme
    query: '"acme" OR акме'
    own_accounts: [acme_support, { source: vk, handles: [acme_vk] }]
    context: { require: [anvil*], reject: [coyote] }
    rules:
      - match: "долго грузится"
        sentiment: -2
sources:
  - name: feed
    type: feed
    url: https://example.com/rss?key=\${FEED_KEY}
    token: \${VK_TOKEN}
alerts:
  channels:
    - name: team
      type: webhook
      url: https://hooks.example/x
  rules:
    - name: negative
      channel: team
      sentiment: negative
`;

function setup(text = FULL) {
  const dir = tmp();
  const path = join(dir, 'mentions.yml');
  writeFileSync(path, text);
  const cacheDir = join(dir, 'cache');
  const env: Record<string, string | undefined> = { TZ_NAME: 'Europe/Moscow', VK_TOKEN: 'tok_A', FEED_KEY: 'k' };
  const load = () => loadConfigCached(path, { knownSourceTypes: SOURCE_TYPES, env, home: '/home/anna' }, { cacheDir, version: VERSION });
  return { dir, path, cacheDir, env, load };
}

describe('the config cache', () => {
  it('gives back exactly what a fresh load gives, from the cache the second time', async () => {
    const { path, cacheDir, env, load } = setup();
    const fresh = loadConfig(path, { knownSourceTypes: SOURCE_TYPES, env, home: '/home/anna' });
    expect(await load()).toEqual(fresh);
    const [file] = readdirSync(cacheDir);
    // Prove the second load reads the cache: a change made there (same key) shows through.
    const cached = JSON.parse(readFileSync(join(cacheDir, file!), 'utf8')) as { key: string; config: { agent: string } };
    cached.config.agent = 'from-cache';
    writeFileSync(join(cacheDir, file!), JSON.stringify(cached));
    expect((await load()).agent).toBe('from-cache');
    // The cache holds no variable's value, only a digest of them.
    expect(readFileSync(join(cacheDir, file!), 'utf8')).not.toContain('tok_A');
  });

  it('loads afresh when the text, a variable it names, or the version changes', async () => {
    const { path, cacheDir, env, load } = setup();
    await load();
    const [file] = readdirSync(cacheDir);
    const poison = () => {
      const cached = JSON.parse(readFileSync(join(cacheDir, file!), 'utf8')) as { key: string; config: { agent: string } };
      cached.config.agent = 'stale';
      writeFileSync(join(cacheDir, file!), JSON.stringify(cached));
    };
    poison();
    env['TZ_NAME'] = 'Asia/Tokyo';
    expect(await load()).toMatchObject({ agent: 'anna', timezone: 'Asia/Tokyo' });
    poison();
    env['VK_TOKEN'] = 'tok_B';
    expect((await load()).agent).toBe('anna');
    poison();
    writeFileSync(path, FULL.replace('agent: anna', 'agent: boris'));
    expect((await load()).agent).toBe('boris');
    poison();
    const other = await loadConfigCached(path, { knownSourceTypes: SOURCE_TYPES, env, home: '/home/anna' }, { cacheDir, version: '9.9.9' });
    expect(other.agent).toBe('boris');
  });

  it('never caches a config with problems, and works without a cache folder', async () => {
    const { path, cacheDir, env, load } = setup('topics:\n  - name: acme\n    querry: acme\n');
    await expect(load()).rejects.toThrow(/querry/);
    await expect(load()).rejects.toThrow(/querry/);
    expect(existsSync(cacheDir)).toBe(false);
    writeFileSync(path, 'topics: []\n');
    const config = await loadConfigCached(path, { knownSourceTypes: SOURCE_TYPES, env }, { cacheDir: null, version: VERSION });
    expect(config.topics).toEqual([]);
  });

  it('keeps VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
