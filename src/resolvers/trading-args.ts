/**
 * Argument checks of the vault, order and kill-switch fields. Each returns what the engine takes, or throws
 * `BAD_USER_INPUT` naming the argument before anything reaches the engine.
 */
import type { KillSwitchScope } from '../engine/execution/kill-switch-store.js';
import type { FillFilter as EngineFillFilter, OrderFilter as EngineOrderFilter } from '../engine/execution/repository.js';
import type { GrowthRange } from '../engine/vaults/ports.js';
import type { KillSwitchScopeInput } from '../schema/kill-switch.type.js';
import type { FillFilter, OrderFilter } from '../schema/order.input.js';
import { checkId } from './args.js';
import { badUserInput } from './errors.js';

/** Reasons end up in the audit log next to the actor: long enough to explain, short enough to read. */
export const MAX_REASON_LENGTH = 500;

function optionalId(name: string, value: string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : checkId(name, value);
}

function epochOf(name: string, value: Date | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = value.getTime();
  if (!Number.isSafeInteger(ms)) throw badUserInput(name, 'must be a date-time');
  return ms;
}

export function checkOrderFilter(filter: OrderFilter | null | undefined): EngineOrderFilter {
  const vaultId = optionalId('filter.vaultId', filter?.vaultId);
  const instrument = optionalId('filter.instrument', filter?.instrument);
  const venue = optionalId('filter.venue', filter?.venue);
  return {
    ...(vaultId !== undefined ? { vaultId } : {}),
    ...(instrument !== undefined ? { instrument } : {}),
    ...(venue !== undefined ? { venue } : {}),
    ...(filter?.status ? { statuses: [filter.status] } : {}),
    // `openOnly: false` means "open or not", not "closed only".
    ...(filter?.openOnly ? { open: true } : {}),
  };
}

export function checkFillFilter(filter: FillFilter | null | undefined): EngineFillFilter {
  const vaultId = optionalId('filter.vaultId', filter?.vaultId);
  const venue = optionalId('filter.venue', filter?.venue);
  const clientOrderId = optionalId('filter.clientOrderId', filter?.clientOrderId);
  const since = epochOf('filter.since', filter?.since);
  return {
    ...(vaultId !== undefined ? { vaultId } : {}),
    ...(venue !== undefined ? { venue } : {}),
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    ...(since !== undefined ? { since } : {}),
  };
}

export function checkGrowthRange(from: Date | null | undefined, to: Date | null | undefined): GrowthRange {
  const start = epochOf('from', from);
  const end = epochOf('to', to);
  if (start !== undefined && end !== undefined && start > end) throw badUserInput('from', 'must not be after `to`');
  return { ...(start !== undefined ? { from: start } : {}), ...(end !== undefined ? { to: end } : {}) };
}

export function checkScope(scope: KillSwitchScopeInput): KillSwitchScope {
  if (scope.kind === 'global') {
    if (scope.id !== null && scope.id !== undefined) throw badUserInput('scope.id', 'must be left out for a GLOBAL switch');
    return { kind: 'global' };
  }
  if (scope.id === null || scope.id === undefined) {
    throw badUserInput('scope.id', `is required for a ${scope.kind.toUpperCase()} switch`);
  }
  return { kind: scope.kind, id: checkId('scope.id', scope.id) };
}

export function checkVersion(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw badUserInput(name, `must be a version (1 or more), got ${value}`);
  return value;
}

/** A reason as given, trimmed; undefined (the engine's default) when left out. */
export function checkReason(value: string | null | undefined, required = false): string | undefined {
  const reason = value?.trim() ?? '';
  if (reason === '') {
    if (required) throw badUserInput('reason', 'must not be empty');
    return undefined;
  }
  if (reason.length > MAX_REASON_LENGTH) throw badUserInput('reason', `must be at most ${MAX_REASON_LENGTH} characters`);
  return reason;
}
