/**
 * What the allocator needs of the market, kept from the bars as they pass: the last close of each instrument
 * (a decimal string, as the bar stated it) and an annualized volatility estimate.
 *
 * Volatility is an exponentially weighted mean of squared bar log returns (RiskMetrics' λ = 0.94 per bar),
 * annualized by the bar length over a trading year: 252 days of 6.5 hours for equities and indices, 365 days of
 * 24 hours for crypto, which never closes. Until a few bars have been seen, the asset class's typical level
 * stands in, so a new instrument is neither free of risk nor infinitely risky.
 */
import type { AssetClass, Bar } from '../types.js';
import type { MarketSnapshot } from './allocator.js';

const LAMBDA = 0.94;
const MIN_BARS = 5;
const TYPICAL_VOL: Record<AssetClass, number> = { equity: 0.3, index: 0.18, crypto: 0.7 };
const YEAR_MS: Record<AssetClass, number> = { equity: 252 * 6.5 * 3_600_000, index: 252 * 6.5 * 3_600_000, crypto: 365 * 86_400_000 };

interface Entry {
  close: number;
  closeText: string;
  variance: number;
  bars: number;
  intervalMs: number;
}

export class MarketBook {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly assetClassOf: (instrument: string) => AssetClass | undefined) {}

  onBar(instrument: string, bar: Bar): void {
    if (!(bar.close > 0)) return;
    const e = this.#entries.get(instrument);
    const closeText = String(bar.close);
    if (!e) {
      this.#entries.set(instrument, { close: bar.close, closeText, variance: 0, bars: 0, intervalMs: bar.intervalMs > 0 ? bar.intervalMs : 60_000 });
      return;
    }
    const r = Math.log(bar.close / e.close);
    e.variance = e.bars === 0 ? r * r : LAMBDA * e.variance + (1 - LAMBDA) * r * r;
    e.bars += 1;
    e.close = bar.close;
    e.closeText = closeText;
    if (bar.intervalMs > 0) e.intervalMs = bar.intervalMs;
  }

  price(instrument: string): string | null {
    return this.#entries.get(instrument)?.closeText ?? null;
  }

  volatility(instrument: string): number {
    const cls = this.assetClassOf(instrument) ?? 'equity';
    const e = this.#entries.get(instrument);
    if (!e || e.bars < MIN_BARS) return TYPICAL_VOL[cls];
    return Math.sqrt(e.variance * (YEAR_MS[cls] / e.intervalMs));
  }

  snapshot(): MarketSnapshot {
    const prices: Record<string, string> = {};
    const volatility: Record<string, number> = {};
    for (const [instrument, e] of [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      prices[instrument] = e.closeText;
      volatility[instrument] = this.volatility(instrument);
    }
    return { prices, volatility };
  }
}
