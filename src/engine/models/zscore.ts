/**
 * Rolling z-score anomaly detection on per-instrument activity series.
 *
 * Each enriched signal adds to one series of its instrument, bucketed in time: bar volume, the count of
 * social mentions, of news items, the USD value of insider trades and of whale transfers. When a bucket
 * closes it joins a rolling window (empty buckets count as zero). While a bucket fills, its running value
 * is compared with the window: each time its z-score crosses a new whole level at or above the threshold
 * (2, 3, 4 ...) a `ModelScored` event is emitted, so a mention wave is reported as it builds, not a bucket
 * later. Bars are complete when they arrive and are scored at once.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { AnomalySeries, ModelScored, SignalEnriched, SignalKind } from '../types.js';
import { RollingWindow } from './rolling.js';

export interface ZScoreParams {
  /** Buckets in the rolling window. */
  readonly window: number;
  /** Closed buckets needed before the series is scored. */
  readonly minHistory: number;
  /** Lowest |z| that is reported. */
  readonly threshold: number;
  /** Bucket length for series of instruments whose bars have not been seen yet. */
  readonly defaultBucketMs: number;
}

export const DEFAULT_ZSCORE_PARAMS: ZScoreParams = {
  window: 60,
  minHistory: 20,
  threshold: 2,
  defaultBucketMs: 60_000,
};

/** The z-score model's name, with its parameters. */
export function zscoreModelName(params: ZScoreParams = DEFAULT_ZSCORE_PARAMS): string {
  return `ZScore(window=${params.window},min=${params.minHistory},threshold=${params.threshold})`;
}

/** The series each kind of signal adds to; kinds not listed are left to other models. */
const SERIES_OF: Partial<Record<SignalKind, AnomalySeries>> = {
  bar: 'volume',
  social_mention: 'mentions',
  news: 'news',
  insider_filing: 'insider',
  whale_transfer: 'whale',
};

/** How many buckets ahead an anomaly of each series speaks for; becomes the conviction's TTL. */
const HORIZON_BUCKETS: Record<AnomalySeries, number> = {
  volume: 15,
  mentions: 30,
  news: 60,
  whale: 60,
  insider: 24 * 60,
};

/**
 * The smallest standard deviation a series is compared with. Counts are Poisson-like, so a quiet series
 * with a near-constant window must not turn one extra mention into a huge z-score.
 */
function stdFloor(series: AnomalySeries, mean: number): number {
  if (series === 'mentions' || series === 'news') return Math.max(1, Math.sqrt(mean));
  return Math.max(1e-9, 0.05 * Math.abs(mean));
}

interface SeriesState {
  readonly window: RollingWindow;
  bucket: number;
  value: number;
  /** Polarity weighted by magnitude, summed over the open bucket. */
  polaritySum: number;
  /** Highest whole z level already reported for the open bucket. */
  reportedLevel: number;
  /** Event ids that fed the open bucket (the causes of a score). */
  causes: string[];
}

export class ZScoreModel implements Stage<typeof Topics.signalsEnriched> {
  readonly name = 'model-zscore';
  readonly input = Topics.signalsEnriched;
  readonly modelId: string;
  readonly version = '1';
  readonly #series = new Map<string, SeriesState>();
  readonly #bucketMs = new Map<string, number>();

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    readonly params: ZScoreParams = DEFAULT_ZSCORE_PARAMS,
  ) {
    this.modelId = zscoreModelName(params);
  }

  async handle(event: SignalEnriched): Promise<void> {
    const signal = event.payload;
    if (!signal.instrument) return;
    const seriesName = SERIES_OF[signal.kind];
    if (!seriesName) return;
    if (signal.kind === 'bar') {
      const interval = Number(signal.body.intervalMs);
      if (Number.isFinite(interval) && interval > 0) this.#bucketMs.set(signal.instrument, interval);
    }
    const bucketMs = this.#bucketMs.get(signal.instrument) ?? this.params.defaultBucketMs;
    const bucket = Math.floor(event.tsEvent / bucketMs);
    const state = this.#advance(`${signal.instrument}|${seriesName}`, bucket);
    if (!state) return; // a late signal for a bucket already closed: it cannot change history

    // A down-weighted signal (a near-duplicate, a post of a bot swarm) counts for its weight only.
    const amount = signal.magnitude * signal.weight;
    state.value += amount;
    state.polaritySum += signal.polarity * amount;
    if (state.causes.length < 32) state.causes.push(event.id);

    const output = this.#score(signal.instrument, seriesName, state, bucketMs, event);
    if (output) await this.bus.publish(Topics.modelOutputs, output);
  }

  /** Moves the series to `bucket`, closing the buckets in between. Null when `bucket` is in the past. */
  #advance(key: string, bucket: number): SeriesState | null {
    let state = this.#series.get(key);
    if (!state) {
      state = { window: new RollingWindow(this.params.window), bucket, value: 0, polaritySum: 0, reportedLevel: 0, causes: [] };
      this.#series.set(key, state);
      return state;
    }
    if (bucket < state.bucket) return null;
    if (bucket > state.bucket) {
      state.window.push(state.value);
      const empty = Math.min(bucket - state.bucket - 1, this.params.window);
      for (let i = 0; i < empty; i++) state.window.push(0);
      state.bucket = bucket;
      state.value = 0;
      state.polaritySum = 0;
      state.reportedLevel = 0;
      state.causes = [];
    }
    return state;
  }

  #score(
    instrument: string,
    series: AnomalySeries,
    state: SeriesState,
    bucketMs: number,
    trigger: SignalEnriched,
  ): ModelScored | null {
    if (state.window.count < this.params.minHistory) return null;
    const mean = state.window.mean();
    const std = Math.max(state.window.std(), stdFloor(series, mean));
    const z = (state.value - mean) / std;
    const level = Math.floor(z);
    if (z < this.params.threshold || level <= state.reportedLevel) return null;
    state.reportedLevel = level;

    const polarity = state.value > 0 ? Math.max(-1, Math.min(1, state.polaritySum / state.value)) : 0;
    return {
      id: eventId('mdl', this.modelId, trigger.id, level),
      type: 'ModelScored',
      tsEvent: trigger.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [...state.causes],
      payload: {
        modelId: this.modelId,
        modelVersion: this.version,
        instrument,
        series,
        value: state.value,
        mean,
        std,
        score: z,
        polarity,
        horizonMs: HORIZON_BUCKETS[series] * bucketMs,
      },
    };
  }
}
