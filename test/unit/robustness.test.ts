import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMention, compileTopics, parseQuery, QueryParseError, tokenize } from '../../src/classify/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { terminalSafe, terminalSafeLine } from '../../src/output/sanitize.js';
import { prepareSources } from '../../src/pull/pull.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { allExamples, fillExample } from '../../src/sources/examples.js';
import { feedAdapter } from '../../src/sources/feed.js';
import { SourceApiError, SourceFormatError } from '../../src/sources/types.js';
import type { FetchedResponse, SourceAdapter, SourceSettings } from '../../src/sources/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const SHARED_CORPUS = fileURLToPath(new URL('../../../shared/feeds-corpus/', import.meta.url));

function response(body: Uint8Array, headers: Record<string, string> = {}): FetchedResponse {
  return { url: 'https://feeds.example/feed.xml', status: 200, headers, body };
}

/** Parses, or fails the way a pull reports per source: anything else would crash the pull. */
function expectParsedOrRejected(run: () => unknown, label: string): void {
  try {
    run();
  } catch (err) {
    const known = err instanceof SourceFormatError || err instanceof SourceApiError;
    expect(known, `${label}: ${(err as Error)?.name}: ${(err as Error)?.message}`).toBe(true);
    expect((err as Error).message.length, label).toBeGreaterThan(0);
    expect((err as Error).message.includes('\n'), `${label}: one line`).toBe(false);
  }
}

const SETTINGS: SourceSettings = { name: 'f', type: 'rss', url: 'https://feeds.example/feed.xml', options: {} };

function corpusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !/^README/i.test(name) && !name.endsWith('.headers.json'))
    .map((name) => join(dir, name));
}

describe('ill-formed and oddly encoded feeds', () => {
  const files = [...corpusFiles(join(FIXTURES, 'feeds', 'odd')), ...corpusFiles(SHARED_CORPUS)];

  it('parses or rejects every corpus file with a one-line reason', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const file of files) {
      const headersFile = `${file}.headers.json`;
      const headers = existsSync(headersFile) ? (JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>) : {};
      expectParsedOrRejected(() => feedAdapter.parsePage(SETTINGS, response(new Uint8Array(readFileSync(file)), headers), null), file);
    }
  });

  it('survives any bytes, and any cut of a real feed', () => {
    const feed = new Uint8Array(readFileSync(join(FIXTURES, 'feeds', 'news-rss2.xml')));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expectParsedOrRejected(() => feedAdapter.parsePage(SETTINGS, response(bytes), null), 'random bytes');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(feed.length), fc.nat(feed.length), fc.string({ maxLength: 20 }), (from, to, insert) => {
        const [a, b] = from <= to ? [from, to] : [to, from];
        const mutated = new Uint8Array([...feed.subarray(0, a), ...new TextEncoder().encode(insert), ...feed.subarray(b)]);
        expectParsedOrRejected(() => feedAdapter.parsePage(SETTINGS, response(mutated), null), `cut ${a}..${b}`);
      }),
      { numRuns: 200 },
    );
  });
});

