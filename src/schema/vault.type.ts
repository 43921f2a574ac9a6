/**
 * Vaults: portfolios that trade conviction by a persona. A vault is its versioned config and overlay, the
 * settings they make together, and its books marked at the latest prices. Money and quantities are decimal
 * strings, exact as the ledger keeps them; ratios (caps, buffers) are fractions.
 */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { GrowthPoint, PositionMark, Valuation } from '../engine/vaults/ledger.js';
import type { VaultChangeKind, VaultVersion } from '../engine/vaults/ports.js';
import type { VaultView } from '../engine/vaults/service.js';
import type { LoanAccount, Position, VaultState } from '../engine/vaults/state.js';
import { MutationErrorType } from './mutation.type.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

type VaultStatus = VaultView['vault']['config']['status'];

export const VaultStatusEnum = { ACTIVE: 'active', PAUSED: 'paused', CLOSED: 'closed' } as const satisfies Record<string, VaultStatus>;
registerEnumType(VaultStatusEnum, { name: 'VaultStatus', description: 'The status its config gives the vault.' });

export const VaultChangeKindEnum = {
  CREATED: 'created',
  CONFIG_REPLACED: 'config_replaced',
  OVERLAY_SET: 'overlay_set',
  PERSONA_SET: 'persona_set',
} as const satisfies Record<string, VaultChangeKind>;
registerEnumType(VaultChangeKindEnum, { name: 'VaultChangeKind', description: 'What a version of a vault changed.' });

@ObjectType('VaultCaps', { description: 'Limits on weights, as fractions of NAV.' })
export class VaultCapsType {
  @Field(() => Float, { description: 'Largest |weight| of one instrument.' })
  perInstrument!: number;

  @Field(() => Float, { description: 'Largest Σ|weight| of one sector.' })
  perSector!: number;

  @Field(() => Float, { description: 'Largest gross exposure, as a multiple of equity.' })
  leverage!: number;

  @Field(() => Boolean)
  allowShort!: boolean;
}

@ObjectType('VaultSettings', { description: 'What the vault trades by: its config with its overlay applied.' })
export class VaultSettingsType {
  @Field(() => ID, { description: "The persona it trades with (an overlay's persona takes precedence over the config's)." })
  personaId!: string;

  @Field(() => String)
  baseCurrency!: string;

  @Field(() => String, { description: 'Decimal string, in the base currency.' })
  startingCapital!: string;

  @Field(() => [String], { description: 'Instruments of its universe.' })
  universeInstruments!: string[];

  @Field(() => [String], { description: 'Routing tags of its universe: a conviction carrying one is in it.' })
  universeTags!: string[];

  @Field(() => String, { description: '`proportional` or `banded`.' })
  allocationMode!: string;

  @Field(() => VaultCapsType)
  caps!: VaultCapsType;

  @Field(() => Float, { description: 'Share of NAV kept in cash.' })
  cashBuffer!: number;

  @Field(() => Float, { nullable: true, description: "Annualized volatility target; null uses the persona's." })
  volatilityTarget!: number | null;

  @Field(() => Float, { description: 'Fraction of full Kelly a position may reach.' })
  kellyCap!: number;

  @Field(() => String, { description: 'What happens to a position when its conviction expires: `close` or `reduce`.' })
  ttlExpiry!: string;

  @Field(() => String, { description: '`reinvest_all`, `reinvest_fraction` or `fixed_base`.' })
  compoundingRule!: string;

  @Field(() => String, { description: '`daily`, `weekly`, `monthly` or `manual`.' })
  compoundingSchedule!: string;

  @Field(() => String, { description: 'The venue orders go to unless routed by asset class or instrument.' })
  defaultVenue!: string;

  @Field(() => Boolean, { description: 'Paused by its status or its overlay: only stop-loss and expiry exits are placed.' })
  paused!: boolean;

  @Field(() => [String], { nullable: true, description: 'Only these instruments take new exposure; null for no restriction.' })
  allow!: string[] | null;

  @Field(() => [String], { description: 'Never traded.' })
  deny!: string[];

  @Field(() => JSONScalar, { description: "The overlay's tilts: `{ instruments: {AAPL: 1.5}, tags: {...} }`." })
  tilts!: unknown;
}

