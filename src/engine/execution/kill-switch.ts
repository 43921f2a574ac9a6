/**
 * Kill switches: global, per vault, per venue. Engaging one is stored first (so the risk check, which reads
 * the store before every order, blocks new orders at once, in every process), then announced as a
 * KillSwitchChanged event, then the open orders it covers are cancelled. Releasing only stores and announces.
 */
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { CancelSweep } from './cancellation.js';
import type { ExecutionPublisher, KillSwitchChanged } from './events.js';
import { scopeKey, type KillSwitchScope, type KillSwitchState, type KillSwitchStore } from './kill-switch-store.js';

export interface KillSwitchOptions {
  readonly store: KillSwitchStore;
  readonly clock: Clock;
  readonly publish: ExecutionPublisher;
  /** Cancels the open orders a scope covers (Executor.cancelOpenOrders). */
  readonly cancelCovered: (scope: KillSwitchScope, actor: string, reason: string) => Promise<CancelSweep>;
}

export interface KillSwitchChange {
  /** Null when the switch was already in the state asked for: nothing changed, nothing was announced. */
  readonly event: KillSwitchChanged | null;
  readonly state: KillSwitchState;
  /** The cancel sweep, for an engage. */
  readonly sweep: CancelSweep | null;
}

export class KillSwitches {
  constructor(private readonly o: KillSwitchOptions) {}

  async engage(scope: KillSwitchScope, actor: string, reason: string): Promise<KillSwitchChange> {
    const change = await this.#set(scope, true, actor, reason);
    // Swept even when already engaged: an order may have slipped through before the first sweep finished.
    const sweep = await this.o.cancelCovered(scope, `kill-switch:${change.state.key}`, reason);
    return { ...change, sweep };
  }

  async release(scope: KillSwitchScope, actor: string, reason: string): Promise<KillSwitchChange> {
    return { ...(await this.#set(scope, false, actor, reason)), sweep: null };
  }

  list(): Promise<readonly KillSwitchState[]> {
    return this.o.store.list();
  }

  async #set(scope: KillSwitchScope, engaged: boolean, actor: string, reason: string): Promise<Omit<KillSwitchChange, 'sweep'>> {
    const key = scopeKey(scope);
    const before = await this.o.store.get(key);
    if (before && before.engaged === engaged) return { event: null, state: before };
    if (!before && !engaged) {
      // Never engaged: releasing it changes nothing.
      return { event: null, state: Object.freeze({ key, scope, engaged, actor, reason, changedAt: this.o.clock.now() }) };
    }
    const now = this.o.clock.now();
    const state: KillSwitchState = Object.freeze({ key, scope: Object.freeze({ ...scope }), engaged, actor, reason, changedAt: now });
    await this.o.store.put(state);
    const event: KillSwitchChanged = Object.freeze({
      id: eventId('ks', key, engaged, now, actor, before?.changedAt ?? null),
      type: 'KillSwitchChanged',
      tsEvent: now,
      tsInit: now,
      causationIds: [],
      payload: Object.freeze({ scope: state.scope, key, engaged, actor, reason }),
    });
    await this.o.publish(event);
    return { event, state };
  }
}
