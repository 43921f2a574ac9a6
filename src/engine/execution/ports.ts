/**
 * What the execution engine reads from (and hands to) the rest of Vanta. Each is a narrow port so that a
 * stage gets only what it needs; the composition root wires the vault store, the market data and the ledger.
 */
import type { OrderFilled } from './events.js';

export interface LastTrade {
  /** A positive decimal string. */
  readonly price: string;
  /** When it traded (epoch ms). */
  readonly ts: number;
}

/** The last trade per instrument: what the price collar and market-order notional are measured against. */
export interface LastPrices {
  lastTrade(instrument: string): LastTrade | null | Promise<LastTrade | null>;
}

/** What a vault may spend, as vault accounting reports it. */
export interface VaultCredit {
  /** Cash not yet committed, a decimal string. */
  readonly availableCash: string;
  /** Gross exposure allowed per unit of cash (1 for a cash account), a decimal string. */
  readonly leverage: string;
}

export interface VaultCreditPort {
  /** Null for a vault accounting does not know. */
  credit(vaultId: string): Promise<VaultCredit | null>;
}

export interface TradabilityVerdict {
  readonly tradable: boolean;
  readonly reason: string | null;
}

/** Whether an instrument may be traded on a venue now (listed, not halted, venue open for it). */
export interface Tradability {
  check(instrument: string, venue: string): TradabilityVerdict | Promise<TradabilityVerdict>;
}

/**
 * Receives every fill once it is applied to its order, so vault accounting can book it. Delivery is at least
 * once: the sink must be idempotent on the event id (ids are deterministic per venue fill).
 */
export interface FillSink {
  onFill(event: OrderFilled): Promise<void>;
}

/** Last trades kept in memory, fed from bars or trades as they arrive. */
export class MemoryLastPrices implements LastPrices {
  readonly #last = new Map<string, LastTrade>();

  /** Keeps the newer of the stored and the given trade. */
  update(instrument: string, price: string, ts: number): void {
    const prev = this.#last.get(instrument);
    if (prev && prev.ts > ts) return;
    this.#last.set(instrument, Object.freeze({ price, ts }));
  }

  lastTrade(instrument: string): LastTrade | null {
    return this.#last.get(instrument) ?? null;
  }
}

/** A fixed list of venues, with instruments that are halted or (when given) the only ones listed. */
export class StaticTradability implements Tradability {
  readonly #venues: ReadonlySet<string>;
  readonly #halted: ReadonlySet<string>;
  readonly #listed: ReadonlySet<string> | null;

  constructor(options: { readonly venues: readonly string[]; readonly halted?: readonly string[]; readonly listed?: readonly string[] }) {
    this.#venues = new Set(options.venues);
    this.#halted = new Set(options.halted ?? []);
    this.#listed = options.listed ? new Set(options.listed) : null;
  }

  check(instrument: string, venue: string): TradabilityVerdict {
    if (!this.#venues.has(venue)) return { tradable: false, reason: `venue ${venue} is not enabled` };
    if (this.#listed && !this.#listed.has(instrument)) return { tradable: false, reason: `${instrument} is not listed` };
    if (this.#halted.has(instrument)) return { tradable: false, reason: `${instrument} is halted` };
    return { tradable: true, reason: null };
  }
}
