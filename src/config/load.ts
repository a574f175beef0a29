/**
 * Reads and validates the config file. Every problem is reported with the
 * file, line and column of the offending YAML node and the field's path
 * (`sources[1].url`, indexes from 0), and all problems are collected so one
 * edit–run cycle fixes them all.
 *
 * Schema (the starter template in starter.ts explains each field to users):
 *
 *   timezone: Europe/Moscow        IANA name; default UTC. May use ${VAR}.
 *   database: mentions.db          optional; relative to this file's folder; ~/ is the home folder. May use ${VAR}.
 *   agent: anna                    optional default acting agent. May use ${VAR}.
 *   sla:
 *     default: 1h                  first-response target; default 1h
 *     hours: all                   all | business; default all
 *     by_source: { twitter: 30m }  source name or type → target. A key that is neither but is one typo
 *                                  away from one is an error; others are allowed (a type not configured yet).
 *   business_hours:                absent altogether = Mon–Fri 09:00–18:00
 *     mon: "09:00-18:00"           or a list of intervals; 24:00 allowed as an end; a missing day,
 *                                  null or [] is closed (once business_hours is given)
 *     holidays: [2026-01-01]       days off
 *     extra_working_days: [...]    days worked despite their weekday, with extra_working_hours
 *     extra_working_hours: "10:00-16:00"   optional; default: Monday's hours (the usual full day)
 *   topics:                        list; name unique, letters/digits/._- only
 *     - name, query (required), own_accounts, exclude (lists; a single string is a one-item list)
 *       own_accounts items: a handle (any source), or { source: NAME-or-TYPE, handles: [...] } for one source
 *       context: { require: [...], reject: [...] }   optional; words (lists as above, none empty, none in
 *                                  both) that confirm or reject a match: with require, a match needs one of them
 *       rules: [{ match | regex, sentiment, tags, relevance }]   optional; the team's own rules (see TopicRule)
 *   sources:                       list; name unique
 *     - name, type (one of knownSourceTypes), url (http/https) and/or query — at least one,
 *       interval (duration ≥ 1m, default 15m), enabled (default true), max_pages (1–1000, default 5),
 *       timeout (duration: wait for headers and longest body silence; default 15s).
 *       Any other key goes to `options` for the adapter, raw, with ${VAR} unresolved; a key that
 *       looks like a misspelt known key ("intreval", "maxPages") is an error instead of a silent option.
 *
 *   alerts: { channels, rules }     optional; see alerts.ts
 *
 * Durations: 90s, 10m, 1h, 1h30m, 2d, or a bare number of seconds.
 * ${VAR} in source fields is resolved only when pulling (see env.ts), so a
 * missing token breaks `pull` but not `queue`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import { findOverlap, formatTimeInterval, isIsoDate, isKnownTimeZone, parseTimeInterval } from './calendar.js';
import { readAlerts } from './alerts.js';
import { parseDuration } from './duration.js';
import { findMalformedEnvRef, listEnvRefs, resolveEnvRefs } from './env.js';
import { closestMatch, didYouMean, editDistance } from './suggest.js';
import { DEFAULT_SLA_SECONDS, DEFAULT_TIMEZONE, defaultBusinessHours, defaultConfig } from './defaults.js';
import { ConfigError } from './types.js';
import type { BusinessHours, MentionsConfig, SlaConfig, SourceConfig, TimeInterval, TopicConfig, TopicContext, TopicRule, Weekday } from './types.js';

export interface LoadOptions {
  /** Source types the program has adapters for. */
  knownSourceTypes: readonly string[];
  /** For ${VAR} in timezone, database and agent; loadConfig uses process.env, parseConfigText none. */
  env?: Record<string, string | undefined>;
  /** For `~/` in database; loadConfig uses the OS home folder. */
  home?: string;
  /** Folder a relative database path is resolved against; default: the folder of fileLabel. */
  baseDir?: string;
}

const DEFAULT_INTERVAL_SECONDS = 15 * 60;
// Feeds rarely change faster, and polling harder gets clients blocked.
const MIN_INTERVAL_SECONDS = 60;
const DEFAULT_MAX_PAGES = 5;
const MAX_MAX_PAGES = 1000;
const MAX_REPORTED_PROBLEMS = 20;

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const TOP_LEVEL_KEYS = ['timezone', 'database', 'agent', 'sla', 'business_hours', 'topics', 'sources', 'alerts'] as const;
const SLA_KEYS = ['default', 'hours', 'by_source'] as const;
const BUSINESS_HOURS_KEYS = [...WEEKDAYS, 'holidays', 'extra_working_days', 'extra_working_hours'] as const;
const TOPIC_KEYS = ['name', 'query', 'own_accounts', 'exclude', 'context', 'rules'] as const;
const CONTEXT_KEYS = ['require', 'reject'] as const;
const RULE_KEYS = ['match', 'regex', 'sentiment', 'tags', 'relevance'] as const;
const RULE_RELEVANCE = ['relevant', 'irrelevant', 'spam'] as const;
// Lexicon units: VADER's scale, on which the shipped words are weighed.
const MAX_RULE_VALENCE = 4;
const TAG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_-]*$/u;
const SOURCE_KEYS = ['name', 'type', 'url', 'query', 'interval', 'enabled', 'max_pages', 'timeout'] as const;
const SLA_HOURS = ['all', 'business'] as const;

