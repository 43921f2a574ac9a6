import { describe, expect, it } from 'vitest';
import { advance, EMPTY_CURSOR, isNew, parseSecCursor, SEEN_WINDOW_MS } from './cursor.js';

const T = Date.parse('2023-07-11T12:52:02-04:00');
const none = { etag: null, lastModified: null };

describe('the EDGAR cursor', () => {
  const cursor = advance(EMPTY_CURSOR, [
    { accessionNumber: 'a', updated: T - 60_000 },
    { accessionNumber: 'b', updated: T },
    { accessionNumber: 'c', updated: T },
    { accessionNumber: 'old', updated: T - SEEN_WINDOW_MS - 1 },
  ], { etag: '"x"', lastModified: null });

  it('keeps the newest filing, its time, and what was handled inside the window', () => {
    expect(cursor.newestUpdated).toBe(T);
    expect(['b', 'c']).toContain(cursor.newestAccession);
    expect(cursor.seen.map(([a]) => a).sort()).toEqual(['a', 'b', 'c']);
    expect(cursor.etag).toBe('"x"');
  });

  it('an entry is new when unseen and not older than the window', () => {
    expect(isNew(cursor, 'b', T)).toBe(false);
    expect(isNew(cursor, 'd', T)).toBe(true); // same second as the newest, not seen
    expect(isNew(cursor, 'e', T - 10 * 60_000)).toBe(true); // late, inside the window
    expect(isNew(cursor, 'f', T - SEEN_WINDOW_MS - 1)).toBe(false);
    expect(isNew(EMPTY_CURSOR, 'a', 0)).toBe(true);
  });

  it('moves on without forgetting what a later poll could see again', () => {
    const next = advance(cursor, [{ accessionNumber: 'g', updated: T + 5 * 60_000 }], none);
    expect(next).toMatchObject({ newestAccession: 'g', newestUpdated: T + 5 * 60_000 });
    expect(isNew(next, 'a', T - 60_000)).toBe(false);
    const much = advance(next, [{ accessionNumber: 'h', updated: T + 2 * SEEN_WINDOW_MS }], none);
    expect(much.seen.map(([a]) => a)).toEqual(['h']);
  });

  it('round-trips as JSON and refuses what is not a cursor', () => {
    expect(parseSecCursor(JSON.stringify(cursor))).toEqual(JSON.parse(JSON.stringify(cursor)));
    expect(parseSecCursor('{"newestUpdated":"x"}')).toBeNull();
    expect(parseSecCursor('[')).toBeNull();
  });
});
