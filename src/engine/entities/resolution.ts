/**
 * What entity resolution produces: the entities a signal names, each in a role and with the rule that matched
 * it, the instrument the signal is about, and what could not be resolved, with the reason.
 */
import type { EntityKind } from './ids.js';

export type ResolutionRule =
  | 'cik'
  | 'cusip'
  | 'token_address'
  | 'ticker'
  | 'instrument_field'
  | 'cashtag'
  | 'cashtag_universe'
  | 'company_name'
  | 'owner_cik'
  | 'owner_name'
  | 'holder_cik'
  | 'wallet'
  | 'wallet_label'
  | 'source_label'
  | 'exchange_name'
  | 'author';

/**
 * How far each rule is trusted. Identifiers assigned by a registry (CIK, CUSIP, a contract address, an address)
 * are exact. A ticker is exact but can be mistyped or reused after a delisting; a cashtag is someone's tag; a
 * name match survives normalization only; an insider known by name alone may share it with someone else; a
 * label from the source's own list, or an exchange named without an address, is as good as that list.
 */
export const RULE_CONFIDENCE: Readonly<Record<ResolutionRule, number>> = {
  cik: 1,
  cusip: 1,
  token_address: 1,
  ticker: 0.95,
  instrument_field: 0.95,
  cashtag: 0.9,
  cashtag_universe: 0.7,
  company_name: 0.8,
  owner_cik: 1,
  owner_name: 0.6,
  holder_cik: 1,
  wallet: 1,
  wallet_label: 1,
  source_label: 0.9,
  exchange_name: 0.9,
  author: 1,
};

export type EntityRole =
  | 'instrument'
  | 'issuer'
  | 'insider'
  | 'holder'
  | 'token'
  | 'sender'
  | 'receiver'
  | 'label'
  | 'author'
  | 'mentioned';

export interface ResolvedEntity {
  readonly id: string;
  readonly kind: EntityKind;
  readonly role: EntityRole;
  readonly rule: ResolutionRule;
  readonly confidence: number;
  readonly name: string | null;
  /** What the signal says about the entity in this role: an insider's relationship, a labelled wallet's id. */
  readonly attrs: Readonly<Record<string, string>>;
}

export type UnresolvedReason = 'unknown' | 'ambiguous' | 'invalid' | 'conflict';

export interface Unresolved {
  /** Which identifier (`cashtag`, `issuerCik`, `companyName`, …). */
  readonly identifier: string;
  readonly value: string;
  readonly reason: UnresolvedReason;
}

export interface Resolution {
  /** The instrument symbol the signal is about, or null when nothing resolved it unambiguously. */
  readonly instrument: string | null;
  /** The confidence of `instrument` (0 when null). */
  readonly confidence: number;
  readonly rule: ResolutionRule | null;
  /** Sorted by role, then id. */
  readonly entities: readonly ResolvedEntity[];
  readonly unresolved: readonly Unresolved[];
}

/** The entities of a resolution in one role. */
export function entitiesInRole(resolution: Resolution, role: EntityRole): readonly ResolvedEntity[] {
  return resolution.entities.filter((e) => e.role === role);
}
