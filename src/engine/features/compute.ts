/**
 * Computes a feature set per instrument from `SignalEnriched` events, incrementally and by event time (never
 * wall time), so that a replay or a backtest of the same events gives the same values, byte for byte.
 *
 * - Each instrument has a watermark: the latest event time seen about it. Every window of the instrument ends
 *   there; entries older than a window fall out of it as the watermark moves, whichever signal moved it.
 * - A signal's event time is its `tsEvent`, or its `tsInit` when enrichment flagged it `clock_skew` (stamped in
 *   our future): one bad clock must not expire an instrument's windows early.
 * - A late signal still inside a window is counted in its place; the value it changes is as of the watermark
 *   and became known when the signal was seen (`observedAt` = its `tsInit`, or the watermark if later). That is
 *   what keeps point-in-time training sets honest: a label before `observedAt` never sees the change.
 * - A value is emitted when it changes, and again when its last emission is `refreshFraction` of its TTL old
 *   (while the instrument is active), so that lookups ignoring values older than the TTL still find it.
 * - A repeated event id is ignored (a bounded memory of ids), so redelivery never counts a signal twice.
 */
import type { SignalEnriched } from '../types.js';
import type { EntityType, Feature, FeatureSet } from './definitions.js';
import { TimeWindow, type WindowEntry } from './window.js';

/** One feature's value for one entity, as of an event time. */
export interface FeatureValue {
  readonly entityType: EntityType;
  readonly entity: string;
  readonly feature: string;
  readonly versionId: string;
  /** The event time the value is as of: the entity's watermark. */
  readonly ts: number;
  /** Null when the window does not define it (no posts to average, no close an hour ago). */
  readonly value: number | null;
  readonly ttlMs: number;
}

/** A value as the offline store keeps it: when it became known, and the event that made it. */
export interface FeatureUpdate extends FeatureValue {
  readonly observedAt: number;
  readonly sourceEventId: string;
}

export interface FeatureComputerOptions {
  /** Event ids remembered to ignore repeats. Default 100_000. */
  readonly seenCapacity?: number;
  /** An unchanged value is emitted again once its last emission is this fraction of its TTL old. Default 0.25. */
  readonly refreshFraction?: number;
}

interface Emitted {
  readonly value: number | null;
  readonly ts: number;
}

interface EntityState {
  watermark: number;
  /** One window per feature, in the feature set's order. */
  readonly windows: readonly TimeWindow[];
  readonly emitted: (Emitted | undefined)[];
}

/** The smallest standard deviation a z-score divides by: 5% of the mean, as the z-score model does. */
const ZSCORE_STD_FLOOR = 0.05;
/** Weights below this sum count as none (running sums leave crumbs of that size). */
const NO_WEIGHT = 1e-12;

export class FeatureComputer {
  readonly #features: readonly Feature[];
  readonly #kinds: readonly ReadonlySet<string>[];
  readonly #entities = new Map<string, EntityState>();
  readonly #seen = new Set<string>();
  readonly #seenCapacity: number;
  readonly #refreshFraction: number;

  constructor(
    readonly featureSet: FeatureSet,
    options: FeatureComputerOptions = {},
  ) {
    this.#features = featureSet.features;
    this.#kinds = this.#features.map((f) => new Set<string>(f.kinds));
    this.#seenCapacity = Math.max(1, options.seenCapacity ?? 100_000);
    this.#refreshFraction = options.refreshFraction ?? 0.25;
  }

  /** Instruments seen so far. */
  get entityCount(): number {
    return this.#entities.size;
  }

  /** Latest event time seen about the instrument, or null. */
  watermark(entity: string): number | null {
    return this.#entities.get(entity)?.watermark ?? null;
  }

