/**
 * What an on-chain transfer means: a whale transfer (native ETH or a configured token, at or above its
 * threshold), a stablecoin mint or burn (a configured stablecoin moving from or to the zero address), or
 * nothing. Amounts stay BigInt in the token's smallest unit until they are printed as decimal strings;
 * the USD estimate is exact given the configured price.
 *
 * Direction for `normalize`: `toExchange`/`fromExchange` come from a list of labelled exchange wallets
 * (coins moving onto an exchange are usually there to be sold). A mint is new dollars arriving (+1), a
 * burn dollars leaving (−1).
 */
import type { SignalDraft } from '../source.js';
import { cmp, decimalOf, fromUnits, mul, toDecimalString, type Decimal } from '../market/decimal.js';
import { decodeErc20Transfer, ZERO_ADDRESS, type Log, type Transaction } from './parse.js';

export interface TokenRule {
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
  /** In smallest units; null: never a whale. */
  readonly whaleUnits: bigint | null;
  /** Mints and burns at or above this (smallest units) are `stablecoin_flow`; null: not a stablecoin. */
  readonly flowUnits: bigint | null;
  readonly instrument: string | null;
}

export interface TransferRules {
  readonly source: string;
  readonly nativeSymbol: string;
  readonly nativeInstrument: string | null;
  /** Wei; null: no threshold in ETH. */
  readonly nativeWhaleWei: bigint | null;
  /** Any transfer whose USD value is known and at least this is a whale; null: no USD threshold. */
  readonly whaleUsd: Decimal | null;
  /** By lowercase address. */
  readonly tokens: ReadonlyMap<string, TokenRule>;
  /** Exchange wallet labels by lowercase address. */
  readonly exchanges: ReadonlyMap<string, string>;
  /** USD prices by asset symbol. */
  readonly pricesUsd: ReadonlyMap<string, Decimal>;
}

/** A decimal amount of whole tokens as smallest units, rounded up (a threshold is never lowered). */
export function toUnits(amount: string | number, decimals: number, what: string): bigint {
  const d = decimalOf(amount);
  if (!d || d.units < 0n) throw new Error(`${what} must be a non-negative decimal string, got ${JSON.stringify(amount)}`);
  const shift = decimals - d.scale;
  if (shift >= 0) return d.units * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  return d.units / div + (d.units % div === 0n ? 0n : 1n);
}

export const txExternalId = (hash: string): string => `eth:tx:${hash}`;
export const logExternalId = (log: Pick<Log, 'transactionHash' | 'logIndex'>): string => `eth:log:${log.transactionHash}:${log.logIndex}`;

/** The USD value of an amount, when its price is configured (stablecoins count at par otherwise). */
function usdValue(rules: TransferRules, symbol: string, amount: Decimal, assumeDollar: boolean): Decimal | null {
  const price = rules.pricesUsd.get(symbol) ?? (assumeDollar ? { units: 1n, scale: 0 } : null);
  return price ? mul(amount, price) : null;
}

/** At or above the asset's own threshold (base units), or at or above the USD one when the value is known. */
function isWhale(rules: TransferRules, units: bigint, unitThreshold: bigint | null, value: Decimal | null): boolean {
  if (unitThreshold !== null && units >= unitThreshold) return true;
  return rules.whaleUsd !== null && value !== null && cmp(value, rules.whaleUsd) >= 0;
}

const printed = (d: Decimal | null): string | null => (d ? toDecimalString(d) : null);

function parties(rules: TransferRules, from: string, to: string | null): Record<string, unknown> {
  const fromLabel = rules.exchanges.get(from) ?? null;
  const toLabel = to ? (rules.exchanges.get(to) ?? null) : null;
  return { from, to, fromExchange: fromLabel !== null, toExchange: toLabel !== null, fromLabel, toLabel };
}

/** A native transfer at or above the threshold, as a `whale_transfer` draft. */
export function nativeTransferDraft(rules: TransferRules, tx: Transaction, blockNumber: bigint, tsEvent: number): SignalDraft | null {
  if (tx.value === 0n) return null;
  const amount = fromUnits(tx.value, 18);
  const value = usdValue(rules, rules.nativeSymbol, amount, false);
  if (!isWhale(rules, tx.value, rules.nativeWhaleWei, value)) return null;
  return {
    tsEvent,
    signal: {
      source: rules.source,
      kind: 'whale_transfer',
      instrument: rules.nativeInstrument,
      externalId: txExternalId(tx.hash),
      body: {
        asset: rules.nativeSymbol,
        token: null,
        amount: toDecimalString(amount),
        amountRaw: tx.value.toString(),
        decimals: 18,
        amountUsd: printed(value),
        ...parties(rules, tx.from, tx.to),
        txHash: tx.hash,
        blockNumber: blockNumber.toString(),
      },
    },
  };
}

/**
 * The draft a log makes (a stablecoin mint or burn, or a token whale transfer), or null. Logs of
 * unconfigured contracts, non-ERC-20 logs and ERC-721 transfers make none.
 */
export function logDraft(rules: TransferRules, log: Log, tsEvent: number): SignalDraft | null {
  const transfer = decodeErc20Transfer(log);
  if (!transfer) return null;
  const token = rules.tokens.get(transfer.token);
  if (!token) return null;
  const amount = fromUnits(transfer.amount, token.decimals);
  const common = {
    asset: token.symbol,
    token: token.address,
    amount: toDecimalString(amount),
    amountRaw: transfer.amount.toString(),
    decimals: token.decimals,
    txHash: log.transactionHash,
    blockNumber: log.blockNumber.toString(),
    logIndex: log.logIndex.toString(),
  };
  const mint = transfer.from === ZERO_ADDRESS;
  const burn = transfer.to === ZERO_ADDRESS;
  if (token.flowUnits !== null && (mint || burn) && !(mint && burn)) {
    if (transfer.amount < token.flowUnits) return null;
    return {
      tsEvent,
      signal: {
        source: rules.source,
        kind: 'stablecoin_flow',
        instrument: token.instrument,
        externalId: logExternalId(log),
        body: {
          ...common,
          flow: mint ? 'mint' : 'burn',
          counterparty: mint ? transfer.to : transfer.from,
          polarity: mint ? 1 : -1,
          notionalUsd: printed(usdValue(rules, token.symbol, amount, true)),
        },
      },
    };
  }
  const value = usdValue(rules, token.symbol, amount, token.flowUnits !== null);
  if (!isWhale(rules, transfer.amount, token.whaleUnits, value)) return null;
  return {
    tsEvent,
    signal: {
      source: rules.source,
      kind: 'whale_transfer',
      instrument: token.instrument,
      externalId: logExternalId(log),
      body: { ...common, amountUsd: printed(value), ...parties(rules, transfer.from, transfer.to) },
    },
  };
}

/** A draft withdrawing one sent before: same kind and instrument, its body naming the original. */
export function retraction(original: { kind: SignalDraft['signal']['kind']; instrument: string | null; externalId: string }, reason: string, tsEvent: number, source: string): SignalDraft {
  return {
    tsEvent,
    retracts: true,
    signal: {
      source,
      kind: original.kind,
      instrument: original.instrument,
      externalId: `${original.externalId}:retracted`,
      body: { retracts: original.externalId, reason },
    },
  };
}
