/**
 * The simulator's pure core: given a seed and a sequence of bar end times, it produces the same events,
 * byte for byte. No timers, no wall clock, no Math.random: the collector drives it, and so can a test.
 *
 * Each step simulates one bar [tsMs − barMs, tsMs) for every instrument. Alt-data events fall inside the
 * bar; the bar itself is stamped with its end (the moment it is complete). Episodes planted in a step
 * move prices from a later bar on (never the current one), so informed signals truly lead.
 */
import { eventId } from '../../canonical.js';
import { Random } from '../../random.js';
import type { Instrument, RawSignal, SignalIngested } from '../../types.js';
import { SIM_PARAMS, UNIVERSE } from '../universe.js';
import { EventsModel } from './events.js';
import { MarketModel } from './market.js';
import { SocialModel } from './social.js';
import {
  NOISE_HORIZON_MINUTES,
  type Draft,
  type Drift,
  type Episode,
  type EpisodeKind,
  type MutableEpisode,
  type SimInstrument,
  type StepContext,
} from './types.js';

export const MARKET_SOURCE = 'sim.market';

export interface SimulatorOptions {
  readonly seed: number;
  /** Simulated length of a bar. Defaults to one minute. */
  readonly barMs?: number;
  /** Which instruments to simulate (each needs simulation parameters). Defaults to the whole universe. */
  readonly instruments?: readonly Instrument[];
  /** How many episodes of ground truth to keep; the oldest are dropped beyond it. Defaults to 50,000. */
  readonly maxEpisodes?: number;
}

export class SimulatorCore {
  readonly barMs: number;
  readonly instruments: readonly Instrument[];
  readonly #market: MarketModel;
  readonly #social: SocialModel;
  readonly #events: EventsModel;
  readonly #maxEpisodes: number;
  /** Planted drift by step index, then by symbol (log return for that bar). */
  readonly #drift = new Map<number, Map<string, number>>();
  #episodes: MutableEpisode[] = [];
  #episodeCount = 0;
  #step = 0;
  #seq = 0;
  #lastTs: number | null = null;

  constructor(options: SimulatorOptions) {
    this.barMs = options.barMs ?? 60_000;
    if (!(this.barMs >= 1000)) throw new Error(`barMs must be at least 1000, got ${this.barMs}`);
    this.instruments = options.instruments ?? UNIVERSE;
    this.#maxEpisodes = options.maxEpisodes ?? 50_000;
    const sims: SimInstrument[] = this.instruments.map((instrument) => {
      const params = SIM_PARAMS.get(instrument.symbol);
      if (!params) throw new Error(`no simulation parameters for ${instrument.symbol}`);
      return { instrument, params };
    });
    // Each part draws from its own stream, so adding a draw to one part leaves the others unchanged.
    const root = new Random(options.seed);
    const marketRng = root.fork('market');
    const socialRng = root.fork('social');
    const eventsRng = root.fork('events');
    this.#market = new MarketModel(sims, marketRng, this.barMs);
    this.#social = new SocialModel(sims, socialRng);
    this.#events = new EventsModel(sims, eventsRng);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.#step;
  }

  /** End time of the last bar simulated, or null before the first step. */
  get lastTs(): number | null {
    return this.#lastTs;
  }

  /** Ground truth: every episode planted (informed and noise), oldest first, up to `maxEpisodes`. */
  get episodes(): readonly Episode[] {
    return this.#episodes;
  }

  /** Ground truth: the informed episodes, whose signals lead a planted drift. */
  get plantedEffects(): readonly Episode[] {
    return this.#episodes.filter((e) => e.informed);
  }

  /** Last close of an instrument. */
  price(symbol: string): number {
    return this.#market.price(symbol);
  }

