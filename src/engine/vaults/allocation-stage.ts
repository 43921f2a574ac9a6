/**
 * The allocation stage: conviction becomes order intents. It keeps the active conviction of each instrument
 * (the latest, until it expires) and, on each new conviction, asks every open vault for its plan against the
 * active convictions and the market, then publishes each planned order as an `OrderIntentCreated` event on
 * `orders.intent`, caused by the conviction. The intake stage persists them in the autotrade queue.
 *
 * A vault's plan is not asked for an instrument the vault still has an order working on: the allocator plans
 * from positions, and would plan the same trade again before the first one filled.
 */
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import { clientOrderIdOf, type OrderIntent } from '../execution/broker.js';
import type { Stage } from '../stage.js';
import type { ConvictionScored, ConvictionVector, EventEnvelope } from '../types.js';
import type { MarketBook } from './market-book.js';
import type { VaultService } from './service.js';

export type OrderIntentCreated = EventEnvelope<'OrderIntentCreated', OrderIntent & { readonly clientOrderId: string }>;

export interface AllocationPorts {
  readonly service: VaultService;
  readonly market: MarketBook;
  readonly clock: Clock;
  /** Instruments a vault has an order working on (not yet filled, canceled or rejected). */
  readonly working: (vaultId: string) => Promise<ReadonlySet<string>>;
  readonly publish: (events: readonly OrderIntentCreated[]) => Promise<void>;
  /** Told of a vault whose plan failed (bad market data, a conflict): the others still trade. */
  readonly onError?: (vaultId: string, error: unknown) => void;
}

export class AllocationStage implements Stage<typeof Topics.convictions> {
  readonly name = 'vault-allocation';
  readonly input = Topics.convictions;
  readonly #active = new Map<string, ConvictionVector>();
  /** When each recent conviction expires: the ledger books a fill with it, for the vault's TTL rule. */
  readonly #expiries = new Map<string, number>();

  constructor(private readonly ports: AllocationPorts) {}

  /** The expiry of a conviction this stage saw (the most recent 20,000), else null. */
  expiryOf(convictionId: string): number | null {
    return this.#expiries.get(convictionId) ?? null;
  }

  async handle(event: ConvictionScored): Promise<void> {
    const now = this.ports.clock.now();
    this.#active.set(event.payload.instrument, event.payload);
    this.#expiries.set(event.payload.id, event.payload.expiresAt);
    if (this.#expiries.size > 20_000) this.#expiries.delete(this.#expiries.keys().next().value as string);
    for (const [symbol, v] of this.#active) if (v.expiresAt <= now) this.#active.delete(symbol);
    const convictions = [...this.#active.values()].sort((a, b) => (a.instrument < b.instrument ? -1 : 1));
    const market = this.ports.market.snapshot();
    const out: OrderIntentCreated[] = [];
    for (const vault of await this.ports.service.listVaults()) {
      if (vault.config.status === 'closed') continue;
      try {
        const working = await this.ports.working(vault.id);
        const { intents } = await this.ports.service.allocate(vault.id, convictions, market, now);
        for (const intent of intents) {
          if (working.has(intent.instrument)) continue;
          const clientOrderId = clientOrderIdOf(intent);
          out.push({
            id: eventId('int', clientOrderId),
            type: 'OrderIntentCreated',
            tsEvent: event.tsEvent,
            tsInit: now,
            causationIds: intent.convictionId ? [intent.convictionId] : [event.id],
            payload: { ...intent, clientOrderId },
          });
        }
      } catch (error) {
        this.ports.onError?.(vault.id, error);
      }
    }
    if (out.length > 0) await this.ports.publish(out);
  }
}