const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const NAME_HINT = 'letters, digits, ".", "_" or "-", no spaces';

/** Reads the file at `path`; errors name it as given, so they match what the user typed or saw. */
export function loadConfig(path: string, options: LoadOptions): MentionsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`config file not found: ${path}`);
    if (code === 'EISDIR') throw new ConfigError(`config path is a folder, not a file: ${path}`);
    throw new ConfigError(`cannot read config file ${path}: ${code ?? (err as Error).message}`);
  }
  return configFromFileText(text, path, options);
}

/** The config a file at `path` holding `text` gives, with loadConfig's defaults (process env, home, the file's folder). */
export function configFromFileText(text: string, path: string, options: LoadOptions): MentionsConfig {
  return parseConfigText(text, path, {
    env: process.env,
    home: homedir(),
    baseDir: dirname(resolve(path)),
    ...options,
  });
}

/** Parses and validates config text; `fileLabel` is what errors and source locations call the file. */
export function parseConfigText(text: string, fileLabel: string, options: LoadOptions): MentionsConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  const walk: Walk = { doc, problems: [], fileLabel, lineCounter, options };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) addProblem(walk, error.pos[0], `YAML syntax error: ${firstLine(error.message)}`);
    throw problemsError(walk);
  }
  const config = readConfig(walk, options.baseDir ?? dirname(fileLabel));
  if (walk.problems.length > 0) throw problemsError(walk);
  return config;
}

// ---------------------------------------------------------------------------
// Walking the YAML nodes

interface Problem {
  offset: number;
  message: string;
}

export interface Walk {
  doc: Document.Parsed;
  problems: Problem[];
  fileLabel: string;
  lineCounter: LineCounter;
  options: LoadOptions;
}

/** A `key: value` entry of a mapping; `value` is null for `key:` with nothing after it. */
export interface Field {
  key: string;
  keyOffset: number;
  value: YamlNode | null;
  /** Where to point at the value: the value itself, or the key when there is none. */
  offset: number;
}

export type Fields = Map<string, Field>;

export function addProblem(walk: Walk, offset: number, message: string): void {
  walk.problems.push({ offset, message });
}

