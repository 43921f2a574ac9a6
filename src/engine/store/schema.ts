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

/**
 * A vault as it is now: its validated config and overlay (JSON documents of the vaults module), and `version`,
 * the optimistic lock every change is checked against (1 when created, +1 on every change).
 */
export const vaults = pgTable(
  'vaults',
  {
    id: text('id').primaryKey(),
    version: integer('version').notNull(),
    config: jsonb('config').notNull(),
    overlay: jsonb('overlay'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [check('vaults_version_ck', sql`${t.version} >= 1`)],
);

/** Every version of every vault, as it was after the change, with who made it, why, when and its event. */
export const vaultVersions = pgTable(
  'vault_versions',
  {
    vaultId: text('vault_id')
      .notNull()
      .references(() => vaults.id),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    config: jsonb('config').notNull(),
    overlay: jsonb('overlay'),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: ms('at').notNull(),
    eventId: text('event_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.vaultId, t.version] }),
    check('vault_versions_kind_ck', sql`${t.kind} in ('created', 'config_replaced', 'overlay_set', 'persona_set')`),
  ],
);

/** Custom personas as they are now (the built-in ones live in code), under an optimistic `version`. */
export const personas = pgTable(
  'personas',
  {
    id: text('id').primaryKey(),
    version: integer('version').notNull(),
    persona: jsonb('persona').notNull(),
    actor: text('actor').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [check('personas_version_ck', sql`${t.version} >= 1`)],
);

/** Every version of every custom persona. */
export const personaVersions = pgTable(
  'persona_versions',
  {
    personaId: text('persona_id')
      .notNull()
      .references(() => personas.id),
    version: integer('version').notNull(),
    persona: jsonb('persona').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: ms('at').notNull(),
    eventId: text('event_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personaId, t.version] })],
);

/**
 * A vault's books (vaults/state.ts), one row per vault, saved under an optimistic `revision`. A loan vault's
 * account with its lender is the `loan_*` columns: all set, or (no loan) all null. Positions are rows of their own.
 */
export const vaultStates = pgTable(
  'vault_states',
  {
    vaultId: text('vault_id')
      .primaryKey()
      .references(() => vaults.id),
    revision: integer('revision').notNull(),
    cash: exact('cash').notNull(),
    reserve: exact('reserve').notNull(),
    withdrawn: exact('withdrawn').notNull(),
    realizedPnl: exact('realized_pnl').notNull(),
    uncompoundedPnl: exact('uncompounded_pnl').notNull(),
    pendingSweep: exact('pending_sweep').notNull(),
    fees: exact('fees').notNull(),
    /** Most recent last. */
    stoppedConvictions: ids('stopped_convictions'),
    lastCompoundedAt: ms('last_compounded_at'),
    updatedAt: ms('updated_at').notNull(),
    loanLender: text('loan_lender'),
    loanPrincipal: exact('loan_principal'),
    loanHighWaterMark: exact('loan_high_water_mark'),
    loanInterestOwed: exact('loan_interest_owed'),
    loanInterestPaid: exact('loan_interest_paid'),
    loanLenderOwed: exact('loan_lender_owed'),
    loanLenderPaid: exact('loan_lender_paid'),
    loanVaultShare: exact('loan_vault_share'),
    loanAccruedThrough: ms('loan_accrued_through'),
  },
  (t) => [
    check('vault_states_revision_ck', sql`${t.revision} >= 0`),
    check(
      'vault_states_loan_ck',
      sql`num_nulls(${t.loanLender}, ${t.loanPrincipal}, ${t.loanHighWaterMark}, ${t.loanInterestOwed}, ${t.loanInterestPaid}, ${t.loanLenderOwed}, ${t.loanLenderPaid}, ${t.loanVaultShare}, ${t.loanAccruedThrough}) in (0, 9)`,
    ),
  ],
);

/** A vault's open positions (vaults/state.ts `Position`); `quantity` is signed (negative = short), never 0. */
export const positions = pgTable(
  'positions',
  {
    vaultId: text('vault_id')
      .notNull()
      .references(() => vaults.id),
    instrument: text('instrument').notNull(),
    quantity: exact('quantity').notNull(),
    costBasis: exact('cost_basis').notNull(),
    avgPrice: exact('avg_price').notNull(),
    realizedPnl: exact('realized_pnl').notNull(),
    openedAt: ms('opened_at').notNull(),
    convictionId: text('conviction_id'),
    convictionExpiresAt: ms('conviction_expires_at'),
    nextLeg: integer('next_leg').notNull(),
    expiryHandled: boolean('expiry_handled').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.instrument] }), check('positions_quantity_ck', sql`${t.quantity} <> 0`)],
);

/** The fills applied to each vault's books, with the revision they produced: a fill is applied once. */
export const vaultFills = pgTable(
  'vault_fills',
  {
    vaultId: text('vault_id')
      .notNull()
      .references(() => vaults.id),
    fillId: text('fill_id').notNull(),
    revision: integer('revision').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.fillId] })],
);

