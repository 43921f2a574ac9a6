/**
 * The simulator's universe: US equities across sectors and the larger crypto assets, with the
 * parameters the simulator draws them from kept apart from the `Instrument` records the rest of the
 * engine sees. Prices are roughly where these traded at the start of 2024.
 */
import type { AssetClass, Instrument } from '../types.js';

/** How the simulator draws one instrument. */
export interface SimParams {
  /** Starting price, in USD. */
  readonly price: number;
  /** Annualized volatility of log returns (0.25 = 25%). */
  readonly vol: number;
  /** Loading on the market factor: the equity market for equities, the crypto market for crypto. */
  readonly beta: number;
  /** Organic social mentions per simulated minute, before waves and swarms. */
  readonly mentionRate: number;
  /** Mean volume of a 1-minute bar, in shares or coins. */
  readonly volume: number;
}

// symbol, name, sector, venue, price, vol, beta, mentions/min, volume/min
type Row = readonly [string, string, string, string, number, number, number, number, number];

const EQUITIES: readonly Row[] = [
  ['AAPL', 'Apple Inc.', 'Technology', 'XNAS', 185, 0.24, 1.15, 0.8, 140_000],
  ['MSFT', 'Microsoft Corporation', 'Technology', 'XNAS', 375, 0.23, 1.05, 0.5, 60_000],
  ['NVDA', 'NVIDIA Corporation', 'Technology', 'XNAS', 480, 0.45, 1.6, 1.2, 110_000],
  ['AMD', 'Advanced Micro Devices, Inc.', 'Technology', 'XNAS', 140, 0.45, 1.55, 0.6, 150_000],
  ['INTC', 'Intel Corporation', 'Technology', 'XNAS', 48, 0.32, 1.1, 0.25, 110_000],
  ['ORCL', 'Oracle Corporation', 'Technology', 'XNYS', 105, 0.28, 0.95, 0.1, 22_000],
  ['CRM', 'Salesforce, Inc.', 'Technology', 'XNYS', 260, 0.3, 1.1, 0.1, 14_000],
  ['ADBE', 'Adobe Inc.', 'Technology', 'XNAS', 595, 0.3, 1.1, 0.08, 7_000],
  ['GOOGL', 'Alphabet Inc.', 'Communication Services', 'XNAS', 140, 0.28, 1.05, 0.4, 75_000],
  ['META', 'Meta Platforms, Inc.', 'Communication Services', 'XNAS', 350, 0.36, 1.25, 0.5, 40_000],
  ['NFLX', 'Netflix, Inc.', 'Communication Services', 'XNAS', 485, 0.36, 1.2, 0.2, 9_000],
  ['DIS', 'The Walt Disney Company', 'Communication Services', 'XNYS', 90, 0.27, 1.0, 0.15, 28_000],
  ['AMZN', 'Amazon.com, Inc.', 'Consumer Discretionary', 'XNAS', 152, 0.32, 1.2, 0.6, 120_000],
  ['TSLA', 'Tesla, Inc.', 'Consumer Discretionary', 'XNAS', 248, 0.55, 1.7, 1.5, 300_000],
  ['HD', 'The Home Depot, Inc.', 'Consumer Discretionary', 'XNYS', 350, 0.22, 0.95, 0.05, 9_000],
  ['NKE', 'NIKE, Inc.', 'Consumer Discretionary', 'XNYS', 108, 0.28, 1.0, 0.1, 24_000],
  ['MCD', "McDonald's Corporation", 'Consumer Discretionary', 'XNYS', 296, 0.17, 0.65, 0.08, 8_000],
  ['JPM', 'JPMorgan Chase & Co.', 'Financials', 'XNYS', 170, 0.22, 1.05, 0.2, 24_000],
  ['BAC', 'Bank of America Corporation', 'Financials', 'XNYS', 34, 0.27, 1.15, 0.15, 100_000],
  ['GS', 'The Goldman Sachs Group, Inc.', 'Financials', 'XNYS', 385, 0.25, 1.15, 0.1, 6_000],
  ['MS', 'Morgan Stanley', 'Financials', 'XNYS', 93, 0.26, 1.2, 0.06, 20_000],
  ['V', 'Visa Inc.', 'Financials', 'XNYS', 260, 0.19, 0.9, 0.08, 15_000],
  ['MA', 'Mastercard Incorporated', 'Financials', 'XNYS', 426, 0.2, 0.95, 0.06, 7_000],
  ['XOM', 'Exxon Mobil Corporation', 'Energy', 'XNYS', 100, 0.25, 0.8, 0.15, 45_000],
  ['CVX', 'Chevron Corporation', 'Energy', 'XNYS', 149, 0.25, 0.85, 0.08, 22_000],
  ['COP', 'ConocoPhillips', 'Energy', 'XNYS', 116, 0.3, 0.95, 0.05, 15_000],
  ['SLB', 'Schlumberger Limited', 'Energy', 'XNYS', 52, 0.34, 1.1, 0.04, 25_000],
  ['UNH', 'UnitedHealth Group Incorporated', 'Health Care', 'XNYS', 527, 0.21, 0.7, 0.1, 8_000],
  ['JNJ', 'Johnson & Johnson', 'Health Care', 'XNYS', 157, 0.16, 0.55, 0.08, 18_000],
  ['LLY', 'Eli Lilly and Company', 'Health Care', 'XNYS', 583, 0.3, 0.6, 0.2, 8_000],
  ['PFE', 'Pfizer Inc.', 'Health Care', 'XNYS', 29, 0.24, 0.6, 0.15, 100_000],
  ['MRK', 'Merck & Co., Inc.', 'Health Care', 'XNYS', 109, 0.2, 0.5, 0.05, 22_000],
  ['CAT', 'Caterpillar Inc.', 'Industrials', 'XNYS', 296, 0.27, 1.05, 0.06, 8_000],
  ['BA', 'The Boeing Company', 'Industrials', 'XNYS', 260, 0.35, 1.3, 0.3, 20_000],
  ['GE', 'General Electric Company', 'Industrials', 'XNYS', 127, 0.3, 1.15, 0.08, 15_000],
  ['PG', 'The Procter & Gamble Company', 'Consumer Staples', 'XNYS', 147, 0.15, 0.45, 0.05, 18_000],
  ['KO', 'The Coca-Cola Company', 'Consumer Staples', 'XNYS', 59, 0.14, 0.5, 0.06, 35_000],
  ['WMT', 'Walmart Inc.', 'Consumer Staples', 'XNYS', 158, 0.17, 0.5, 0.1, 18_000],
];