function problemsError(walk: Walk): ConfigError {
  const located = walk.problems
    .map((p) => ({ ...p, ...walk.lineCounter.linePos(p.offset) }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  const [first, ...rest] = located;
  if (!first) return new ConfigError('invalid config', walk.fileLabel);
  const shown = rest.slice(0, MAX_REPORTED_PROBLEMS - 1);
  const lines = [
    first.message,
    ...shown.map((p) => `${walk.fileLabel}:${p.line}:${p.col}: ${p.message}`),
    ...(rest.length > shown.length ? [`… and ${rest.length - shown.length} more problems`] : []),
  ];
  return new ConfigError(lines.join('\n'), walk.fileLabel, first.line, first.col);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function deref(walk: Walk, node: unknown): YamlNode | null {
  if (isAlias(node)) return node.resolve(walk.doc) ?? null;
  if (isScalar(node) || isMap(node) || isSeq(node)) return node;
  return null;
}

export function offsetOf(node: YamlNode | null, fallback = 0): number {
  return node?.range?.[0] ?? fallback;
}

export function isAbsent(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function describe(node: YamlNode | null): string {
  if (isAbsent(node)) return 'nothing';
  if (isMap(node)) return 'a mapping (key: value lines)';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (typeof node.value === 'number') return `the number ${String(node.value)}`;
    if (typeof node.value === 'boolean') return String(node.value);
    if (typeof node.value === 'string') return `"${node.value}"`;
  }
  return 'something else';
}

export function at(path: string, child: string | number): string {
  if (typeof child === 'number') return `${path}[${child}]`;
  return path ? `${path}.${child}` : child;
}

export function prefixed(path: string, message: string): string {
  return path ? `${path}: ${message}` : message;
}

export function expected(walk: Walk, node: YamlNode | null, path: string, what: string, fallbackOffset: number): void {
  addProblem(walk, offsetOf(node, fallbackOffset), prefixed(path, `expected ${what}, got ${describe(node)}`));
}

/** The entries of a mapping, reporting keys that are not strings. */
function readFields(walk: Walk, map: YAMLMap, path: string): Fields {
  const fields: Fields = new Map();
  for (const pair of map.items) {
    const keyNode = deref(walk, pair.key);
    const keyOffset = offsetOf(keyNode, offsetOf(map));
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      addProblem(walk, keyOffset, prefixed(path, 'expected a plain name as the key'));
      continue;
    }
    const value = deref(walk, pair.value);
    const key = String(keyNode.value);
    fields.set(key, { key, keyOffset, value, offset: isAbsent(value) ? keyOffset : offsetOf(value, keyOffset) });
  }
  return fields;
}

export function reportUnknownKeys(walk: Walk, fields: Fields, known: readonly string[], path: string): void {
  for (const field of fields.values()) {
    if (known.includes(field.key)) continue;
    const suggestion = didYouMean(field.key, known);
    const hint = suggestion || `; expected one of: ${known.join(', ')}`;
    addProblem(walk, field.keyOffset, prefixed(path, `unknown field "${field.key}"${hint}`));
  }
}

/** A mapping's fields, or null (with a problem) when the node is something else. */
export function readMapping(walk: Walk, node: YamlNode | null, path: string, fallbackOffset: number): Fields | null {
  if (isMap(node)) return readFields(walk, node, path);
  expected(walk, node, path, 'a mapping (key: value lines)', fallbackOffset);
  return null;
}

/** Whether the field is there with a value: `key:` with nothing after it counts as absent. */
export function present(field: Field | undefined): field is Field & { value: YamlNode } {
  return field !== undefined && !isAbsent(field.value);
}

export function readText(walk: Walk, field: Field, path: string): string | undefined {
  const node = field.value;
  if (!isScalar(node) || typeof node.value !== 'string') {
    const hint = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') ? ' (put it in quotes to make it text)' : '';
    expected(walk, node, path, `text${hint}`, field.offset);
    return undefined;
  }
  if (node.value.trim() === '') {
    addProblem(walk, field.offset, prefixed(path, 'must not be empty'));
    return undefined;
  }
  return node.value;
}

export function readRequiredText(walk: Walk, fields: Fields, key: string, path: string, ownerOffset: number): string | undefined {
  const field = fields.get(key);
  if (!present(field)) {
    addProblem(walk, field?.keyOffset ?? ownerOffset, prefixed(at(path, key), 'is required'));
    return undefined;
  }
  return readText(walk, field, at(path, key));
}

export function readName(walk: Walk, fields: Fields, path: string, ownerOffset: number): string | undefined {
  const name = readRequiredText(walk, fields, 'name', path, ownerOffset);
  if (name === undefined) return undefined;
  if (!NAME_PATTERN.test(name)) {
    addProblem(walk, fields.get('name')!.offset, prefixed(at(path, 'name'), `invalid name "${name}": use ${NAME_HINT}`));
    return undefined;
  }
  return name;
}

const OWN_ACCOUNT_KEYS = ['source', 'handles'] as const;

/**
 * `own_accounts: [AcmeSupport, {source: twitter, handles: [AcmeHelp]}]`: a
 * handle on its own counts on every source; a mapping only on the source
 * with that name, or of that type.
 */
function readOwnAccounts(walk: Walk, field: Field, path: string, topic: TopicConfig): void {
  const node = field.value;
  const items = isSeq(node) ? node.items.map((item) => deref(walk, item)) : [node];
  items.forEach((itemNode, index) => {
    const itemPath = isSeq(node) ? at(path, index) : path;
    const itemField: Field = { key: String(index), keyOffset: field.offset, value: itemNode, offset: offsetOf(itemNode, field.offset) };
    if (!isMap(itemNode)) {
      const text = readText(walk, itemField, itemPath);
      if (text !== undefined) topic.ownAccounts.push(text.trim());
      return;
    }
    const fields = readFields(walk, itemNode, itemPath);
    reportUnknownKeys(walk, fields, OWN_ACCOUNT_KEYS, itemPath);
    const source = readRequiredText(walk, fields, 'source', itemPath, itemField.offset);
    const handles = fields.get('handles');
    if (!present(handles)) {
      addProblem(walk, handles?.keyOffset ?? itemField.offset, prefixed(at(itemPath, 'handles'), 'is required (the account handles on that source)'));
      return;
    }
    const list = readTextList(walk, handles, at(itemPath, 'handles')).map((h) => h.trim());
    if (source !== undefined && list.length > 0) (topic.ownAccountsBySource ??= []).push({ source: source.trim(), handles: list });
  });
}

/** A list of non-empty strings; a single string counts as a one-item list. */
export function readTextList(walk: Walk, field: Field, path: string): string[] {
  const node = field.value;
  if (isScalar(node) && typeof node.value === 'string') return readText(walk, field, path) === undefined ? [] : [node.value];
  if (!isSeq(node)) {
    expected(walk, node, path, 'a list of text items', field.offset);
    return [];
  }
  const items: string[] = [];
  node.items.forEach((item, index) => {
    const itemNode = deref(walk, item);
    const text = readText(walk, { key: String(index), keyOffset: field.offset, value: itemNode, offset: offsetOf(itemNode, field.offset) }, at(path, index));
    if (text !== undefined) items.push(text);
  });
  return items;
}

export function readList(walk: Walk, field: Field | undefined, path: string): Array<YamlNode | null> {
  if (!present(field)) return [];
  if (!isSeq(field.value)) {
    expected(walk, field.value, path, 'a list (lines starting with "- ")', field.offset);
    return [];
  }
  return field.value.items.map((item) => deref(walk, item));
}

/** Seconds, from a duration string or a bare number of seconds; must be at least `min`. */
export function readDuration(walk: Walk, field: Field, path: string, min = 1): number | undefined {
  const node = field.value;
  let seconds: number;
  if (isScalar(node) && typeof node.value === 'number') {
    if (!Number.isSafeInteger(node.value) || node.value < 0) {
      addProblem(walk, field.offset, prefixed(path, `invalid duration ${String(node.value)}: a bare number is whole seconds`));
      return undefined;
    }
    seconds = node.value;
  } else if (isScalar(node) && typeof node.value === 'string') {
    try {
      seconds = parseDuration(node.value);
    } catch (err) {
      addProblem(walk, field.offset, prefixed(path, (err as Error).message));
      return undefined;
    }
  } else {
    expected(walk, node, path, 'a duration like 90s, 10m, 1h30m or 2d', field.offset);
    return undefined;
  }
  if (seconds < min) {
    addProblem(walk, field.offset, prefixed(path, min === 1 ? 'must be longer than 0' : `must be at least ${min}s`));
    return undefined;
  }
  return seconds;
}

function readBoolean(walk: Walk, field: Field, path: string): boolean | undefined {
  const node = field.value;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  expected(walk, node, path, 'true or false', field.offset);
  return undefined;
}

export function readInteger(walk: Walk, field: Field, path: string, min: number, max: number): number | undefined {
  const node = field.value;
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= min && node.value <= max) {
    return node.value;
  }
  expected(walk, node, path, `a whole number from ${min} to ${max}`, field.offset);
  return undefined;
}

/** One of `choices`, with a suggestion for a near miss. */
export function readChoice<T extends string>(walk: Walk, field: Field, path: string, choices: readonly T[]): T | undefined {
  const text = readText(walk, field, path);
  if (text === undefined) return undefined;
  if ((choices as readonly string[]).includes(text)) return text as T;
  addProblem(walk, field.offset, prefixed(path, `expected one of ${choices.join(', ')}, got "${text}"${didYouMean(text, choices)}`));
  return undefined;
}

/** Resolves ${VAR} in a top-level setting now, since nothing later would. */
function readResolvedText(walk: Walk, field: Field, path: string): string | undefined {
  const text = readText(walk, field, path);
  if (text === undefined || !checkEnvRefSyntax(walk, text, field.offset, path)) return undefined;
  try {
    const resolved = resolveEnvRefs(text, walk.options.env ?? {}, path) as string;
    if (resolved.trim() === '') {
      addProblem(walk, field.offset, prefixed(path, 'must not be empty'));
      return undefined;
    }
    return resolved;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    addProblem(walk, field.offset, err.message);
    return undefined;
  }
}

export function checkEnvRefSyntax(walk: Walk, text: string, offset: number, path: string): boolean {
  const malformed = findMalformedEnvRef(text);
  if (malformed) addProblem(walk, offset, prefixed(path, malformed));
  return malformed === null;
}

function checkEnvRefsDeep(walk: Walk, value: unknown, offset: number, path: string): void {
  if (typeof value === 'string') checkEnvRefSyntax(walk, value, offset, path);
  else if (Array.isArray(value)) value.forEach((item, i) => checkEnvRefsDeep(walk, item, offset, at(path, i)));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkEnvRefsDeep(walk, item, offset, at(path, key));
  }
}

