/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** `IDLE` (waiting for the next poll), `POLLING` (a poll or connection in flight), `STREAMING` (a stream delivering), `BACKOFF` (the last attempt failed; waiting longer), `STOPPED`, `DISABLED` (configured but not started; see `reason`). */
export type CollectorState =
  | 'BACKOFF'
  | 'DISABLED'
  | 'IDLE'
  | 'POLLING'
  | 'STOPPED'
  | 'STREAMING';

/** The strength of a conviction, by the absolute value of its score. */
export type ConvictionBand =
  | 'EXTREME'
  | 'MODERATE'
  | 'STRONG'
  | 'WEAK';

/** Every field set must match (AND). */
export type ConvictionFilter = {
  /** Only vectors that have not expired yet. */
  activeOnly?: boolean | null | undefined;
  band?: ConvictionBand | null | undefined;
  /** Instrument symbol, e.g. `AAPL`. */
  instrument?: string | null | undefined;
  /** Only vectors with |convictionScore| >= this (0..1). */
  minAbsScore?: number | null | undefined;
  /** Only vectors carrying this routing tag. */
  routingTag?: string | null | undefined;
};

/** Which way the conviction points. */
export type Direction =
  | 'LONG'
  | 'NEUTRAL'
  | 'SHORT';

export type HealthStatus =
  | 'DEGRADED'
  | 'OK';

/** `GLOBAL` without an id; `VAULT` with a vault id; `VENUE` with a venue (`paper`). */
export type KillSwitchScopeInput = {
  id?: string | null | undefined;
  kind: KillSwitchScopeKind;
};

/** Every order, one vault's, or one venue's. */
export type KillSwitchScopeKind =
  | 'GLOBAL'
  | 'VAULT'
  | 'VENUE';

/** The built-in persona a persona is, or `CUSTOM`. */
export type PersonaKind =
  | 'AGGRESSIVE'
  | 'CONTRARIAN'
  | 'CUSTOM'
  | 'RISK_AVERSE';

/** Alpha orchestrates (vaults, personas, models, kill switches), Markets reflects (signals, convictions, lineage), Executor trades (orders, fills, kill switches), Viewer reads dashboards. */
export type Role =
  | 'ALPHA'
  | 'EXECUTOR'
  | 'MARKETS'
  | 'VIEWER';

/** Every field set must match (AND). */
export type SignalFilter = {
  /** Only signals enrichment flagged so. */
  flag?: SignalFlag | null | undefined;
  /** Instrument symbol, e.g. `AAPL`. */
  instrument?: string | null | undefined;
  kind?: SignalKind | null | undefined;
  /** Collector name, e.g. `simulator`. */
  source?: string | null | undefined;
};

/** What enrichment found suspect about a signal. A flagged signal is kept, and down-weighted when the flag says so. */
export type SignalFlag =
  /** Part of a burst of near-identical posts from many young or low-reach accounts. */
  | 'BOT_SWARM'
  /** Stamped in Vanta's future by more than the tolerance. */
  | 'CLOCK_SKEW'
  /** Arrived behind its stream's watermark; kept, but too late to change closed windows. */
  | 'LATE'
  /** Its text is close to an earlier signal about the same instrument. */
  | 'NEAR_DUPLICATE';

/** What a signal is about: `BAR`, `TRADE`, `ORDER_BOOK` and `OPTIONS_FLOW` are market data; `INSIDER_CLUSTER` and `CO_TRADING_COMMUNITY` are derived from the entity graph; the rest is alternative data. */
export type SignalKind =
  | 'BAR'
  | 'CO_TRADING_COMMUNITY'
  | 'FILING'
  | 'INSIDER_CLUSTER'
  | 'INSIDER_FILING'
  | 'INSTITUTIONAL_HOLDING'
  | 'MACRO'
  | 'MEMPOOL'
  | 'NEWS'
  | 'OPTIONS_FLOW'
  | 'ORDER_BOOK'
  | 'SOCIAL_MENTION'
  | 'STABLECOIN_FLOW'
  | 'TRADE'
  | 'WHALE_TRANSFER';

/** Created, config replaced, overlay set, persona set, a fill booked in its ledger, compounded. */
export type VaultEventType =
  | 'PERSONA_SET'
  | 'VAULT_COMPOUNDED'
  | 'VAULT_CONFIG_REPLACED'
  | 'VAULT_CREATED'
  | 'VAULT_FILL_APPLIED'
  | 'VAULT_OVERLAY_SET';

