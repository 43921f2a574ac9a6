/**
 * One subscription of the Redis Streams bus: a consumer in a consumer group, reading on its own
 * connection (XREADGROUP BLOCK holds a connection for as long as it waits).
 *
 * The loop, in order of preference:
 * 1. its own pending entries (XREADGROUP ... 0): on start, so a restarted consumer with the same name
 *    resumes; after a connection error or a reconnection (a reply or an XACK may have been lost); after
 *    a claim;
 * 2. now and then, XAUTOCLAIM ... JUSTID the entries other consumers left pending longer than
 *    `claimIdleMs` (they died), then handle them as its own pending entries;
 * 3. new entries (XREADGROUP ... >), blocking up to `blockMs`.
 *
 * An entry is XACKed only after its handler resolves; the entries of one read are acknowledged together, in
 * one XACK after the last of them (a consumer that dies before it has them redelivered, which idempotent
 * handlers absorb). A batch subscription gets consecutive entries on their first delivery in one call (up to
 * `maxBatch`); a batch that throws is handled again one entry at a time. A handler that throws on one entry is
 * retried in place after a backoff (the entry stays pending, and later entries wait, so order is kept) until
 * `maxAttempts` deliveries, counting those Redis recorded before (XPENDING: consumers that died holding it);
 * then the entry is dead-lettered and acknowledged. Connection errors are reported and retried
 * with a backoff; NOGROUP (the group or stream was lost, e.g. Redis restarted without its data) re-creates
 * the group from the start of the stream.
 */
import type { Redis } from 'ioredis';
import { BusError } from './bus.js';
import type { BusErrorContext } from './dead-letter.js';
import { settlesWithin } from './dead-letter.js';
import type { StreamEntry } from './redis-replies.js';
import {
  isBusyGroup,
  isNoGroup,
  parseAutoClaim,
  parseConsumers,
  parsePendingCounts,
  parseReadGroup,
} from './redis-replies.js';
import type { Topic } from './topics.js';
import type { VantaEvent } from '../types.js';

export interface ConsumerSettings {
  readonly key: string;
  readonly topic: Topic;
  readonly group: string;
  readonly consumer: string;
  /** Where the group starts if this consumer creates it: `0` (earliest) or `$` (latest). */
  readonly start: '0' | '$';
  /** Entries read per XREADGROUP (at least `maxBatch`). */
  readonly batch: number;
  /** Events handed to the handler at once: 1 for `subscribe`. */
  readonly maxBatch: number;
  readonly blockMs: number;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
  readonly staleConsumerMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly closeTimeoutMs: number;
}

export interface ConsumerPorts {
  /** The consumer's own connection; the consumer disconnects it when it stops. */
  readonly conn: Redis;
  /** Resolves once the group exists (created on the publishing connection, so `latest` is exact). */
  readonly groupCreated: Promise<unknown>;
  readonly handler: (events: readonly VantaEvent[]) => Promise<void>;
  /** Publishes the dead letter for `source` (not called for the dead-letter topic itself). */
  readonly deadLetter: (error: unknown, source: unknown) => Promise<void>;
  readonly report: (error: unknown, context: BusErrorContext) => void;
}

const FIELD = 'e';

export class RedisConsumer {
  readonly ready: Promise<void>;
  readonly #s: ConsumerSettings;
  readonly #p: ConsumerPorts;
  readonly #loop: Promise<void>;
  #stopping = false;
  #blocked = false;
  #claimCursor = '0-0';
  #connections = 0;
  #reconnected = false;
  #wake: (() => void) | undefined;