/** Reports a second use of a name (case-insensitively: "Acme" and "acme" are surely a mistake). */
export function reportDuplicateNames(walk: Walk, entries: Array<{ name: string; offset: number; path: string }>, what: string): void {
  const firstLineByName = new Map<string, number>();
  for (const entry of entries) {
    const key = entry.name.toLowerCase();
    const firstAt = firstLineByName.get(key);
    if (firstAt === undefined) firstLineByName.set(key, walk.lineCounter.linePos(entry.offset).line);
    else addProblem(walk, entry.offset, prefixed(entry.path, `duplicate ${what} name "${entry.name}" (first used on line ${firstAt})`));
  }
}

// ---------------------------------------------------------------------------
// Sections

function readConfig(walk: Walk, baseDir: string): MentionsConfig {
  const config = defaultConfig();
  const root = walk.doc.contents;
  if (isAbsent(root)) return { ...config, file: resolve(walk.fileLabel) };
  const fields = readMapping(walk, root, '', 0);
  if (!fields) return config;
  reportUnknownKeys(walk, fields, TOP_LEVEL_KEYS, '');

  const timezone = fields.get('timezone');
  const database = fields.get('database');
  const agent = fields.get('agent');
  const topics = readTopics(walk, fields.get('topics'));
  const sources = readSources(walk, fields.get('sources'));
  const hoursField = fields.get('business_hours');
  const businessHours = present(hoursField) ? readBusinessHours(walk, hoursField) : defaultBusinessHours();
  const sla = readSla(walk, fields.get('sla'), sources, businessHours);
  return {
    file: resolve(walk.fileLabel),
    timezone: present(timezone) ? (readTimezone(walk, timezone) ?? DEFAULT_TIMEZONE) : DEFAULT_TIMEZONE,
    database: present(database) ? readDatabasePath(walk, database, baseDir) : null,
    topics,
    sources,
    sla,
    businessHours,
    agent: present(agent) ? (readResolvedText(walk, agent, 'agent') ?? null) : null,
    alerts: readAlerts(walk, fields.get('alerts'), topics),
  };
}

