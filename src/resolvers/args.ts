/**
 * Argument checks shared by queries and subscriptions. Each returns the value the store (or a
 * subscription filter) wants, or throws `BAD_USER_INPUT` naming the argument.
 */
import type {
  ConvictionFilter as StoreConvictionFilter,
  PageRequest,
  SignalFilter as StoreSignalFilter,
} from '../engine/store/ports.js';
import type { ConvictionFilter } from '../schema/conviction.input.js';
import type { SignalFilter } from '../schema/signal.input.js';
import { badUserInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;
/** Ids and symbols longer than this are not ids: refuse them before they reach the store. */
export const MAX_ID_LENGTH = 256;

export function checkId(name: string, value: string): string {
  if (value.trim() === '') throw badUserInput(name, 'must not be empty');
  if (value.length > MAX_ID_LENGTH) throw badUserInput(name, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

function optionalText(name: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return checkId(name, value);
}

export function checkPage(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 1 and ${MAX_PAGE_SIZE}, got ${n}`);
  }
  if (after !== null && after !== undefined && after.trim() === '') throw badUserInput('after', 'must not be empty');
  return { first: n, after: after ?? null };
}

/** The subscription-side view of a conviction filter: what to match each event against. */
export interface ConvictionMatch {
  readonly instrument: string | null;
  readonly minAbsScore: number | null;
  readonly band: StoreConvictionFilter['band'];
  readonly routingTag: string | null;
  readonly activeOnly: boolean;
}

export function checkConvictionFilter(filter: ConvictionFilter | null | undefined): ConvictionMatch {
  const minAbsScore = filter?.minAbsScore ?? null;
  if (minAbsScore !== null && !(minAbsScore >= 0 && minAbsScore <= 1)) {
    throw badUserInput('filter.minAbsScore', `must be between 0 and 1, got ${minAbsScore}`);
  }
  return {
    instrument: optionalText('filter.instrument', filter?.instrument),
    minAbsScore,
    band: filter?.band ?? null,
    routingTag: optionalText('filter.routingTag', filter?.routingTag),
    activeOnly: filter?.activeOnly ?? false,
  };
}

/** The store's filter; `activeOnly` becomes `activeAt = now`. */
export function toStoreConvictionFilter(match: ConvictionMatch, now: () => number): StoreConvictionFilter {
  return {
    instrument: match.instrument,
    minAbsScore: match.minAbsScore,
    band: match.band,
    routingTag: match.routingTag,
    activeAt: match.activeOnly ? now() : null,
  };
}

export function checkSignalFilter(filter: SignalFilter | null | undefined): StoreSignalFilter {
  return {
    instrument: optionalText('filter.instrument', filter?.instrument),
    kind: filter?.kind ?? null,
    source: optionalText('filter.source', filter?.source),
    flag: filter?.flag ?? null,
  };
}
