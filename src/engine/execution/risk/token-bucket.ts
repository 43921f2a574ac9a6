/**
 * A token bucket on an injected clock, for the orders-per-second limit. Written here rather than taken from a
 * rate-limit library because those read wall time; this one takes `now` on every call, so it is exact on a
 * test clock and in a backtest. Token counts are not money, so plain numbers are fine.
 */
import { ExecutionError } from '../errors.js';

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    now: number,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new ExecutionError('INVALID_CONFIG', `token bucket needs rate > 0 and burst ≥ 1, got ${ratePerSecond}/${burst}`);
    }
    this.#tokens = burst;
    this.#last = now;
  }

  #refill(now: number): void {
    // A clock that steps back (NTP) must not drain the bucket.
    const elapsed = Math.max(0, now - this.#last);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.ratePerSecond) / 1000);
    this.#last = Math.max(this.#last, now);
  }

  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
