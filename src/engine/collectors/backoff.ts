/**
 * Waiting, shared by the HTTP client and the collectors: an abortable sleep that can be replaced in tests,
 * and exponential backoff with full jitter.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Random } from '../random.js';

/**
 * Resolves after `ms` milliseconds, or rejects as soon as `signal` aborts. Injected wherever a component
 * waits, so that tests can record the waits and skip them (advancing a `TestClock` instead).
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);

/**
 * Full jitter: uniform in [0, min(maxMs, baseMs·2^attempt)). Of the usual schemes it spreads the retries of
 * many clients best, which is what keeps a recovering server from being hit by all of them at once.
 * `attempt` counts from 0.
 */
export function fullJitter(random: Random, attempt: number, baseMs: number, maxMs: number): number {
  return Math.floor(random.next() * Math.min(maxMs, baseMs * 2 ** attempt));
}
