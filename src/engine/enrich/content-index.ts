/**
 * Remembers which content hashes have been seen, and by which event first. In one process a bounded
 * map suffices; when stages are spread over several processes they share the index in Redis.
 */
import type { Redis } from 'ioredis';

export interface ContentIndex {
  /**
   * Records `hash` as first seen in `eventId` unless it is known already.
   * Returns the event id that first carried the hash (equal to `eventId` when this is the first time).
   */
  claim(hash: string, eventId: string): Promise<string>;
}

/** Keeps the most recent `capacity` hashes (insertion order; the oldest is forgotten first). */
export class MemoryContentIndex implements ContentIndex {
  readonly #seen = new Map<string, string>();
  constructor(private readonly capacity = 500_000) {}

  async claim(hash: string, eventId: string): Promise<string> {
    const first = this.#seen.get(hash);
    if (first !== undefined) return first;
    this.#seen.set(hash, eventId);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return eventId;
  }
}

/** `SET key eventId NX EX ttl`: atomic across processes; hashes are forgotten after `ttlSeconds`. */
export class RedisContentIndex implements ContentIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'vanta:',
    private readonly ttlSeconds = 30 * 24 * 3600,
  ) {}

  async claim(hash: string, eventId: string): Promise<string> {
    const key = `${this.prefix}content:${hash}`;
    const set = await this.redis.set(key, eventId, 'EX', this.ttlSeconds, 'NX');
    if (set === 'OK') return eventId;
    return (await this.redis.get(key)) ?? eventId;
  }
}
