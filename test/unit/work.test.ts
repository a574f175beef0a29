import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../src/config/types.js';
import { queueScore, sortQueue } from '../../src/report/queue-priority.js';
import { slaDeadline } from '../../src/report/sla.js';
import { openCaseMembers } from '../../src/store/conversations.js';
import { openDatabase } from '../../src/store/db.js';
import type { Db } from '../../src/store/db.js';
import { assignTo, claimFor, listEvents, recordChanges, resolveAt, respondAt, undoLast, workState, WorkStateError } from '../../src/store/events.js';
import { FilterParseError, mentionIdsMatching, parseFilter } from '../../src/store/mention-filter.js';
import { storePage } from '../../src/store/mentions.js';
import type { NewClassification, NewMention } from '../../src/store/mentions.js';
import { detectReplies } from '../../src/store/replies.js';
import { upsertSource } from '../../src/store/sources.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const T0 = Date.UTC(2026, 10, 20, 10, 0);

function mention(id: string, overrides: Partial<NewMention> = {}): NewMention {
  return {
    externalId: id, url: `https://example.com/${id}`, author: 'customer', authorUrl: null, authorReach: null, title: null,
    text: `text of ${id}`, lang: 'en', publishedAt: T0, parentId: null, threadId: null, ...overrides,
  };
}

function classification(overrides: Partial<NewClassification> = {}): NewClassification {
  return { topics: ['acme'], relevance: 'relevant', sentiment: 'neutral', sentimentScore: 0, tags: [], priority: 20, lang: 'en', evidence: [], rulesVersion: 'test', ...overrides };
}

function store(): { db: Db; put: (items: Array<[NewMention, Partial<NewClassification>?]>) => number[] } {
  const db = openDatabase(join(tmp(), 'w.db'), { create: true });
  const source = upsertSource(db, { name: 'masto', type: 'mastodon', target: null }, 1);
  const put = (items: Array<[NewMention, Partial<NewClassification>?]>) => {
    const stored = storePage(db, source.id, items.map(([m, c]) => ({ mention: m, classification: classification(c) })), {}, T0);
    detectReplies(db, source.id, stored.insertedIds, T0 + 1);
    return stored.insertedIds;
  };
  return { db, put };
}

