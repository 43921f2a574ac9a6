/**
 * The other alternative data: news headlines, insider filings (equities) and whale transfers (crypto).
 *
 * - News is noise: headlines with a sentiment and no effect on the price.
 * - Insider filings: routine lone trades (mostly sales, as most real insider sales are plan-driven) are
 *   noise; clusters of several insiders buying within a short spell are informed, and the price drifts up.
 * - Whale transfers: ordinary wallet moves, withdrawals and deposits are noise; large deposits to
 *   exchanges are informed (someone is getting ready to sell: the price drifts down), and so are large
 *   withdrawals (coins leaving for cold storage: it drifts up).
 *
 * Spells are compressed for the demo: a cluster that would take days takes minutes to an hour or two.
 */
import type { Random } from '../../random.js';
import type { Instrument } from '../../types.js';
import {
  CRYPTO_NEWS_SOURCES,
  EXCHANGES,
  headline,
  INSIDER_ROLES,
  lognormal,
  NEWS_SOURCES,
  personName,
  walletAddress,
} from './text.js';
import { round, type Draft, type MutableEpisode, type SimInstrument, type StepContext } from './types.js';

export const NEWS_SOURCE = 'sim.news';
export const INSIDER_SOURCE = 'sim.sec';
export const CHAIN_SOURCE = 'sim.chain';

/** Per instrument per simulated minute. */
const NEWS_RATE = 1 / 120;
const ROUTINE_INSIDER_RATE = 1 / 600;
const INSIDER_CLUSTER_RATE = 1 / 4000;
const WHALE_NOISE_RATE = 1 / 20;
const WHALE_INFORMED_RATE = 1 / 1000;

interface Insider {
  readonly owner: string;
  readonly relationship: string;
}

interface Pending {
  readonly due: number;
  readonly make: (ctx: StepContext) => Draft;
}

export class EventsModel {
  /** Each company's insiders and its filer id, drawn once. */
  readonly #rosters = new Map<string, { readonly cik: string; readonly insiders: readonly Insider[] }>();
  /** Filings and transfers of a spell that fall in later bars. */
  #pending: Pending[] = [];

  constructor(
    private readonly instruments: readonly SimInstrument[],
    private readonly rng: Random,
  ) {
    for (const { instrument } of instruments) {
      if (instrument.assetClass !== 'equity') continue;
      const cik = String(rng.int(1_000_000, 1_999_999)).padStart(10, '0');
      const insiders = INSIDER_ROLES.map((relationship) => ({ owner: personName(rng), relationship }));
      this.#rosters.set(instrument.symbol, { cik, insiders });
    }
  }

  step(ctx: StepContext): Draft[] {
    const { rng } = this;
    const out: Draft[] = [];
    const due = this.#pending.filter((p) => p.due <= ctx.step);
    this.#pending = this.#pending.filter((p) => p.due > ctx.step);
    for (const p of due) out.push(p.make(ctx));

    for (const { instrument } of this.instruments) {
      if (rng.chance(NEWS_RATE * ctx.dtMin)) out.push(this.#news(ctx, instrument));
      if (instrument.assetClass === 'equity') this.#insiders(ctx, instrument, out);
      if (instrument.assetClass === 'crypto') this.#whales(ctx, instrument, out);
    }
    return out;
  }

  #news(ctx: StepContext, instrument: Instrument): Draft {
    const { rng } = this;
    const crypto = instrument.assetClass === 'crypto';
    const sentiment = round(-0.9 + 1.8 * rng.next(), 2);
    const episode = ctx.episode('news', instrument.symbol, sentiment >= 0 ? 1 : -1);
    return {
      tsEvent: ctx.timeIn(rng),
      source: NEWS_SOURCE,
      kind: 'news',
      instrument: instrument.symbol,
      externalId: `nw_${(1_000_000 + ctx.seq()).toString(36)}`,
      body: {
        headline: headline(rng, instrument.name, crypto, sentiment),
        source: rng.pick(crypto ? CRYPTO_NEWS_SOURCES : NEWS_SOURCES),
        sentiment,
      },
      episode,
    };
  }

  #insiders(ctx: StepContext, instrument: Instrument, out: Draft[]): void {
    const { rng } = this;
    const symbol = instrument.symbol;
    const roster = this.#rosters.get(symbol);
    if (!roster) return;
    if (rng.chance(ROUTINE_INSIDER_RATE * ctx.dtMin)) {
      const buy = rng.chance(0.15);
      const episode = ctx.episode('routine_insider', symbol, buy ? 1 : -1);
      const who = rng.pick(roster.insiders);
      out.push(this.#filing(ctx, symbol, roster.cik, who, buy ? 'P' : 'S', buy ? 150_000 : 1_500_000, episode));
    }
    if (rng.chance(INSIDER_CLUSTER_RATE * ctx.dtMin)) {
      const minutes = rng.int(60, 180);
      const total = (1.5 + rng.next()) * ctx.minuteVol(symbol) * Math.sqrt(minutes);
      const drift = { lagMinutes: rng.int(2, 5), minutes, totalLogReturn: total };
      const episode = ctx.episode('insider_cluster', symbol, 1, drift);
      // Two to four different insiders buy: the first now, the others over the next one to ninety minutes.
      const buyers = [...roster.insiders];
      for (let k = rng.int(2, 4), first = true; k > 0; k--, first = false) {
        const who = buyers.splice(rng.int(0, buyers.length - 1), 1)[0] as Insider;
        const make = (c: StepContext) => this.#filing(c, symbol, roster.cik, who, 'P', 400_000, episode);
        if (first) out.push(make(ctx));
        else this.#pending.push({ due: ctx.step + ctx.bars(rng.int(1, 90)), make });
      }
    }
  }

