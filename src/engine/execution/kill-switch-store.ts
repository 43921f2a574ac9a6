/**
 * Kill switch state as a port, so that it survives a restart (a SQL implementation runs the same contract
 * suite, kill-switch-store.contract.ts). One row per scope; releasing keeps the row with `engaged: false`, so
 * the store always says who last changed a switch and why.
 */
import { ExecutionError } from './errors.js';

export type KillSwitchScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'vault'; readonly id: string }
  | { readonly kind: 'venue'; readonly id: string };

export interface KillSwitchState {
  readonly key: string;
  readonly scope: KillSwitchScope;
  readonly engaged: boolean;
  readonly actor: string;
  readonly reason: string;
  readonly changedAt: number;
}

export interface KillSwitchStore {
  get(key: string): Promise<KillSwitchState | null>;
  /** Every switch ever set, by key. */
  list(): Promise<readonly KillSwitchState[]>;
  /** Engaged switches only: what the risk check reads before every order. */
  engaged(): Promise<readonly KillSwitchState[]>;
  put(state: KillSwitchState): Promise<void>;
}

export const GLOBAL_SCOPE: KillSwitchScope = Object.freeze({ kind: 'global' });

export function scopeKey(scope: KillSwitchScope): string {
  if (scope.kind === 'global') return 'global';
  if (!scope.id) throw new ExecutionError('INVALID_CONFIG', `a ${scope.kind} kill switch needs an id`);
  return `${scope.kind}:${scope.id}`;
}

/** Whether a switch of this scope covers an order of this vault and venue. */
export function covers(scope: KillSwitchScope, order: { readonly vaultId: string; readonly venue: string }): boolean {
  if (scope.kind === 'global') return true;
  if (scope.kind === 'vault') return scope.id === order.vaultId;
  return scope.id === order.venue;
}

export class MemoryKillSwitchStore implements KillSwitchStore {
  readonly #rows = new Map<string, KillSwitchState>();

  async get(key: string): Promise<KillSwitchState | null> {
    return this.#rows.get(key) ?? null;
  }
  async list(): Promise<readonly KillSwitchState[]> {
    return [...this.#rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  async engaged(): Promise<readonly KillSwitchState[]> {
    return (await this.list()).filter((s) => s.engaged);
  }
  async put(state: KillSwitchState): Promise<void> {
    if (state.key !== scopeKey(state.scope)) {
      throw new ExecutionError('INVALID_CONFIG', `kill switch key ${state.key} does not match its scope`);
    }
    this.#rows.set(state.key, Object.freeze({ ...state, scope: Object.freeze({ ...state.scope }) }));
  }
}
