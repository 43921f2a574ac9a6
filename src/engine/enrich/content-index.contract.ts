/**
 * What every content index must do (the in-process one and the one in Redis). Run with
 * `contentIndexContract(name, make)`; `make` gives a fresh, empty index per test.
 */
import { expect, it } from 'vitest';
import type { ContentIndex } from './content-index.js';

export function contentIndexContract(name: string, make: () => ContentIndex | Promise<ContentIndex>): void {
  it(`${name}: the first claim of a hash wins, and a repeated claim by the same event is its own`, async () => {
    const index = await make();
    expect(await index.claim('h1', 'e1')).toBe('e1');
    expect(await index.claim('h1', 'e2')).toBe('e1');
    expect(await index.claim('h1', 'e1')).toBe('e1');
  });

  it(`${name}: claimMany claims in order, so the first of two equal hashes in one call wins`, async () => {
    const index = await make();
    await index.claim('seen', 'earlier');
    const firsts = await index.claimMany([
      { hash: 'a', eventId: 'e1' },
      { hash: 'seen', eventId: 'e2' },
      { hash: 'a', eventId: 'e3' },
      { hash: 'b', eventId: 'e4' },
    ]);
    expect(firsts).toEqual(['e1', 'earlier', 'e1', 'e4']);
    expect(await index.claimMany([])).toEqual([]);
    // Claiming the same again (a redelivered batch) gives the same answers.
    expect(await index.claimMany([{ hash: 'a', eventId: 'e1' }, { hash: 'a', eventId: 'e3' }])).toEqual(['e1', 'e1']);
  });
}
