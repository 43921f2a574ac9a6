/**
 * The online feature store: the latest value of each (entity, feature), with the event time it is as of and
 * its TTL, for scoring. Two implementations with one contract (online.contract.ts): in memory for embedded
 * mode, and Redis hashes when stages run in several processes.
 *
 * - A write never goes back in time: a value older (by `asOf`) than the stored one is dropped; an equal `asOf`
 *   overwrites (a late signal changed the value as of the same watermark).
 * - A read is judged at the reader's time (`now`, from its Clock): it returns each value with its age, and a
 *   value past its TTL is reported missing (`stale`), as is one never written (`absent`) or one the window
 *   does not define (`undefined`). Staleness is event time; Redis key expiry below only collects garbage.
 */
import type { Redis } from 'ioredis';
import type { EntityType } from './definitions.js';
import { FeatureError } from './errors.js';

export interface OnlineWrite {
  readonly entityType: EntityType;
  readonly entity: string;
  readonly feature: string;
  /** Null: the feature is undefined as of `asOf`. */
  readonly value: number | null;
  readonly asOf: number;
  readonly ttlMs: number;
}

export type MissingReason = 'absent' | 'stale' | 'undefined';

export interface OnlineValue {
  readonly feature: string;
  /** Null when missing. */
  readonly value: number | null;
  /** The event time of the stored value (also when stale or undefined); null when absent. */
  readonly asOf: number | null;
  /** `now − asOf` (0 when `asOf` is ahead of the reader's clock); null when absent. */
  readonly ageMs: number | null;
  /** Why the value is missing; null when it is there and fresh. */
  readonly missing: MissingReason | null;
}

export interface OnlineEntityRef {
  readonly entityType: EntityType;
  readonly entity: string;
}

export interface OnlineFeatureStore {
  /** Stores the values, in order; a value older than the one stored is ignored. */
  write(values: readonly OnlineWrite[]): Promise<void>;
  /** The features of one entity, in the order asked, judged at `now`. */
  read(ref: OnlineEntityRef, features: readonly string[], now: number): Promise<readonly OnlineValue[]>;
  /** `read` for several entities at once (one round trip where it can), in the order given. */
  readMany(refs: readonly OnlineEntityRef[], features: readonly string[], now: number): Promise<readonly (readonly OnlineValue[])[]>;
}

interface Stored {
  readonly value: number | null;
  readonly asOf: number;
  readonly ttlMs: number;
}

/** The reader's view of a stored value. */
export function judge(feature: string, stored: Stored | undefined, now: number): OnlineValue {
  if (!stored) return { feature, value: null, asOf: null, ageMs: null, missing: 'absent' };
  const ageMs = Math.max(0, now - stored.asOf);
  const missing: MissingReason | null = ageMs > stored.ttlMs ? 'stale' : stored.value === null ? 'undefined' : null;
  return { feature, value: missing ? null : stored.value, asOf: stored.asOf, ageMs, missing };
}

function check(value: OnlineWrite): void {
  const ok =
    value.entity !== '' &&
    value.feature !== '' &&
    Number.isFinite(value.asOf) &&
    Number.isFinite(value.ttlMs) &&
    value.ttlMs > 0 &&
    (value.value === null || Number.isFinite(value.value));
  if (!ok) {
    throw new FeatureError('FEATURE_REQUEST_INVALID', `cannot store online feature value ${JSON.stringify(value)}`);
  }
}

const entityKey = (ref: OnlineEntityRef) => `${ref.entityType}:${ref.entity}`;

/** In one process: a map per entity. Bounded by entities × features, so nothing is evicted. */
export class MemoryOnlineStore implements OnlineFeatureStore {
  readonly #entities = new Map<string, Map<string, Stored>>();

  async write(values: readonly OnlineWrite[]): Promise<void> {
    values.forEach(check);
    for (const v of values) {
      const key = entityKey(v);
      let features = this.#entities.get(key);
      if (!features) this.#entities.set(key, (features = new Map()));
      const current = features.get(v.feature);
      if (current && current.asOf > v.asOf) continue;
      features.set(v.feature, { value: v.value, asOf: v.asOf, ttlMs: v.ttlMs });
    }
  }

  async read(ref: OnlineEntityRef, features: readonly string[], now: number): Promise<readonly OnlineValue[]> {
    const stored = this.#entities.get(entityKey(ref));
    return features.map((f) => judge(f, stored?.get(f), now));
  }

  async readMany(refs: readonly OnlineEntityRef[], features: readonly string[], now: number) {
    return Promise.all(refs.map((ref) => this.read(ref, features, now)));
  }
}

