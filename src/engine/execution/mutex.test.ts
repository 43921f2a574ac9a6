import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './mutex.js';

describe('KeyedMutex', () => {
  it('runs work for one key one after the other, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const slow = (key: string, tag: string, ms: number) =>
      mutex.run(key, async () => {
        log.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${tag}-`);
        return tag;
      });
    const results = await Promise.all([slow('a', 'a1', 20), slow('a', 'a2', 1), slow('b', 'b1', 5)]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2+')).toBeGreaterThan(log.indexOf('a1-'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });

  it('releases the key when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('k', async () => 'next')).toBe('next');
  });
});