  #filing(
    ctx: StepContext,
    symbol: string,
    cik: string,
    who: Insider,
    code: 'P' | 'S',
    medianValue: number,
    episode: MutableEpisode,
  ): Draft {
    const { rng } = this;
    const tsEvent = ctx.timeIn(rng);
    const price = round(ctx.price(symbol) * (1 + 0.002 * rng.normal()), 2);
    const shares = Math.max(100, Math.round(lognormal(rng, medianValue, 0.8) / price / 100) * 100);
    const year = String(new Date(tsEvent).getUTCFullYear() % 100).padStart(2, '0');
    return {
      tsEvent,
      source: INSIDER_SOURCE,
      kind: 'insider_filing',
      instrument: symbol,
      // An accession number: filer id, year, sequence.
      externalId: `${cik}-${year}-${String(ctx.seq() % 1_000_000).padStart(6, '0')}`,
      body: {
        owner: who.owner,
        relationship: who.relationship,
        transactionCode: code,
        shares,
        price,
        value: round(shares * price, 2),
      },
      episode,
    };
  }

  #whales(ctx: StepContext, instrument: Instrument, out: Draft[]): void {
    const { rng } = this;
    const symbol = instrument.symbol;
    // Bigger coins move bigger sums.
    const scale = symbol === 'BTC-USD' ? 3 : symbol === 'ETH-USD' ? 2 : 1;
    if (rng.chance(WHALE_NOISE_RATE * ctx.dtMin)) {
      const r = rng.next();
      const direction = r < 0.4 ? 'wallet' : r < 0.75 ? 'withdrawal' : 'deposit';
      // Ordinary transfers stay under $10M (times the coin's scale); informed deposits are larger.
      const amountUsd = Math.min(lognormal(rng, 2_500_000 * scale, 0.7), 10_000_000 * scale);
      const episode =
        direction === 'wallet' ? undefined : ctx.episode('whale_noise', symbol, direction === 'deposit' ? -1 : 1);
      out.push(this.#transfer(ctx, instrument, direction, amountUsd, episode));
    }
    if (rng.chance(WHALE_INFORMED_RATE * ctx.dtMin)) {
      // Half are deposits ahead of selling, half withdrawals into cold storage ahead of a rise.
      const polarity = rng.chance(0.5) ? -1 : 1;
      const minutes = rng.int(30, 90);
      const total = polarity * (1 + rng.next()) * ctx.minuteVol(symbol) * Math.sqrt(minutes);
      const kind = polarity < 0 ? 'whale_deposit' : 'whale_withdrawal';
      const drift = { lagMinutes: rng.int(2, 5), minutes, totalLogReturn: total };
      const episode = ctx.episode(kind, symbol, polarity, drift);
      for (let k = rng.int(1, 3), first = true; k > 0; k--, first = false) {
        const amountUsd = (25_000_000 + 95_000_000 * rng.next()) * scale;
        const direction = polarity < 0 ? 'deposit' : 'withdrawal';
        const make = (c: StepContext) => this.#transfer(c, instrument, direction, amountUsd, episode);
        if (first) out.push(make(ctx));
        else this.#pending.push({ due: ctx.step + ctx.bars(rng.int(1, 5)), make });
      }
    }
  }

  #transfer(
    ctx: StepContext,
    instrument: Instrument,
    direction: 'wallet' | 'withdrawal' | 'deposit',
    amountUsd: number,
    episode: MutableEpisode | undefined,
  ): Draft {
    const { rng } = this;
    const bitcoin = instrument.symbol === 'BTC-USD';
    const wallet = () => walletAddress(rng, bitcoin);
    const exchange = () => rng.pick(EXCHANGES);
    const from = direction === 'withdrawal' ? exchange() : wallet();
    const to = direction === 'deposit' ? exchange() : wallet();
    let hash = bitcoin ? '' : '0x';
    for (let i = 0; i < 4; i++) hash += rng.int(0, 0xffff_ffff).toString(16).padStart(8, '0');
    hash += String(ctx.seq()).padStart(32, '0');
    return {
      tsEvent: ctx.timeIn(rng),
      source: CHAIN_SOURCE,
      kind: 'whale_transfer',
      instrument: instrument.symbol,
      externalId: hash,
      body: {
        from,
        to,
        amount: round(amountUsd / ctx.price(instrument.symbol), 4),
        amountUsd: Math.round(amountUsd),
        toExchange: direction === 'deposit',
        fromExchange: direction === 'withdrawal',
      },
      ...(episode ? { episode } : {}),
    };
  }
}
