/**
 * Model operations wired into a running server: the registry taking in the loaded bundles, shadow versions
 * scoring live traffic on `models.shadow`, drift evaluated, the promotion rule applied and the reinforcement
 * checkpointed on wall-clock schedules, and the live scoring reading the registry's aliases and the standing
 * drift alarms.
 *
 * `configureModelOps` is called before the engine is built (the engine's models read the live set it
 * returns); `start` before the engine starts, so the aliases are known before the first snapshot is scored.
 * With `modelops.enabled` off, or without a trained ensemble, the models job's choice scores as it is.
 */
import type { Config } from '../config.js';
import type { Bus, Subscription } from '../engine/bus/bus.js';
import { Topics } from '../engine/bus/topics.js';
import type { Clock } from '../engine/clock.js';
import type { Combiner } from '../engine/conviction/combiner.js';
import type { EngineLogger, EngineModels } from '../engine/engine.js';
import { RegistryModelCatalog } from '../engine/modelops/catalog.js';
import type { StackerWeightsChanged } from '../engine/modelops/events.js';
import { ModelOps } from '../engine/modelops/service.js';
import type { ModelOpsStore } from '../engine/modelops/store.js';
import { type LoadedEnsemble, type LoadOptions, loadBundle, readBundle } from '../engine/models/bundle.js';
import type { ModelCatalog } from '../engine/models/catalog.js';
import { EnsembleStage } from '../engine/models/ensemble-stage.js';
import { ModelError } from '../engine/models/model.js';
import { barClose } from '../engine/price-series.js';
import { runStage } from '../engine/stage.js';
import type { AuditRepository } from '../engine/store/ports.js';
import { type ConfiguredModels, defaultBundlePath } from './models.js';

export interface ConfiguredModelOps {
  /** The engine's models with the live set in force (the models job's own when model operations are off). */
  readonly engine: EngineModels;
  /** The controller; null when model operations are off. */
  readonly ops: ModelOps | null;
  /** The models API's catalog: with the registry's aliases when model operations are on. */
  catalog(base: ModelCatalog): ModelCatalog;
  /** The combiner of this name and version (drift cuts included), for replays; null when unknown here. */
  combinerFor(name: string, version: string): Combiner | null;
  /** Registers, builds references and monitors, subscribes and starts the schedules; resolves to what stops them. */
  start(): Promise<() => Promise<void>>;
}

export interface ModelOpsPorts {
  readonly store: ModelOpsStore;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: EngineLogger;
  /** Where the reinforcement's last recorded weights are read back from at start. */
  readonly audit?: Pick<AuditRepository, 'latestOfType'>;
}

async function loadShadow(paths: readonly string[], featureSetVersion: string, options: LoadOptions): Promise<{ ensemble: LoadedEnsemble; source: string }[]> {
  const out: { ensemble: LoadedEnsemble; source: string }[] = [];
  for (const [i, path] of paths.entries()) {
    const ensemble = loadBundle(await readBundle(path), options);
    if (ensemble.bundle.featureSetVersion !== featureSetVersion) {
      throw new ModelError(
        'MODEL_ARTIFACT_INVALID',
        `modelops.shadowBundles[${i}]: ${path} was trained on features ${ensemble.bundle.featureSetVersion}, not the running ${featureSetVersion}`,
      );
    }
    out.push({ ensemble, source: path });
  }
  return out;
}