const CRYPTO: readonly Row[] = [
  ['BTC-USD', 'Bitcoin', 'crypto', 'BINANCE', 43_000, 0.55, 1.0, 1.5, 15],
  ['ETH-USD', 'Ethereum', 'crypto', 'BINANCE', 2_300, 0.65, 1.1, 1.0, 150],
  ['SOL-USD', 'Solana', 'crypto', 'BINANCE', 100, 0.95, 1.4, 0.8, 6_000],
  ['BNB-USD', 'BNB', 'crypto', 'BINANCE', 310, 0.6, 0.9, 0.25, 1_200],
  ['XRP-USD', 'XRP', 'crypto', 'BINANCE', 0.6, 0.75, 1.1, 0.4, 600_000],
  ['ADA-USD', 'Cardano', 'crypto', 'BINANCE', 0.55, 0.8, 1.2, 0.3, 500_000],
  ['DOGE-USD', 'Dogecoin', 'crypto', 'BINANCE', 0.09, 0.95, 1.3, 0.7, 3_000_000],
  ['AVAX-USD', 'Avalanche', 'crypto', 'BINANCE', 35, 0.95, 1.4, 0.2, 15_000],
  ['DOT-USD', 'Polkadot', 'crypto', 'BINANCE', 7.5, 0.85, 1.2, 0.12, 40_000],
  ['LINK-USD', 'Chainlink', 'crypto', 'BINANCE', 15, 0.85, 1.3, 0.15, 30_000],
  ['MATIC-USD', 'Polygon', 'crypto', 'BINANCE', 0.85, 0.9, 1.3, 0.12, 300_000],
  ['LTC-USD', 'Litecoin', 'crypto', 'BINANCE', 70, 0.7, 1.0, 0.1, 3_000],
  ['UNI-USD', 'Uniswap', 'crypto', 'BINANCE', 6.5, 0.9, 1.2, 0.08, 20_000],
  ['ATOM-USD', 'Cosmos', 'crypto', 'BINANCE', 10, 0.85, 1.2, 0.08, 20_000],
];

function build(rows: readonly Row[], assetClass: AssetClass): [Instrument, SimParams][] {
  return rows.map(([symbol, name, sector, venue, price, vol, beta, mentionRate, volume]) => [
    Object.freeze({ symbol, name, assetClass, sector, venue }),
    Object.freeze({ price, vol, beta, mentionRate, volume }),
  ]);
}

const ENTRIES = [...build(EQUITIES, 'equity'), ...build(CRYPTO, 'crypto')];

/** Every instrument the simulator trades: equities first, then crypto, in a fixed order. */
export const UNIVERSE: readonly Instrument[] = Object.freeze(ENTRIES.map(([instrument]) => instrument));

/** Simulation parameters by symbol. */
export const SIM_PARAMS: ReadonlyMap<string, SimParams> = new Map(ENTRIES.map(([i, p]) => [i.symbol, p]));

export function simParams(symbol: string): SimParams {
  const params = SIM_PARAMS.get(symbol);
  if (!params) throw new Error(`no simulation parameters for ${symbol}`);
  return params;
}

/** The cashtag people write for an instrument: `$AAPL`, `$BTC` for BTC-USD. */
export function cashtag(instrument: Instrument): string {
  return `$${instrument.assetClass === 'crypto' ? instrument.symbol.replace(/-USD$/, '') : instrument.symbol}`;
}
