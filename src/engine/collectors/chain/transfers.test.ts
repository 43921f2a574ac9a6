import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../market/decimal.js';
import { ERC20_TRANSFER_TOPIC, ZERO_ADDRESS, type Log, type Transaction } from './parse.js';
import { logDraft, nativeTransferDraft, retraction, toUnits, type TransferRules } from './transfers.js';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const HOT = '0x28c6c06298d514db089934071355e5743bf21d60';
const topic = (address: string) => `0x${'0'.repeat(24)}${address.slice(2)}`;
const rules: TransferRules = {
  source: 'ethereum',
  nativeSymbol: 'ETH',
  nativeInstrument: 'ETH-USD',
  nativeWhaleWei: toUnits('1000', 18, 'native'),
  whaleUsd: null,
  tokens: new Map([[USDC, { address: USDC, symbol: 'USDC', decimals: 6, whaleUnits: toUnits('5000000', 6, 'w'), flowUnits: toUnits('1000000', 6, 'f'), instrument: null }]]),
  exchanges: new Map([[HOT, 'Binance 14']]),
  pricesUsd: new Map([['ETH', parseDecimal('2300.25')!]]),
};
const log = (from: string, to: string, amount: bigint): Log => ({
  address: USDC,
  topics: [ERC20_TRANSFER_TOPIC, topic(from), topic(to)],
  data: `0x${amount.toString(16).padStart(64, '0')}`,
  blockNumber: 19_000_000n,
  blockHash: `0x${'1'.repeat(64)}`,
  transactionHash: `0x${'2'.repeat(64)}`,
  logIndex: 5n,
  removed: false,
});
const ALICE = `0x${'a'.repeat(40)}`;

describe('toUnits', () => {
  it('scales whole tokens to base units, rounding a finer threshold up', () => {
    expect(toUnits('1000', 18, 'x')).toBe(1000n * 10n ** 18n);
    expect(toUnits('0.5', 6, 'x')).toBe(500000n);
    expect(toUnits('0.0000001', 6, 'x')).toBe(1n);
    expect(() => toUnits('-1', 6, 'tokens.USDC.whaleThreshold')).toThrow(/tokens.USDC.whaleThreshold/);
  });
});

describe('transfer signals', () => {
  it('a native whale moving onto a labelled exchange, valued exactly', () => {
    const tx: Transaction = { hash: `0x${'3'.repeat(64)}`, from: ALICE, to: HOT, value: 1500n * 10n ** 18n + 1n, type: 2n };
    const draft = nativeTransferDraft(rules, tx, 19_000_000n, 1)!;
    // 1500.000000000000000001 × 2300.25, to the last wei
    expect(draft.signal.body).toMatchObject({ amount: '1500.000000000000000001', amountUsd: '3450375.00000000000000230025', toExchange: true, toLabel: 'Binance 14' });
    expect(nativeTransferDraft(rules, { ...tx, value: 999n * 10n ** 18n }, 1n, 1)).toBeNull();
    expect(nativeTransferDraft(rules, { ...tx, to: null }, 1n, 1)!.signal.body.to).toBeNull();
  });

  it('a stablecoin mint, a burn, a small mint left out, and a whale between wallets', () => {
    const mint = logDraft(rules, log(ZERO_ADDRESS, ALICE, 2_500_000_000_000n), 1)!;
    expect(mint.signal).toMatchObject({ kind: 'stablecoin_flow', externalId: `eth:log:0x${'2'.repeat(64)}:5`, body: { flow: 'mint', polarity: 1, amount: '2500000', notionalUsd: '2500000', counterparty: ALICE } });
    const burn = logDraft(rules, log(HOT, ZERO_ADDRESS, 1_000_000_000_000n), 1)!;
    expect(burn.signal.body).toMatchObject({ flow: 'burn', polarity: -1, notionalUsd: '1000000' });
    expect(logDraft(rules, log(ZERO_ADDRESS, ALICE, 999_999_000_000n), 1)).toBeNull();
    const whale = logDraft(rules, log(HOT, ALICE, 6_000_000_000_000n), 1)!;
    expect(whale.signal).toMatchObject({ kind: 'whale_transfer', body: { fromExchange: true, fromLabel: 'Binance 14', toExchange: false, amount: '6000000', amountUsd: '6000000' } });
    expect(logDraft(rules, { ...log(HOT, ALICE, 6_000_000_000_000n), address: `0x${'9'.repeat(40)}` }, 1)).toBeNull();
  });

  it('a USD threshold makes any transfer of known value a whale (stablecoins at par)', () => {
    const byUsd: TransferRules = { ...rules, nativeWhaleWei: null, whaleUsd: parseDecimal('1000000')! };
    const tx: Transaction = { hash: `0x${'4'.repeat(64)}`, from: ALICE, to: HOT, value: 500n * 10n ** 18n, type: 2n };
    expect(nativeTransferDraft(byUsd, tx, 1n, 1)!.signal.body.amountUsd).toBe('1150125'); // 500 × 2300.25
    expect(nativeTransferDraft(byUsd, { ...tx, value: 400n * 10n ** 18n }, 1n, 1)).toBeNull(); // $920,100
    expect(logDraft(byUsd, log(HOT, ALICE, 1_000_000_000_000n), 1)!.signal.kind).toBe('whale_transfer'); // 1M USDC < 5M, but $1M
    expect(logDraft(rules, log(HOT, ALICE, 1_000_000_000_000n), 1)).toBeNull();
  });

  it('a retraction names the original and keeps its kind', () => {
    const r = retraction({ kind: 'whale_transfer', instrument: 'ETH-USD', externalId: 'eth:tx:0xabc' }, 'reorg', 5, 'ethereum');
    expect(r).toEqual({ tsEvent: 5, retracts: true, signal: { source: 'ethereum', kind: 'whale_transfer', instrument: 'ETH-USD', externalId: 'eth:tx:0xabc:retracted', body: { retracts: 'eth:tx:0xabc', reason: 'reorg' } } });
  });
});