  constructor(settings: ConsumerSettings, ports: ConsumerPorts) {
    this.#s = settings;
    this.#p = ports;
    // ioredis resends a read that was in flight when the connection dropped; if Redis had already handed
    // out entries for it, the reply was lost and they sit in this consumer's pending list: re-read it.
    ports.conn.on('ready', () => {
      if (this.#connections++ > 0) this.#reconnected = true;
    });
    this.ready = ports.groupCreated.then(
      () => undefined,
      (err: unknown) => (isBusyGroup(err) ? undefined : this.#createGroup(settings.start)),
    );
    this.ready.catch(() => {}); // the loop retries; drain() reports it
    this.#loop = this.#run();
  }

  /** Stops after the entry in flight (waiting up to `closeTimeoutMs`), then drops the connection. */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#wake?.(); // cut a backoff short
    // A blocked read holds nothing: end it now rather than wait out BLOCK (entries Redis may hand out in
    // that instant stay pending under this consumer's name and are re-read or claimed later). With Redis
    // away, commands would wait for it: drop them too (an XACK lost so is a redelivery later, no loss).
    if (this.#blocked || this.#p.conn.status !== 'ready') this.#p.conn.disconnect();
    const finished = await settlesWithin(this.#loop, this.#s.closeTimeoutMs);
    if (!finished) {
      this.#p.report(new BusError('handler still running at close; its entry stays pending'), { operation: 'close' });
    }
    this.#p.conn.disconnect();
  }

  async #run(): Promise<void> {
    await this.ready.catch(() => {});
    let readPending = true; // own pending entries first: a restarted consumer resumes where it was
    let nextClaimAt = 0;
    let failures = 0;
    while (!this.#stopping) {
      try {
        if (this.#reconnected) {
          this.#reconnected = false;
          readPending = true;
        }
        if (Date.now() >= nextClaimAt) {
          const { claimed, more } = await this.#claim();
          nextClaimAt = more ? 0 : Date.now() + this.#s.claimIntervalMs;
          if (claimed) readPending = true;
        }
        if (this.#stopping) break;
        const entries = await this.#read(readPending);
        if (readPending && entries.length === 0) {
          readPending = false;
          continue;
        }
        await this.#handle(entries, readPending);
        failures = 0;
      } catch (err) {
        if (this.#stopping) break;
        readPending = true;
        if (isNoGroup(err)) {
          this.#p.report(err, { operation: 'read' });
          await this.#createGroup('0').catch((e: unknown) => this.#p.report(e, { operation: 'read' }));
          continue;
        }
        failures++;
        this.#p.report(err, { operation: 'read' });
        await this.#pause(Math.min(50 * 2 ** failures, 2_000));
      }
    }
  }

  async #read(history: boolean): Promise<StreamEntry[]> {
    const { conn } = this.#p;
    const { group, consumer, key, blockMs } = this.#s;
    // A batch subscription reads as many entries as it may handle at once.
    const batch = Math.max(this.#s.batch, this.#s.maxBatch);
    if (history) return parseReadGroup(await conn.xreadgroup('GROUP', group, consumer, 'COUNT', batch, 'STREAMS', key, '0'));
    this.#blocked = true;
    try {
      return parseReadGroup(
        await conn.xreadgroup('GROUP', group, consumer, 'COUNT', batch, 'BLOCK', blockMs, 'STREAMS', key, '>'),
      );
    } finally {
      this.#blocked = false;
    }
  }

  /**
   * Handles entries in order, then acknowledges those handled (or given up on) with one XACK. Stops early when
   * closing: the rest stays pending under this consumer.
   */
  async #handle(entries: readonly StreamEntry[], history: boolean): Promise<void> {
    const { conn } = this.#p;
    const { key, group, consumer, maxBatch } = this.#s;
    // Entries read with `>` are on their first delivery; re-read or claimed ones carry Redis's count.
    const first = entries[0];
    const last = entries[entries.length - 1];
    const counts =
      history && first && last
        ? parsePendingCounts(await conn.xpending(key, group, first.id, last.id, entries.length, consumer))
        : new Map<string, number>();

    const acks: string[] = [];
    // Consecutive events on their first delivery, handed over together.
    let run: { readonly entryId: string; readonly event: VantaEvent }[] = [];
    const flush = async (): Promise<boolean> => {
      const batch = run;
      run = [];
      return this.#deliverBatch(batch, acks);
    };
    try {
      for (const entry of entries) {
        if (this.#stopping) return;
        const attempt = counts.get(entry.id) ?? 1;
        const parsed = entry.fields === null ? null : decode(entry.fields);
        if (parsed?.ok && attempt === 1) {
          run.push({ entryId: entry.id, event: parsed.event });
          if (run.length >= maxBatch && !(await flush())) return;
          continue;
        }
        if (!(await flush())) return;
        if (parsed === null) {
          acks.push(entry.id); // trimmed away (MAXLEN) before it was handled: nothing to do
        } else if (parsed.ok) {
          if (!(await this.#deliver(entry.id, parsed.event, attempt, acks))) return;
        } else {
          const err = new BusError(parsed.error, { code: 'BUS_MALFORMED_EVENT' });
          await this.#giveUp(err, parsed.raw, entry.id, attempt, acks);
        }
      }
      await flush();
    } finally {
      if (acks.length > 0) await conn.xack(key, group, ...acks);
    }
  }

  /**
   * Hands several events over in one call; if that throws, one at a time (each with its own retries and dead
   * letter). Returns false if the consumer started closing part way.
   */
  async #deliverBatch(batch: readonly { entryId: string; event: VantaEvent }[], acks: string[]): Promise<boolean> {
    if (batch.length > 1) {
      try {
        await this.#p.handler(batch.map((b) => b.event));
        for (const b of batch) acks.push(b.entryId);
        return true;
      } catch (err) {
        this.#p.report(err, { operation: 'batch' });
      }
    }
    for (const b of batch) {
      if (this.#stopping || !(await this.#deliver(b.entryId, b.event, 1, acks))) return false;
    }
    return true;
  }

  /**
   * Runs the handler, retrying in place (the entry stays pending meanwhile, so order is kept) until
   * `maxAttempts` deliveries in all, counting those Redis saw before (a consumer that died mid-way).
   * Returns false if the consumer started closing between two attempts.
   */
  async #deliver(entryId: string, event: VantaEvent, firstAttempt: number, acks: string[]): Promise<boolean> {
    const { group, topic, maxAttempts, retryDelayMs } = this.#s;
    if (firstAttempt > maxAttempts) {
      // Delivered again and again without an ack: its handler crashes the process, or hangs.
      const err = new BusError(`delivered ${firstAttempt} times without being acknowledged`, { code: 'BUS_MAX_ATTEMPTS' });
      await this.#giveUp(err, event, entryId, firstAttempt, acks);
      return true;
    }
    for (let attempt = firstAttempt; ; attempt++) {
      try {
        await this.#p.handler([event]);
        break;
      } catch (err) {
        if (attempt >= maxAttempts) {
          await this.#giveUp(err, event, entryId, attempt, acks);
          return true;
        }
        this.#p.report(err, { topic, group, eventId: event.id, attempt, gaveUp: false });
      }
      await this.#pause(retryDelayMs * attempt);
      if (this.#stopping) return false;
    }
    acks.push(entryId);
    return true;
  }

  /** Dead-letters the entry (dead letters themselves are only reported) and marks it for acknowledging. */
  async #giveUp(error: unknown, source: unknown, entryId: string, attempt: number, acks: string[]): Promise<void> {
    const { topic, group } = this.#s;
    const eventId = (source as { id?: unknown } | null)?.id;
    this.#p.report(error, { topic, group, attempt, gaveUp: true, ...(typeof eventId === 'string' ? { eventId } : {}) });
    await this.#p.deadLetter(error, source);
    acks.push(entryId);
  }

  /**
   * Takes over entries other consumers have left pending for `claimIdleMs` (without counting a delivery:
   * JUSTID; the re-read that follows counts it), and forgets consumers long gone with nothing pending.
   */
  async #claim(): Promise<{ claimed: boolean; more: boolean }> {
    const { conn } = this.#p;
    const { key, group, consumer, claimIdleMs, batch, staleConsumerMs } = this.#s;
    const reply = await conn.xautoclaim(key, group, consumer, claimIdleMs, this.#claimCursor, 'COUNT', batch, 'JUSTID');
    const { next, claimed } = parseAutoClaim(reply);
    this.#claimCursor = next;
    for (const c of parseConsumers(await conn.xinfo('CONSUMERS', key, group))) {
      if (c.name !== consumer && c.pending === 0 && c.idleMs > staleConsumerMs) {
        await conn.xgroup('DELCONSUMER', key, group, c.name);
      }
    }
    return { claimed: claimed.length > 0, more: next !== '0-0' };
  }

  /** A sleep that `close()` cuts short. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #createGroup(start: '0' | '$'): Promise<void> {
    try {
      await this.#p.conn.xgroup('CREATE', this.#s.key, this.#s.group, start, 'MKSTREAM');
    } catch (err) {
      if (!isBusyGroup(err)) throw err;
    }
  }
}

type Decoded = { ok: true; event: VantaEvent } | { ok: false; raw: string | null; error: string };

/** The event JSON sits in field `e`; anything else is malformed and goes to the dead letters as raw text. */
function decode(fields: readonly string[]): Decoded {
  const at = fields.findIndex((f, i) => i % 2 === 0 && f === FIELD);
  const raw = at >= 0 ? (fields[at + 1] ?? null) : null;
  if (raw === null) return { ok: false, raw: JSON.stringify(fields), error: `entry has no field '${FIELD}'` };
  try {
    const event: unknown = JSON.parse(raw);
    if (typeof event === 'object' && event !== null && typeof (event as { id?: unknown }).id === 'string') {
      return { ok: true, event: event as VantaEvent };
    }
    return { ok: false, raw, error: 'entry is not an event (no string id)' };
  } catch (err) {
    return { ok: false, raw, error: `entry is not JSON: ${(err as Error).message}` };
  }
}

export const EVENT_FIELD = FIELD;
