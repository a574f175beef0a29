import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeInterval } from '../../src/config/calendar.js';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { listEnvRefs, resolveEnvRefs } from '../../src/config/env.js';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { LoadOptions } from '../../src/config/load.js';
import { defaultDatabasePath, findConfigFile } from '../../src/config/locate.js';
import { starterConfigText } from '../../src/config/starter.js';
import { closestMatch } from '../../src/config/suggest.js';
import { ConfigError } from '../../src/config/types.js';
import type { MentionsConfig } from '../../src/config/types.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { useTmpDir } from '../helpers/tmp.js';

const OPTIONS: LoadOptions = { knownSourceTypes: SOURCE_TYPES, baseDir: '/etc/mentions', env: {}, home: '/home/anna' };

function parse(text: string, options: Partial<LoadOptions> = {}): MentionsConfig {
  return parseConfigText(text, 'mentions.yml', { ...OPTIONS, ...options });
}

/** The ConfigError `text` fails with; fails the test if it loads. */
function configError(text: string, options: Partial<LoadOptions> = {}): ConfigError {
  try {
    parse(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

const TOPIC = `topics:
  - name: acme
    query: acme
`;

describe('parseConfigText: located errors', () => {
  it('names an unknown top-level key with line, column and a suggestion', () => {
    const err = configError(`timezone: UTC\ndatabase: m.db\ntopcs:\n  - name: acme\n    query: acme\n`);
    expect(err.located).toBe('mentions.yml:3:1: unknown field "topcs" (did you mean "topics"?)');
    expect([err.file, err.line, err.column]).toEqual(['mentions.yml', 3, 1]);
  });

  it('lists the expected fields when no key is close enough to suggest', () => {
    const err = configError(`${TOPIC}colour: red\n`);
    expect(err.message).toContain('unknown field "colour"; expected one of: timezone, database, agent');
  });

  it('locates unknown keys inside topics and sla, with the field path', () => {
    const err = configError(`topics:\n  - name: acme\n    querry: acme\n`);
    expect(err.located).toContain('mentions.yml:3:5: topics[0]: unknown field "querry" (did you mean "query"?)');
    // the missing query is reported too, in the same error
    expect(err.located).toMatch(/topics\[0\]\.query: is required/);
  });

  it('locates a bad duration at its value', () => {
    const err = configError(`sla:\n  default: 1 hour\n`);
    expect(err.line).toBe(2);
    expect(err.column).toBe(12);
    expect(err.message).toMatch(/^sla\.default: invalid duration "1 hour": use .*90s/);
  });

  it('locates an unknown time zone and suggests the real one', () => {
    const err = configError(`agent: anna\ntimezone: Europe/Moskow\n`);
    expect(err.located).toBe('mentions.yml:2:11: timezone: unknown time zone "Europe/Moskow" (did you mean "Europe/Moscow"?)');
  });

  it('locates bad business-hours intervals, item by item', () => {
    const err = configError(`business_hours:\n  mon: ["09:00-13:00", "14:00-25:00"]\n  tue: "18:00-09:00"\n`);
    expect(err.line).toBe(2);
    expect(err.column).toBe(24);
    expect(err.message).toContain('business_hours.mon[1]: invalid interval "14:00-25:00"');
    expect(err.located).toContain('mentions.yml:3:8: business_hours.tue: invalid interval "18:00-09:00": the start must be before the end');
  });

  it('rejects overlapping intervals and impossible dates', () => {
    const err = configError(`business_hours:\n  mon: ["09:00-13:00", "12:00-18:00"]\n  holidays: [2026-02-30]\n`);
    expect(err.message).toContain('business_hours.mon: intervals 09:00-13:00 and 12:00-18:00 overlap');
    expect(err.located).toContain('mentions.yml:3:14: business_hours.holidays[0]: invalid date "2026-02-30"');
  });

  it('collects every problem, sorted by position, with the first one as the error location', () => {
    const err = configError(`sources:\n  - name: feed\n    type: rss\n    url: https://example.com/rss\n    interval: 10s\ntimezone: Mars/Base\n`);
    expect(err.line).toBe(5);
    const lines = err.located.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('mentions.yml:5:15: sources[0].interval: must be at least 60s');
    expect(lines[1]).toMatch(/^mentions\.yml:6:11: timezone: unknown time zone "Mars\/Base"/);
  });

  it('reports wrong types saying what is expected', () => {
    const err = configError(`topics:\n  name: acme\nsources:\n  - name: a\n    type: rss\n    url: https://e.com\n    enabled: yes\n    max_pages: 0\n`);
    expect(err.message).toContain('topics: expected a list (lines starting with "- "), got a mapping');
    expect(err.located).toContain('sources[0].enabled: expected true or false, got "yes"');
    expect(err.located).toContain('sources[0].max_pages: expected a whole number from 1 to 1000, got the number 0');
  });

  it('reports duplicate topic and source names at the second one', () => {
    const err = configError(
      `topics:\n  - { name: acme, query: a }\n  - { name: Acme, query: b }\nsources:\n` +
        `  - { name: f, type: rss, url: "https://a.example" }\n  - { name: f, type: atom, url: "https://b.example" }\n`,
    );
    expect(firstLine(err.message)).toBe('topics[1].name: duplicate topic name "Acme" (first used on line 2)');
    expect(err.located).toContain('mentions.yml:6:13: sources[1].name: duplicate source name "f" (first used on line 5)');
  });

  it('checks source types, URLs and that a source has something to fetch', () => {
    const err = configError(`sources:\n  - name: a\n    type: google-alert\n    url: ftp://example.com/x\n  - name: b\n    type: rss\n`);
    expect(firstLine(err.message)).toBe('sources[0].type: unknown source type "google-alert" (did you mean "google-alerts"?)');
    expect(err.located).toContain('mentions.yml:4:10: sources[0].url: expected an http:// or https:// URL');
    expect(err.located).toContain('mentions.yml:5:5: sources[1]: needs a url');
  });

  it('treats a misspelt source field as an error, not an adapter option', () => {
    const err = configError(`sources:\n  - name: a\n    type: rss\n    url: https://e.com\n    intreval: 5m\n    maxPages: 2\n`);
    expect(firstLine(err.message)).toBe('sources[0]: unknown field "intreval" (did you mean "interval"?)');
    expect(err.located).toContain('sources[0]: unknown field "maxPages" (did you mean "max_pages"?)');
  });

  it('turns YAML syntax errors into located ConfigErrors', () => {
    const err = configError(`timezone: UTC\ntopics:\n  - name: acme\n   query: "unclosed\n`);
    expect(err.message).toMatch(/^YAML syntax error: /);
    expect(err.file).toBe('mentions.yml');
    expect(err.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects a misspelt sla.by_source key but allows types not configured yet', () => {
    const err = configError(`sla:\n  by_source:\n    google-alert: 10m\n`);
    expect(err.located).toBe('mentions.yml:3:5: sla.by_source: "google-alert" is neither a source name nor a source type (did you mean "google-alerts"?)');
    expect(parse(`sla:\n  by_source: { twitter: 30m, vip: 5m }\n`).sla.bySource).toEqual({ twitter: 1800, vip: 300 });
  });

  it('locates problems in a topic\'s context words', () => {
    const err = configError(`topics:\n  - name: mir\n    query: мир\n    context:\n      requires: [карта]\n      reject: [война, "  ", 5]\n`);
    const lines = err.located.split('\n');
    expect(lines[0]).toBe('mentions.yml:5:7: topics[0].context: unknown field "requires" (did you mean "require"?)');
    expect(lines).toContain('mentions.yml:6:23: topics[0].context.reject[1]: must not be empty');
    expect(lines).toContain('mentions.yml:6:29: topics[0].context.reject[2]: expected text (put it in quotes to make it text), got the number 5');
    expect([err.line, err.column]).toEqual([5, 7]);
  });

  it('reads a topic\'s rules', () => {
    const config = parse(
      [
        'topics:',
        '  - name: acme',
        '    query: acme',
        '    rules:',
        '      - match: "долго грузится"',
        '        sentiment: -2.5',
        "      - regex: 'заказ\\s*\\d{6,}'",
        '        tags: [order, urgent, order]',
        '      - match: ваканси*',
        '        relevance: irrelevant',
        '',
      ].join('\n'),
    );
    expect(config.topics[0]!.rules).toEqual([
      { match: 'долго грузится', sentiment: -2.5 },
      { regex: 'заказ\\s*\\d{6,}', tags: ['order', 'urgent'] },
      { match: 'ваканси*', relevance: 'irrelevant' },
    ]);
  });

  it('locates problems in a topic\'s rules', () => {
    const err = configError(
      [
        'topics:',
        '  - name: acme',
        '    query: acme',
        '    rules:',
        '      - match: sick',
        '        regex: sick',
        '        sentiment: 3',
        '      - match: bad',
        '      - regex: "(unclosed"',
        '        tags: [Delivery]',
        '      - match: x',
        '        sentiment: 9',
        '        relevance: spamm',
        '      - tag: [x]',
        '',
      ].join('\n'),
    );
    const lines = err.located.split('\n');
    expect(lines).toContain('mentions.yml:5:9: topics[0].rules[0]: give either match or regex, not both');
    expect(lines).toContain('mentions.yml:8:9: topics[0].rules[1]: does nothing: give sentiment, tags or relevance');
    expect(lines.some((line) => line.startsWith('mentions.yml:9:16: topics[0].rules[2].regex: not a valid regular expression: '))).toBe(true);
    expect(lines).toContain('mentions.yml:10:15: topics[0].rules[2].tags: invalid tag "Delivery": use lower-case letters, digits, "-" and "_"');
    expect(lines).toContain(
      'mentions.yml:12:20: topics[0].rules[3].sentiment: expected a number from -4 to 4 (lexicon units: -2 a clear complaint word, 0 silences a shipped word), got the number 9',
    );
    expect(lines.some((line) => line.startsWith('mentions.yml:13:20: topics[0].rules[3].relevance:') && line.includes('"spam"'))).toBe(true);
    expect(lines).toContain('mentions.yml:14:9: topics[0].rules[4]: unknown field "tag" (did you mean "tags"?)');
    expect(lines).toContain('mentions.yml:14:9: topics[0].rules[4]: needs match (words) or regex');
  });

  it('rejects a context that is not a mapping, and a word both required and rejected', () => {
    const list = configError(`topics:\n  - name: mir\n    query: мир\n    context: [карта]\n`);
    expect(list.located).toBe('mentions.yml:4:14: topics[0].context: expected a mapping (key: value lines), got a list');
    const both = configError(`topics:\n  - name: mir\n    query: мир\n    context:\n      require: [Карта, банк]\n      reject: [карта]\n`);
    expect(both.located).toBe('mentions.yml:6:15: topics[0].context.reject: "карта" also in topics[0].context.require; keep each word in one list');
    const blank = configError(`topics:\n  - name: mir\n    query: мир\n    context: { require: " " }\n`);
    expect(blank.located).toBe('mentions.yml:4:25: topics[0].context.require: must not be empty');
  });

  it('rejects business SLA hours with no working day', () => {
    const err = configError(`sla: { hours: business }\nbusiness_hours:\n  sat: []\n`);
    expect(err.message).toContain('sla.hours: "business" needs business_hours with at least one working day');
  });
});

describe('parseConfigText: values and defaults', () => {
  it('applies defaults for everything not given', () => {
    const config = parse(`${TOPIC}sources:\n  - name: feed\n    type: rss\n    url: https://example.com/rss\n`);
    expect(config.timezone).toBe('UTC');
    expect(config.database).toBeNull();
    expect(config.agent).toBeNull();
    expect(config.sla).toEqual({ defaultSeconds: 3600, bySource: {}, hours: 'all' });
    expect(config.topics).toEqual([{ name: 'acme', query: 'acme', ownAccounts: [], exclude: [] }]);
    expect(config.sources).toEqual([
      {
        name: 'feed',
        type: 'rss',
        url: 'https://example.com/rss',
        query: undefined,
        intervalSeconds: 900,
        enabled: true,
        maxPages: 5,
        options: {},
        location: 'mentions.yml:5',
      },
    ]);
    expect(config.businessHours.week.mon).toEqual([{ startMinute: 540, endMinute: 1080 }]);
    expect(config.businessHours.week.sat).toBeUndefined();
  });

  it('loads an empty file as the built-in defaults', () => {
    const config = parse('# nothing yet\n');
    expect({ ...config, file: null }).toEqual(defaultConfig());
  });

  it('reads every field of a full config', () => {
    const config = parse(`timezone: Europe/Moscow
agent: anna
sla:
  default: 2h
  hours: business
  by_source: { twitter: 30m, feed: 90 }
business_hours:
  mon: ["09:00-13:00", "14:00-18:00"]
  fri: "10:00-24:00"
  holidays: [2026-01-07, 2026-01-01, 2026-01-01]
  extra_working_days: [2026-11-01]
topics:
  - name: acme
    query: '"acme" OR акме'
    own_accounts: [acme_support, "@AcmeHelp"]
    exclude: wile
sources:
  - name: feed
    type: feed
    url: https://example.com/rss?key=\${FEED_KEY}
    interval: 1h30m
    enabled: false
    max_pages: 2
    token: \${VK_TOKEN}
    tags: [a, b]
`);
    expect(config.timezone).toBe('Europe/Moscow');
    expect(config.agent).toBe('anna');
    expect(config.sla).toEqual({ defaultSeconds: 7200, hours: 'business', bySource: { twitter: 1800, feed: 90 } });
    expect(config.businessHours).toEqual({
      week: {
        mon: [
          { startMinute: 540, endMinute: 780 },
          { startMinute: 840, endMinute: 1080 },
        ],
        fri: [{ startMinute: 600, endMinute: 1440 }],
      },
      holidays: ['2026-01-01', '2026-01-07'],
      extraWorkingDays: ['2026-11-01'],
      extraWorkingHours: [
        { startMinute: 540, endMinute: 780 },
        { startMinute: 840, endMinute: 1080 },
      ],
    });
    expect(config.topics[0]).toEqual({ name: 'acme', query: '"acme" OR акме', ownAccounts: ['acme_support', '@AcmeHelp'], exclude: ['wile'] });
    const [source] = config.sources;
    expect(source).toMatchObject({ url: 'https://example.com/rss?key=${FEED_KEY}', intervalSeconds: 5400, enabled: false, maxPages: 2 });
    expect(source?.options).toEqual({ token: '${VK_TOKEN}', tags: ['a', 'b'] });
    expect(source?.location).toBe('mentions.yml:18');
  });

  it('reads context words for a topic, a single word as a one-item list', () => {
    const config = parse(`topics:
  - name: mir
    query: мир
    exclude: [мир во всем мире]
    context:
      require: [карт*, " платежная система "]
      reject: война
  - name: acme
    query: acme
    context: {}
`);
    expect(config.topics[0]).toEqual({
      name: 'mir',
      query: 'мир',
      ownAccounts: [],
      exclude: ['мир во всем мире'],
      context: { require: ['карт*', 'платежная система'], reject: ['война'] },
    });
    expect(config.topics[1]!.context).toEqual({ require: [], reject: [] });
    expect('context' in parse(TOPIC).topics[0]!).toBe(false);
  });

  it('keeps the default week when business_hours only lists holidays', () => {
    const config = parse(`business_hours:\n  holidays: [2026-05-01]\n`);
    expect(config.businessHours.week.wed).toEqual([{ startMinute: 540, endMinute: 1080 }]);
    expect(config.businessHours.holidays).toEqual(['2026-05-01']);
  });

  it('needs hours for extra working days when Monday is closed', () => {
    const err = configError(`business_hours:\n  tue: "09:00-18:00"\n  extra_working_days: [2026-11-01]\n`);
    expect(err.located).toContain('mentions.yml:3:23: business_hours.extra_working_days: these days have no hours');
    const config = parse(`business_hours:\n  tue: "09:00-18:00"\n  extra_working_days: [2026-11-01]\n  extra_working_hours: "10:00-16:00"\n`);
    expect(config.businessHours.extraWorkingHours).toEqual([{ startMinute: 600, endMinute: 960 }]);
  });

  it('resolves a relative database path against the config folder, and ~ against home', () => {
    expect(parse('database: data/m.db\n').database).toBe('/etc/mentions/data/m.db');
    expect(parse('database: /var/m.db\n').database).toBe('/var/m.db');
    expect(parse('database: ~/m.db\n').database).toBe('/home/anna/m.db');
  });

  it('resolves ${VAR} in database, timezone and agent at load time', () => {
    const env = { DATA: '/srv/data', TZ_NAME: 'Asia/Tokyo', WHO: 'boris' };
    const config = parse('database: ${DATA}/m.db\ntimezone: ${TZ_NAME}\nagent: ${WHO}\n', { env });
    expect([config.database, config.timezone, config.agent]).toEqual(['/srv/data/m.db', 'Asia/Tokyo', 'boris']);
  });

  it('locates a missing variable in a top-level setting, naming only the variable', () => {
    const err = configError('timezone: UTC\ndatabase: ${DATA_DIR}/m.db\n', { env: { OTHER: 'secret-value-1' } });
    expect(err.located).toBe('mentions.yml:2:11: database: environment variable DATA_DIR is not set (referenced as ${DATA_DIR})');
  });

  it('rejects a malformed reference rather than sending it literally', () => {
    const err = configError('sources:\n  - name: a\n    type: rss\n    url: https://e.com/?k=${feed_key}\n');
    expect(err.message).toContain('sources[0].url: "${feed_key}" is not a valid variable reference');
  });
});

describe('env references', () => {
  const settings = { url: 'https://e.com/?k=${FEED_KEY}&u=${USER_ID}', options: { token: '${VK_TOKEN}', pages: 3, list: ['${FEED_KEY}'] } };

  it('lists each referenced variable once, skipping escapes', () => {
    expect(listEnvRefs(settings)).toEqual(['FEED_KEY', 'USER_ID', 'VK_TOKEN']);
    expect(listEnvRefs('price $${NOT_A_REF}')).toEqual([]);
  });

  it('replaces references deep inside values, leaving non-strings alone', () => {
    const env = { FEED_KEY: 'k1', USER_ID: 'u2', VK_TOKEN: 't3' };
    expect(resolveEnvRefs(settings, env, 'x')).toEqual({ url: 'https://e.com/?k=k1&u=u2', options: { token: 't3', pages: 3, list: ['k1'] } });
    expect(resolveEnvRefs('cost $${X}', {}, 'x')).toBe('cost ${X}');
    // the input is not modified
    expect(settings.options.token).toBe('${VK_TOKEN}');
  });

  it('names the missing variable and where it is used, never any value', () => {
    const env = { FEED_KEY: 'canary-feed-key-81f2', USER_ID: 'canary-user-9a1b' };
    let error: unknown;
    try {
      resolveEnvRefs(settings, env, 'mentions.yml:12: sources "vk"');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).located;
    expect(message).toBe('mentions.yml:12: sources "vk": environment variable VK_TOKEN is not set (referenced as ${VK_TOKEN})');
    expect(message).not.toContain('canary');
  });

  it('treats an empty variable as a problem too', () => {
    expect(() => resolveEnvRefs('${VK_TOKEN}', { VK_TOKEN: '' }, 'w')).toThrow('environment variable VK_TOKEN is empty');
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h 05m', 3900],
    ['2d', 172800],
    ['45', 45],
    [' 0 ', 0],
  ])('parses %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '1 hour', '1.5h', '30m1h', 'h', '-5m', '1H'])('rejects %j with what is accepted', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration .*90s, 10m/);
  });

  it.each([
    [45, '45s'],
    [600, '10m'],
    [90, '1m 30s'],
    [3900, '1h 05m'],
    [3600, '1h'],
    [273600, '3d 4h'],
    [-125, '-2m 05s'],
  ])('formats %i seconds as %j', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('reads back what it formats, to the shown precision', () => {
    for (const seconds of [59, 61, 3540, 3660, 86400]) expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
});

describe('time intervals', () => {
  it('allows 24:00 only as an end', () => {
    expect(parseTimeInterval('22:00-24:00')).toEqual({ startMinute: 1320, endMinute: 1440 });
    expect(() => parseTimeInterval('24:00-24:00')).toThrow(/hours are 00–23/);
    expect(() => parseTimeInterval('9-18')).toThrow(/expected HH:MM-HH:MM/);
  });
});

describe('did you mean', () => {
  it('suggests near misses and spelling variants, not unrelated words', () => {
    expect(closestMatch('topcs', ['timezone', 'topics', 'sources'])).toBe('topics');
    expect(closestMatch('timeZone', ['timezone', 'topics'])).toBe('timezone');
    expect(closestMatch('monday', ['mon', 'tue'])).toBe('mon');
    expect(closestMatch('colour', ['timezone', 'topics', 'sources'])).toBeNull();
  });
});

describe('starter template', () => {
  it('loads without errors and pulls nothing until edited', () => {
    const config = parseConfigText(starterConfigText(), 'mentions.yml', OPTIONS);
    expect(config.topics.map((t) => t.name)).toEqual(['acme']);
    expect(config.sources).toHaveLength(1);
    expect(config.sources.filter((s) => s.enabled)).toEqual([]);
    expect(config.sla).toEqual({ defaultSeconds: 3600, hours: 'all', bySource: { 'google-alerts': 600, twitter: 1800 } });
    expect(config.businessHours.week.fri).toEqual([{ startMinute: 540, endMinute: 1080 }]);
    expect(config.businessHours.week.sat).toBeUndefined();
    expect(config.timezone).toBe('UTC');
    expect(config.database).toBe('/etc/mentions/mentions.db');
  });

  it('explains itself in comments', () => {
    const text = starterConfigText();
    for (const field of ['timezone', 'database', 'sla', 'business_hours', 'topics', 'sources', 'own_accounts', 'interval']) {
      expect(text).toMatch(new RegExp(`^\\s*#?\\s*${field}:`, 'm'));
    }
    expect(text.split('\n').filter((line) => line.trim().startsWith('#')).length).toBeGreaterThan(15);
  });
});

describe('loadConfig and locating the file', () => {
  const tmp = useTmpDir();

  it('reads a file, resolving the database next to it and labelling errors with the path given', () => {
    const dir = tmp();
    const path = join(dir, 'conf', 'mentions.yml');
    mkdirSync(join(dir, 'conf'));
    writeFileSync(path, `database: m.db\n${TOPIC}`);
    const config = loadConfig(path, { knownSourceTypes: SOURCE_TYPES });
    expect(config.file).toBe(path);
    expect(config.database).toBe(join(dir, 'conf', 'm.db'));

    writeFileSync(path, 'timezone: UTC\ntopcs: []\n');
    expect(() => loadConfig(path, { knownSourceTypes: SOURCE_TYPES })).toThrow(ConfigError);
    try {
      loadConfig(path, { knownSourceTypes: SOURCE_TYPES });
    } catch (err) {
      expect((err as ConfigError).located).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: unknown field "topcs"`));
    }
    expect(() => loadConfig(join(dir, 'missing.yml'), { knownSourceTypes: SOURCE_TYPES })).toThrow(/config file not found/);
  });

  it('prefers --config, then $MENTIONS_CONFIG, then ./mentions.yml, then the XDG config', () => {
    const dir = tmp();
    const files = {
      flag: join(dir, 'flag.yml'),
      env: join(dir, 'env.yml'),
      cwd: join(dir, 'work', 'mentions.yml'),
      xdg: join(dir, 'xdg', 'mentions', 'config.yml'),
    };
    mkdirSync(join(dir, 'work'));
    mkdirSync(join(dir, 'xdg', 'mentions'), { recursive: true });
    for (const file of Object.values(files)) writeFileSync(file, '');
    const search = { cwd: join(dir, 'work'), xdgConfigHome: join(dir, 'xdg'), home: join(dir, 'home') };

    expect(findConfigFile({ ...search, flag: files.flag, env: files.env })).toBe(files.flag);
    expect(findConfigFile({ ...search, env: files.env })).toBe(files.env);
    expect(findConfigFile(search)).toBe(files.cwd);
    expect(findConfigFile({ ...search, cwd: dir })).toBe(files.xdg);
    expect(findConfigFile({ ...search, cwd: dir, xdgConfigHome: undefined })).toBeNull();
  });

  it('defaults XDG_CONFIG_HOME to ~/.config, ignoring a relative value', () => {
    const dir = tmp();
    const home = join(dir, 'home');
    const file = join(home, '.config', 'mentions', 'config.yml');
    mkdirSync(join(home, '.config', 'mentions'), { recursive: true });
    writeFileSync(file, '');
    expect(findConfigFile({ cwd: dir, home })).toBe(file);
    expect(findConfigFile({ cwd: dir, home, xdgConfigHome: 'relative/dir' })).toBe(file);
  });

  it('fails when an explicitly named file is missing, saying where the name came from', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mentions.yml'), '');
    expect(() => findConfigFile({ cwd: dir, home: dir, flag: 'nope.yml' })).toThrow(`config file not found: ${join(dir, 'nope.yml')} (from --config)`);
    expect(() => findConfigFile({ cwd: dir, home: dir, env: join(dir, 'gone.yml') })).toThrow('(from $MENTIONS_CONFIG)');
  });

  it('puts the default database under XDG_DATA_HOME or ~/.local/share', () => {
    expect(defaultDatabasePath({ xdgDataHome: '/data', home: '/home/a' })).toBe('/data/mentions/mentions.db');
    expect(defaultDatabasePath({ home: '/home/a' })).toBe('/home/a/.local/share/mentions/mentions.db');
  });
});
