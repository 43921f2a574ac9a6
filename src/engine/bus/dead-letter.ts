/**
 * What both bus implementations share: the options for retries and dead letters, and the `DeadLettered`
 * event they publish when a handler keeps failing on an event (or an entry is not an event at all).
 */
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { DeadLettered } from '../types.js';
import type { Topic } from './topics.js';

/** Where an error reported to `onError` happened; as much as is known. */
export interface BusErrorContext {
  readonly topic?: Topic;
  readonly group?: string;
  /** The event's id when there is one (a malformed entry has none). */
  readonly eventId?: string;
  /** Which delivery failed, counting from 1. */
  readonly attempt?: number;
  /** True when the event was given up on: dead-lettered, or dropped if it was itself a dead letter. */
  readonly gaveUp?: boolean;
  /**
   * What the bus was doing when not handling one event: `connection`, `read`, `close`, or `batch` (a batch
   * handler threw; its events are then redelivered one at a time, and their own failures reported).
   */
  readonly operation?: string;
}

export interface BusRetryOptions {
  /** Deliveries of one event before it is dead-lettered. Default 3. */
  readonly maxAttempts?: number;
  /** Backoff before a redelivery; grows linearly with the attempt. */
  readonly retryDelayMs?: number;
  /** Stamps dead letters' `tsInit` (and `tsEvent` when the source has none). Default: wall time. */
  readonly clock?: Clock;
  /** Told about every handler failure and bus-internal error (to log them). Default: ignore. */
  readonly onError?: (error: unknown, context: BusErrorContext) => void;
  /**
   * How long `close()` waits for handlers in flight before it gives up on them (their events stay
   * unacknowledged and are redelivered later). Default 30 s.
   */
  readonly closeTimeoutMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

/**
 * The dead letter for `source` given up on by consumer group `stage`. Its id is derived from the group and
 * the source (the event id, or the raw text of a malformed entry), so a dead letter published twice (the
 * bus died between publishing it and acknowledging the source) is dropped downstream as a repeat.
 */
export function deadLetter(stage: string, error: unknown, source: unknown, now: number): DeadLettered {
  const sourceId = eventIdOf(source);
  const tsEvent = isRecord(source) && typeof source.tsEvent === 'number' ? source.tsEvent : now;
  return {
    id: eventId('dl', stage, sourceId ?? source),
    type: 'DeadLettered',
    tsEvent,
    tsInit: now,
    causationIds: sourceId === undefined ? [] : [sourceId],
    payload: { stage, error: errorMessage(error), source },
  };
}

export function eventIdOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.id === 'string' ? value.id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True if `promise` settles (either way) within `ms`, false if it is still pending then. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