/** The status its config gives the vault. */
export type VaultStatus =
  | 'ACTIVE'
  | 'CLOSED'
  | 'PAUSED';

export type DashboardMeQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardMeQuery = { me: { id: string, name: string, roles: Array<Role>, via: string } };

export type HeatCellFragment = { id: string, instrument: string, convictionScore: number, direction: Direction, band: ConvictionBand, createdAt: string, expiresAt: string };

export type DashboardConvictionsQueryVariables = Exact<{
  first?: number | null | undefined;
  filter?: ConvictionFilter | null | undefined;
}>;


export type DashboardConvictionsQuery = { convictionVectors: { totalCount: number, edges: Array<{ node: { id: string, instrument: string, convictionScore: number, direction: Direction, band: ConvictionBand, createdAt: string, expiresAt: string } }> } };

export type DashboardConvictionUpdatedSubscriptionVariables = Exact<{
  filter?: ConvictionFilter | null | undefined;
}>;


export type DashboardConvictionUpdatedSubscription = { convictionUpdated: { id: string, instrument: string, convictionScore: number, direction: Direction, band: ConvictionBand, createdAt: string, expiresAt: string } };

export type ConvictionDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type ConvictionDetailQuery = { conviction: { signalId: string, ttl: number, routingTags: Array<string>, explanation: string, id: string, instrument: string, convictionScore: number, direction: Direction, band: ConvictionBand, createdAt: string, expiresAt: string, reasonVector: Array<{ feature: string, contribution: number, value: number, sentence: string }>, contributingModels: Array<{ modelId: string, version: string, weight: number, output: number }> } | null };

export type ConvictionExplainQueryVariables = Exact<{
  id: string | number;
}>;


export type ConvictionExplainQuery = { explainConviction: { outputs: Array<{ eventId: string, modelId: string, modelVersion: string, series: string, score: number, signal: number | null, summary: string | null, attributions: Array<{ feature: string, contribution: number, value: number | null }> }> } | null };

export type ConvictionLineageQueryVariables = Exact<{
  id: string | number;
}>;


export type ConvictionLineageQuery = { lineage: { rootId: string, missing: Array<string>, nodes: Array<{ eventId: string, type: string, depth: number, tsEvent: string, payload: unknown }>, edges: Array<{ from: string, to: string }> } | null };

export type CollectorStateFragment = { name: string, state: CollectorState, reason: string | null, lastSuccessAt: string | null, errorCount: number, published: number, deadLettered: number, lagMs: number | null, lastError: { message: string, code: string | null, at: string } | null };

export type DashboardHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardHealthQuery = { health: { status: HealthStatus, version: string, uptimeSeconds: number, mlBackend: string, storeKind: string, storeOk: boolean, busKind: string, pipelineLag: number, lastIngestToConvictionMs: number | null, signalsStored: number, convictionsStored: number } };

export type DashboardCollectorsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardCollectorsQuery = { collectors: Array<{ name: string, state: CollectorState, reason: string | null, lastSuccessAt: string | null, errorCount: number, published: number, deadLettered: number, lagMs: number | null, lastError: { message: string, code: string | null, at: string } | null }> };

export type DashboardModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardModelsQuery = { models: Array<{ id: string, name: string, kind: string, version: string, status: string }> };

export type DashboardCollectorStatusChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardCollectorStatusChangedSubscription = { collectorStatusChanged: { name: string, state: CollectorState, reason: string | null, lastSuccessAt: string | null, errorCount: number, published: number, deadLettered: number, lagMs: number | null, lastError: { message: string, code: string | null, at: string } | null } };

export type DashboardDriftQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardDriftQuery = { driftStatus: Array<{ versionId: string, level: string, alarmed: boolean, weightMultiplier: number, scoring: boolean }> };

export type DashboardDriftAlarmSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardDriftAlarmSubscription = { driftAlarm: { state: string, model: string, version: string, keys: Array<string> } };

export type SwitchStateFragment = { key: string, engaged: boolean, actor: string, reason: string, changedAt: string, scope: { kind: KillSwitchScopeKind, id: string | null } };