function readTimezone(walk: Walk, field: Field): string | undefined {
  const name = readResolvedText(walk, field, 'timezone');
  if (name === undefined || isKnownTimeZone(name)) return name;
  const suggestion = closestMatch(name, Intl.supportedValuesOf('timeZone'));
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '; use an IANA name like "Europe/Moscow", "America/New_York" or "UTC"';
  addProblem(walk, field.offset, `timezone: unknown time zone "${name}"${hint}`);
  return undefined;
}

function readDatabasePath(walk: Walk, field: Field, baseDir: string): string | null {
  const path = readResolvedText(walk, field, 'database');
  if (path === undefined) return null;
  if (path === '~' || path.startsWith('~/')) return join(walk.options.home ?? homedir(), path.slice(1));
  return resolve(baseDir, path);
}

function readSla(walk: Walk, field: Field | undefined, sources: SourceConfig[], businessHours: BusinessHours): SlaConfig {
  const sla: SlaConfig = { defaultSeconds: DEFAULT_SLA_SECONDS, bySource: {}, hours: 'all' };
  if (!present(field)) return sla;
  const fields = readMapping(walk, field.value, 'sla', field.offset);
  if (!fields) return sla;
  reportUnknownKeys(walk, fields, SLA_KEYS, 'sla');

  const target = fields.get('default');
  if (present(target)) sla.defaultSeconds = readDuration(walk, target, 'sla.default') ?? sla.defaultSeconds;
  const hours = fields.get('hours');
  if (present(hours)) sla.hours = readChoice(walk, hours, 'sla.hours', SLA_HOURS) ?? sla.hours;
  if (sla.hours === 'business' && WEEKDAYS.every((day) => (businessHours.week[day] ?? []).length === 0)) {
    addProblem(walk, hours!.offset, 'sla.hours: "business" needs business_hours with at least one working day');
  }
  const bySource = fields.get('by_source');
  if (present(bySource)) sla.bySource = readSlaBySource(walk, bySource, sources);
  return sla;
}

/**
 * Targets by source name or type. Keys need not match anything configured
 * (a target for a source type added later), but a near miss of a configured
 * name or known type is reported, since it would silently fall back to the default.
 */
function readSlaBySource(walk: Walk, field: Field, sources: SourceConfig[]): Record<string, number> {
  const fields = readMapping(walk, field.value, 'sla.by_source', field.offset);
  if (!fields) return {};
  const known = [...new Set([...sources.map((s) => s.name), ...walk.options.knownSourceTypes])];
  const targets: Record<string, number> = {};
  for (const entry of fields.values()) {
    const path = at('sla.by_source', entry.key);
    if (!known.includes(entry.key)) {
      const near = closestMatch(entry.key, known);
      if (near) {
        addProblem(walk, entry.keyOffset, `sla.by_source: "${entry.key}" is neither a source name nor a source type (did you mean "${near}"?)`);
        continue;
      }
    }
    if (!present(entry)) {
      addProblem(walk, entry.offset, prefixed(path, 'expected a duration like 10m, got nothing'));
      continue;
    }
    const seconds = readDuration(walk, entry, path);
    if (seconds !== undefined) targets[entry.key] = seconds;
  }
  return targets;
}

