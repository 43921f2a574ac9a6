/**
 * The database schema: one set of drizzle pg-core tables, used by both drivers (PGlite and postgres.js)
 * and by drizzle-kit to generate `migrations/`.
 *
 * Conventions:
 * - Every instant is epoch milliseconds (UTC) in a `bigint` column read as a JS number (exact up to 2^53),
 *   the same unit the ports and the event envelope speak.
 * - Money and quantities are `numeric(38,18)`, read as decimal strings: never a float.
 * - Scores and other model outputs are `double precision`.
 * - JSON documents are `jsonb` (see {@link jsonb} for how values round-trip).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * A `jsonb` column that hands back exactly what the driver parsed. Both drivers parse jsonb themselves;
 * drizzle's own `jsonb()` would JSON.parse a top-level string value a second time (`"123"` → 123), which
 * would break the audit chain's round-trip guarantee.
 */
const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});

/** Epoch milliseconds. */
const ms = (name: string) => bigint(name, { mode: 'number' });
/** Exact decimal amount (quantity, price, money). */
const decimal = (name: string) => numeric(name, { precision: 38, scale: 18 });
const ids = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

/** Enriched signals; `id` is the envelope id of the `SignalEnriched` event. */
export const signals = pgTable(
  'signals',
  {
    id: text('id').primaryKey(),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    instrument: text('instrument'),
    externalId: text('external_id'),
    contentHash: text('content_hash').notNull(),
    polarity: doublePrecision('polarity').notNull(),
    magnitude: doublePrecision('magnitude').notNull(),
    body: jsonb('body').notNull(),
    /** Enrichment's flags (`near_duplicate`, `bot_swarm`, `late`, `clock_skew`); empty for a clean signal. */
    flags: ids('flags'),
    /** How much the signal counts, 0..1. */
    weight: doublePrecision('weight').notNull().default(1),
    /** The evidence behind the flags (near-duplicate match, swarm, lateness, clock skew); null when clean. */
    evidence: jsonb('evidence'),
    tsEvent: ms('ts_event').notNull(),
    tsInit: ms('ts_init').notNull(),
    causationIds: ids('causation_ids'),
  },
  (t) => [
    uniqueIndex('signals_content_hash_uq').on(t.contentHash),
    index('signals_flags_idx').using('gin', t.flags),
    index('signals_ts_init_id_idx').on(t.tsInit.desc(), t.id.desc()),
    index('signals_instrument_ts_init_idx').on(t.instrument, t.tsInit.desc(), t.id.desc()),
  ],
);

/** Conviction vectors; `id` is the envelope id of the `ConvictionScored` event. */
export const convictionVectors = pgTable(
  'conviction_vectors',
  {
    id: text('id').primaryKey(),
    signalId: text('signal_id').notNull(),
    instrument: text('instrument').notNull(),
    score: doublePrecision('score').notNull(),
    direction: text('direction').notNull(),
    band: text('band').notNull(),
    reasonVector: jsonb('reason_vector').notNull(),
    contributingModels: jsonb('contributing_models').notNull(),
    routingTags: ids('routing_tags'),
    ttlSeconds: integer('ttl_seconds').notNull(),
    expiresAt: ms('expires_at').notNull(),
    explanation: text('explanation').notNull(),
    createdAt: ms('created_at').notNull(),
    causationIds: ids('causation_ids'),
  },
  (t) => [
    index('conviction_vectors_created_at_id_idx').on(t.createdAt.desc(), t.id.desc()),
    index('conviction_vectors_instrument_created_at_idx').on(t.instrument, t.createdAt.desc(), t.id.desc()),
    index('conviction_vectors_expires_at_idx').on(t.expiresAt),
    index('conviction_vectors_signal_id_idx').on(t.signalId),
    index('conviction_vectors_routing_tags_gin').using('gin', t.routingTags),
    check('conviction_vectors_direction_ck', sql`${t.direction} in ('LONG', 'SHORT', 'NEUTRAL')`),
    check('conviction_vectors_band_ck', sql`${t.band} in ('WEAK', 'MODERATE', 'STRONG', 'EXTREME')`),
  ],
);

