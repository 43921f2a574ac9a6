/**
 * What the GraphQL layer needs from the rest of the system. Built in the composition root (`server.ts`)
 * and handed to the API; the API never opens a client itself.
 */
import type { Redis } from 'ioredis';
import type { LineageGraph } from '../engine/audit/lineage-types.js';
import type { Bus } from '../engine/bus/bus.js';
import type { FeatureSet } from '../engine/features/definitions.js';
import type { FeatureRepository } from '../engine/features/offline.js';
import type { OnlineFeatureStore } from '../engine/features/online.js';
import type { ModelCatalog } from '../engine/models/catalog.js';
import type { ReplayResult } from '../engine/audit/replay.js';
import type { TradingDesk } from '../engine/trading-desk.js';
import type { CollectorStatus } from '../engine/collectors/status.js';
import type { Store } from '../engine/store/ports.js';
import type { KpiSource } from '../jobs/kpis.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly uptimeSeconds: number;
  /** The TensorFlow.js backend in use (`tensorflow`, `wasm`, `cpu`), or `none` when no TFJS model is loaded. */
  readonly mlBackend: string;
  readonly storeKind: 'pglite' | 'postgres';
  readonly storeOk: boolean;
  readonly busKind: 'memory' | 'redis';
  /** Events published but not yet handled, summed over topics and groups. */
  readonly pipelineLag: number;
  /** Milliseconds between the newest conviction's source signal being seen and the conviction being scored. */
  readonly lastIngestToConvictionMs: number | null;
  readonly signalsStored: number;
  readonly convictionsStored: number;
}

/** The collector jobs' statuses: the current list, and each change as it happens. */
export interface CollectorStatusSource {
  list(): readonly CollectorStatus[];
  /** Calls `listener` on every change of any collector's status; returns what stops it. */
  subscribe(listener: (status: CollectorStatus) => void): () => void;
}

export interface ApiDeps {
  readonly store: Store;
  readonly bus: Bus;
  readonly health: () => Promise<HealthReport>;
  readonly lineage: (eventId: string) => Promise<LineageGraph | null>;
  /**
   * The engine's clock in epoch ms (with the simulator it may run faster than the wall clock); used for
   * `activeOnly` filters so they agree with the `expiresAt` the engine wrote.
   */
  readonly now: () => number;
  /**
   * When set, subscriptions fan out through Redis pub/sub so several stateless API servers share them;
   * two connections are needed (one publishes, one subscribes). Unset: in-process pub/sub.
   */
  readonly redis?: { readonly publish: Redis; readonly subscribe: Redis } | undefined;
  /** For the `collectors` query and the `collectorStatusChanged` subscription. Unset: no collectors to show. */
  readonly collectors?: CollectorStatusSource | undefined;
  /** For `models` and `modelVersion`. Unset: no models to show. */
  readonly models?: ModelCatalog | undefined;
  /** For `features(entity, asOf)`: the online store for now, the offline store for a time in the past. */
  readonly features?: FeatureAccess | undefined;
  /** Vaults, personas, orders, fills and kill switches. Unset: trading is off and those fields are empty. */
  readonly trading?: TradingDesk | undefined;
  /** Recomputes a conviction from its recorded inputs (`replayConviction`). Unset: replay is not offered. */
  readonly replay?: ((id: string) => Promise<ReplayResult>) | undefined;
  /** For `kpis(from, to)` and `GET /metrics`. Unset: no KPIs are kept. */
  readonly kpis?: KpiSource | undefined;
}

export interface FeatureAccess {
  readonly featureSet: FeatureSet;
  readonly online: OnlineFeatureStore;
  readonly offline: FeatureRepository;
}
