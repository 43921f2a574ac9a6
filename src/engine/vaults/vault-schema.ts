/**
 * The vault file (`vault.json`) and the overlay (`vault_overlay.json`) as strict zod schemas. These are the
 * shapes only; what needs more than one field or outside knowledge (caps ordering, known instruments and
 * personas, starting capital of a loan vault) is checked in validate.ts, so the JSON Schemas exported from
 * here stay plain and editors can use them.
 */
import { z } from 'zod';
import { DECIMAL_RE, POSITIVE_DECIMAL_RE } from './decimal.js';
import { BANDS, type DeepReadonly, slug } from './persona-schema.js';

export const ASSET_CLASSES = ['equity', 'crypto', 'index'] as const;
export const COMPOUNDING_SCHEDULES = ['daily', 'weekly', 'monthly', 'manual'] as const;
export const VAULT_STATUSES = ['active', 'paused', 'closed'] as const;

const SYMBOL_RE = /^[A-Z0-9][A-Z0-9.\-]{0,31}$/;
const TAG_RE = /^[a-z0-9_-]+(:[a-z0-9_.-]+)?$/;

const symbol = () => z.string().regex(SYMBOL_RE, 'must be an instrument symbol (AAPL, BTC-USD)');
const tag = () => z.string().regex(TAG_RE, 'must be a routing tag (asset:crypto, sector:technology, insider)');
const venue = () => z.string().regex(/^[a-z0-9][a-z0-9:_-]{0,63}$/, 'must be a venue name (paper, alpaca, ccxt:binance)');
const money = () => z.string().regex(DECIMAL_RE, 'must be a non-negative decimal string');
const positiveMoney = () => z.string().regex(POSITIVE_DECIMAL_RE, 'must be a positive decimal string');
const fraction = () => z.number().gt(0).max(1);
const tilt = () => z.number().min(0).max(10);

export const UniverseSchema = z.strictObject({
  instruments: z.array(symbol()).default([]).meta({ description: 'Instruments the vault may trade' }),
  tags: z.array(tag()).default([]).meta({ description: 'Routing tags: a conviction carrying any of them is in the universe' }),
});

export const VenuesSchema = z.strictObject({
  default: venue().default('paper'),
  byAssetClass: z.partialRecord(z.enum(ASSET_CLASSES), venue()).default({}),
  byInstrument: z.record(symbol(), venue()).default({}),
});

export const AllocationSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('proportional') }).meta({ description: 'Weight ∝ |score| over eligible convictions' }),
  z
    .strictObject({
      mode: z.literal('banded'),
      bandWeights: z.partialRecord(z.enum(BANDS), z.number().min(0).max(1)),
    })
    .meta({ description: 'A fixed weight per conviction band' }),
]);

export const CapsSchema = z.strictObject({
  perInstrument: fraction().meta({ description: 'Largest |weight| of one instrument; ≤ perSector' }),
  perSector: fraction().meta({ description: 'Largest Σ|weight| of one sector; ≤ 1' }),
  leverage: z.number().min(0).max(10).meta({ description: 'Largest gross exposure Σ|weight|, as a multiple of equity' }),
  allowShort: z.boolean().default(false),
});

export const TtlExpirySchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('close') }),
  z.strictObject({ action: z.literal('reduce'), fraction: fraction().meta({ description: 'Share of the position sold' }) }),
]);

const schedule = () => z.enum(COMPOUNDING_SCHEDULES).default('daily');
export const CompoundingSchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('reinvest_all'), schedule: schedule() }),
  z.strictObject({
    rule: z.literal('reinvest_fraction'),
    fraction: z.number().min(0).max(1).meta({ description: 'Share of realized profit reinvested; the rest goes to the reserve' }),
    schedule: schedule(),
  }),
  z.strictObject({
    rule: z.literal('fixed_base'),
    base: positiveMoney().optional().meta({ description: 'Trading capital kept; profit above it is withdrawn. Defaults to startingCapital' }),
    schedule: schedule(),
  }),
]);