export const instruments = pgTable('instruments', {
  symbol: text('symbol').primaryKey(),
  name: text('name').notNull(),
  assetClass: text('asset_class').notNull(),
  sector: text('sector').notNull(),
  venue: text('venue').notNull(),
});

export const personas = pgTable('personas', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  params: jsonb('params').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** A portfolio. `config` holds its overlay (limits, universe, weights), validated by the vaults module. */
export const vaults = pgTable('vaults', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  personaId: text('persona_id').references(() => personas.id),
  baseCurrency: text('base_currency').notNull().default('USD'),
  status: text('status').notNull().default('active'),
  config: jsonb('config').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * An exact decimal of any scale, for what the execution engine computes: Σ quantity × price over the fills
 * keeps every digit of its factors, which numeric(38,18) would round past 18 places. The repositories read it
 * back in canonical text (`'10'`, not `'10.000'`).
 */
const exact = (name: string) => numeric(name);

/**
 * The execution engine's orders, one row per client order id, replaced on every save under an optimistic
 * version check (`version` is the number of events applied). The terms the intent gave (`quantity`,
 * `limit_price`, and `reference_price`, which for a LIMIT order is the limit price) are kept as text, verbatim:
 * an order is stored before risk has judged it, so that a malformed intent is denied with a reason, and
 * `numeric` would refuse `abc` (an error instead of a denial) or rewrite `1e3` (a different order).
 * No foreign key to `vaults`: the execution engine names vaults from the vault files, not from that table.
 */
export const orders = pgTable(
  'orders',
  {
    clientOrderId: text('client_order_id').primaryKey(),
    vaultId: text('vault_id').notNull(),
    instrument: text('instrument').notNull(),
    venue: text('venue').notNull(),
    side: text('side').notNull(),
    type: text('type').notNull(),
    quantity: text('quantity').notNull(),
    limitPrice: text('limit_price'),
    timeInForce: text('time_in_force').notNull(),
    convictionId: text('conviction_id'),
    reason: text('reason').notNull(),
    leg: integer('leg').notNull(),
    referencePrice: text('reference_price'),
    status: text('status').notNull(),
    filledQuantity: exact('filled_quantity').notNull(),
    filledNotional: exact('filled_notional').notNull(),
    avgFillPrice: exact('avg_fill_price'),
    fees: exact('fees').notNull(),
    brokerOrderId: text('broker_order_id'),
    statusReason: text('status_reason'),
    causationIds: ids('causation_ids'),
    createdAt: ms('created_at').notNull(),
    submittedAt: ms('submitted_at'),
    updatedAt: ms('updated_at').notNull(),
    version: integer('version').notNull(),
    lastEventId: text('last_event_id'),
  },
  (t) => [
    index('orders_venue_status_idx').on(t.venue, t.status),
    index('orders_vault_created_at_idx').on(t.vaultId, t.createdAt),
    index('orders_created_at_idx').on(t.createdAt),
    // The statuses of execution/order.ts, spelled out so that drizzle-kit reads this file alone.
    check(
      'orders_status_ck',
      sql`${t.status} in ('INITIALIZED', 'DENIED', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', 'CANCELED', 'EXPIRED')`,
    ),
    check('orders_version_ck', sql`${t.version} >= 0`),
  ],
);

/** Every event applied to an order, `seq` its place in the order's history (from 1). */
export const orderEvents = pgTable(
  'order_events',
  {
    id: text('id').primaryKey(),
    clientOrderId: text('client_order_id')
      .notNull()
      .references(() => orders.clientOrderId),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    tsEvent: ms('ts_event').notNull(),
    tsInit: ms('ts_init').notNull(),
    causationIds: ids('causation_ids'),
    payload: jsonb('payload').notNull(),
  },
  (t) => [
    uniqueIndex('order_events_order_seq_uq').on(t.clientOrderId, t.seq),
    check('order_events_seq_ck', sql`${t.seq} >= 1`),
  ],
);

/**
 * Fills as the venues reported them, once per (venue, venue fill id): a fill read twice cannot be stored twice.
 * `seq` is the order they were stored in, which breaks ties on `ts`.
 */
export const fills = pgTable(
  'fills',
  {
    venue: text('venue').notNull(),
    brokerFillId: text('broker_fill_id').notNull(),
    brokerOrderId: text('broker_order_id').notNull(),
    clientOrderId: text('client_order_id')
      .notNull()
      .references(() => orders.clientOrderId),
    vaultId: text('vault_id').notNull(),
    instrument: text('instrument').notNull(),
    side: text('side').notNull(),
    quantity: exact('quantity').notNull(),
    price: exact('price').notNull(),
    fee: exact('fee').notNull(),
    feeCurrency: text('fee_currency'),
    ts: ms('ts').notNull(),
    eventId: text('event_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    primaryKey({ columns: [t.venue, t.brokerFillId] }),
    uniqueIndex('fills_event_id_uq').on(t.eventId),
    index('fills_venue_ts_idx').on(t.venue, t.ts),
    index('fills_client_order_id_idx').on(t.clientOrderId),
    check('fills_side_ck', sql`${t.side} in ('BUY', 'SELL')`),
  ],
);

/**
 * The autotrade queue: order intents persisted before an executor takes them, keyed by their client order id.
 * The (state, enqueued_at, id) index is the order `take` hands entries out in.
 */
export const autotradeQueue = pgTable(
  'autotrade_queue',
  {
    id: text('id').primaryKey(),
    intent: jsonb('intent').notNull(),
    causationIds: ids('causation_ids'),
    enqueuedAt: ms('enqueued_at').notNull(),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: ms('lease_until'),
    outcome: text('outcome'),
    completedAt: ms('completed_at'),
  },
  (t) => [
    index('autotrade_queue_state_enqueued_at_id_idx').on(t.state, t.enqueuedAt, t.id),
    check('autotrade_queue_state_ck', sql`${t.state} in ('pending', 'taken', 'done')`),
    check(
      'autotrade_queue_outcome_ck',
      sql`${t.outcome} is null or ${t.outcome} in ('submitted', 'denied', 'rejected', 'resumed', 'duplicate')`,
    ),
  ],
);

/** Kill switches, one row per scope (`global`, `vault:<id>`, `venue:<id>`); releasing keeps the row. */
export const killSwitches = pgTable(
  'kill_switches',
  {
    key: text('key').primaryKey(),
    scopeKind: text('scope_kind').notNull(),
    scopeId: text('scope_id'),
    engaged: boolean('engaged').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    changedAt: ms('changed_at').notNull(),
  },
  (t) => [
    check(
      'kill_switches_scope_ck',
      sql`(${t.scopeKind} = 'global' and ${t.scopeId} is null) or (${t.scopeKind} in ('vault', 'venue') and ${t.scopeId} is not null)`,
    ),
  ],
);

/** Current holdings; `quantity` is signed (negative = short). */
export const positions = pgTable(
  'positions',
  {
    vaultId: text('vault_id')
      .notNull()
      .references(() => vaults.id),
    instrument: text('instrument').notNull(),
    quantity: decimal('quantity').notNull().default('0'),
    avgPrice: decimal('avg_price').notNull().default('0'),
    realizedPnl: decimal('realized_pnl').notNull().default('0'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.instrument] })],
);

/**
 * The append-only, hash-chained audit log. `seq` is assigned by the appender (head + 1, under a lock),
 * so the chain has no gaps and two appenders can never both write the same position.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    tsEvent: ms('ts_event').notNull(),
    tsInit: ms('ts_init').notNull(),
    causationIds: ids('causation_ids'),
    payload: jsonb('payload').notNull(),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_event_id_uq').on(t.eventId),
    index('audit_log_type_seq_idx').on(t.type, t.seq),
    check('audit_log_seq_ck', sql`${t.seq} >= 1`),
  ],
);

export const models = pgTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  params: jsonb('params').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const modelVersions = pgTable(
  'model_versions',
  {
    id: text('id').primaryKey(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    version: text('version').notNull(),
    status: text('status').notNull().default('shadow'),
    params: jsonb('params').notNull(),
    metrics: jsonb('metrics').notNull(),
    /** Where the trained weights live (a path or URI), when the model has any. */
    artifact: text('artifact'),
    createdAt: ms('created_at').notNull(),
    promotedAt: ms('promoted_at'),
  },
  (t) => [
    uniqueIndex('model_versions_model_version_uq').on(t.modelId, t.version),
    index('model_versions_model_status_idx').on(t.modelId, t.status),
    check('model_versions_status_ck', sql`${t.status} in ('shadow', 'live', 'retired')`),
  ],
);

