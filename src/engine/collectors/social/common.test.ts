import { describe, expect, it } from 'vitest';
import { advance, BoundedCache, compact, isNewer, mentionDrafts } from './common.js';
import { MentionIndex } from './mentions.js';

describe('watermark', () => {
  it('tells new items from seen ones, including items sharing the newest second', () => {
    const mark = advance(null, [
      { t: 100, id: 'a' },
      { t: 105, id: 'b' },
      { t: 105, id: 'c' },
    ]);
    expect(mark).toEqual({ t: 105, ids: ['b', 'c'] });
    expect(isNewer(mark, 105, 'b')).toBe(false);
    expect(isNewer(mark, 105, 'd')).toBe(true);
    expect(isNewer(mark, 104, 'z')).toBe(false);
    expect(isNewer(null, 1, 'x')).toBe(true);
    expect(advance(mark, [{ t: 105, id: 'd' }])).toEqual({ t: 105, ids: ['b', 'c', 'd'] });
    expect(advance(mark, [{ t: 106, id: 'e' }])).toEqual({ t: 106, ids: ['e'] });
    expect(advance(mark, [])).toEqual(mark);
    expect(advance(null, [])).toBeNull();
  });
});

describe('mentionDrafts', () => {
  it('makes one draft per instrument, platform tags first, none for a post that mentions nothing', () => {
    const index = new MentionIndex(['AAPL', 'TSLA', 'BTC-USD']);
    const post = { id: 'telegram:1:2', tsEvent: 5, text: 'bitcoin and $AAPL looking strong', tagged: ['TSLA', 'AAPL'], fields: { platform: 'telegram' } };
    const drafts = mentionDrafts('telegram', post, index, 100);
    expect(drafts.map((d) => [d.signal.instrument, d.signal.externalId])).toEqual([
      ['TSLA', 'telegram:1:2:TSLA'],
      ['AAPL', 'telegram:1:2:AAPL'],
      ['BTC-USD', 'telegram:1:2:BTC-USD'],
    ]);
    expect(drafts[0]!.signal.body).toMatchObject({ platform: 'telegram', text: post.text });
    expect(drafts[0]!.signal.body.sentiment).toBeGreaterThan(0);
    expect(mentionDrafts('x', { ...post, text: 'nothing here', tagged: [] }, index, 100)).toEqual([]);
  });

  it('leaves absent fields out of bodies', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: 0, e: '' })).toEqual({ a: 1, d: 0, e: '' });
  });
});

describe('BoundedCache', () => {
  it('forgets the least recently set entries beyond its capacity', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(3);
    expect(cache.get('c')).toBe(4);
  });
});
