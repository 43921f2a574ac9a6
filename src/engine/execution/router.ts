/** Which broker takes an order: one per venue, as vaults route their instruments (`paper` by default). */
import type { Broker } from './broker.js';
import { ExecutionError } from './errors.js';

export class BrokerRouter {
  readonly #brokers: ReadonlyMap<string, Broker>;

  constructor(brokers: readonly Broker[]) {
    const map = new Map<string, Broker>();
    for (const b of brokers) {
      if (map.has(b.venue)) throw new ExecutionError('INVALID_CONFIG', `two brokers for venue ${b.venue}`);
      map.set(b.venue, b);
    }
    this.#brokers = map;
  }

  has(venue: string): boolean {
    return this.#brokers.has(venue);
  }

  route(venue: string): Broker {
    const b = this.#brokers.get(venue);
    if (!b) throw new ExecutionError('VENUE_NOT_ROUTED', `no broker for venue ${venue}`);
    return b;
  }

  venues(): readonly string[] {
    return [...this.#brokers.keys()].sort();
  }
}
