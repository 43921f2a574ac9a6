/**
 * Handing an order to a venue when answers can be lost. After an uncertain error (timeout, 5xx, a dropped
 * response) the order may or may not be at the venue, so the next attempt first looks it up by client order
 * id and only submits again when the venue has none: a retry never creates a second order, even at a venue
 * whose own idempotency is weaker than the Broker contract promises.
 */
import { BrokerError, type Broker, type BrokerOrder, type BrokerOrderRequest } from './broker.js';

export interface RetryPolicy {
  /** Broker round trips allowed in all (submits and look-ups), ≥ 1. */
  readonly attempts: number;
  /** Wait before the second attempt; doubled for each one after. */
  readonly backoffMs: number;
  readonly maxBackoffMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 5, backoffMs: 200, maxBackoffMs: 5_000 });

export type SubmitOutcome =
  | { readonly kind: 'placed'; readonly order: BrokerOrder; readonly attempts: number; readonly foundByLookup: boolean }
  /** The venue refused: final, nothing was placed. */
  | { readonly kind: 'refused'; readonly error: BrokerError; readonly attempts: number }
  /** Still unknown after every attempt; reconciliation or the next sync will find out. */
  | { readonly kind: 'unknown'; readonly error: unknown; readonly attempts: number };

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Errors after which the venue's state is unknown. Beyond BrokerError.uncertain: an unreadable answer
 * (the venue may have acted on the request) and anything that is not a BrokerError (a bug in an adapter, a
 * raw socket error) are treated as unknown too, because assuming "nothing happened" is what creates doubles.
 */
export function isUncertain(err: unknown): boolean {
  if (!(err instanceof BrokerError)) return true;
  return err.uncertain || err.code === 'BROKER_PROTOCOL';
}

function delay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxBackoffMs ?? Number.POSITIVE_INFINITY, policy.backoffMs * 2 ** (retry - 1));
}

/** Looks an order up, retrying uncertain errors; `undefined` when it stayed unknown. */
export async function lookUp(broker: Broker, clientOrderId: string, policy: RetryPolicy, sleep: Sleep): Promise<BrokerOrder | null | undefined> {
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await sleep(delay(policy, attempt - 1));
    try {
      return await broker.getOrder(clientOrderId);
    } catch (err) {
      if (err instanceof BrokerError && err.code === 'BROKER_NOT_FOUND') return null;
      if (!isUncertain(err)) return undefined;
    }
  }
  return undefined;
}

export async function submitWithLookup(broker: Broker, request: BrokerOrderRequest, policy: RetryPolicy, sleep: Sleep): Promise<SubmitOutcome> {
  let needLookup = false;
  let last: unknown = null;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await sleep(delay(policy, attempt - 1));
    if (needLookup) {
      try {
        const found = await broker.getOrder(request.clientOrderId);
        if (found) return { kind: 'placed', order: found, attempts: attempt, foundByLookup: true };
        needLookup = false;
      } catch (err) {
        if (!(err instanceof BrokerError && err.code === 'BROKER_NOT_FOUND')) {
          last = err;
          // Submitting without knowing could double the order; look again next time.
          continue;
        }
        needLookup = false;
      }
    }
    try {
      return { kind: 'placed', order: await broker.submit(request), attempts: attempt, foundByLookup: false };
    } catch (err) {
      if (!isUncertain(err)) return { kind: 'refused', error: err as BrokerError, attempts: attempt };
      last = err;
      needLookup = true;
    }
  }
  return { kind: 'unknown', error: last, attempts: policy.attempts };
}
