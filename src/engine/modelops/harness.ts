/**
 * The scoring pipeline on a test clock, in one process, for training, evaluation and backtests: the very stages
 * that run live (de-duplication, enrichment, features, the z-score, graph and feature models, the conviction
 * scorer), wired on an in-memory bus, fed by the simulator one bar at a time. Nothing here reads the wall
 * clock: the clock moves to each bar's time before the bar's events are published, and the bus is drained
 * before the next bar, so every stage sees exactly what it would have seen live, in the same order.
 *
 * Live, three stages publish model outputs (z-score, graph, ensemble) and the scorer takes them in whatever
 * order they arrive. Here the scorer runs after each bar has drained, on that bar's outputs sorted by event
 * time and id, so that a run is reproducible to the byte; each conviction is, live as here, a function of the
 * outputs it names as its causes.
 *
 * What it records: every bar's close (for labels and realized returns), every feature snapshot, every model
 * output and every conviction, with the stacker inputs each conviction was scored from.
 */
import { MemoryBus } from '../bus/memory.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import type { SimulatorCore } from '../collectors/simulator/core.js';
import type { Combiner } from '../conviction/combiner.js';
import type { InputVector } from '../conviction/inputs.js';
import { ConvictionScorer } from '../conviction/scorer.js';
import { MemoryContentIndex } from '../enrich/content-index.js';
import { DedupStage } from '../enrich/dedup.js';
import { EnrichStage } from '../enrich/enrich-stage.js';
import type { FeatureSet } from '../features/definitions.js';
import { FeatureStage } from '../features/feature-stage.js';
import type { FeatureRepository } from '../features/offline.js';
import { MemoryOnlineStore } from '../features/online.js';
import { EnsembleStage } from '../models/ensemble-stage.js';
import type { FeatureModel } from '../models/feature-models.js';
import { GraphStructureModel } from '../models/graph-model.js';
import { ZScoreModel } from '../models/zscore.js';
import { runStage } from '../stage.js';
import type { ConvictionVector, FeatureSnapshot, Instrument, ModelOutput, ModelScored } from '../types.js';
import { barClose, PriceSeries } from '../price-series.js';

export interface HarnessOptions {
  readonly simulator: SimulatorCore;
  readonly featureSet: FeatureSet;
  readonly models?: readonly FeatureModel[];
  readonly combiner?: Combiner;
  /** Where feature values are appended for training sets; none by default. */
  readonly offline?: FeatureRepository;
  /** Event-time ms between bar-driven scorings (FeatureStage). */
  readonly scoreIntervalMs?: number;
  /** Skips recording of snapshots and outputs (a long evaluation needs only convictions). */
  readonly record?: { readonly snapshots?: boolean; readonly outputs?: boolean };
}

export interface ScoredConviction {
  readonly vector: ConvictionVector;
  readonly inputs: InputVector;
  /** The event time of the model output that triggered it. */
  readonly tsEvent: number;
}

export class ScoringHarness {
  readonly clock: TestClock;
  readonly prices = new PriceSeries(Infinity);
  readonly snapshots: FeatureSnapshot[] = [];
  readonly outputs: ModelOutput[] = [];
  /** The event time of each recorded output, index for index. */
  readonly outputTimes: number[] = [];
  readonly convictions: ScoredConviction[] = [];
  readonly #bus = new MemoryBus();
  readonly #simulator: SimulatorCore;
  #scorer: ConvictionScorer | null = null;
  #pending: ModelScored[] = [];
  #started = false;

  constructor(private readonly options: HarnessOptions) {
    this.#simulator = options.simulator;
    this.clock = new TestClock(0);
  }

  get instruments(): readonly Instrument[] {
    return this.#simulator.instruments;
  }

  /** Simulates `bars` bars after `start` (epoch ms of the first bar's end), scoring each. */
  async run(start: number, bars: number): Promise<void> {
    this.#start();
    const barMs = this.#simulator.barMs;
    for (let k = 0; k < bars; k++) {
      const ts = start + k * barMs;
      if (ts > this.clock.now()) this.clock.set(ts);
      const events = this.#simulator.step(ts);
      for (const e of events) {
        const bar = barClose(e.payload);
        if (bar) this.prices.add(bar.instrument, ts, bar.close);
      }
      await this.#bus.publishMany(Topics.signalsRaw, events);
      await this.#bus.drain(60_000);
      await this.#score();
    }
  }

  async #score(): Promise<void> {
    const outputs = this.#pending.sort((a, b) => a.tsEvent - b.tsEvent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.#pending = [];
    for (const output of outputs) await this.#scorer!.handle(output);
  }

  async close(): Promise<void> {
    await this.#bus.close();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const bus = this.#bus;
    const clock = this.clock;
    const o = this.options;
    const index = new Map(this.#simulator.instruments.map((i) => [i.symbol, i]));
    const combiner = o.combiner;
    this.#scorer = new ConvictionScorer(bus, clock, (s) => index.get(s), combiner ? () => combiner : undefined, (inputs, vector, tsEvent) =>
      this.convictions.push({ vector, inputs, tsEvent }),
    );
    const stages = [
      new DedupStage(bus, clock, new MemoryContentIndex()),
      new EnrichStage(bus, clock),
      new FeatureStage(
        { featureSet: o.featureSet, online: new MemoryOnlineStore(), offline: o.offline, clock, publish: (events) => bus.publishMany(Topics.featuresComputed, events) },
        { scoreIntervalMs: o.scoreIntervalMs },
      ),
      new ZScoreModel(bus, clock),
      new GraphStructureModel(bus, clock),
      new EnsembleStage(bus, clock, () => o.models ?? []),
    ];
    for (const stage of stages) runStage(bus, stage as never);
    if (o.record?.snapshots !== false) {
      bus.subscribe(Topics.featuresComputed, async (e) => void this.snapshots.push(e.payload), { group: 'harness-snapshots', from: 'earliest' });
    }
    bus.subscribe(
      Topics.modelOutputs,
      async (e) => {
        this.#pending.push(e);
        if (o.record?.outputs !== false) {
          this.outputs.push(e.payload);
          this.outputTimes.push(e.tsEvent);
        }
      },
      { group: 'harness-outputs', from: 'earliest' },
    );
  }
}
