/**
 * What the trading mutations share: who acts, and how the engine's expected failures become errors in the
 * mutation's payload rather than GraphQL errors. Anything else is rethrown for TranslateErrors.
 */
import { ExecutionError, type ExecutionErrorCode } from '../engine/execution/errors.js';
import type { TradingDesk } from '../engine/trading-desk.js';
import { VaultError } from '../engine/vaults/errors.js';
import type { ApiContext } from './context.js';

/** Who a change is recorded as when authentication is off (the anonymous principal). */
export const API_ACTOR = 'api';

/** The actor a mutation acts as, in the audit log and on what it changes: the principal's id (API key id or token subject). */
export function actorOf(ctx: ApiContext): string {
  const principal = ctx.principal;
  return !principal || principal.via === 'anonymous' ? API_ACTOR : principal.id;
}

export interface MutationFailure {
  readonly code: string;
  readonly path: string | null;
  readonly message: string;
}

export type Outcome<T> = { readonly result: T; readonly errors: [] } | { readonly result: null; readonly errors: MutationFailure[] };

/**
 * Execution errors a caller can cause and fix (an unknown order, a cancel that lost a race, a venue no broker
 * serves); the rest (an overfill, a stored fill seen again) are the engine's own trouble.
 */
const EXPECTED_EXECUTION: ReadonlySet<ExecutionErrorCode> = new Set([
  'ORDER_NOT_FOUND',
  'ORDER_INVALID_TRANSITION',
  'ORDER_VERSION_CONFLICT',
  'VENUE_NOT_ROUTED',
  'INVALID_CONFIG',
]);

/** The payload errors an engine error stands for, or null when it is unexpected. */
export function expectedFailures(error: unknown): MutationFailure[] | null {
  if (error instanceof VaultError) {
    // Every issue on its own, so a client can show each one at its field.
    if (error.issues.length > 0) return error.issues.map((i) => ({ code: error.code, path: i.path || null, message: i.message }));
    return [{ code: error.code, path: null, message: error.message }];
  }
  if (error instanceof ExecutionError && EXPECTED_EXECUTION.has(error.code)) {
    return [{ code: error.code, path: null, message: error.message }];
  }
  return null;
}

export function failure(code: string, message: string, path: string | null = null): MutationFailure {
  return { code, path, message };
}

/**
 * Runs a mutation against the trading desk: its result, or the expected failures it ran into. Without a desk
 * (trading is off) nothing runs and the payload says so.
 */
export async function attempt<T>(ctx: ApiContext, work: (desk: TradingDesk, actor: string) => Promise<T>): Promise<Outcome<T>> {
  const desk = ctx.deps.trading;
  if (!desk) return { result: null, errors: [failure('TRADING_DISABLED', 'trading is not enabled on this server')] };
  try {
    return { result: await work(desk, actorOf(ctx)), errors: [] };
  } catch (error) {
    const errors = expectedFailures(error);
    if (errors === null) throw error;
    return { result: null, errors };
  }
}
