/**
 * The composition root: builds every client from the config, hands them to the engine and the API, and
 * closes them in the reverse order. Nothing else in the code base opens a connection.
 */
import { Redis } from 'ioredis';
import type { HealthReport } from './api/deps.js';
import { configureAuth } from './api/auth/index.js';
import { DASHBOARD_PATH } from './api/dashboard.js';
import { createApiServer } from './api/http.js';
import type { Config } from './config.js';
import { buildLineage } from './engine/audit/lineage.js';
import type { Bus } from './engine/bus/bus.js';
import { MemoryBus } from './engine/bus/memory.js';
import { RedisStreamsBus } from './engine/bus/redis-streams.js';
import { type Clock, LiveClock, ScaledClock } from './engine/clock.js';
import type { Collector } from './engine/collectors/collector.js';
import { REPLAY_INSTRUMENTS, ReplayCollector } from './engine/collectors/replay.js';
import { planSimulatorRun, SimulatorCollector } from './engine/collectors/simulator.js';
import { UNIVERSE } from './engine/collectors/universe.js';
import { type ContentIndex, MemoryContentIndex, RedisContentIndex } from './engine/enrich/content-index.js';
import { freezeEnrichmentConfig } from './engine/enrich/enrichment-config.js';
import { replayConviction } from './engine/audit/replay.js';
import { describeVerification, verifyAuditTail } from './engine/audit/tail.js';
import { Engine } from './engine/engine.js';
import { StaticModelCatalog } from './engine/models/catalog.js';
import { mlBackend } from './engine/ml/backend.js';
import { zscoreModelName } from './engine/models/zscore.js';
import { DrizzleFeatureRepository } from './engine/store/features.repo.js';
import { createStore } from './engine/store/repositories.js';
import type { Logger } from './log.js';
import { CollectorStatusFeed } from './jobs/collector-status.js';
import { startCollectorJobs } from './jobs/collectors.js';
import { configureEntities } from './jobs/entities.js';
import { configureModels } from './jobs/models.js';
import { configureModelOps } from './jobs/modelops.js';
import { configureTrading, startExecutorLoop } from './jobs/trading.js';
import { startCheckpointJob } from './engine/audit/checkpoints.js';
import { startKpis } from './jobs/kpis.js';
import { sourceFactories } from './jobs/sources.js';
import { packageVersion } from './version.js';