function readBusinessHours(walk: Walk, field: Field): BusinessHours {
  const hours = defaultBusinessHours();
  const fields = readMapping(walk, field.value, 'business_hours', field.offset);
  if (!fields) return hours;
  reportUnknownKeys(walk, fields, BUSINESS_HOURS_KEYS, 'business_hours');

  // Only holidays given: keep the default week rather than closing every day.
  if (WEEKDAYS.some((day) => fields.has(day))) {
    hours.week = {};
    for (const day of WEEKDAYS) {
      const dayField = fields.get(day);
      const intervals = dayField ? readDayHours(walk, dayField, at('business_hours', day)) : [];
      if (intervals.length > 0) hours.week[day] = intervals;
    }
  }
  const holidays = fields.get('holidays');
  if (present(holidays)) hours.holidays = readDates(walk, holidays, 'business_hours.holidays');
  const extraDays = fields.get('extra_working_days');
  if (present(extraDays)) hours.extraWorkingDays = readDates(walk, extraDays, 'business_hours.extra_working_days');
  const both = hours.extraWorkingDays.filter((date) => hours.holidays.includes(date));
  if (both.length > 0) {
    addProblem(walk, extraDays!.offset, `business_hours.extra_working_days: ${both.join(', ')} also listed in holidays; keep each date in one list`);
  }

  const extraHours = fields.get('extra_working_hours');
  hours.extraWorkingHours = extraHours ? readDayHours(walk, extraHours, 'business_hours.extra_working_hours') : [...(hours.week.mon ?? [])];
  if (hours.extraWorkingDays.length > 0 && hours.extraWorkingHours.length === 0) {
    const why = extraHours ? 'extra_working_hours is empty' : 'they use Monday\'s hours, and Monday is closed; set business_hours.extra_working_hours';
    addProblem(walk, extraDays!.offset, `business_hours.extra_working_days: these days have no hours: ${why}`);
  }
  return hours;
}

/** A day's intervals, sorted: a string, a list of strings, or nothing (closed). */
function readDayHours(walk: Walk, field: Field, path: string): TimeInterval[] {
  if (isAbsent(field.value)) return [];
  const texts = readTextList(walk, field, path);
  const intervals: TimeInterval[] = [];
  const itemNodes = isSeq(field.value) ? field.value.items.map((item) => deref(walk, item)) : [field.value];
  texts.forEach((text, index) => {
    const offset = offsetOf(itemNodes[index] ?? null, field.offset);
    try {
      intervals.push(parseTimeInterval(text));
    } catch (err) {
      addProblem(walk, offset, prefixed(isSeq(field.value) ? at(path, index) : path, (err as Error).message));
    }
  });
  intervals.sort((a, b) => a.startMinute - b.startMinute);
  const overlap = findOverlap(intervals);
  if (overlap) {
    addProblem(walk, field.offset, prefixed(path, `intervals ${formatTimeInterval(overlap[0])} and ${formatTimeInterval(overlap[1])} overlap`));
  }
  return intervals;
}

/** Real YYYY-MM-DD dates, sorted, each once. */
function readDates(walk: Walk, field: Field, path: string): string[] {
  const texts = readTextList(walk, field, path);
  const itemNodes = isSeq(field.value) ? field.value.items.map((item) => deref(walk, item)) : [field.value];
  const dates = new Set<string>();
  texts.forEach((text, index) => {
    if (isIsoDate(text)) dates.add(text);
    else {
      const offset = offsetOf(itemNodes[index] ?? null, field.offset);
      addProblem(walk, offset, prefixed(isSeq(field.value) ? at(path, index) : path, `invalid date "${text}": expected a real date written YYYY-MM-DD`));
    }
  });
  return [...dates].sort();
}

function readTopics(walk: Walk, field: Field | undefined): TopicConfig[] {
  const topics: TopicConfig[] = [];
  const names: Array<{ name: string; offset: number; path: string }> = [];
  readList(walk, field, 'topics').forEach((node, index) => {
    const path = at('topics', index);
    const fields = readMapping(walk, node, path, field?.offset ?? 0);
    if (!fields) return;
    reportUnknownKeys(walk, fields, TOPIC_KEYS, path);
    const name = readName(walk, fields, path, offsetOf(node));
    const query = readRequiredText(walk, fields, 'query', path, offsetOf(node));
    const ownAccounts = fields.get('own_accounts');
    const exclude = fields.get('exclude');
    const context = fields.get('context');
    const topic: TopicConfig = {
      name: name ?? '',
      query: query ?? '',
      ownAccounts: [],
      exclude: present(exclude) ? readTextList(walk, exclude, at(path, 'exclude')).map((w) => w.trim()) : [],
    };
    if (present(ownAccounts)) readOwnAccounts(walk, ownAccounts, at(path, 'own_accounts'), topic);
    if (present(context)) topic.context = readTopicContext(walk, context, at(path, 'context'));
    const rules = fields.get('rules');
    if (present(rules)) topic.rules = readTopicRules(walk, rules, at(path, 'rules'));
    if (name !== undefined) names.push({ name, offset: fields.get('name')!.offset, path: at(path, 'name') });
    topics.push(topic);
  });
  reportDuplicateNames(walk, names, 'topic');
  return topics;
}

/**
 * `context: { require: [...], reject: [...] }`, each a list of words (a single string is a
 * one-item list). A blank word would match nothing, and a word in both lists contradicts itself.
 */