export const TradingSchema = z.strictObject({
  minNotional: money().default('10').meta({ description: 'Smallest trade, in the base currency: below it a trade is dust' }),
  feeRate: z.number().min(0).max(0.1).default(0.001).meta({ description: 'Fee allowance as a share of notional, kept in cash' }),
  rebalanceBand: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .meta({ description: 'A held position is resized only when it is off its target by more than this share of the target' }),
  lotSizes: z.record(symbol(), positiveMoney()).default({}),
  defaultLots: z.partialRecord(z.enum(ASSET_CLASSES), positiveMoney()).default({}),
});

export const LoanTermsSchema = z.strictObject({
  lender: z.string().min(1).max(120),
  principal: positiveMoney(),
  lenderShare: z.number().gt(0).lt(1).meta({ description: 'Share of profit above the high-water mark owed to the lender' }),
  interestRateAnnual: z.number().min(0).max(1).default(0).meta({ description: 'Simple interest on principal, accrued per UTC day' }),
  maxNotional: positiveMoney().meta({ description: 'Largest gross exposure of the loan vault, in the base currency' }),
  maxDrawdown: z.number().gt(0).lt(1).meta({ description: 'Drawdown from the high-water mark at which the vault is flattened' }),
});

export const VaultConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: slug(),
    name: z.string().min(1).max(120),
    baseCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO currency code').default('USD'),
    personaId: slug(),
    startingCapital: positiveMoney(),
    universe: UniverseSchema,
    venues: VenuesSchema.default({ default: 'paper', byAssetClass: {}, byInstrument: {} }),
    allocation: AllocationSchema,
    caps: CapsSchema,
    cashBuffer: z.number().min(0).lt(1),
    volatilityTarget: z
      .number()
      .gt(0)
      .max(5)
      .nullable()
      .default(null)
      .meta({ description: "Annualized volatility target; null uses the persona's" }),
    kellyCap: fraction().meta({ description: 'Fraction of full Kelly a position may reach (0.5 = half Kelly)' }),
    ttlExpiry: TtlExpirySchema,
    compounding: CompoundingSchema,
    trading: TradingSchema.default({ minNotional: '10', feeRate: 0.001, rebalanceBand: 0.05, lotSizes: {}, defaultLots: {} }),
    loan: LoanTermsSchema.optional(),
    status: z.enum(VAULT_STATUSES).default('active'),
  })
  .meta({ title: 'Vanta vault' });

export const OverlayCapsSchema = z.strictObject({
  perInstrument: fraction().optional(),
  perSector: fraction().optional(),
  leverage: z.number().min(0).max(10).optional(),
  allowShort: z.boolean().optional(),
});

export const VaultOverlaySchema = z
  .strictObject({
    $schema: z.string().optional(),
    tilts: z
      .strictObject({
        instruments: z.record(symbol(), tilt()).default({}),
        tags: z.record(tag(), tilt()).default({}),
      })
      .optional()
      .meta({ description: 'Multipliers on raw weights, per instrument and per routing tag (0 excludes)' }),
    caps: OverlayCapsSchema.optional(),
    cashBuffer: z.number().min(0).lt(1).optional(),
    volatilityTarget: z.number().gt(0).max(5).nullable().optional(),
    kellyCap: fraction().optional(),
    personaId: slug().optional().meta({ description: "Trades with this persona instead of the vault's" }),
    allow: z.array(symbol()).min(1).optional().meta({ description: 'Only these instruments take new exposure' }),
    deny: z.array(symbol()).optional().meta({ description: 'These instruments are never traded, in either direction' }),
    paused: z.boolean().optional().meta({ description: 'Only stop-loss and expiry exits are placed while paused' }),
  })
  .meta({ title: 'Vanta vault overlay' });

export type VaultConfig = DeepReadonly<z.output<typeof VaultConfigSchema>>;
export type VaultConfigInput = z.input<typeof VaultConfigSchema>;
export type VaultOverlay = DeepReadonly<z.output<typeof VaultOverlaySchema>>;
export type VaultOverlayInput = z.input<typeof VaultOverlaySchema>;
export type LoanTerms = DeepReadonly<z.output<typeof LoanTermsSchema>>;
export type CompoundingRule = VaultConfig['compounding'];
export type CompoundingSchedule = (typeof COMPOUNDING_SCHEDULES)[number];
export type AllocationMode = VaultConfig['allocation']['mode'];
