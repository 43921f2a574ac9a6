/**
 * The engine: wires every stage to the bus, starts the collectors, and stops it all in order.
 *
 *   collectors ─► signals.raw ─► dedup ─► signals.deduplicated ─► enrich ─► signals.enriched ─► z-score, graph ─► models.outputs
 *                                  └─► signals.duplicate                             ├─► store
 *                                                                                    └─► features ─► features.computed ─► ensemble ─► models.outputs
 *   models.outputs ─► scorer (meta stacker) ─► conviction.scored ─► store
 *   signals.enriched ─► entities (graph, insider clusters ─► signals.raw, activity window for co-trading)
 *   every topic ─► audit log
 *
 * The engine is handed its ports (bus, store, clock, content index, collectors); it opens nothing itself.
 */
import { AuditRecorder } from './audit/recorder.js';
import type { Bus, Subscription } from './bus/bus.js';
import { ALL_TOPICS, type Topic, Topics } from './bus/topics.js';
import type { Clock } from './clock.js';
import type { Collector } from './collectors/collector.js';
import type { Combiner } from './conviction/combiner.js';
import type { InputVector } from './conviction/inputs.js';
import { ConvictionScorer } from './conviction/scorer.js';
import type { ContentIndex } from './enrich/content-index.js';
import { DedupStage } from './enrich/dedup.js';
import { EnrichStage } from './enrich/enrich-stage.js';
import type { EnrichmentConfig } from './enrich/enrichment-config.js';
import { SignalEnricher } from './enrich/enricher.js';
import type { ActivityWindow } from './entities/activity-window.js';
import { EntityStage } from './entities/entity-stage.js';
import type { InsiderClusterDetector } from './entities/insider-clusters.js';
import type { EntityResolver } from './entities/resolver.js';
import { type EntitySignalDraft, entitySignalEvent } from './entities/signals.js';
import type { FeatureSet } from './features/definitions.js';
import { FeatureStage } from './features/feature-stage.js';
import type { FeatureRepository } from './features/offline.js';
import type { OnlineFeatureStore } from './features/online.js';
import { LatencyTracker } from './metrics.js';
import { EnsembleStage } from './models/ensemble-stage.js';
import type { FeatureModel } from './models/feature-models.js';
import { GraphStructureModel } from './models/graph-model.js';
import { ZScoreModel } from './models/zscore.js';
import { runStage, type Stage } from './stage.js';
import type { TradingDesk } from './trading-desk.js';
import type { Store } from './store/ports.js';
import { ConvictionSink, SignalSink } from './store/sinks.js';
import type { ConvictionVector, Instrument } from './types.js';

export interface EngineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EnginePorts {
  readonly bus: Bus;
  readonly store: Store;
  readonly clock: Clock;
  readonly contentIndex: ContentIndex;
  readonly instruments: readonly Instrument[];
  readonly collectors: readonly Collector[];
  readonly log: EngineLogger;
  /** Windows and thresholds of near-duplicate, bot-swarm and lateness detection; the defaults when not given. */
  readonly enrichment?: EnrichmentConfig;
  /** Entity resolution; without it the entity graph is not written and no insider clusters are detected. */
  readonly entities?: EngineEntities;
  /** Where pipeline latency is recorded; a default tracker when not given (a benchmark passes a larger one). */
  readonly latency?: LatencyTracker;
  /** The feature store and the model ensemble; without it only the z-score and graph models score. */
  readonly models?: EngineModels;
  /** Vaults and execution; without it convictions are scored and served but not traded. */
  readonly desk?: TradingDesk;
}

export interface EngineModels {
  readonly featureSet: FeatureSet;
  readonly online: OnlineFeatureStore;
  /** Where every feature value is kept for training; not kept when absent. */
  readonly offline?: FeatureRepository;
  /** The live feature models, read for every snapshot. */
  readonly featureModels: () => readonly FeatureModel[];
  /** The combiner in force (the live meta stacker), read for every scoring. */
  readonly combiner: () => Combiner;
  /** Told of each conviction with the inputs it was scored from (the reinforcement bias judges them later). */
  readonly observeConviction?: (inputs: InputVector, vector: ConvictionVector, tsEvent: number) => void;
  readonly scoreIntervalMs?: number;
}