@ObjectType('Position', { description: 'A position of a vault, marked at the latest price.' })
export class PositionType {
  @Field(() => String)
  instrument!: string;

  @Field(() => String, { description: 'Signed decimal string: negative is short.' })
  quantity!: string;

  @Field(() => String, { description: 'Decimal string: cost basis / |quantity|.' })
  avgPrice!: string;

  @Field(() => String, { description: 'Decimal string: what the open quantity cost at its entry prices.' })
  costBasis!: string;

  @Field(() => String, { description: 'Decimal string: the price it is marked at.' })
  price!: string;

  @Field(() => Boolean, { description: 'No market price was known: marked at its average price.' })
  priceStale!: boolean;

  @Field(() => String, { description: 'Signed decimal string: quantity × price.' })
  marketValue!: string;

  @Field(() => String, { description: 'Decimal string.' })
  unrealizedPnl!: string;

  @Field(() => String, { description: 'Decimal string: realized PnL of this instrument, net of fees, since the vault began.' })
  realizedPnl!: string;

  @Field(() => DateTimeScalar)
  openedAt!: Date;

  @Field(() => ID, { nullable: true, description: "The conviction behind the position's latest trade." })
  convictionId!: string | null;
}

@ObjectType('VaultLoan', { description: "A loan vault's account with its lender. Decimal strings." })
export class VaultLoanType {
  @Field(() => String)
  lender!: string;

  @Field(() => String)
  principal!: string;

  @Field(() => String, { description: 'NAV after the last settlement; profit is shared only above it.' })
  highWaterMark!: string;

  @Field(() => String)
  interestOwed!: string;

  @Field(() => String)
  interestPaid!: string;

  @Field(() => String)
  lenderOwed!: string;

  @Field(() => String)
  lenderPaid!: string;
}

@ObjectType('Vault', { description: 'A portfolio that trades conviction by a persona. Money is in decimal strings, in the base currency.' })
export class VaultType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => VaultStatusEnum)
  status!: VaultStatus;

  @Field(() => Int, { description: 'Bumped by every change of config, overlay or persona; pass it as `expectedVersion`.' })
  version!: number;

  @Field(() => JSONScalar, { description: 'The vault document (`vault.json`) as stored, defaults filled in.' })
  config!: unknown;

  @Field(() => JSONScalar, { nullable: true, description: 'The overlay document (`vault_overlay.json`); null when none is set.' })
  overlay!: unknown;

  @Field(() => VaultSettingsType)
  settings!: VaultSettingsType;

  @Field(() => String)
  cash!: string;

  @Field(() => String, { description: 'cash + Σ quantity × price.' })
  equity!: string;

  @Field(() => String, { description: 'Equity less what a loan vault owes its lender.' })
  nav!: string;

  @Field(() => String, { description: 'Σ |market value|.' })
  grossExposure!: string;

  @Field(() => String, { description: 'Realized PnL net of fees, since the vault began.' })
  realizedPnl!: string;

  @Field(() => String)
  unrealizedPnl!: string;

  @Field(() => String, { description: 'Profit swept out of trading by `reinvest_fraction`.' })
  reserve!: string;

  @Field(() => String, { description: 'Profit withdrawn by `fixed_base`.' })
  withdrawn!: string;

  @Field(() => String)
  fees!: string;

  @Field(() => [PositionType], { description: 'By instrument.' })
  positions!: PositionType[];

  @Field(() => VaultLoanType, { nullable: true })
  loan!: VaultLoanType | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last compounded.' })
  lastCompoundedAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When its config last changed.' })
  updatedAt!: Date;
}

function toPositionType(p: Position, mark: PositionMark | undefined): PositionType {
  return {
    instrument: p.instrument,
    quantity: p.quantity,
    avgPrice: p.avgPrice,
    costBasis: p.costBasis,
    price: mark?.price ?? p.avgPrice,
    priceStale: mark?.stale ?? true,
    marketValue: mark?.value ?? '0',
    unrealizedPnl: mark?.unrealizedPnl ?? '0',
    realizedPnl: p.realizedPnl,
    openedAt: toDate(p.openedAt),
    convictionId: p.convictionId,
  };
}

function toLoanType(l: LoanAccount): VaultLoanType {
  const { lender, principal, highWaterMark, interestOwed, interestPaid, lenderOwed, lenderPaid } = l;
  return { lender, principal, highWaterMark, interestOwed, interestPaid, lenderOwed, lenderPaid };
}