/** Every JSON path of a value, for mutating one field of a recorded response at a time. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

function replaceAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaceAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: replaceAt(record[head as string], rest, replacement) };
}

describe('API response mappers (fast-check)', async () => {
  const examples = await allExamples();
  const env = new Proxy({}, { get: () => 'x-test-value' }) as Record<string, string>;
  const entries = examples.filter((e) => e.example).map((e) => `  - ${fillExample(e.example!, { name: e.type }).replace(/\n/g, '\n    ')}\n`);
  const config = parseConfigText(`sources:\n${entries.join('')}`, 'mentions.yml', { knownSourceTypes: SOURCE_TYPES });
  const prepared = await prepareSources(config, undefined, env);
  const jsonFixtures = (type: string) =>
    existsSync(join(FIXTURES, type)) ? readdirSync(join(FIXTURES, type)).filter((name) => name.endsWith('.json')).map((name) => readFileSync(join(FIXTURES, type, name), 'utf8')) : [];

  it('covers every JSON source type', () => {
    const types = prepared.map((p) => p.config.type);
    for (const type of ['reddit', 'hackernews', 'mastodon', 'bluesky', 'vk', 'youtube', 'stackexchange', 'github', 'json']) expect(types).toContain(type);
  });

  for (const { config: source, settings, adapter } of prepared) {
    const recorded = source.type === 'json' ? jsonFixtures('json') : jsonFixtures(source.type);
    if (recorded.length === 0) continue;
    it(`${source.type}: arbitrary JSON and one mutated field of a recorded page never crash`, () => {
      const parse = (body: string) => (adapter as SourceAdapter).parsePage(settings, { url: 'https://api.example/x', status: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(body) }, null);
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectParsedOrRejected(() => parse(JSON.stringify(value) ?? 'null'), `${source.type} arbitrary`)),
        { numRuns: 150 },
      );
      const pages = recorded.map((text) => JSON.parse(text) as unknown);
      fc.assert(
        fc.property(fc.nat(pages.length - 1), fc.nat(), fc.jsonValue({ maxDepth: 2 }), (pageIndex, pathIndex, replacement) => {
          const page = pages[pageIndex]!;
          const all = paths(page);
          const path = all[pathIndex % all.length]!;
          expectParsedOrRejected(() => parse(JSON.stringify(replaceAt(page, path, replacement))), `${source.type} ${path.join('.')}`);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('pathological input finishes (no catastrophic backtracking)', () => {
  // Each case runs well under a second when the patterns are linear; exponential backtracking would
  // hang, and the test's timeout fails it. These are hang detectors, not speed measurements.
  const LONG = 200_000;
  const cases: Array<[string, string]> = [
    ['letters', 'a'.repeat(LONG)],
    ['emoticon soup', ':-):-(:-D;)'.repeat(LONG / 10)],
    ['brackets', '('.repeat(LONG / 2) + ')'.repeat(LONG / 2)],
    ['url tail', 'https://' + 'a.'.repeat(LONG / 2)],
    ['apostrophes', "a'".repeat(LONG / 2)],
    ['exclamations', '!?'.repeat(LONG / 2)],
    ['escape runs', '\u001b['.repeat(LONG / 2) + '\u001b]'.repeat(LONG / 4)],
    ['combining marks', 'а\u0301'.repeat(LONG / 2)],
    ['emoji joiners', '👍\u200d'.repeat(LONG / 4)],
  ];
  const topics = compileTopics([{ name: 'acme', query: '(acme OR акме*) AND NOT (wile NEAR/5 coyote)', ownAccounts: [], exclude: ['wile'] }]);

  for (const [name, text] of cases) {
    it(`tokenizes, classifies and sanitises ${name}`, () => {
      expect(tokenize(text).length).toBeGreaterThanOrEqual(0);
      const result = classifyMention({ externalId: 'x', url: null, author: null, authorUrl: null, authorReach: null, title: null, text: `acme ${text}`, lang: null, publishedAt: null, parentId: null, threadId: null }, topics);
      expect(result).not.toBeNull();
      expect(terminalSafe(text).includes('\u001b')).toBe(false);
      expect(terminalSafeLine(text).includes('\u001b')).toBe(false);
    }, 20_000);
  }

  it('parses or rejects deeply nested and very long queries', () => {
    for (const query of ['('.repeat(5000) + 'acme' + ')'.repeat(5000), 'acme OR '.repeat(5000) + 'x', '"' + 'a '.repeat(20_000) + '"', 'NEAR/'.repeat(2000)]) {
      try {
        parseQuery(query);
      } catch (err) {
        expect(err, query.slice(0, 20)).toBeInstanceOf(QueryParseError);
      }
    }
  }, 20_000);
});
