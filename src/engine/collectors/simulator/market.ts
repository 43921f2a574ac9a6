/**
 * The market: 1-minute bars for every instrument from a factor model with GARCH(1,1) variances and jumps.
 *
 *   r_i = drift_i − κ·(log P_i − log P_i,0) + β_i·F_market + S_sector + ε_i + J_i
 *
 * - F_market is the equity market factor for equities and the crypto market factor for crypto (the two are
 *   correlated at 0.3); S_sector is a factor per equity sector. Shared factors make moves correlated.
 * - Every factor and every ε_i has its own GARCH(1,1) variance, h_t = ω + α·e²_{t−1} + β·h_{t−1}, with
 *   ω = h̄·(1 − α − β) so the long-run variance is h̄. α + β close to 1 gives volatility clustering
 *   (squared returns autocorrelated over tens of bars) while returns themselves stay uncorrelated.
 * - J_i is a Poisson jump with a fat-tailed size (3σ plus an exponential), the source of the heavy tails.
 * - κ pulls the log price back toward its start with a half-life of weeks: invisible minute to minute,
 *   but it keeps a demo that runs for days from wandering off to absurd prices.
 * - drift_i is what the alt-data models plant: informed episodes move the price their way.
 */
import type { Random } from '../../random.js';
import type { Bar } from '../../types.js';
import { round, type SimInstrument } from './types.js';

/** The simulator's minutes are trading minutes: annual volatility is spread over 252 days of 390 minutes. */
export const MINUTES_PER_YEAR = 252 * 390;

interface GarchParams {
  readonly alpha: number;
  readonly beta: number;
}
/** Idiosyncratic variance: persistence 0.98 per bar, a half-life of about 34 bars. */
const IDIO_GARCH: GarchParams = { alpha: 0.1, beta: 0.88 };
/** Factors: calmer reaction, longer memory (persistence 0.985, half-life about 46 bars). */
const FACTOR_GARCH: GarchParams = { alpha: 0.07, beta: 0.91 };

const EQUITY_MARKET_VOL = 0.16;
const CRYPTO_MARKET_VOL = 0.5;
const SECTOR_VOL = 0.1;
/** Correlation of the crypto market factor with the equity market factor. */
const CRYPTO_EQUITY_CORR = 0.3;
/** The idiosyncratic part keeps at least this share of an instrument's variance. */
const MIN_IDIO_SHARE = 0.25;
/** Jumps per simulated minute, per instrument. */
const JUMP_RATE = { equity: 0.0005, crypto: 0.001 } as const;
const MAX_JUMP = 0.12;
/** Half-life of the pull toward the starting price, in simulated minutes (10 days). */
const REVERSION_HALF_LIFE_MIN = 10 * 24 * 60;

class Garch {
  h: number;
  readonly #omega: number;
  constructor(
    readonly hBar: number,
    readonly p: GarchParams,
  ) {
    this.h = hBar;
    this.#omega = hBar * (1 - p.alpha - p.beta);
  }
  /** Moves the variance on after a shock e; a shock is capped at 5 long-run sigmas so one jump cannot blow it up. */
  update(e: number): void {
    const e2 = Math.min(e * e, 25 * this.hBar);
    this.h = this.#omega + this.p.alpha * e2 + this.p.beta * this.h;
  }
}

interface InstrumentState {
  readonly symbol: string;
  readonly crypto: boolean;
  readonly sector: string;
  readonly beta: number;
  readonly baseVolume: number;
  /** Base per-bar volatility (the long-run total). */
  readonly sigma: number;
  readonly idio: Garch;
  readonly logP0: number;
  logP: number;
  /** The last emitted (rounded) close: the next bar's open. */
  lastClose: number;
}

export interface BarOut {
  readonly symbol: string;
  readonly bar: Bar;
  /** The bar's log return, unrounded. */
  readonly logReturn: number;
}

/** Rounds a price to what a venue would print: cents for equities, six significant digits for crypto. */
export function roundPrice(price: number, crypto: boolean): number {
  if (!crypto) return round(price, 2);
  return round(price, Math.max(2, 5 - Math.floor(Math.log10(price))));
}

export class MarketModel {
  readonly #states: InstrumentState[];
  readonly #bySymbol = new Map<string, InstrumentState>();
  readonly #equityMarket: Garch;
  readonly #cryptoMarket: Garch;
  readonly #sectors = new Map<string, Garch>();
  readonly #sectorNames: string[];
  readonly #kappa: number;
  readonly #dtMin: number;