  /**
   * Simulates the bar ending at `tsMs` and returns its events in a fixed order (time, instrument, kind,
   * external id). `tsInit` is the time the envelopes say the events were seen; it defaults to `tsMs`.
   */
  step(tsMs: number, tsInit: number = tsMs): SignalIngested[] {
    if (!Number.isSafeInteger(tsMs)) throw new Error(`step time must be integer epoch ms, got ${tsMs}`);
    if (this.#lastTs !== null && tsMs <= this.#lastTs) {
      throw new Error(`step times must increase: ${tsMs} after ${this.#lastTs}`);
    }
    this.#lastTs = tsMs;
    const k = ++this.#step;
    const ctx = this.#context(k, tsMs);

    // Alt data first: what it plants starts at k + 1 or later, so it cannot touch this bar.
    const drafts: Draft[] = [...this.#social.step(ctx), ...this.#events.step(ctx)];
    const drift = this.#drift.get(k) ?? new Map<string, number>();
    this.#drift.delete(k);
    for (const { symbol, bar } of this.#market.step(drift)) {
      drafts.push({
        tsEvent: tsMs,
        source: MARKET_SOURCE,
        kind: 'bar',
        instrument: symbol,
        externalId: `${symbol}:${tsMs - this.barMs}`,
        body: { ...bar },
      });
    }

    drafts.sort(compareDrafts);
    return drafts.map((d) => {
      const id = eventId('sig', d.source, d.kind, d.externalId, d.tsEvent);
      d.episode?.eventIds.push(id);
      const payload: RawSignal = Object.freeze({
        source: d.source,
        kind: d.kind,
        instrument: d.instrument,
        externalId: d.externalId,
        body: Object.freeze(d.body),
      });
      return Object.freeze({ id, type: 'SignalIngested', tsEvent: d.tsEvent, tsInit, causationIds: [], payload });
    });
  }

  #context(k: number, tsEnd: number): StepContext {
    const { barMs } = this;
    const tsStart = tsEnd - barMs;
    return {
      step: k,
      tsStart,
      tsEnd,
      barMs,
      dtMin: barMs / 60_000,
      price: (symbol) => this.#market.price(symbol),
      minuteVol: (symbol) => this.#market.minuteVol(symbol),
      bars: (minutes) => this.#bars(minutes),
      timeIn: (rng) => tsStart + Math.floor(rng.next() * barMs),
      seq: () => ++this.#seq,
      episode: (kind, instrument, polarity, drift) => this.#plant(k, tsEnd, kind, instrument, polarity, drift),
    };
  }

  #bars(minutes: number): number {
    return Math.max(1, Math.round((minutes * 60_000) / this.barMs));
  }

  #plant(
    k: number,
    tsEnd: number,
    kind: EpisodeKind,
    instrument: string,
    polarity: 1 | -1,
    drift: Drift | undefined,
  ): MutableEpisode {
    const lag = drift ? this.#bars(drift.lagMinutes) : 1;
    const bars = this.#bars(drift ? drift.minutes : NOISE_HORIZON_MINUTES);
    if (drift) {
      const perBar = drift.totalLogReturn / bars;
      for (let j = k + lag; j < k + lag + bars; j++) {
        let m = this.#drift.get(j);
        if (!m) this.#drift.set(j, (m = new Map()));
        m.set(instrument, (m.get(instrument) ?? 0) + perBar);
      }
    }
    const episode: MutableEpisode = {
      id: `ep_${++this.#episodeCount}`,
      kind,
      instrument,
      informed: drift !== undefined,
      polarity,
      startTs: tsEnd,
      effectFromTs: tsEnd + lag * this.barMs,
      effectToTs: tsEnd + (lag + bars - 1) * this.barMs,
      driftLogReturn: drift?.totalLogReturn ?? 0,
      eventIds: [],
    };
    this.#episodes.push(episode);
    if (this.#episodes.length > this.#maxEpisodes) {
      this.#episodes = this.#episodes.slice(Math.floor(this.#maxEpisodes / 4));
    }
    return episode;
  }
}

function compareDrafts(a: Draft, b: Draft): number {
  return (
    a.tsEvent - b.tsEvent ||
    cmp(a.instrument, b.instrument) ||
    cmp(a.kind, b.kind) ||
    cmp(a.externalId, b.externalId)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
