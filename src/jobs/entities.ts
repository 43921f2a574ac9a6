/**
 * Entity resolution as configured: the reference data (bundled samples unless full files are configured), the
 * insider-cluster detector the entity stage feeds, and the co-trading job over the stage's activity window.
 * The composition root builds this once and hands the first part to the engine.
 */
import type { Config } from '../config.js';
import type { Bus } from '../engine/bus/bus.js';
import type { Clock } from '../engine/clock.js';
import type { EngineEntities } from '../engine/engine.js';
import { ActivityWindow } from '../engine/entities/activity-window.js';
import { CoTradingDetector } from '../engine/entities/co-trading.js';
import { InsiderClusterDetector } from '../engine/entities/insider-clusters.js';
import { ReferenceData } from '../engine/entities/reference.js';
import { EntityResolver } from '../engine/entities/resolver.js';
import type { Instrument } from '../engine/types.js';
import { CoTradingJob, type CoTradingJobLogger } from './co-trading.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface ConfiguredEntities {
  readonly engine: EngineEntities;
  /** The co-trading job, not started; null when disabled. */
  coTradingJob(deps: { bus: Bus; clock: Clock; log: CoTradingJobLogger }): CoTradingJob | null;
}

/** Loads the reference data (an unreadable or invalid file is an `EntityDataError` naming it). */
export async function configureEntities(
  config: Config['entities'],
  instruments: readonly Instrument[],
): Promise<ConfiguredEntities> {
  const reference = await ReferenceData.load({
    companyTickersPath: config.companyTickersPath,
    cusipsPath: config.cusipsPath,
    tokensPath: config.tokensPath,
    exchangeWalletsPath: config.exchangeWalletsPath,
    instruments,
  });
  const co = config.coTrading;
  const activities = co.enabled
    ? new ActivityWindow({ spanMs: co.windowHours * HOUR_MS, maxActivities: co.maxActivities })
    : undefined;
  return {
    engine: {
      resolver: new EntityResolver(reference),
      clusters: new InsiderClusterDetector({
        windowMs: config.insiderClusters.windowDays * DAY_MS,
        minInsiders: config.insiderClusters.minInsiders,
      }),
      activities,
    },
    coTradingJob: ({ bus, clock, log }) =>
      activities
        ? new CoTradingJob({
            bus,
            clock,
            log,
            window: activities,
            intervalMs: co.intervalMs,
            detector: new CoTradingDetector({
              windowMs: co.windowHours * HOUR_MS,
              minCommunitySize: co.minCommunitySize,
              minEdgeWeight: co.minEdgeWeight,
              resolution: co.resolution,
            }),
          })
        : null,
  };
}