function readTopicContext(walk: Walk, field: Field, path: string): TopicContext {
  const context: TopicContext = { require: [], reject: [] };
  const fields = readMapping(walk, field.value, path, field.offset);
  if (!fields) return context;
  reportUnknownKeys(walk, fields, CONTEXT_KEYS, path);
  for (const key of CONTEXT_KEYS) {
    const list = fields.get(key);
    if (present(list)) context[key] = readWordList(walk, list, at(path, key));
  }
  const required = new Set(context.require.map((word) => word.toLowerCase()));
  const both = context.reject.filter((word) => required.has(word.toLowerCase()));
  if (both.length > 0) {
    const words = both.map((word) => `"${word}"`).join(', ');
    addProblem(walk, fields.get('reject')!.offset, prefixed(at(path, 'reject'), `${words} also in ${at(path, 'require')}; keep each word in one list`));
  }
  return context;
}

/**
 * `rules: [{ match | regex, sentiment?, tags?, relevance? }]`: exactly one of match and regex, and
 * at least one effect. A regex is checked here (with its line); a match pattern when topics compile.
 */
function readTopicRules(walk: Walk, field: Field, path: string): TopicRule[] {
  const rules: TopicRule[] = [];
  readList(walk, field, path).forEach((node, index) => {
    const rulePath = at(path, index);
    const fields = readMapping(walk, node, rulePath, field.offset);
    if (!fields) return;
    reportUnknownKeys(walk, fields, RULE_KEYS, rulePath);
    const rule: TopicRule = {};
    const match = fields.get('match');
    const regex = fields.get('regex');
    if (present(match)) {
      const text = readText(walk, match, at(rulePath, 'match'));
      if (text !== undefined) rule.match = text.trim();
    }
    if (present(regex)) {
      const text = readText(walk, regex, at(rulePath, 'regex'));
      if (text !== undefined) {
        try {
          new RegExp(text, 'iu');
          rule.regex = text;
        } catch (err) {
          addProblem(walk, regex.offset, prefixed(at(rulePath, 'regex'), `not a valid regular expression: ${(err as Error).message}`));
        }
      }
    }
    if (present(match) === present(regex)) {
      const problem = present(match) ? 'give either match or regex, not both' : 'needs match (words) or regex';
      addProblem(walk, offsetOf(node, field.offset), prefixed(rulePath, problem));
    }
    const sentiment = fields.get('sentiment');
    if (present(sentiment)) {
      const value = sentiment.value;
      if (isScalar(value) && typeof value.value === 'number' && Number.isFinite(value.value) && Math.abs(value.value) <= MAX_RULE_VALENCE) {
        rule.sentiment = value.value;
      } else {
        expected(walk, value, at(rulePath, 'sentiment'), `a number from -${MAX_RULE_VALENCE} to ${MAX_RULE_VALENCE} (lexicon units: -2 a clear complaint word, 0 silences a shipped word)`, sentiment.offset);
      }
    }
    const tags = fields.get('tags');
    if (present(tags)) {
      const list = readTextList(walk, tags, at(rulePath, 'tags')).map((tag) => tag.trim());
      const bad = list.find((tag) => !TAG_PATTERN.test(tag));
      if (bad !== undefined) addProblem(walk, tags.offset, prefixed(at(rulePath, 'tags'), `invalid tag "${bad}": use lower-case letters, digits, "-" and "_"`));
      else if (list.length > 0) rule.tags = [...new Set(list)];
    }
    const relevance = fields.get('relevance');
    if (present(relevance)) {
      const value = readChoice(walk, relevance, at(rulePath, 'relevance'), RULE_RELEVANCE);
      if (value !== undefined) rule.relevance = value;
    }
    if (!present(sentiment) && !present(tags) && !present(relevance)) {
      addProblem(walk, offsetOf(node, field.offset), prefixed(rulePath, 'does nothing: give sentiment, tags or relevance'));
    }
    rules.push(rule);
  });
  return rules;
}

/** A list of words, trimmed; a blank one is reported at its item. */
function readWordList(walk: Walk, field: Field, path: string): string[] {
  const node = field.value;
  if (!isSeq(node)) {
    const word = readTextList(walk, field, path)[0]?.trim();
    if (word === '') addProblem(walk, field.offset, prefixed(path, 'must not be empty'));
    return word ? [word] : [];
  }
  const words: string[] = [];
  node.items.forEach((item, index) => {
    const itemNode = deref(walk, item);
    const itemField: Field = { key: String(index), keyOffset: field.offset, value: itemNode, offset: offsetOf(itemNode, field.offset) };
    const word = readText(walk, itemField, at(path, index))?.trim();
    if (word === '') addProblem(walk, itemField.offset, prefixed(at(path, index), 'must not be empty'));
    else if (word !== undefined) words.push(word);
  });
  return words;
}