export const collectorCursors = pgTable('collector_cursors', {
  collector: text('collector').primaryKey(),
  cursor: text('cursor').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * The entity graph's nodes (see `entities/ids.ts` for the kinds and their ids). `created_by` is the event of the
 * earliest observation, `updated_by` the event of the latest. `name` and `attrs` are those of the latest
 * observation that gave them; their `*_version` (the observation's zero-padded time and event id) is what makes
 * "latest" independent of the order observations arrive in. The kinds are spelled out here rather than imported,
 * so that drizzle-kit reads this file alone; the contract tests check them against `ENTITY_KINDS`.
 */
export const entities = pgTable(
  'entities',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name'),
    nameVersion: text('name_version'),
    attrs: jsonb('attrs').notNull(),
    attrsVersion: text('attrs_version'),
    firstSeen: ms('first_seen').notNull(),
    lastSeen: ms('last_seen').notNull(),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    index('entities_kind_idx').on(t.kind),
    check(
      'entities_kind_ck',
      sql`${t.kind} in ('instrument', 'filer', 'person', 'wallet', 'token', 'label', 'author')`,
    ),
    check('entities_seen_ck', sql`${t.firstSeen} <= ${t.lastSeen}`),
  ],
);

/**
 * The entity graph's edges, one row per (src, kind, dst). `created_by` is the provenance: the event that created
 * the edge (its earliest observation); `attrs` are versioned as the entities' are. The (dst, kind) index serves
 * neighbour queries against the direction of the edge.
 */
export const entityEdges = pgTable(
  'entity_edges',
  {
    src: text('src')
      .notNull()
      .references(() => entities.id),
    kind: text('kind').notNull(),
    dst: text('dst')
      .notNull()
      .references(() => entities.id),
    attrs: jsonb('attrs').notNull(),
    attrsVersion: text('attrs_version'),
    firstSeen: ms('first_seen').notNull(),
    lastSeen: ms('last_seen').notNull(),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.src, t.kind, t.dst] }),
    index('entity_edges_dst_kind_idx').on(t.dst, t.kind),
    index('entity_edges_created_by_idx').on(t.createdBy),
    check(
      'entity_edges_kind_ck',
      sql`${t.kind} in ('issuer_of', 'insider_of', 'holds', 'labelled_as', 'mentions', 'transfers_to', 'token_of')`,
    ),
    check('entity_edges_seen_ck', sql`${t.firstSeen} <= ${t.lastSeen}`),
  ],
);

/**
 * The offline feature store: every value a feature took, append-only. `ts` is the event time the value is as
 * of, `observed_at` when it became known (a value is usable at a time only when both are at or before it),
 * `version` the feature's version id (see `features/definitions.ts`). `value` is null when the feature was
 * undefined as of `ts`. A redelivered event writes nothing (unique source event per feature and version);
 * `seq` orders values of equal `ts` and `observed_at` by arrival. The as-of index serves the point-in-time
 * join: per (entity, feature, version), the latest `ts` at or before a time.
 */
export const featureValues = pgTable(
  'feature_values',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entity: text('entity').notNull(),
    feature: text('feature').notNull(),
    version: text('version').notNull(),
    ts: ms('ts').notNull(),
    value: doublePrecision('value'),
    observedAt: ms('observed_at').notNull(),
    sourceEventId: text('source_event_id').notNull(),
  },
  (t) => [
    uniqueIndex('feature_values_source_uq').on(t.sourceEventId, t.entity, t.feature, t.version),
    index('feature_values_as_of_idx').on(t.entity, t.feature, t.version, t.ts, t.observedAt, t.seq),
  ],
);
