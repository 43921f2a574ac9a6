/**
 * Submitting an order when answers can be lost, shared by every real adapter.
 *
 * After a failure whose outcome is unknown (no answer in time, a dropped connection, a 5xx, an answer we
 * could not read) the venue may hold the order. Sending the POST again blindly could place a second one,
 * so the venue is asked first, by client order id:
 *
 * - it has the order: that is the answer to `submit`;
 * - it does not: the order is sent once more, unless the venue does not refuse duplicate client order ids
 *   and the first attempt timed out (the request may still be in flight there and arrive after our
 *   look-up); then the original error stands and the caller's next attempt looks again;
 * - the look-up itself stays uncertain: the original error stands.
 *
 * The executor's own retry loop repeats the same reasoning across attempts; this keeps one `submit` call
 * honest on its own.
 */
import { BrokerError, type BrokerOrder } from '../broker.js';

export interface LookupPolicy {
  /** Look-ups tried after an uncertain failure, ≥ 1. Defaults to 3. */
  readonly attempts?: number;
  /** Wait before each look-up, so a venue still processing the request can finish. Defaults to 200 ms. */
  readonly delayMs?: number;
}

export interface IdempotentSubmit {
  /** Sends the order once. */
  readonly place: () => Promise<BrokerOrder>;
  /** The venue's order with the request's client order id, or null when it has none. */
  readonly lookup: () => Promise<BrokerOrder | null>;
  /**
   * True when the venue itself refuses a second order with a client order id it already holds (Alpaca,
   * Binance); then sending again after a miss is safe even if the first request is still in flight.
   */
  readonly venueDeduplicates: boolean;
  readonly policy?: LookupPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Failures after which the venue may or may not hold the order. */
export function outcomeUnknown(error: unknown): error is BrokerError {
  return error instanceof BrokerError && (error.uncertain || error.code === 'BROKER_PROTOCOL');
}

/** Looks the order up, retrying uncertain failures; undefined when it stayed unknown. */
export async function lookUpPatiently(s: Pick<IdempotentSubmit, 'lookup' | 'policy' | 'sleep'>): Promise<BrokerOrder | null | undefined> {
  const attempts = Math.max(1, s.policy?.attempts ?? 3);
  const sleep = s.sleep ?? sleepReal;
  for (let i = 0; i < attempts; i += 1) {
    await sleep(s.policy?.delayMs ?? 200);
    try {
      return await s.lookup();
    } catch (error) {
      if (!outcomeUnknown(error)) return undefined;
    }
  }
  return undefined;
}

export async function submitIdempotently(s: IdempotentSubmit): Promise<BrokerOrder> {
  let first: BrokerError;
  try {
    return await s.place();
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    first = error;
  }
  const found = await lookUpPatiently(s);
  if (found) return found;
  if (found === undefined) throw first;
  if (!s.venueDeduplicates && first.code === 'BROKER_TIMEOUT') throw first;
  return s.place();
}
