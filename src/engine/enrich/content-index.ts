/**
 * Remembers which content hashes have been seen, and by which event first. In one process a bounded
 * map suffices; when stages are spread over several processes they share the index in Redis.
 */
import type { Redis } from 'ioredis';

export interface ContentClaim {
  readonly hash: string;
  readonly eventId: string;
}

export interface ContentIndex {
  /**
   * Records `hash` as first seen in `eventId` unless it is known already.
   * Returns the event id that first carried the hash (equal to `eventId` when this is the first time).
   */
  claim(hash: string, eventId: string): Promise<string>;
  /** `claim` for each, in order (so the first of two equal hashes wins), in one round trip where it can. */
  claimMany(claims: readonly ContentClaim[]): Promise<readonly string[]>;
}

/** Keeps the most recent `capacity` hashes (insertion order; the oldest is forgotten first). */
export class MemoryContentIndex implements ContentIndex {
  readonly #seen = new Map<string, string>();
  constructor(private readonly capacity = 500_000) {}

  async claimMany(claims: readonly ContentClaim[]): Promise<readonly string[]> {
    return Promise.all(claims.map(({ hash, eventId }) => this.claim(hash, eventId)));
  }

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
    const [first] = await this.claimMany([{ hash, eventId }]);
    return first ?? eventId;
  }

  /** One pipeline: per claim `SET NX`, then `GET` (the value never changes once set, so it names the first). */
  async claimMany(claims: readonly ContentClaim[]): Promise<readonly string[]> {
    if (claims.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { hash, eventId } of claims) {
      const key = `${this.prefix}content:${hash}`;
      pipeline.set(key, eventId, 'EX', this.ttlSeconds, 'NX').get(key);
    }
    const replies = (await pipeline.exec()) ?? [];
    return claims.map(({ eventId }, i) => {
      const [setError] = replies[2 * i] ?? [];
      const [getError, first] = replies[2 * i + 1] ?? [];
      if (setError || getError) throw setError ?? getError;
      return typeof first === 'string' ? first : eventId;
    });
  }
}