export interface RunningServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly engine: Engine;
  readonly bus: Bus;
  readonly clock: Clock;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly log: Logger;
  /** Replaces the clock chosen from the config (tests use a test clock). */
  readonly clock?: Clock;
  /** Replaces the collectors chosen from the config. */
  readonly collectors?: (deps: { bus: Bus; clock: Clock }) => readonly Collector[];
  /** Where the banner with the URLs goes. Defaults to stdout. */
  readonly print?: (text: string) => void;
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const startedAt = Date.now();
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        log.warn({ err }, 'error while closing');
      }
    }
  };

  try {
    const store = await createStore(config.databaseUrl);
    closers.push(() => store.close());
    const tail = await verifyAuditTail(store.audit);
    if (tail.ok) log.info({ fromSeq: tail.fromSeq, entries: tail.entries }, describeVerification(tail));
    else log.error({ ...tail }, `${describeVerification(tail)}; run \`vanta audit verify\` for the whole chain`);

    let bus: Bus;
    let contentIndex: ContentIndex;
    let pubsubRedis: { publish: Redis; subscribe: Redis } | undefined;
    let redisClient: Redis | undefined;
    if (config.redisUrl) {
      const redisUrl = config.redisUrl;
      const client = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      redisClient = client;
      client.on('error', (err) => log.warn({ err: err.message }, 'redis connection error (reconnecting)'));
      closers.push(async () => void (await client.quit()));
      bus = new RedisStreamsBus({ redis: client, prefix: config.redisPrefix });
      contentIndex = new RedisContentIndex(client, config.redisPrefix);
      pubsubRedis = { publish: new Redis(redisUrl), subscribe: new Redis(redisUrl) };
      const { publish, subscribe } = pubsubRedis;
      closers.push(async () => void (await Promise.all([publish.quit(), subscribe.quit()])));
    } else {
      bus = new MemoryBus();
      contentIndex = new MemoryContentIndex();
    }
    closers.push(() => bus.close());

    // The simulator runs on a scaled clock (one bar per tick) that starts where its run plan says, so a
    // restart continues simulated time rather than repeating it.
    const simulated = config.sources.includes('simulator');
    const { barMs, tickMs, warmupBars } = config.simulator;
    const plan = simulated
      ? await planSimulatorRun({ cursors: store.cursors, seed: config.simulator.seed, barMs, now: Date.now(), warmupBars })
      : null;
    const clock =
      options.clock ??
      (plan ? new ScaledClock(barMs / tickMs, Math.max(Date.now(), plan.startMs + warmupBars * barMs)) : new LiveClock());
    if (plan?.resumedAfter != null) {
      log.info({ resumedAfter: new Date(plan.resumedAfter).toISOString(), seed: plan.seed }, 'simulator: continuing after the last run');
    }

    const collectors =
      options.collectors?.({ bus, clock }) ??
      config.sources.flatMap((source): Collector[] => {
        switch (source) {
          case 'simulator':
            return [
              new SimulatorCollector({
                bus,
                clock,
                seed: plan!.seed,
                tickMs,
                barMs,
                followClock: true,
                startMs: options.clock ? undefined : plan!.startMs,
                maxBarsPerTick: Math.max(60, warmupBars + 1),
                cursors: store.cursors,
                onError: (err) => log.warn({ err }, 'simulator: publishing a step failed'),
              }),
            ];
          case 'replay':
            return [
              new ReplayCollector({
                bus,
                clock,
                barsPerSecond: config.replay.barsPerSecond,
                cursors: store.cursors,
                onError: (err) => log.warn({ err }, 'replay: row skipped'),
              }),
            ];
          case 'none':
            return [];
        }
      });

    const instruments = [...UNIVERSE, ...REPLAY_INSTRUMENTS];
    const enrichment = freezeEnrichmentConfig(config.enrichment);
    const entities = await configureEntities(config.entities, instruments);
    const offlineFeatures = new DrizzleFeatureRepository(store.database.db);
    const models = await configureModels(config.models, { redis: redisClient, redisPrefix: config.redisPrefix, offline: offlineFeatures, log, serving: true });
    const modelops = await configureModelOps(config, models, { store: store.modelRegistry, bus, clock, log, audit: store.audit });
    if (models.tfjs) closers.push(models.tfjs.close);
    const desk = await configureTrading(config.trading, {
      bus,
      clock,
      instruments,
      log,
      persistence: { orders: store.orders, autotradeQueue: store.autotradeQueue, killSwitches: store.killSwitches, vaults: store.vaults },
    });
    const engine = new Engine({
      bus,
      store,
      clock,
      contentIndex,
      instruments,
      collectors,
      log,
      enrichment,
      entities: entities.engine,
      models: modelops.engine,
      ...(desk ? { desk } : {}),
    });
    // The KPIs watch the bus from before the first event, so every conviction and fill is counted.
    const kpis = startKpis(bus);
    closers.push(() => kpis.stop());
    closers.push(await modelops.start());
    await engine.start();
    closers.push(() => engine.stop({ drainTimeoutMs: config.shutdownTimeoutMs }));
    if (desk) closers.push(startExecutorLoop(desk, config.trading.tickMs, log));
    // Merkle roots of the audit chain's complete blocks, stored as it grows (`vanta audit verify` recomputes them).
    closers.push(startCheckpointJob(store.audit, store.auditCheckpoints, config.audit.checkpointEvery, log));
    const coTrading = entities.coTradingJob({ bus, clock, log });
    if (coTrading) {
      coTrading.start();
      closers.push(() => coTrading.stop());
    }

    // The real sources run on wall-clock time whatever clock the simulator uses; only enabled ones start.
    const collectorStatus = new CollectorStatusFeed();
    const collectorJobs = await startCollectorJobs({
      config,
      bus,
      clock: new LiveClock(),
      cursors: store.cursors,
      log,
      sources: sourceFactories(instruments.map((i) => i.symbol)),
      onChange: collectorStatus.notify,
    });
    collectorStatus.follow(collectorJobs);
    closers.push(() => collectorJobs.stop());

    const health = async (): Promise<HealthReport> => {
      const [storeOk, lag, signalsStored, convictionsStored] = await Promise.all([
        store.ping(),
        bus.lag().catch(() => []),
        store.signals.count().catch(() => -1),
        store.convictions.count().catch(() => -1),
      ]);
      return {
        status: storeOk && engine.running ? 'ok' : 'degraded',
        version: packageVersion(),
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        mlBackend: mlBackend(),
        storeKind: store.kind,
        storeOk,
        busKind: bus.kind,
        pipelineLag: lag.reduce((sum, l) => sum + l.pending, 0),
        lastIngestToConvictionMs: engine.latency.lastMs,
        signalsStored,
        convictionsStored,
      };
    };

    const auth = await configureAuth(config.security, store.apiKeys, { onJwtReject: (reason) => log.debug({ reason }, 'api: JWT refused') });
    if (!config.security.authRequired) {
      log.warn('authentication is off: requests without credentials act with every role (set VANTA_AUTH_REQUIRED=true)');
    }

    const api = await createApiServer(
      {
        store,
        bus,
        health,
        lineage: (id) => buildLineage(store.audit, id),
        now: () => clock.now(),
        redis: pubsubRedis,
        collectors: collectorStatus,
        models: modelops.catalog(new StaticModelCatalog(zscoreModelName(), models.ensemble, models.tfjs?.versions)),
        features: { featureSet: models.engine.featureSet, online: models.engine.online, offline: offlineFeatures },
        trading: desk ?? undefined,
        kpis: kpis.source,
        replay: (id) => replayConviction({ audit: store.audit, instruments: store.instruments, combiner: modelops.combinerFor }, id),
      },
      {
        port: config.port,
        host: config.host,
        dashboard: {},
        channelPrefix: `${config.redisPrefix}api:`,
        ...(config.production === undefined ? {} : { production: config.production }),
        hardening: {
          settings: config.security,
          redis: redisClient,
          redisPrefix: `${config.redisPrefix}ratelimit:`,
          notice: (message, err) => log.warn(err === undefined ? {} : { err }, message),
        },
        onError: (err) => log.error({ err }, 'api: unexpected error'),
        authenticate: auth.authenticate,
      },
    );
    closers.push(() => api.close());

    log.info(
      { store: store.kind, bus: bus.kind, sources: config.sources, clockSpeed: clock instanceof ScaledClock ? clock.speed : 1 },
      'vanta is running',
    );
    (options.print ?? console.log)(
      [
        '',
        `  Vanta ${packageVersion()} is running (store: ${store.kind}, bus: ${bus.kind}, sources: ${config.sources.join(', ')})`,
        `  Dashboard:      ${api.url.replace(/\/graphql$/, DASHBOARD_PATH)}`,
        `  GraphQL HTTP:   ${api.url}`,
        `  Subscriptions:  ${api.wsUrl}  (graphql-ws)`,
        `  Authentication: ${config.security.authRequired ? 'required' : 'off (anonymous requests have every role)'}`,
        // Printed here once and never logged: the secret is not stored, so this is the only time it is seen.
        ...(auth.bootstrapKey
          ? [
              '',
              `  Bootstrap API key (${auth.bootstrapKey.record.roles.join(', ')}); it is shown only this once:`,
              `    ${auth.bootstrapKey.key}`,
              `  Send it as \`Authorization: Bearer <key>\`; make others with \`vanta keys create\`, then \`vanta keys revoke ${auth.bootstrapKey.record.id}\`.`,
            ]
          : []),
        '',
      ].join('\n'),
    );

    return {
      url: api.url,
      wsUrl: api.wsUrl,
      engine,
      bus,
      clock,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
