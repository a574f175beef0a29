import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesVersionOf } from '../../src/classify/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { reclassifyMentions } from '../../src/pull/reclassify.js';
import { SOURCE_TYPES } from '../../src/sources/catalog.js';
import { openDatabase } from '../../src/store/db.js';
import { changeStatus } from '../../src/store/events.js';
import { getMention, listQueue, storePage } from '../../src/store/mentions.js';
import type { NewClassification, NewMention } from '../../src/store/mentions.js';
import { upsertSource } from '../../src/store/sources.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const now = Date.UTC(2026, 10, 20, 12, 0);

const draft = (externalId: string, text: string): NewMention => ({
  externalId, url: null, author: 'someone', authorUrl: null, authorReach: null, title: null, text, lang: null,
  publishedAt: now - 60_000, parentId: null, threadId: null,
});
// What older rules stored: everything neutral and relevant.
const stale = (topics: string[]): NewClassification => ({
  topics, relevance: 'relevant', sentiment: 'neutral', sentimentScore: 0, tags: [], priority: 20, lang: null, evidence: [], rulesVersion: '2020.01-0',
});

function setup() {
  const db = openDatabase(join(tmp(), 'm.db'), { create: true });
  const source = upsertSource(db, { name: 'news', type: 'rss', target: 'x' }, now);
  const stored = storePage(
    db,
    source.id,
    [
      { mention: draft('a', 'Acme charged me twice, this is terrible, refund my money!'), classification: stale(['acme']) },
      { mention: draft('b', 'Acme support was great, thank you'), classification: stale(['acme']) },
      { mention: draft('c', 'Nothing to do with the brand: the weather is nice'), classification: stale(['acme']) },
      { mention: draft('d', 'Acme app is broken again, awful'), classification: stale(['acme']) },
    ],
    {},
    now,
  );
  return { db, ids: stored.insertedIds };
}

const config = parseConfigText('topics:\n  - name: acme\n    query: acme\n', 'mentions.yml', { knownSourceTypes: SOURCE_TYPES });

describe('reclassifyMentions', () => {
  it('re-runs current rules over stale mentions, keeps work state, and moves open ones in or out of the queue', () => {
    const { db, ids } = setup();
    changeStatus(db, { mentionId: ids[3]!, to: 'resolved', actor: 'anna', origin: 'manual', note: null, at: now });
    const dry = reclassifyMentions({ db, config, dryRun: true, now: () => now });
    expect(dry).toMatchObject({ scanned: 4, offTopic: 1, leftQueue: 1, dryRun: true });
    expect(getMention(db, ids[0]!)!.sentiment).toBe('neutral');

    const summary = reclassifyMentions({ db, config, now: () => now });
    expect(summary).toMatchObject({ rulesVersion: rulesVersionOf(config.topics), scanned: 4, offTopic: 1, leftQueue: 1, enteredQueue: 0 });
    expect(summary.sentimentChanged).toBeGreaterThanOrEqual(3);
    const [a, b, c, d] = ids.map((id) => getMention(db, id)!);
    expect(a!.sentiment).toBe('negative');
    expect(b!.sentiment).toBe('positive');
    expect(c).toMatchObject({ relevance: 'irrelevant', topics: [], status: 'new' });
    expect(d).toMatchObject({ sentiment: 'negative', status: 'resolved' });
    expect(listQueue(db, { limit: 10 }).map((m) => m.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(a!.priority).toBeGreaterThan(b!.priority);

    // Everything is current now: a second run has nothing to do, unless asked for all.
    expect(reclassifyMentions({ db, config, now: () => now }).scanned).toBe(0);
    expect(reclassifyMentions({ db, config, all: true, now: () => now })).toMatchObject({ scanned: 4, changed: 0 });
    db.close();
  });

  it('finds every mention stale after a topic rule changes, and applies the rule', () => {
    const { db, ids } = setup();
    reclassifyMentions({ db, config, now: () => now });
    const ruled = parseConfigText(
      'topics:\n  - name: acme\n    query: acme\n    rules:\n      - match: broken\n        tags: [bug]\n',
      'mentions.yml',
      { knownSourceTypes: SOURCE_TYPES },
    );
    const summary = reclassifyMentions({ db, config: ruled, now: () => now });
    expect(summary).toMatchObject({ rulesVersion: rulesVersionOf(ruled.topics), scanned: 4, changed: 1 });
    expect(summary.rulesVersion).not.toBe(rulesVersionOf(config.topics));
    expect(getMention(db, ids[3]!)!.tags).toContain('bug');
    expect(reclassifyMentions({ db, config: ruled, now: () => now }).scanned).toBe(0);
    db.close();
  });

  it('walks the table in batches without skipping any', () => {
    const { db } = setup();
    const summary = reclassifyMentions({ db, config, batchSize: 1, now: () => now });
    expect(summary.scanned).toBe(4);
    db.close();
  });
});
