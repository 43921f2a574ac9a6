/**
 * Types shared by the simulator's parts: the draft of a signal before it gets its envelope, the ground
 * truth of what was planted, and the context each alt-data model sees during a step.
 */
import type { Random } from '../../random.js';
import type { Instrument, RawSignal, SignalKind } from '../../types.js';
import type { SimParams } from '../universe.js';

/** A signal the simulator will emit, before its envelope. */
export interface Draft {
  readonly tsEvent: number;
  readonly source: string;
  readonly kind: SignalKind;
  readonly instrument: string;
  readonly externalId: string;
  readonly body: RawSignal['body'];
  /** The episode this signal belongs to, if any; its event id is appended to the episode's ground truth. */
  readonly episode?: MutableEpisode;
}

export type EpisodeKind =
  /** Informed: several insiders buy within a short time; the price drifts up afterwards. */
  | 'insider_cluster'
  /** Informed: an organic wave of mentions with a shared sentiment; the price drifts its way. */
  | 'mention_wave'
  /** Informed: large deposits of a coin to exchanges; the price drifts down. */
  | 'whale_deposit'
  /** Informed: large withdrawals from exchanges into wallets (accumulation); the price drifts up. */
  | 'whale_withdrawal'
  /** Noise: a burst of near-identical posts from new, low-follower accounts. */
  | 'bot_swarm'
  /** Noise: a headline with a sentiment and no effect. */
  | 'news'
  /** Noise: a lone, routine insider trade. */
  | 'routine_insider'
  /** Noise: an ordinary exchange deposit or withdrawal. */
  | 'whale_noise';

/**
 * Ground truth about one planted episode. Never part of an emitted event: tests and model evaluation
 * read it from `SimulatorCore.episodes`.
 */
export interface Episode {
  readonly id: string;
  readonly kind: EpisodeKind;
  readonly instrument: string;
  /** True when the episode moves the price (its signals lead); false for noise. */
  readonly informed: boolean;
  /** The direction its signals suggest: +1 up, -1 down. */
  readonly polarity: 1 | -1;
  /** End of the bar in which the episode began: the close to measure forward returns from. */
  readonly startTs: number;
  /** End of the first bar that carries the planted drift (for noise: the bar after `startTs`). */
  readonly effectFromTs: number;
  /** End of the last bar that carries the drift (for noise: the same horizon an informed one would have). */
  readonly effectToTs: number;
  /** Total log return planted over the effect window; 0 for noise. */
  readonly driftLogReturn: number;
  /** Ids of the emitted events that belong to the episode, in emission order. */
  readonly eventIds: readonly string[];
}

export interface MutableEpisode extends Omit<Episode, 'eventIds'> {
  readonly eventIds: string[];
}

/** What an alt-data model may read and do during one step. */
export interface StepContext {
  /** 1 for the first step. */
  readonly step: number;
  /** The bar being simulated covers [tsStart, tsEnd); alt-data events fall inside it. */
  readonly tsStart: number;
  readonly tsEnd: number;
  readonly barMs: number;
  /** The bar length in minutes; rates are per simulated minute. */
  readonly dtMin: number;
  /** The last close of an instrument (before this step's bar). */
  price(symbol: string): number;
  /** The instrument's base volatility of log returns over one minute. */
  minuteVol(symbol: string): number;
  /** Whole bars (at least 1) covering `minutes` simulated minutes. */
  bars(minutes: number): number;
  /** A uniform time inside the bar. */
  timeIn(rng: Random): number;
  /**
   * Records an episode starting in this step. When `drift` is given, the price of the instrument gets
   * `totalLogReturn` spread evenly over `minutes`, starting `lagMinutes` later (at least one bar after this
   * one). Times are in simulated minutes, so the effect is the same whatever the bar length.
   */
  episode(
    kind: EpisodeKind,
    instrument: string,
    polarity: 1 | -1,
    drift?: Drift,
  ): MutableEpisode;
  /** A number unique within the core, for external ids. */
  seq(): number;
}

export interface SimInstrument {
  readonly instrument: Instrument;
  readonly params: SimParams;
}

export interface Drift {
  readonly lagMinutes: number;
  readonly minutes: number;
  readonly totalLogReturn: number;
}

/** Horizon given to noise episodes, so their forward returns are measured like informed ones. */
export const NOISE_HORIZON_MINUTES = 60;

export const clamp = (x: number, lo = -1, hi = 1): number => Math.min(hi, Math.max(lo, x));
export const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};