  constructor(
    instruments: readonly SimInstrument[],
    private readonly rng: Random,
    barMs: number,
  ) {
    this.#dtMin = barMs / 60_000;
    // Annual variance → per-bar variance.
    const perBar = (annualVol: number) => (annualVol * annualVol * this.#dtMin) / MINUTES_PER_YEAR;
    this.#equityMarket = new Garch(perBar(EQUITY_MARKET_VOL), FACTOR_GARCH);
    this.#cryptoMarket = new Garch(perBar(CRYPTO_MARKET_VOL), FACTOR_GARCH);
    this.#kappa = 1 - 0.5 ** (this.#dtMin / REVERSION_HALF_LIFE_MIN);
    this.#states = instruments.map(({ instrument, params }) => {
      const crypto = instrument.assetClass === 'crypto';
      const total = perBar(params.vol);
      const factors =
        params.beta * params.beta * (crypto ? this.#cryptoMarket.hBar : this.#equityMarket.hBar) +
        (crypto ? 0 : perBar(SECTOR_VOL));
      if (!crypto && !this.#sectors.has(instrument.sector)) {
        this.#sectors.set(instrument.sector, new Garch(perBar(SECTOR_VOL), FACTOR_GARCH));
      }
      const logP0 = Math.log(params.price);
      const state: InstrumentState = {
        symbol: instrument.symbol,
        crypto,
        sector: instrument.sector,
        beta: params.beta,
        baseVolume: params.volume * this.#dtMin,
        sigma: Math.sqrt(total),
        idio: new Garch(Math.max(total - factors, MIN_IDIO_SHARE * total), IDIO_GARCH),
        logP0,
        logP: logP0,
        lastClose: roundPrice(params.price, crypto),
      };
      this.#bySymbol.set(instrument.symbol, state);
      return state;
    });
    this.#sectorNames = [...this.#sectors.keys()].sort();
  }

  /** The last close of an instrument. */
  price(symbol: string): number {
    return this.#state(symbol).lastClose;
  }

  /** Base volatility of an instrument's log returns over one simulated minute. */
  minuteVol(symbol: string): number {
    return this.#state(symbol).sigma / Math.sqrt(this.#dtMin);
  }

  /**
   * Simulates one bar for every instrument, in universe order. `drift` holds the planted log return per
   * symbol for this bar; instruments under a planted drift also trade a little more (informed flow).
   */
  step(drift: ReadonlyMap<string, number>): BarOut[] {
    const { rng } = this;
    const zEquity = rng.normal();
    const eEquity = Math.sqrt(this.#equityMarket.h) * zEquity;
    const zCrypto = CRYPTO_EQUITY_CORR * zEquity + Math.sqrt(1 - CRYPTO_EQUITY_CORR ** 2) * rng.normal();
    const eCrypto = Math.sqrt(this.#cryptoMarket.h) * zCrypto;
    const eSector = new Map<string, number>();
    for (const name of this.#sectorNames) {
      const g = this.#sectors.get(name) as Garch;
      eSector.set(name, Math.sqrt(g.h) * rng.normal());
    }

    const out: BarOut[] = [];
    for (const s of this.#states) {
      const idioSd = Math.sqrt(s.idio.h);
      let shock = idioSd * rng.normal();
      if (rng.chance(JUMP_RATE[s.crypto ? 'crypto' : 'equity'] * this.#dtMin)) {
        // Fat-tailed jump: at least 3 base sigmas, plus an exponential with mean 3 sigmas.
        const size = s.sigma * (3 - 2 * Math.log(1 - rng.next()));
        shock += (rng.chance(0.5) ? 1 : -1) * Math.min(size, MAX_JUMP);
      }
      const planted = drift.get(s.symbol) ?? 0;
      const factor = s.crypto ? s.beta * eCrypto : s.beta * eEquity + (eSector.get(s.sector) ?? 0);
      const r = planted - this.#kappa * (s.logP - s.logP0) + factor + shock;
      s.idio.update(shock);
      s.logP += r;
      out.push({ symbol: s.symbol, bar: this.#bar(s, r, planted !== 0), logReturn: r });
    }

    this.#equityMarket.update(eEquity);
    this.#cryptoMarket.update(eCrypto);
    for (const name of this.#sectorNames) (this.#sectors.get(name) as Garch).update(eSector.get(name) ?? 0);
    return out;
  }

  #bar(s: InstrumentState, r: number, informedFlow: boolean): Bar {
    const { rng } = this;
    const open = s.lastClose;
    const closeRaw = Math.exp(s.logP);
    const close = roundPrice(closeRaw, s.crypto);
    // The bar's current volatility (idiosyncratic GARCH scaled to the total) sets how far it strays
    // beyond open and close: a crude stand-in for the max and min of a Brownian bridge.
    const volNow = Math.sqrt(s.idio.h / s.idio.hBar) * s.sigma;
    const above = Math.max(open, closeRaw) * Math.exp(0.5 * volNow * Math.abs(rng.normal()));
    const below = Math.min(open, closeRaw) * Math.exp(-0.5 * volNow * Math.abs(rng.normal()));
    const high = Math.max(open, close, roundPrice(above, s.crypto));
    const low = Math.min(open, close, roundPrice(below, s.crypto));
    // Volume rises with the volatility regime and with the size of the move; lognormal noise has mean 1.
    const activity = 0.4 + 0.6 * (volNow / s.sigma) + 0.5 * Math.min(Math.abs(r) / s.sigma, 8);
    const noise = Math.exp(0.35 * rng.normal() - 0.06125);
    const raw = (s.baseVolume * activity * noise * (informedFlow ? 1.3 : 1)) / 1.4;
    const volume = s.crypto ? round(raw, 4) : Math.round(raw);
    s.lastClose = close;
    return { open, high, low, close, volume, intervalMs: Math.round(this.#dtMin * 60_000) };
  }

  #state(symbol: string): InstrumentState {
    const s = this.#bySymbol.get(symbol);
    if (!s) throw new Error(`unknown instrument ${symbol}`);
    return s;
  }
}