function readSources(walk: Walk, field: Field | undefined): SourceConfig[] {
  const sources: SourceConfig[] = [];
  const names: Array<{ name: string; offset: number; path: string }> = [];
  readList(walk, field, 'sources').forEach((node, index) => {
    const path = at('sources', index);
    const fields = readMapping(walk, node, path, field?.offset ?? 0);
    if (!fields) return;
    const source = readSource(walk, fields, path, offsetOf(node));
    if (source.name) names.push({ name: source.name, offset: fields.get('name')!.offset, path: at(path, 'name') });
    sources.push(source);
  });
  reportDuplicateNames(walk, names, 'source');
  return sources;
}

function readSource(walk: Walk, fields: Fields, path: string, itemOffset: number): SourceConfig {
  const name = readName(walk, fields, path, itemOffset);
  const type = readSourceType(walk, fields, path, itemOffset);
  const url = fields.get('url');
  const query = fields.get('query');
  const interval = fields.get('interval');
  const enabled = fields.get('enabled');
  const maxPages = fields.get('max_pages');
  const source: SourceConfig = {
    name: name ?? '',
    type: type ?? '',
    url: present(url) ? readHttpUrl(walk, url, at(path, 'url')) : undefined,
    query: present(query) ? readText(walk, query, at(path, 'query')) : undefined,
    intervalSeconds: (present(interval) ? readDuration(walk, interval, at(path, 'interval'), MIN_INTERVAL_SECONDS) : undefined) ?? DEFAULT_INTERVAL_SECONDS,
    enabled: (present(enabled) ? readBoolean(walk, enabled, at(path, 'enabled')) : undefined) ?? true,
    maxPages: (present(maxPages) ? readInteger(walk, maxPages, at(path, 'max_pages'), 1, MAX_MAX_PAGES) : undefined) ?? DEFAULT_MAX_PAGES,
    options: readSourceOptions(walk, fields, path),
    location: `${walk.fileLabel}:${walk.lineCounter.linePos(itemOffset).line}`,
  };
  const timeout = fields.get('timeout');
  if (present(timeout)) {
    const seconds = readDuration(walk, timeout, at(path, 'timeout'));
    if (seconds !== undefined) source.timeoutSeconds = seconds;
  }
  if (source.query !== undefined) checkEnvRefSyntax(walk, source.query, query!.offset, at(path, 'query'));
  if (!present(url) && !present(query)) addProblem(walk, itemOffset, prefixed(path, 'needs a url (or a query, for search sources)'));
  return source;
}

function readSourceType(walk: Walk, fields: Fields, path: string, itemOffset: number): string | undefined {
  const type = readRequiredText(walk, fields, 'type', path, itemOffset);
  const known = walk.options.knownSourceTypes;
  if (type === undefined || known.includes(type)) return type;
  const hint = didYouMean(type, known) || `; known types: ${known.join(', ')}`;
  addProblem(walk, fields.get('type')!.offset, prefixed(at(path, 'type'), `unknown source type "${type}"${hint}`));
  return undefined;
}

/**
 * An http(s) URL. One holding ${VAR} is checked only for reference syntax:
 * its resolved form is known only when pulling. The URL itself is never
 * echoed, since it may carry a key written in by hand.
 */
export function readHttpUrl(walk: Walk, field: Field, path: string): string | undefined {
  const url = readText(walk, field, path);
  if (url === undefined || !checkEnvRefSyntax(walk, url, field.offset, path)) return undefined;
  if (listEnvRefs(url).length > 0) return url;
  let protocol: string | null = null;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = null;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    addProblem(walk, field.offset, prefixed(path, 'expected an http:// or https:// URL'));
    return undefined;
  }
  return url;
}

/**
 * Adapter options: every key that is not a known source field. A key that is
 * a near miss of a known field is reported instead, since as an option it
 * would be silently ignored by the adapter.
 */
function readSourceOptions(walk: Walk, fields: Fields, path: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of fields.values()) {
    if ((SOURCE_KEYS as readonly string[]).includes(field.key)) continue;
    const nearMiss = closestMatch(field.key, SOURCE_KEYS);
    if (nearMiss && isLikelyMisspelling(field.key, nearMiss)) {
      addProblem(walk, field.keyOffset, prefixed(path, `unknown field "${field.key}" (did you mean "${nearMiss}"?)`));
      continue;
    }
    const value: unknown = field.value === null ? null : field.value.toJS(walk.doc);
    checkEnvRefsDeep(walk, value, field.offset, at(path, field.key));
    options[field.key] = value;
  }
  return options;
}

/** Same word with other separators or case, or one slip in a word long enough not to be a different word. */
function isLikelyMisspelling(key: string, known: string): boolean {
  const normalize = (word: string) => word.toLowerCase().replace(/[-_]/g, '');
  if (normalize(key) === normalize(known)) return true;
  return known.length >= 5 && editDistance(normalize(key), normalize(known)) <= 1;
}