  /**
   * Folds the event in. Returns the values it changed or refreshed, as of the instrument's new watermark;
   * nothing for a repeated event id or a signal about no instrument.
   */
  apply(event: SignalEnriched): readonly FeatureUpdate[] {
    const signal = event.payload;
    const entity = signal.instrument;
    if (!entity || this.#seen.has(event.id)) return [];
    this.#remember(event.id);

    const time = eventTime(event);
    const state = this.#stateOf(entity, time);
    state.watermark = Math.max(state.watermark, time);
    const updates: FeatureUpdate[] = [];
    const observedAt = Math.max(state.watermark, event.tsInit);
    this.#features.forEach((feature, i) => {
      const window = state.windows[i]!;
      window.advance(state.watermark);
      if (this.#kinds[i]!.has(signal.kind)) {
        const entry = entryOf(feature, event, time);
        if (entry) window.add(entry);
      }
      const value = reduce(feature, window);
      const last = state.emitted[i];
      const changed = last === undefined ? value !== null : last.value !== value;
      const due = last !== undefined && value !== null && state.watermark - last.ts >= this.#refreshFraction * feature.ttlMs;
      if (!changed && !due) return;
      state.emitted[i] = { value, ts: state.watermark };
      updates.push({ ...valueOf(feature, entity, state.watermark, value), observedAt, sourceEventId: event.id });
    });
    return updates;
  }

  /** Every feature's value for the instrument as of its watermark; empty for an instrument never seen. */
  current(entity: string): readonly FeatureValue[] {
    const state = this.#entities.get(entity);
    if (!state) return [];
    return this.#features.map((feature, i) => valueOf(feature, entity, state.watermark, reduce(feature, state.windows[i]!)));
  }

  #stateOf(entity: string, time: number): EntityState {
    let state = this.#entities.get(entity);
    if (!state) {
      state = {
        watermark: time,
        windows: this.#features.map((f) => new TimeWindow(f.windowMs)),
        emitted: this.#features.map(() => undefined),
      };
      this.#entities.set(entity, state);
    }
    return state;
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > this.#seenCapacity) this.#seen.delete(this.#seen.values().next().value as string);
  }
}

function valueOf(feature: Feature, entity: string, ts: number, value: number | null): FeatureValue {
  return { entityType: feature.entity, entity, feature: feature.name, versionId: feature.versionId, ts, value, ttlMs: feature.ttlMs };
}

/** The event time a signal counts at. */
export function eventTime(event: SignalEnriched): number {
  return event.payload.flags.includes('clock_skew') ? Math.min(event.tsEvent, event.tsInit) : event.tsEvent;
}

function finite(body: Readonly<Record<string, unknown>>, key: string): number | null {
  const v = body[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** What a signal adds to a feature's window; null when it carries nothing usable (a bar without a close). */
function measureOf(feature: Feature, event: SignalEnriched): number | null {
  const s = event.payload;
  switch (feature.measure) {
    case 'one':
      return 1;
    case 'polarity':
      return s.polarity;
    case 'bot_swarm':
      return s.flags.includes('bot_swarm') ? 1 : 0;
    case 'signed_magnitude':
      return Math.sign(s.polarity) * s.magnitude;
    case 'volume':
      return s.magnitude;
    case 'close': {
      const close = finite(s.body, 'close');
      return close !== null && close > 0 ? close : null;
    }
    case 'log_return': {
      const open = finite(s.body, 'open');
      const close = finite(s.body, 'close');
      return open !== null && close !== null && open > 0 && close > 0 ? Math.log(close / open) : null;
    }
  }
}

function entryOf(feature: Feature, event: SignalEnriched, ts: number): WindowEntry | null {
  const value = measureOf(feature, event);
  if (value === null || !Number.isFinite(value)) return null;
  const w = feature.weighting === 'signal' ? event.payload.weight : 1;
  const weight = Number.isFinite(w) ? Math.min(1, Math.max(0, w)) : 0;
  return { ts, value, weight };
}

/** The feature's value from its window; null when undefined. Sums are defined on an empty window (0). */
export function reduce(feature: Feature, window: TimeWindow): number | null {
  const n = window.count;
  let value: number | null = null;
  switch (feature.reducer) {
    case 'sum':
      value = n === 0 ? 0 : window.sumWeighted;
      break;
    case 'mean':
      if (n >= feature.minCount && window.sumWeight > NO_WEIGHT) value = window.sumWeighted / window.sumWeight;
      break;
    case 'std':
      if (n >= feature.minCount) value = sampleStd(n, window.sum, window.sumSq);
      break;
    case 'change': {
      const { latest, anchor } = window;
      if (n >= feature.minCount && latest && anchor && anchor.value !== 0) value = latest.value / anchor.value - 1;
      break;
    }
    case 'zscore_latest': {
      const latest = window.latest;
      if (n < feature.minCount || !latest) break;
      // The latest entry against the others: take it out of the sums.
      const m = n - 1;
      const mean = (window.sum - latest.value) / m;
      const std = Math.max(sampleStd(m, window.sum - latest.value, window.sumSq - latest.value ** 2), ZSCORE_STD_FLOOR * Math.abs(mean), 1e-9);
      value = (latest.value - mean) / std;
      break;
    }
  }
  return value !== null && Number.isFinite(value) ? value : null;
}

function sampleStd(n: number, sum: number, sumSq: number): number {
  if (n < 2) return 0;
  const variance = (sumSq - (sum * sum) / n) / (n - 1);
  return variance > 0 ? Math.sqrt(variance) : 0; // running sums can drift a hair below zero
}