/** Each vault's growth curve (vaults/ledger.ts `GrowthPoint`), one point per vault and time. */
export const vaultGrowth = pgTable(
  'vault_growth',
  {
    vaultId: text('vault_id')
      .notNull()
      .references(() => vaults.id),
    ts: ms('ts').notNull(),
    equity: exact('equity').notNull(),
    nav: exact('nav').notNull(),
    cash: exact('cash').notNull(),
    reserve: exact('reserve').notNull(),
    withdrawn: exact('withdrawn').notNull(),
    realizedPnl: exact('realized_pnl').notNull(),
    unrealizedPnl: exact('unrealized_pnl').notNull(),
    totalValue: exact('total_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.ts] })],
);

/**
 * Merkle roots of complete blocks of the audit chain (audit/merkle.ts), written as the chain grows. Append-only
 * like the log (a trigger refuses UPDATE, DELETE and TRUNCATE): `vanta audit verify` recomputes each root.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    fromSeq: bigint('from_seq', { mode: 'number' }).primaryKey(),
    toSeq: bigint('to_seq', { mode: 'number' }).notNull(),
    root: char('root', { length: 64 }).notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [check('audit_checkpoints_span_ck', sql`${t.fromSeq} >= 1 and ${t.toSeq} >= ${t.fromSeq}`)],
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
    /** The version it was retrained from, when it was. */
    parentVersion: text('parent_version'),
    featureSetVersion: text('feature_set_version'),
    /** Event-time range of the training rows, [from, to); both null for models written in code. */
    trainingFrom: ms('training_from'),
    trainingTo: ms('training_to'),
    trainedAsOf: ms('trained_as_of'),
    artifactHash: text('artifact_hash'),
    /** The histograms drift is measured against (modelops/histogram.ts), once computed. */
    driftReference: jsonb('drift_reference'),
    /** The reinforcement's last checkpoint (modelops/reinforcement.ts), for a stacker version that is reinforced. */
    reinforcementState: jsonb('reinforcement_state'),
  },
  (t) => [
    uniqueIndex('model_versions_model_version_uq').on(t.modelId, t.version),
    index('model_versions_model_status_idx').on(t.modelId, t.status),
    uniqueIndex('model_versions_one_live_uq').on(t.modelId).where(sql`${t.status} = 'live'`),
    check('model_versions_status_ck', sql`${t.status} in ('shadow', 'live', 'retired')`),
    check('model_versions_training_window_ck', sql`(${t.trainingFrom} is null) = (${t.trainingTo} is null)`),
  ],
);

/** Every alias change of a model, registration included, numbered from 1 in event-time order. */
export const modelAliasChanges = pgTable(
  'model_alias_changes',
  {
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    seq: integer('seq').notNull(),
    versionId: text('version_id')
      .notNull()
      .references(() => modelVersions.id),
    version: text('version').notNull(),
    fromAlias: text('from_alias'),
    toAlias: text('to_alias').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: ms('at').notNull(),
    eventId: text('event_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.seq] }),
    uniqueIndex('model_alias_changes_event_id_uq').on(t.eventId),
    index('model_alias_changes_version_idx').on(t.versionId, t.seq),
    check('model_alias_changes_seq_ck', sql`${t.seq} >= 1`),
    check(
      'model_alias_changes_alias_ck',
      sql`${t.toAlias} in ('shadow', 'live', 'retired') and (${t.fromAlias} is null or ${t.fromAlias} in ('shadow', 'live', 'retired'))`,
    ),
  ],
);

/** One model version's drift at one scheduled evaluation: its level, alarm, weight multiplier and key statistics. */
export const driftReports = pgTable(
  'drift_reports',
  {
    id: text('id').primaryKey(),
    modelId: text('model_id').notNull(),
    version: text('version').notNull(),
    asOf: ms('as_of').notNull(),
    windowStart: ms('window_start').notNull(),
    windowEnd: ms('window_end').notNull(),
    level: text('level').notNull(),
    alarmed: boolean('alarmed').notNull(),
    raisedBy: text('raised_by'),
    weightMultiplier: doublePrecision('weight_multiplier').notNull(),
    keys: jsonb('keys').notNull(),
  },
  (t) => [
    index('drift_reports_model_as_of_idx').on(t.modelId, t.asOf),
    check('drift_reports_level_ck', sql`${t.level} in ('ok', 'warn', 'alarm', 'insufficient')`),
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

/**
 * API keys. Only the SHA-256 of a key's secret is stored; `id` is the key's public prefix (`vk_<id>_<secret>`),
 * shown in lists and audit entries. A revoked key keeps its row, so that audit entries still name it.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [
    check(
      'api_keys_roles_ck',
      sql`cardinality(${t.roles}) >= 1 and ${t.roles} <@ array['ALPHA', 'MARKETS', 'EXECUTOR', 'VIEWER']::text[]`,
    ),
    check('api_keys_hash_ck', sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Backtest runs (migrations/0008_backtests.sql): the request, a summary, and the per-vault curves, trades,
 * attribution and risk report as jsonb documents, written once when the run ends.
 */
export const backtests = pgTable(
  'backtests',
  {
    id: text('id').primaryKey(),
    createdAt: ms('created_at').notNull(),
    status: text('status').notNull(),
    fromTs: ms('from_ts').notNull(),
    toTs: ms('to_ts').notNull(),
    seed: integer('seed').notNull(),
    spec: jsonb('spec').notNull(),
    summary: jsonb('summary').notNull(),
    vaults: jsonb('vaults').notNull(),
    trades: jsonb('trades').notNull(),
    attribution: jsonb('attribution').notNull(),
    risk: jsonb('risk').notNull(),
    reportPath: text('report_path'),
    error: text('error'),
  },
  (t) => [
    check('backtests_status_ck', sql`${t.status} in ('completed', 'failed')`),
    check('backtests_window_ck', sql`${t.toTs} > ${t.fromTs}`),
    index('backtests_created_idx').on(t.createdAt),
  ],
);
