import { describe, expect, it } from 'vitest';
import { JsonlMapper } from '../../src/sources/file-import.js';

const row = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'kaggle_sample:1', text: '@AppleSupport my phone died', lang: 'en', created_at: '2017-10-11T06:55:44+00:00', extra, ...top });

describe('--preset twcs rows', () => {
  it('map tweet id, author, parent and time; brand rows are own', () => {
    const mapper = new JsonlMapper({ fileLabel: 'twcs.jsonl', timeZone: 'Europe/Moscow', preset: 'twcs' });
    const customer = mapper.push(row({ tweet_id: '119237', author_id: '105834', inbound: true, in_response_to_tweet_id: null }), 1)!;
    expect(customer.own).toBe(false);
    expect(customer.mention).toMatchObject({
      externalId: '119237', author: '105834', parentId: null, publishedAt: Date.parse('2017-10-11T06:55:44Z'), text: '@AppleSupport my phone died', lang: 'en',
    });
    const brand = mapper.push(row({ tweet_id: 119238, author_id: 'AppleSupport', inbound: false, in_response_to_tweet_id: '119237' }), 2)!;
    expect(brand).toMatchObject({ own: true, mention: { externalId: '119238', author: 'AppleSupport', parentId: '119237' } });
    // Flat rows (the original CSV's columns as keys) read the same.
    expect(mapper.push(JSON.stringify({ tweet_id: '5', author_id: 'x', inbound: true, text: 'hi', created_at: '2017-10-11 09:00' }), 3)!.mention.publishedAt).toBe(
      Date.parse('2017-10-11T06:00:00Z'),
    );
    expect(mapper.layout?.name).toBe('twcs');
  });

  it('skip a row without a tweet id, a date, or an inbound flag, saying where', () => {
    const mapper = new JsonlMapper({ fileLabel: 'twcs.jsonl', timeZone: 'UTC', preset: 'twcs' });
    expect(mapper.push(row({ author_id: 'a', inbound: true }), 1)).toBeNull();
    expect(mapper.push(row({ tweet_id: '2', author_id: 'a', inbound: 'yes' }), 2)).toBeNull();
    expect(mapper.push(row({ tweet_id: '3', author_id: 'a', inbound: true }, { created_at: 'yesterday' }), 3)).toBeNull();
    expect(mapper.problems.map((p) => [p.line, p.column, p.skipped])).toEqual([
      [1, 'extra.tweet_id', true],
      [2, 'extra.inbound', true],
      [3, 'created_at', true],
    ]);
  });
});
