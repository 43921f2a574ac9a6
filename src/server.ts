/**
 * The composition root: builds every client from the config, hands them to the engine and the API, and
 * closes them in the reverse order. Nothing else in the code base opens a connection.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { HealthReport } from './api/deps.js';
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
import { zscoreModelName } from './engine/models/zscore.js';
import { DrizzleFeatureRepository } from './engine/store/features.repo.js';
import { createStore } from './engine/store/repositories.js';
import type { Logger } from './log.js';
import { CollectorStatusFeed } from './jobs/collector-status.js';
import { startCollectorJobs } from './jobs/collectors.js';
import { configureEntities } from './jobs/entities.js';
import { configureModels } from './jobs/models.js';
import { configureTrading, startExecutorLoop } from './jobs/trading.js';
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

function dashboard(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const html = readFileSync(new URL('../web/index.html', import.meta.url));
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/' && path !== '/index.html')) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(html);
    return true;
  };
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
    const models = await configureModels(config.models, { redis: redisClient, redisPrefix: config.redisPrefix, offline: offlineFeatures, log });
    const desk = await configureTrading(config.trading, {
      bus,
      clock,
      instruments,
      log,
      persistence: { orders: store.orders, autotradeQueue: store.autotradeQueue, killSwitches: store.killSwitches },
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
      models: models.engine,
      ...(desk ? { desk } : {}),
    });
    await engine.start();
    closers.push(() => engine.stop({ drainTimeoutMs: config.shutdownTimeoutMs }));
    if (desk) closers.push(startExecutorLoop(desk, config.trading.tickMs, log));
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
        mlBackend: 'none',
        storeKind: store.kind,
        storeOk,
        busKind: bus.kind,
        pipelineLag: lag.reduce((sum, l) => sum + l.pending, 0),
        lastIngestToConvictionMs: engine.latency.lastMs,
        signalsStored,
        convictionsStored,
      };
    };

    const api = await createApiServer(
      {
        store,
        bus,
        health,
        lineage: (id) => buildLineage(store.audit, id),
        now: () => clock.now(),
        redis: pubsubRedis,
        collectors: collectorStatus,
        models: new StaticModelCatalog(zscoreModelName(), models.ensemble),
        features: { featureSet: models.engine.featureSet, online: models.engine.online, offline: offlineFeatures },
        trading: desk ?? undefined,
        replay: (id) => replayConviction({ audit: store.audit, instruments: store.instruments, combiner: models.combinerFor }, id),
      },
      {
        port: config.port,
        host: config.host,
        staticHandler: dashboard(),
        channelPrefix: `${config.redisPrefix}api:`,
        onError: (err) => log.error({ err }, 'api: unexpected error'),
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
        `  Dashboard:      ${api.url.replace(/\/graphql$/, '/')}`,
        `  GraphQL HTTP:   ${api.url}`,
        `  Subscriptions:  ${api.wsUrl}  (graphql-ws)`,
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