export type DashboardKillSwitchesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardKillSwitchesQuery = { killSwitches: Array<{ key: string, engaged: boolean, actor: string, reason: string, changedAt: string, scope: { kind: KillSwitchScopeKind, id: string | null } }> };

export type DashboardSetKillSwitchMutationVariables = Exact<{
  scope: KillSwitchScopeInput;
  engaged: boolean;
  reason: string;
}>;


export type DashboardSetKillSwitchMutation = { setKillSwitch: { changed: boolean, killSwitch: { key: string, engaged: boolean, actor: string, reason: string, changedAt: string, scope: { kind: KillSwitchScopeKind, id: string | null } } | null, errors: Array<{ code: string, message: string, path: string | null }> } };

export type DashboardKillSwitchChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardKillSwitchChangedSubscription = { killSwitchChanged: { key: string, engaged: boolean, actor: string, reason: string, changedAt: string, scope: { kind: KillSwitchScopeKind, id: string | null } } };

export type StreamSignalFragment = { id: string, source: string, kind: SignalKind, instrument: string | null, polarity: number, magnitude: number, weight: number, flags: Array<SignalFlag>, evidence: unknown, body: unknown, tsEvent: string, tsInit: string };

export type DashboardSignalsQueryVariables = Exact<{
  first?: number | null | undefined;
  filter?: SignalFilter | null | undefined;
}>;


export type DashboardSignalsQuery = { signals: { edges: Array<{ node: { id: string, source: string, kind: SignalKind, instrument: string | null, polarity: number, magnitude: number, weight: number, flags: Array<SignalFlag>, evidence: unknown, body: unknown, tsEvent: string, tsInit: string } }> } };

export type DashboardSignalIngestedSubscriptionVariables = Exact<{
  filter?: SignalFilter | null | undefined;
}>;


export type DashboardSignalIngestedSubscription = { signalIngested: { id: string, source: string, kind: SignalKind, instrument: string | null, polarity: number, magnitude: number, weight: number, flags: Array<SignalFlag>, evidence: unknown, body: unknown, tsEvent: string, tsInit: string } };

export type VaultSummaryFragment = { id: string, name: string, status: VaultStatus, version: number, nav: string, equity: string, cash: string, realizedPnl: string, unrealizedPnl: string, persona: { id: string, name: string } };

export type MutationFailureFragment = { code: string, message: string, path: string | null };

export type DashboardVaultsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardVaultsQuery = { vaults: Array<{ id: string, name: string, status: VaultStatus, version: number, nav: string, equity: string, cash: string, realizedPnl: string, unrealizedPnl: string, persona: { id: string, name: string } }> };

export type DashboardVaultQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardVaultQuery = { vault: { overlay: unknown, grossExposure: string, reserve: string, withdrawn: string, fees: string, id: string, name: string, status: VaultStatus, version: number, nav: string, equity: string, cash: string, realizedPnl: string, unrealizedPnl: string, settings: { personaId: string, baseCurrency: string, startingCapital: string, cashBuffer: number, paused: boolean, caps: { perInstrument: number, perSector: number, leverage: number, allowShort: boolean } }, positions: Array<{ instrument: string, quantity: string, avgPrice: string, price: string, priceStale: boolean, marketValue: string, unrealizedPnl: string, realizedPnl: string }>, growthCurve: Array<{ at: string, nav: string, totalValue: string }>, persona: { id: string, name: string } } | null };

export type DashboardPersonasQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardPersonasQuery = { personas: Array<{ id: string, name: string, kind: PersonaKind, builtIn: boolean, description: string | null }> };

export type DashboardSetVaultOverlayMutationVariables = Exact<{
  vaultId: string | number;
  overlay?: unknown;
  expectedVersion: number;
  reason?: string | null | undefined;
}>;


export type DashboardSetVaultOverlayMutation = { setVaultOverlay: { vault: { id: string, version: number } | null, errors: Array<{ code: string, message: string, path: string | null }> } };

export type DashboardSetPersonaMutationVariables = Exact<{
  vaultId: string | number;
  personaId: string | number;
  expectedVersion: number;
  reason?: string | null | undefined;
}>;


export type DashboardSetPersonaMutation = { setPersona: { vault: { id: string, version: number } | null, errors: Array<{ code: string, message: string, path: string | null }> } };

