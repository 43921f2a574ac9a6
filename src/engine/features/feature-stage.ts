/**
 * The feature stage: folds every enriched signal into the instrument features (compute.ts), keeps the online
 * store current, appends every value to the offline store, and when a scoring of an instrument is due,
 * publishes the features as the online store serves them then (`FeaturesComputed` on `features.computed`).
 *
 * The published snapshot is what the feature models score, and it is recorded with its cause in the audit log,
 * so a conviction can be traced to the feature values it rests on and recomputed from them exactly.
 *
 * When a scoring is due: an alternative-data signal (a post, a filing, a transfer: anything but a bar) that
 * changed a feature makes its instrument due at once; bars make it due at most once per `scoreIntervalMs` of
 * event time, so quiet instruments are still rescored as their prices move without a scoring per bar. A signal
 * that changed nothing makes nothing due.
 */
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { BatchStage } from '../stage.js';
import type { FeaturesComputed, SignalEnriched } from '../types.js';
import { FeatureComputer, type FeatureUpdate } from './compute.js';
import type { FeatureSet } from './definitions.js';
import { featureRowOf, type FeatureRepository } from './offline.js';
import type { OnlineFeatureStore } from './online.js';

export interface FeatureStageOptions {
  /** Event-time milliseconds between two bar-driven scorings of one instrument. Default 5 minutes. */
  readonly scoreIntervalMs?: number;
  /** Largest batch handled at once. Default 500. */
  readonly maxBatch?: number;
}

export interface FeatureStagePorts {
  readonly featureSet: FeatureSet;
  readonly online: OnlineFeatureStore;
  /** Without it, values are not kept for training (a benchmark, a replay that must not write). */
  readonly offline?: FeatureRepository;
  readonly publish: (events: readonly FeaturesComputed[]) => Promise<void>;
  readonly clock: Clock;
}

export class FeatureStage implements BatchStage<typeof Topics.signalsEnriched> {
  readonly name = 'features';
  readonly input = Topics.signalsEnriched;
  readonly maxBatch: number;
  readonly #computer: FeatureComputer;
  readonly #scoreIntervalMs: number;
  /** Per instrument, the event time of the last scoring published. */
  readonly #lastScored = new Map<string, number>();

  constructor(private readonly ports: FeatureStagePorts, options: FeatureStageOptions = {}) {
    this.#computer = new FeatureComputer(ports.featureSet);
    this.#scoreIntervalMs = options.scoreIntervalMs ?? 5 * 60_000;
    this.maxBatch = options.maxBatch ?? 500;
  }

  handle(event: SignalEnriched): Promise<void> {
    return this.handleBatch([event]);
  }

  async handleBatch(events: readonly SignalEnriched[]): Promise<void> {
    const updates: FeatureUpdate[] = [];
    const snapshots: FeaturesComputed[] = [];
    for (const event of events) {
      const changed = this.#computer.apply(event);
      if (changed.length === 0) continue;
      updates.push(...changed);
      const instrument = event.payload.instrument!;
      // Decided and taken event by event, so that how the bus happened to batch the events changes nothing.
      if (this.#isDue(instrument, event)) snapshots.push(this.#snapshot(instrument, event));
    }
    if (updates.length === 0) return;
    await this.ports.online.write(
      updates.map((u) => ({ entityType: u.entityType, entity: u.entity, feature: u.feature, value: u.value, asOf: u.ts, ttlMs: u.ttlMs })),
    );
    await this.ports.offline?.append(updates.map(featureRowOf));
    if (snapshots.length > 0) await this.ports.publish(snapshots);
  }

  /**
   * The instrument's features right after `cause`: what the online store holds for it once this batch is
   * written (the same computation writes both), so the ensemble scores what a reader of the store would see.
   */
  #snapshot(instrument: string, cause: SignalEnriched): FeaturesComputed {
    const asOf = this.#computer.watermark(instrument)!;
    const values: Record<string, number | null> = {};
    for (const v of this.#computer.current(instrument)) values[v.feature] = v.value;
    this.#lastScored.set(instrument, asOf);
    return {
      id: eventId('ftr', cause.id),
      type: 'FeaturesComputed',
      tsEvent: cause.tsEvent,
      tsInit: this.ports.clock.now(),
      causationIds: [cause.id],
      payload: { instrument, asOf, featureSetVersion: this.ports.featureSet.version, values, trigger: cause.payload.kind },
    };
  }

  #isDue(instrument: string, event: SignalEnriched): boolean {
    if (event.payload.kind !== 'bar') return true;
    const last = this.#lastScored.get(instrument);
    const watermark = this.#computer.watermark(instrument)!;
    return last === undefined || watermark - last >= this.#scoreIntervalMs;
  }
}
