/**
 * Token buckets, one per principal: a bucket holds up to `burst` tokens and gains `perSecond` tokens a
 * second; a request takes one token per operation, or is refused with the wait until enough are back.
 *
 * Written here rather than taken from a library: none installed offers a token bucket that is shared through
 * Redis with a local fallback that never waits on a dead Redis, which is what several stateless GraphQL servers
 * need. The Redis bucket is one Lua script (atomic, timed by the Redis server's own clock, so servers with
 * skewed clocks share one bucket fairly).
 */
import type { Redis } from 'ioredis';

export interface RateDecision {
  readonly allowed: boolean;
  /** Whole tokens left after this request. */
  readonly remaining: number;
  /** When refused: milliseconds until the request would be allowed. */
  readonly retryAfterMs: number;
}

export interface BucketSettings {
  readonly burst: number;
  readonly perSecond: number;
}

export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  take(key: string, cost?: number): Promise<RateDecision>;
}

/** How much a request of `cost` must wait when `tokens` are in the bucket. */
function waitMs(tokens: number, cost: number, perSecond: number): number {
  return Math.max(1, Math.ceil(((cost - tokens) / perSecond) * 1000));
}

/** Buckets in this process. Full buckets are forgotten when the map grows past `maxKeys`. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory';
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string, cost = 1): Promise<RateDecision> {
    return this.takeNow(key, cost);
  }

  takeNow(key: string, cost = 1): RateDecision {
    const { burst, perSecond } = this.settings;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    const allowed = tokens >= cost;
    const left = allowed ? tokens - cost : tokens;
    this.buckets.delete(key); // re-inserted last: the map's order is least recently used first
    this.buckets.set(key, { tokens: left, at: now });
    if (this.buckets.size > this.maxKeys) this.evict();
    return { allowed, remaining: Math.floor(left), retryAfterMs: allowed ? 0 : waitMs(tokens, cost, perSecond) };
  }

  /** Forgets the least recently used buckets; one not used for `burst / perSecond` seconds is full anyway. */
  private evict(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      this.buckets.delete(key);
    }
  }
}

/** KEYS[1] bucket; ARGV burst, tokens per ms, cost, ttl ms. Returns {allowed, tokens left (string), wait ms}. */
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return {allowed, tostring(tokens), wait}
`;

export interface RedisRateLimiterOptions {
  readonly redis: Redis;
  /** Key prefix; buckets are `<prefix><key>`. */
  readonly prefix: string;
  readonly settings: BucketSettings;
  /** A check slower than this is answered by the local buckets instead. */
  readonly timeoutMs: number;
  /** Told once when Redis stops answering (the local buckets take over) and once when it is back. */
  readonly onStateChange?: (state: 'fallback' | 'redis', error?: unknown) => void;
}

class RedisTimeout extends Error {
  constructor(ms: number) {
    super(`redis did not answer within ${ms} ms`);
  }
}

/**
 * Buckets in Redis, shared by every server on it. While Redis is down or slow the same buckets are kept in
 * memory, per server: requests are never held up waiting for Redis, and limits still apply.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis';
  private readonly fallback: MemoryRateLimiter;
  private degraded = false;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.fallback = new MemoryRateLimiter(options.settings);
  }

  /** True while the local buckets answer in place of Redis. */
  get usingFallback(): boolean {
    return this.degraded;
  }

  async take(key: string, cost = 1): Promise<RateDecision> {
    const { redis, prefix, settings, timeoutMs } = this.options;
    // Not connected: do not queue the command behind a reconnect (the client may retry for ever).
    if (redis.status !== 'ready') return this.degrade(new Error(`redis is ${redis.status}`), key, cost);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ttlMs = Math.ceil((settings.burst / settings.perSecond) * 1000) + 1000;
      const reply = (await Promise.race([
        redis.eval(TAKE_SCRIPT, 1, `${prefix}${key}`, settings.burst, settings.perSecond / 1000, cost, ttlMs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RedisTimeout(timeoutMs)), timeoutMs);
          timer.unref();
        }),
      ])) as [number, string, number];
      if (this.degraded) {
        this.degraded = false;
        this.options.onStateChange?.('redis');
      }
      const [allowed, tokens, wait] = reply;
      return { allowed: allowed === 1, remaining: Math.floor(Number(tokens)), retryAfterMs: allowed === 1 ? 0 : Math.max(1, wait) };
    } catch (error) {
      return this.degrade(error, key, cost);
    } finally {
      clearTimeout(timer);
    }
  }

  private degrade(error: unknown, key: string, cost: number): RateDecision {
    if (!this.degraded) {
      this.degraded = true;
      this.options.onStateChange?.('fallback', error);
    }
    return this.fallback.takeNow(key, cost);
  }
}