describe('filter language', () => {
  it('parses terms, quotes and negation', () => {
    expect(parseFilter('tag:spam -source:"my feed"  older:2h').map((t) => [t.key, t.value, t.negated, t.position])).toEqual([
      ['tag', 'spam', false, 0],
      ['source', 'my feed', true, 9],
      ['older', '2h', false, 28],
    ]);
    expect(parseFilter('older:1h30m')[0]!.seconds).toBe(5400);
  });

  it.each([
    ['bogus:1', 1, /unknown key "bogus"/],
    ['tag:spam status:open', 17, /status: "open" is not one of/],
    ['tag', 4, /expected ":"/],
    ['tag:', 5, /needs a value/],
    ['source:"unclosed', 8, /unclosed double quote/],
    ['older:soon', 7, /invalid duration/],
    ['   ', 1, /empty filter/],
  ])('%j fails at column %i', (text, column, message) => {
    let error: unknown;
    try {
      parseFilter(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FilterParseError);
    expect((error as Error).message).toMatch(`column ${column}:`);
    expect((error as Error).message).toMatch(message);
  });

  it('selects open mentions unless it names a status, binding values as data', () => {
    const { db, put } = store();
    const [a, b, c] = put([[mention('a'), { tags: ['complaint'] }], [mention('b', { publishedAt: T0 - 3 * 3600_000 }), { relevance: 'spam' }], [mention('c')]]);
    recordChanges(db, [{ mentionId: c!, kind: 'status', apply: resolveAt(T0) }], { actor: 'x', at: T0 });
    expect(mentionIdsMatching(db, parseFilter('tag:complaint'), T0)).toEqual([a]);
    expect(mentionIdsMatching(db, parseFilter('tag:spam'), T0)).toEqual([b]);
    expect(mentionIdsMatching(db, parseFilter('older:2h'), T0)).toEqual([b]);
    expect(mentionIdsMatching(db, parseFilter('-older:2h'), T0)).toEqual([a]);
    expect(mentionIdsMatching(db, parseFilter('source:mastodon'), T0)).toEqual([b, a]);
    expect(mentionIdsMatching(db, parseFilter('status:resolved'), T0)).toEqual([c]);
    expect(mentionIdsMatching(db, parseFilter(`source:"x' OR 1=1 --"`), T0)).toEqual([]);
    db.close();
  });
});

describe('events and undo', () => {
  it('undo restores the state before my last batch with new events, and walks back further when run again', () => {
    const { db, put } = store();
    const [a, b] = put([[mention('a')], [mention('b')]]);
    recordChanges(db, [{ mentionId: a!, kind: 'assign', apply: assignTo('anna') }], { actor: 'lead', at: T0 + 10 });
    recordChanges(db, [a!, b!].map((id) => ({ mentionId: id, kind: 'respond' as const, apply: respondAt(T0 + 20) })), { actor: 'lead', at: T0 + 20 });
    expect(workState(db, b!)).toMatchObject({ status: 'responded', firstResponseAt: T0 + 20 });
    const first = undoLast(db, 'lead', T0 + 30)!;
    expect(first.undone.map((e) => e.mentionId).sort()).toEqual([a, b].sort());
    expect(workState(db, a!)).toMatchObject({ status: 'assigned', assignee: 'anna', firstResponseAt: null });
    expect(workState(db, b!)).toMatchObject({ status: 'new', firstResponseAt: null });
    undoLast(db, 'lead', T0 + 40);
    expect(workState(db, a!)).toMatchObject({ status: 'new', assignee: null });
    expect(undoLast(db, 'lead', T0 + 50)).toBeNull();
    expect(undoLast(db, 'nobody', T0 + 50)).toBeNull();
    // Nothing is deleted: 1 assign + 1 respond + 2 undo events on a.
    expect(listEvents(db, a!).map((e) => e.kind)).toEqual(['assign', 'respond', 'undo', 'undo']);
    db.close();
  });

  it('undo refuses when someone else changed the same field since, and changes nothing', () => {
    const { db, put } = store();
    const [a] = put([[mention('a')]]);
    recordChanges(db, [{ mentionId: a!, kind: 'assign', apply: assignTo('anna') }], { actor: 'lead', at: T0 + 10 });
    recordChanges(db, [{ mentionId: a!, kind: 'assign', apply: assignTo('boris') }], { actor: 'boris', at: T0 + 20 });
    expect(() => undoLast(db, 'lead', T0 + 30)).toThrow(/assignee has changed since/);
    expect(workState(db, a!)).toMatchObject({ assignee: 'boris' });
    expect(listEvents(db, a!)).toHaveLength(2);
    db.close();
  });

  it('a change that does not apply rolls back the whole batch', () => {
    const { db, put } = store();
    const [a, b] = put([[mention('a')], [mention('b')]]);
    recordChanges(db, [{ mentionId: b!, kind: 'status', apply: resolveAt(T0) }], { actor: 'x', at: T0 });
    expect(() =>
      recordChanges(db, [a!, b!].map((id) => ({ mentionId: id, kind: 'assign' as const, apply: assignTo('anna') })), { actor: 'x', at: T0 + 1 }),
    ).toThrow(WorkStateError);
    expect(workState(db, a!)).toMatchObject({ status: 'new', assignee: null });
    db.close();
  });
});

describe('reply detection in the store', () => {
  it('a reply stored before the mention it answers marks the mention when it arrives; the earliest reply wins', () => {
    const { db, put } = store();
    put([[mention('r2', { author: 'AcmeHelp', parentId: 'm', publishedAt: T0 + 900_000 }), { relevance: 'own' }]]);
    put([[mention('r1', { author: 'AcmeHelp', parentId: 'm', publishedAt: T0 + 300_000 }), { relevance: 'own' }]]);
    const [m] = put([[mention('m')]]);
    expect(workState(db, m!)).toMatchObject({ status: 'responded', firstResponseAt: T0 + 300_000 });
    expect(listEvents(db, m!).map((e) => [e.actor, e.origin, e.kind])).toEqual([['AcmeHelp', 'auto', 'respond']]);
    db.close();
  });

  it('answers the thread starter when the parent is not stored, never an own post, and only that mention', () => {
    const { db, put } = store();
    const [root, other, own] = put([
      [mention('root', { threadId: 'root' })],
      [mention('c1', { parentId: 'root', threadId: 'root' })],
      [mention('own-post', { author: 'AcmeHelp' }), { relevance: 'own' }],
    ]);
    put([
      [mention('r', { author: 'AcmeHelp', parentId: 'unseen', threadId: 'root', publishedAt: T0 + 60_000 }), { relevance: 'own' }],
      [mention('r-own', { author: 'AcmeHelp', parentId: 'own-post', publishedAt: T0 + 60_000 }), { relevance: 'own' }],
    ]);
    expect(workState(db, root!)).toMatchObject({ status: 'responded', firstResponseAt: T0 + 60_000 });
    expect(workState(db, other!)).toMatchObject({ status: 'new' });
    expect(workState(db, own!)).toMatchObject({ status: 'new', firstResponseAt: null });
    db.close();
  });
});

describe('conversations', () => {
  it('group a parent chain and a thread id into one case of open mentions', () => {
    const { db, put } = store();
    const [a, b, c, d] = put([
      [mention('a')],
      [mention('b', { parentId: 'a' })],
      [mention('c', { parentId: 'b' })],
      [mention('d')],
    ]);
    const [e] = put([[mention('e', { threadId: 'a' })]]);
    expect(openCaseMembers(db, c!).sort()).toEqual([a, b, e].sort());
    expect(openCaseMembers(db, d!)).toEqual([]);
    recordChanges(db, [{ mentionId: b!, kind: 'status', apply: resolveAt(T0) }], { actor: 'x', at: T0 });
    expect(openCaseMembers(db, a!).sort()).toEqual([c, e].sort());
    db.close();
  });
});

describe('SLA clocks and queue order', () => {
  const week = [{ startMinute: 9 * 60, endMinute: 18 * 60 }];
  const hours: BusinessHours = { week: { mon: week, tue: week, wed: week, thu: week, fri: week }, holidays: ['2026-11-23'], extraWorkingDays: [], extraWorkingHours: week };

  it('counts only business hours in the config zone, skipping nights, weekends and holidays', () => {
    const friday1750 = Date.parse('2026-11-20T17:50:00+03:00');
    // 10 minutes on Friday, then Monday 23rd is a holiday: 20 minutes on Tuesday.
    const clock = { hours: 'business' as const, businessHours: hours, timeZone: 'Europe/Moscow' };
    expect(slaDeadline(friday1750, 1800, clock)).toBe(Date.parse('2026-11-24T09:20:00+03:00'));
    const before9 = Date.parse('2026-11-24T07:00:00+03:00');
    expect(slaDeadline(before9, 3600, clock)).toBe(Date.parse('2026-11-24T10:00:00+03:00'));
    expect(slaDeadline(before9, 60, { ...clock, businessHours: { ...hours, week: {}, extraWorkingDays: [] } })).toBeNull();
    expect(slaDeadline(before9, 3600, { ...clock, hours: 'all' })).toBe(before9 + 3_600_000);
  });

  it('scores urgency above everything and SLA pressure above a small sentiment difference', () => {
    const base = { createdAt: T0, slaTargetSeconds: 1800 };
    const fresh = { id: 1, priority: 50, urgent: false, slaRemainingMs: 1_800_000, ...base };
    const late = { id: 2, priority: 20, urgent: false, slaRemainingMs: -1_800_000, ...base, createdAt: T0 + 1 };
    const marked = { id: 3, priority: 10, urgent: true, slaRemainingMs: 1_800_000, ...base, createdAt: T0 + 2 };
    expect(queueScore(late)).toBe(20 + 80);
    expect(sortQueue([fresh, late, marked], 'priority').map((e) => e.id)).toEqual([marked.id, late.id, fresh.id]);
    expect(sortQueue([fresh, late, marked], 'arrival').map((e) => e.id)).toEqual([marked.id, fresh.id, late.id]);
  });
});

describe('take', () => {
  it('claims only an unassigned open mention, so two people never take the same one', () => {
    const { db, put } = store();
    const [a] = put([[mention('a')]]);
    recordChanges(db, [{ mentionId: a!, kind: 'assign', apply: claimFor('anna') }], { actor: 'anna', at: T0 });
    expect(() => recordChanges(db, [{ mentionId: a!, kind: 'assign', apply: claimFor('boris') }], { actor: 'boris', at: T0 })).toThrow(/already taken by anna/);
    expect(workState(db, a!)).toMatchObject({ status: 'assigned', assignee: 'anna' });
    db.close();
  });
});

describe('--at times', () => {
  it('read "N ago", ISO with an offset, and ISO without one in the config zone; refuse the future and nonsense', async () => {
    const { parseAtTime } = await import('../../src/cli/time-arg.js');
    const now = Date.parse('2026-11-20T12:00:00Z');
    expect(parseAtTime('15m ago', 'Europe/Moscow', now)).toBe(now - 15 * 60_000);
    expect(parseAtTime('1h30m ago', 'UTC', now)).toBe(now - 90 * 60_000);
    expect(parseAtTime('2026-11-20T10:05:00+01:00', 'Europe/Moscow', now)).toBe(Date.parse('2026-11-20T09:05:00Z'));
    expect(parseAtTime('2026-11-20 14:05', 'Europe/Moscow', now)).toBe(Date.parse('2026-11-20T11:05:00Z'));
    expect(parseAtTime('now', 'UTC', now)).toBe(now);
    expect(() => parseAtTime('2026-11-21 10:00', 'UTC', now)).toThrow(/in the future/);
    expect(() => parseAtTime('yesterday-ish', 'UTC', now)).toThrow(/expected an ISO 8601 time/);
    expect(() => parseAtTime('soon ago', 'UTC', now)).toThrow(/invalid duration/);
  });
});