export interface RedisOnlineStoreOptions {
  /** A client the caller owns (and closes). */
  readonly redis: Redis;
  /** Key prefix: lets deployments and test suites share one Redis. Default `vanta:`. */
  readonly prefix?: string;
  /**
   * An entity's hash expires this long (wall time) after its last write: garbage collection for entities that
   * went quiet. Staleness is judged by event time at read, not by this. Default 30 days.
   */
  readonly keyExpiryMs?: number;
}

/**
 * Writes one entity's hash: for each (feature, value, asOf, ttl) in ARGV after the key expiry, sets the fields
 * `<feature>`, `<feature>:t` and `<feature>:ttl` unless the stored `:t` is later; then renews the key's expiry.
 */
const WRITE_SCRIPT = `
for i = 2, #ARGV, 4 do
  local f = ARGV[i]
  local stored = tonumber(redis.call('HGET', KEYS[1], f .. ':t'))
  if stored == nil or stored <= tonumber(ARGV[i + 2]) then
    redis.call('HSET', KEYS[1], f, ARGV[i + 1], f .. ':t', ARGV[i + 2], f .. ':ttl', ARGV[i + 3])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

/**
 * One hash per entity, `<prefix>features:<entityType>:<entity>`, holding per feature its value (`''` when
 * undefined), `:t` (asOf, epoch ms) and `:ttl`. Values are written as JavaScript prints them, which reads back
 * as the same double. Each entity's write is one Lua script (atomic: the asOf check cannot race); a call
 * sends all of them in one pipeline.
 */
export class RedisOnlineStore implements OnlineFeatureStore {
  readonly prefix: string;
  readonly #redis: Redis;
  readonly #keyExpiryMs: number;

  constructor(options: RedisOnlineStoreOptions) {
    this.#redis = options.redis;
    this.prefix = options.prefix ?? 'vanta:';
    this.#keyExpiryMs = Math.max(1, Math.trunc(options.keyExpiryMs ?? 30 * 24 * 3_600_000));
  }

  /** The hash that holds an entity's features. */
  key(ref: OnlineEntityRef): string {
    return `${this.prefix}features:${entityKey(ref)}`;
  }

  async write(values: readonly OnlineWrite[]): Promise<void> {
    values.forEach(check);
    if (values.length === 0) return;
    const byKey = new Map<string, string[]>();
    for (const v of values) {
      const key = this.key(v);
      let args = byKey.get(key);
      if (!args) byKey.set(key, (args = [String(this.#keyExpiryMs)]));
      args.push(v.feature, v.value === null ? '' : String(v.value), String(v.asOf), String(v.ttlMs));
    }
    const pipeline = this.#redis.pipeline();
    for (const [key, args] of byKey) pipeline.eval(WRITE_SCRIPT, 1, key, ...args);
    await this.#exec(pipeline, 'write');
  }

  async read(ref: OnlineEntityRef, features: readonly string[], now: number): Promise<readonly OnlineValue[]> {
    const [values] = await this.readMany([ref], features, now);
    return values ?? [];
  }

  async readMany(refs: readonly OnlineEntityRef[], features: readonly string[], now: number) {
    if (refs.length === 0) return [];
    if (features.length === 0) return refs.map(() => []);
    const fields = features.flatMap((f) => [f, `${f}:t`, `${f}:ttl`]);
    const pipeline = this.#redis.pipeline();
    for (const ref of refs) pipeline.hmget(this.key(ref), ...fields);
    const replies = await this.#exec(pipeline, 'read');
    return replies.map((reply) => {
      const got = reply as (string | null)[];
      return features.map((feature, i) => judge(feature, parseStored(got[3 * i], got[3 * i + 1], got[3 * i + 2]), now));
    });
  }

  async #exec(pipeline: ReturnType<Redis['pipeline']>, operation: string): Promise<unknown[]> {
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (cause) {
      throw storeError(operation, cause);
    }
    return (replies ?? []).map(([error, reply]) => {
      if (error) throw storeError(operation, error);
      return reply;
    });
  }
}

function parseStored(value: string | null | undefined, asOf: string | null | undefined, ttl: string | null | undefined): Stored | undefined {
  if (value == null || asOf == null || ttl == null) return undefined;
  return { value: value === '' ? null : Number(value), asOf: Number(asOf), ttlMs: Number(ttl) };
}

function storeError(operation: string, cause: unknown): FeatureError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new FeatureError('FEATURE_STORE_ERROR', `online feature ${operation} on Redis failed: ${why}`, { cause });
}