/** A vault with its books, marked by `valuation` (markToMarket of `state`). */
export function toVaultType(view: VaultView, state: VaultState, valuation: Valuation): VaultType {
  const { vault, effective: e } = view;
  const marks = new Map(valuation.marks.map((m) => [m.instrument, m]));
  return {
    id: vault.id,
    name: e.name,
    status: e.status,
    version: vault.version,
    config: vault.config,
    overlay: vault.overlay,
    settings: {
      personaId: e.personaId,
      baseCurrency: e.baseCurrency,
      startingCapital: e.startingCapital,
      universeInstruments: [...e.universe.instruments],
      universeTags: [...e.universe.tags],
      allocationMode: e.allocation.mode,
      caps: { ...e.caps },
      cashBuffer: e.cashBuffer,
      volatilityTarget: e.volatilityTarget,
      kellyCap: e.kellyCap,
      ttlExpiry: e.ttlExpiry.action,
      compoundingRule: e.compounding.rule,
      compoundingSchedule: e.compounding.schedule,
      defaultVenue: e.venues.default,
      paused: e.paused,
      allow: e.allow ? [...e.allow] : null,
      deny: [...e.deny],
      tilts: e.tilts,
    },
    cash: state.cash,
    equity: valuation.equity,
    nav: valuation.nav,
    grossExposure: valuation.grossExposure,
    realizedPnl: state.realizedPnl,
    unrealizedPnl: valuation.unrealizedPnl,
    reserve: state.reserve,
    withdrawn: state.withdrawn,
    fees: state.fees,
    positions: state.positions.map((p) => toPositionType(p, marks.get(p.instrument))),
    loan: state.loan ? toLoanType(state.loan) : null,
    lastCompoundedAt: state.lastCompoundedAt === null ? null : toDate(state.lastCompoundedAt),
    createdAt: toDate(vault.createdAt),
    updatedAt: toDate(vault.updatedAt),
  };
}

@ObjectType('GrowthPoint', { description: "A point of a vault's growth curve. Decimal strings." })
export class GrowthPointType {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String)
  equity!: string;

  @Field(() => String)
  nav!: string;

  @Field(() => String)
  cash!: string;

  @Field(() => String)
  reserve!: string;

  @Field(() => String)
  withdrawn!: string;

  @Field(() => String)
  realizedPnl!: string;

  @Field(() => String)
  unrealizedPnl!: string;

  @Field(() => String, { description: "What the vault's owner has: nav + reserve + withdrawn." })
  totalValue!: string;
}

export function toGrowthPointType(p: GrowthPoint): GrowthPointType {
  const { equity, nav, cash, reserve, withdrawn, realizedPnl, unrealizedPnl, totalValue } = p;
  return { at: toDate(p.ts), equity, nav, cash, reserve, withdrawn, realizedPnl, unrealizedPnl, totalValue };
}

@ObjectType('VaultVersion', { description: 'A vault as it was after one change, with who made it and why.' })
export class VaultVersionType {
  @Field(() => ID)
  vaultId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => VaultChangeKindEnum)
  kind!: VaultChangeKind;

  @Field(() => JSONScalar)
  config!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  overlay!: unknown;

  @Field(() => String)
  actor!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => ID, { description: 'The event that announced the change (in the audit log).' })
  eventId!: string;
}

export function toVaultVersionType(v: VaultVersion): VaultVersionType {
  const { vaultId, version, kind, config, overlay, actor, reason, eventId } = v;
  return { vaultId, version, kind, config, overlay, actor, reason, at: toDate(v.at), eventId };
}

@ObjectType({ description: 'The vault as created, or the errors that kept it from being created.' })
export class CreateVaultPayload {
  @Field(() => VaultType, { nullable: true })
  vault!: VaultType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}

@ObjectType({ description: 'The vault with its new overlay, or the errors that left it unchanged.' })
export class SetVaultOverlayPayload {
  @Field(() => VaultType, { nullable: true })
  vault!: VaultType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}

@ObjectType({ description: 'The vault with its new persona, or the errors that left it unchanged.' })
export class SetPersonaPayload {
  @Field(() => VaultType, { nullable: true })
  vault!: VaultType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}