export interface EngineEntities {
  readonly resolver: EntityResolver;
  readonly clusters: InsiderClusterDetector;
  /** Filled with each signal's activities for co-trading detection, when given. */
  readonly activities?: ActivityWindow;
}

export interface EngineStopOptions {
  /** How long to wait for in-flight events to be handled before giving up. */
  readonly drainTimeoutMs?: number;
}

export class Engine {
  readonly latency: LatencyTracker;
  readonly #subscriptions: Subscription[] = [];
  readonly #instrumentIndex: ReadonlyMap<string, Instrument>;
  #state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly ports: EnginePorts) {
    this.latency = ports.latency ?? new LatencyTracker();
    this.#instrumentIndex = new Map(ports.instruments.map((i) => [i.symbol, i]));
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`engine cannot start from state ${this.#state}`);
    const { bus, store, clock, contentIndex } = this.ports;
    await store.instruments.upsertMany(this.ports.instruments);

    const stages: Stage<Topic>[] = [
      ...ALL_TOPICS.map((topic) => new AuditRecorder(topic, store.audit)),
      this.latency,
      new DedupStage(bus, clock, contentIndex),
      new EnrichStage(bus, clock, new SignalEnricher(this.ports.enrichment)),
      new SignalSink(store.signals, (e) => this.latency.signalStored(e)),
      new ZScoreModel(bus, clock),
      new GraphStructureModel(bus, clock),
      new ConvictionScorer(bus, clock, (s) => this.#instrumentIndex.get(s), this.ports.models?.combiner, this.ports.models?.observeConviction),
      new ConvictionSink(store.convictions, (e) => this.latency.convictionStored(e)),
    ];
    const models = this.ports.models;
    if (models) {
      stages.push(
        new FeatureStage(
          {
            featureSet: models.featureSet,
            online: models.online,
            offline: models.offline,
            clock,
            publish: (events) => bus.publishMany(Topics.featuresComputed, events),
          },
          { scoreIntervalMs: models.scoreIntervalMs },
        ),
        new EnsembleStage(bus, clock, models.featureModels),
      );
    }
    const entities = this.ports.entities;
    if (entities) {
      // A cluster enters the pipeline like any signal, caused by the filings behind it.
      const emit = (draft: EntitySignalDraft) =>
        bus.publish(Topics.signalsRaw, entitySignalEvent(draft, clock.now()));
      stages.push(new EntityStage(entities.resolver, store.entities, entities.clusters, emit, entities.activities));
    }
    if (this.ports.desk) stages.push(...this.ports.desk.stages());
    for (const stage of stages) this.#subscriptions.push(runStage(bus, stage));
    // Before the first order: what the venues hold is read back and reconciled with the store.
    await this.ports.desk?.start();

    for (const collector of this.ports.collectors) {
      await collector.start();
      this.ports.log.info({ collector: collector.name }, 'collector started');
    }
    this.#state = 'running';
  }

  /** Resolves when every event published so far has gone through every stage. */
  async drain(timeoutMs = 10_000): Promise<void> {
    await this.ports.bus.drain(timeoutMs);
  }

  /**
   * Stops the collectors first (no new input), lets the stages finish what is in flight, then closes the
   * subscriptions. Safe to call twice.
   */
  async stop(options: EngineStopOptions = {}): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    for (const collector of this.ports.collectors) await collector.stop();
    try {
      await this.ports.bus.drain(options.drainTimeoutMs ?? 10_000);
    } catch (err) {
      this.ports.log.warn({ err }, 'engine stopped before the pipeline drained; pending events stay on the bus');
    }
    await Promise.all(this.#subscriptions.splice(0).map((s) => s.close()));
  }
}