export type DashboardVaultUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardVaultUpdatedSubscription = { vaultUpdated: { vaultId: string, type: VaultEventType, at: string, version: number | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const HeatCellFragmentDoc = new TypedDocumentString(`
    fragment HeatCell on ConvictionVector {
  id
  instrument
  convictionScore
  direction
  band
  createdAt
  expiresAt
}
    `, {"fragmentName":"HeatCell"}) as unknown as TypedDocumentString<HeatCellFragment, unknown>;
export const CollectorStateFragmentDoc = new TypedDocumentString(`
    fragment CollectorState on CollectorStatus {
  name
  state
  reason
  lastSuccessAt
  lastError {
    message
    code
    at
  }
  errorCount
  published
  deadLettered
  lagMs
}
    `, {"fragmentName":"CollectorState"}) as unknown as TypedDocumentString<CollectorStateFragment, unknown>;
export const SwitchStateFragmentDoc = new TypedDocumentString(`
    fragment SwitchState on KillSwitch {
  key
  scope {
    kind
    id
  }
  engaged
  actor
  reason
  changedAt
}
    `, {"fragmentName":"SwitchState"}) as unknown as TypedDocumentString<SwitchStateFragment, unknown>;
export const StreamSignalFragmentDoc = new TypedDocumentString(`
    fragment StreamSignal on Signal {
  id
  source
  kind
  instrument
  polarity
  magnitude
  weight
  flags
  evidence
  body
  tsEvent
  tsInit
}
    `, {"fragmentName":"StreamSignal"}) as unknown as TypedDocumentString<StreamSignalFragment, unknown>;
export const VaultSummaryFragmentDoc = new TypedDocumentString(`
    fragment VaultSummary on Vault {
  id
  name
  status
  version
  nav
  equity
  cash
  realizedPnl
  unrealizedPnl
  persona {
    id
    name
  }
}
    `, {"fragmentName":"VaultSummary"}) as unknown as TypedDocumentString<VaultSummaryFragment, unknown>;
export const MutationFailureFragmentDoc = new TypedDocumentString(`
    fragment MutationFailure on MutationError {
  code
  message
  path
}
    `, {"fragmentName":"MutationFailure"}) as unknown as TypedDocumentString<MutationFailureFragment, unknown>;
export const DashboardMeDocument = new TypedDocumentString(`
    query DashboardMe {
  me {
    id
    name
    roles
    via
  }
}
    `) as unknown as TypedDocumentString<DashboardMeQuery, DashboardMeQueryVariables>;
export const DashboardConvictionsDocument = new TypedDocumentString(`
    query DashboardConvictions($first: Int, $filter: ConvictionFilter) {
  convictionVectors(first: $first, filter: $filter) {
    edges {
      node {
        ...HeatCell
      }
    }
    totalCount
  }
}
    fragment HeatCell on ConvictionVector {
  id
  instrument
  convictionScore
  direction
  band
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<DashboardConvictionsQuery, DashboardConvictionsQueryVariables>;
export const DashboardConvictionUpdatedDocument = new TypedDocumentString(`
    subscription DashboardConvictionUpdated($filter: ConvictionFilter) {
  convictionUpdated(filter: $filter) {
    ...HeatCell
  }
}
    fragment HeatCell on ConvictionVector {
  id
  instrument
  convictionScore
  direction
  band
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<DashboardConvictionUpdatedSubscription, DashboardConvictionUpdatedSubscriptionVariables>;
export const ConvictionDetailDocument = new TypedDocumentString(`
    query ConvictionDetail($id: ID!) {
  conviction(id: $id) {
    ...HeatCell
    signalId
    ttl
    routingTags
    explanation
    reasonVector {
      feature
      contribution
      value
      sentence
    }
    contributingModels {
      modelId
      version
      weight
      output
    }
  }
}
    fragment HeatCell on ConvictionVector {
  id
  instrument
  convictionScore
  direction
  band
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<ConvictionDetailQuery, ConvictionDetailQueryVariables>;
export const ConvictionExplainDocument = new TypedDocumentString(`
    query ConvictionExplain($id: ID!) {
  explainConviction(id: $id) {
    outputs {
      eventId
      modelId
      modelVersion
      series
      score
      signal
      summary
      attributions {
        feature
        contribution
        value
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConvictionExplainQuery, ConvictionExplainQueryVariables>;
export const ConvictionLineageDocument = new TypedDocumentString(`
    query ConvictionLineage($id: ID!) {
  lineage(id: $id) {
    rootId
    missing
    nodes {
      eventId
      type
      depth
      tsEvent
      payload
    }
    edges {
      from
      to
    }
  }
}
    `) as unknown as TypedDocumentString<ConvictionLineageQuery, ConvictionLineageQueryVariables>;
export const DashboardHealthDocument = new TypedDocumentString(`
    query DashboardHealth {
  health {
    status
    version
    uptimeSeconds
    mlBackend
    storeKind
    storeOk
    busKind
    pipelineLag
    lastIngestToConvictionMs
    signalsStored
    convictionsStored
  }
}
    `) as unknown as TypedDocumentString<DashboardHealthQuery, DashboardHealthQueryVariables>;
export const DashboardCollectorsDocument = new TypedDocumentString(`
    query DashboardCollectors {
  collectors {
    ...CollectorState
  }
}
    fragment CollectorState on CollectorStatus {
  name
  state
  reason
  lastSuccessAt
  lastError {
    message
    code
    at
  }
  errorCount
  published
  deadLettered
  lagMs
}`) as unknown as TypedDocumentString<DashboardCollectorsQuery, DashboardCollectorsQueryVariables>;
export const DashboardModelsDocument = new TypedDocumentString(`
    query DashboardModels {
  models {
    id
    name
    kind
    version
    status
  }
}
    `) as unknown as TypedDocumentString<DashboardModelsQuery, DashboardModelsQueryVariables>;
export const DashboardCollectorStatusChangedDocument = new TypedDocumentString(`
    subscription DashboardCollectorStatusChanged {
  collectorStatusChanged {
    ...CollectorState
  }
}
    fragment CollectorState on CollectorStatus {
  name
  state
  reason
  lastSuccessAt
  lastError {
    message
    code
    at
  }
  errorCount
  published
  deadLettered
  lagMs
}`) as unknown as TypedDocumentString<DashboardCollectorStatusChangedSubscription, DashboardCollectorStatusChangedSubscriptionVariables>;
export const DashboardDriftDocument = new TypedDocumentString(`
    query DashboardDrift {
  driftStatus {
    versionId
    level
    alarmed
    weightMultiplier
    scoring
  }
}
    `) as unknown as TypedDocumentString<DashboardDriftQuery, DashboardDriftQueryVariables>;
export const DashboardDriftAlarmDocument = new TypedDocumentString(`
    subscription DashboardDriftAlarm {
  driftAlarm {
    state
    model
    version
    keys
  }
}
    `) as unknown as TypedDocumentString<DashboardDriftAlarmSubscription, DashboardDriftAlarmSubscriptionVariables>;
export const DashboardKillSwitchesDocument = new TypedDocumentString(`
    query DashboardKillSwitches {
  killSwitches {
    ...SwitchState
  }
}
    fragment SwitchState on KillSwitch {
  key
  scope {
    kind
    id
  }
  engaged
  actor
  reason
  changedAt
}`) as unknown as TypedDocumentString<DashboardKillSwitchesQuery, DashboardKillSwitchesQueryVariables>;
export const DashboardSetKillSwitchDocument = new TypedDocumentString(`
    mutation DashboardSetKillSwitch($scope: KillSwitchScopeInput!, $engaged: Boolean!, $reason: String!) {
  setKillSwitch(scope: $scope, engaged: $engaged, reason: $reason) {
    changed
    killSwitch {
      ...SwitchState
    }
    errors {
      code
      message
      path
    }
  }
}
    fragment SwitchState on KillSwitch {
  key
  scope {
    kind
    id
  }
  engaged
  actor
  reason
  changedAt
}`) as unknown as TypedDocumentString<DashboardSetKillSwitchMutation, DashboardSetKillSwitchMutationVariables>;
export const DashboardKillSwitchChangedDocument = new TypedDocumentString(`
    subscription DashboardKillSwitchChanged {
  killSwitchChanged {
    ...SwitchState
  }
}
    fragment SwitchState on KillSwitch {
  key
  scope {
    kind
    id
  }
  engaged
  actor
  reason
  changedAt
}`) as unknown as TypedDocumentString<DashboardKillSwitchChangedSubscription, DashboardKillSwitchChangedSubscriptionVariables>;
export const DashboardSignalsDocument = new TypedDocumentString(`
    query DashboardSignals($first: Int, $filter: SignalFilter) {
  signals(first: $first, filter: $filter) {
    edges {
      node {
        ...StreamSignal
      }
    }
  }
}
    fragment StreamSignal on Signal {
  id
  source
  kind
  instrument
  polarity
  magnitude
  weight
  flags
  evidence
  body
  tsEvent
  tsInit
}`) as unknown as TypedDocumentString<DashboardSignalsQuery, DashboardSignalsQueryVariables>;
export const DashboardSignalIngestedDocument = new TypedDocumentString(`
    subscription DashboardSignalIngested($filter: SignalFilter) {
  signalIngested(filter: $filter) {
    ...StreamSignal
  }
}
    fragment StreamSignal on Signal {
  id
  source
  kind
  instrument
  polarity
  magnitude
  weight
  flags
  evidence
  body
  tsEvent
  tsInit
}`) as unknown as TypedDocumentString<DashboardSignalIngestedSubscription, DashboardSignalIngestedSubscriptionVariables>;
export const DashboardVaultsDocument = new TypedDocumentString(`
    query DashboardVaults {
  vaults {
    ...VaultSummary
  }
}
    fragment VaultSummary on Vault {
  id
  name
  status
  version
  nav
  equity
  cash
  realizedPnl
  unrealizedPnl
  persona {
    id
    name
  }
}`) as unknown as TypedDocumentString<DashboardVaultsQuery, DashboardVaultsQueryVariables>;
export const DashboardVaultDocument = new TypedDocumentString(`
    query DashboardVault($id: ID!) {
  vault(id: $id) {
    ...VaultSummary
    overlay
    grossExposure
    reserve
    withdrawn
    fees
    settings {
      personaId
      baseCurrency
      startingCapital
      cashBuffer
      paused
      caps {
        perInstrument
        perSector
        leverage
        allowShort
      }
    }
    positions {
      instrument
      quantity
      avgPrice
      price
      priceStale
      marketValue
      unrealizedPnl
      realizedPnl
    }
    growthCurve {
      at
      nav
      totalValue
    }
  }
}
    fragment VaultSummary on Vault {
  id
  name
  status
  version
  nav
  equity
  cash
  realizedPnl
  unrealizedPnl
  persona {
    id
    name
  }
}`) as unknown as TypedDocumentString<DashboardVaultQuery, DashboardVaultQueryVariables>;
export const DashboardPersonasDocument = new TypedDocumentString(`
    query DashboardPersonas {
  personas {
    id
    name
    kind
    builtIn
    description
  }
}
    `) as unknown as TypedDocumentString<DashboardPersonasQuery, DashboardPersonasQueryVariables>;
export const DashboardSetVaultOverlayDocument = new TypedDocumentString(`
    mutation DashboardSetVaultOverlay($vaultId: ID!, $overlay: JSON, $expectedVersion: Int!, $reason: String) {
  setVaultOverlay(
    vaultId: $vaultId
    overlay: $overlay
    expectedVersion: $expectedVersion
    reason: $reason
  ) {
    vault {
      id
      version
    }
    errors {
      ...MutationFailure
    }
  }
}
    fragment MutationFailure on MutationError {
  code
  message
  path
}`) as unknown as TypedDocumentString<DashboardSetVaultOverlayMutation, DashboardSetVaultOverlayMutationVariables>;
export const DashboardSetPersonaDocument = new TypedDocumentString(`
    mutation DashboardSetPersona($vaultId: ID!, $personaId: ID!, $expectedVersion: Int!, $reason: String) {
  setPersona(
    vaultId: $vaultId
    personaId: $personaId
    expectedVersion: $expectedVersion
    reason: $reason
  ) {
    vault {
      id
      version
    }
    errors {
      ...MutationFailure
    }
  }
}
    fragment MutationFailure on MutationError {
  code
  message
  path
}`) as unknown as TypedDocumentString<DashboardSetPersonaMutation, DashboardSetPersonaMutationVariables>;
export const DashboardVaultUpdatedDocument = new TypedDocumentString(`
    subscription DashboardVaultUpdated {
  vaultUpdated {
    vaultId
    type
    at
    version
  }
}
    `) as unknown as TypedDocumentString<DashboardVaultUpdatedSubscription, DashboardVaultUpdatedSubscriptionVariables>;