export async function configureModelOps(config: Config, models: ConfiguredModels, ports: ModelOpsPorts): Promise<ConfiguredModelOps> {
  const c = config.modelops;
  if (!c.enabled || !models.ensemble) {
    if (c.enabled) ports.log.info({}, 'modelops: no trained ensemble is loaded; the registry, drift and promotion wait for one');
    return {
      engine: models.engine,
      ops: null,
      catalog: (base) => base,
      combinerFor: models.combinerFor,
      start: async () => async () => {},
    };
  }
  const shadow = await loadShadow(c.shadowBundles, models.engine.featureSet.version, models.bundleOptions);
  const ops = new ModelOps({
    store: ports.store,
    bus: ports.bus,
    clock: ports.clock,
    log: ports.log,
    config: c,
    featureSet: models.engine.featureSet,
    live: { ensemble: models.ensemble, source: config.models.bundlePath ?? defaultBundlePath() ?? 'the model bundle' },
    shadow,
    fallbackCombiner: models.combiner,
    ...(ports.audit ? { lastWeights: lastWeightsFrom(ports.audit) } : {}),
  });
  return {
    engine: {
      ...models.engine,
      // The bundles' models as the registry and the drift alarms say; any other (a TF.js model) as configured.
      featureModels: () => [
        ...ops.live.liveFeatureModels(),
        ...models.engine.featureModels().filter((m) => !ops.manages(`${m.modelId}@${m.version}`)),
      ],
      combiner: () => ops.live.combiner(),
      observeConviction: (inputs, vector, tsEvent) => ops.observeConviction(inputs.values, vector, tsEvent),
    },
    ops,
    catalog: (base) => new RegistryModelCatalog(base, ops),
    combinerFor: (name, version) => ops.live.combinerFor(name, version) ?? models.combinerFor(name, version),
    start: () => startModelOps(ops, c, ports),
  };
}

/** The latest `StackerWeightsChanged` of a stacker version in the audit log. */
export function lastWeightsFrom(audit: Pick<AuditRepository, 'latestOfType'>) {
  return async (stacker: string, version: string): Promise<StackerWeightsChanged | null> => {
    const entry = await audit.latestOfType('StackerWeightsChanged', { stacker, version });
    if (!entry) return null;
    const { eventId: id, type, tsEvent, tsInit, causationIds, payload } = entry;
    return { id, type, tsEvent, tsInit, causationIds, payload } as StackerWeightsChanged;
  };
}

/** A wall-clock schedule that never overlaps itself; failures go to the log. */
function every(ms: number, what: string, work: () => Promise<void>, log: EngineLogger): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = work()
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, `modelops: ${what} failed`))
      .finally(() => {
        running = null;
      });
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

async function startModelOps(ops: ModelOps, c: Config['modelops'], ports: ModelOpsPorts): Promise<() => Promise<void>> {
  await ops.start();
  const { bus, log } = ports;
  const options = { from: 'latest' } as const;
  const subscriptions: Subscription[] = [
    bus.subscribe(Topics.featuresComputed, async (e) => ops.observeSnapshot(e.payload), { ...options, group: 'modelops-drift' }),
    bus.subscribe(Topics.modelOutputs, async (e) => ops.observeOutput(e), { ...options, group: 'modelops-outputs' }),
    bus.subscribe(Topics.modelShadowOutputs, async (e) => ops.observeOutput(e), { ...options, group: 'modelops-shadow-outputs' }),
    bus.subscribe(
      Topics.signalsRaw,
      async (e) => {
        const bar = barClose(e.payload);
        if (bar) await ops.observeBar(bar.instrument, e.tsEvent, bar.close);
      },
      { ...options, group: 'modelops-prices' },
    ),
  ];
  // Shadow versions score the same snapshots in a group of their own, publishing on models.shadow only.
  const shadowStage = new EnsembleStage(bus, ports.clock, () => [], { shadow: () => ops.live.shadowFeatureModels() });
  subscriptions.push(runStage(bus, { name: 'model-shadow', input: Topics.featuresComputed, handle: (e) => shadowStage.handle(e) }, options));
  const stops: (() => Promise<void>)[] = [];
  if (c.drift.enabled) stops.push(every(c.drift.intervalMs, 'drift evaluation', () => ops.evaluateDrift(), log));
  if (c.promotion.enabled) stops.push(every(c.promotion.intervalMs, 'promotion rule', () => ops.evaluatePromotions(), log));
  const { enabled: reinforced, checkpointMs } = c.reinforcement;
  if (reinforced && checkpointMs > 0) stops.push(every(checkpointMs, 'reinforcement checkpoint', () => ops.checkpointReinforcement(), log));
  log.info(
    { live: ops.live.liveFeatureModels().map((m) => `${m.modelId}@${m.version}`), shadow: ops.live.shadowFeatureModels().map((m) => `${m.modelId}@${m.version}`) },
    'modelops: running',
  );
  // The schedules and subscriptions first: the checkpoint written at stop then holds the last bar judged.
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    await Promise.all(subscriptions.map((s) => s.close()));
    await ops.stop();
  };
}
