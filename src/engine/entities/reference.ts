/**
 * The reference data entity resolution reads, loaded once and indexed: the SEC's CIK → ticker file, a CUSIP →
 * ticker map, ERC-20 token contracts, labelled exchange wallets, and the engine's own instruments (the
 * crypto assets among them give `BTC` → `BTC-USD`).
 *
 * The bundled samples in `data/entities/` are small; the full SEC file (about 10,000 registrants) is loaded
 * instead when its path is given. Files are read when `ReferenceData.load` is called, never at import, and a
 * file that does not have the expected shape stops the load with an error that names the file and the entry.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UNIVERSE } from '../collectors/universe.js';
import type { Instrument } from '../types.js';
import { normalizeAddress, normalizeCusip, normalizeSymbol, padCik, slug } from './ids.js';
import { normalizeCompanyName } from './names.js';

export class EntityDataError extends Error {
  readonly code = 'ENTITY_DATA_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EntityDataError';
  }
}

export interface Company {
  /** 10 digits. */
  readonly cik: string;
  readonly title: string;
  /** Every ticker the SEC lists for the CIK, in the file's order (the primary listing first: GOOGL before GOOG). */
  readonly tickers: readonly string[];
}

export interface CusipEntry {
  readonly cusip: string;
  readonly ticker: string;
  readonly nameOfIssuer: string;
  readonly titleOfClass: string;
}

export interface TokenEntry {
  readonly chain: string;
  /** Canonical (lower-cased for EVM chains). */
  readonly address: string;
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number | null;
  /** The engine instrument the token tracks (`WBTC` → `BTC-USD`); null for one it does not trade (stablecoins). */
  readonly instrument: string | null;
}

export interface LabelledWallet {
  readonly chain: string;
  readonly address: string;
  readonly label: string;
}

/** A name's candidates: the CIKs (`cik:…`) or instrument symbols (`ins:…`) it could mean. */
export type NameCandidate = `cik:${string}` | `ins:${string}`;

const companyTickersSchema = z.record(
  z.string(),
  z.object({ cik_str: z.number().int().positive(), ticker: z.string().min(1), title: z.string() }),
);
const cusipsSchema = z.array(
  z.object({ cusip: z.string(), ticker: z.string().min(1), nameOfIssuer: z.string(), titleOfClass: z.string() }),
);
const tokensSchema = z.array(
  z.object({
    chain: z.string().min(1),
    address: z.string(),
    symbol: z.string().min(1),
    name: z.string(),
    decimals: z.number().int().nonnegative().nullable().optional(),
    instrument: z.string().nullable(),
  }),
);
const walletsSchema = z.array(z.object({ chain: z.string().min(1), address: z.string(), label: z.string().min(1) }));

/** The parsed (not yet validated) contents of each reference file. */
export interface ReferenceDocuments {
  /** In the SEC's `company_tickers.json` format. */
  readonly companyTickers: unknown;
  readonly cusips: unknown;
  readonly tokens: unknown;
  readonly exchangeWallets: unknown;
  /** The engine's instruments (default: the simulator universe). */
  readonly instruments?: readonly Instrument[];
}

export interface ReferenceDataOptions {
  /** The SEC's full `company_tickers.json`; default: the bundled sample. */
  readonly companyTickersPath?: string;
  readonly cusipsPath?: string;
  readonly tokensPath?: string;
  readonly exchangeWalletsPath?: string;
  readonly instruments?: readonly Instrument[];
}

/** The folder of the bundled samples, found by walking up from this file (works from `src/` and `dist/src/`). */
export function entityDataFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'data', 'entities');
    if (existsSync(path.join(candidate, 'company_tickers.sample.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new EntityDataError(`Cannot find data/entities above ${fileURLToPath(import.meta.url)}`);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new EntityDataError(`Cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new EntityDataError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new EntityDataError(`${what}${where}: ${issue?.message ?? 'invalid'}`);
}

export class ReferenceData {
  readonly #companies = new Map<string, Company>();
  readonly #cikOfTicker = new Map<string, string | null>();
  readonly #names = new Map<string, Set<NameCandidate>>();
  readonly #cusips = new Map<string, CusipEntry>();
  readonly #tokens = new Map<string, TokenEntry>();
  readonly #wallets = new Map<string, LabelledWallet>();
  /** Label slug → the label as configured ("binance" → "Binance"). */
  readonly #labels = new Map<string, string>();
  readonly #instruments = new Map<string, Instrument>();
  /** Crypto base asset → instrument symbol (`BTC` → `BTC-USD`). */
  readonly #crypto = new Map<string, string>();

  /** Reads the files (the bundled samples for any path not given) and indexes them. */
  static async load(options: ReferenceDataOptions = {}): Promise<ReferenceData> {
    const sample = (name: string) => path.join(entityDataFolder(), name);
    const files = {
      companyTickers: options.companyTickersPath ?? sample('company_tickers.sample.json'),
      cusips: options.cusipsPath ?? sample('cusips.sample.json'),
      tokens: options.tokensPath ?? sample('erc20_tokens.sample.json'),
      exchangeWallets: options.exchangeWalletsPath ?? sample('exchange_wallets.sample.json'),
    };
    const [companyTickers, cusips, tokens, exchangeWallets] = await Promise.all(
      [files.companyTickers, files.cusips, files.tokens, files.exchangeWallets].map(readJson),
    );
    return new ReferenceData(
      { companyTickers, cusips, tokens, exchangeWallets, instruments: options.instruments },
      files,
    );
  }

  /** Indexes documents already parsed from JSON. `files` only names them in error messages. */
  constructor(documents: ReferenceDocuments, files: Partial<Record<keyof ReferenceDocuments, string>> = {}) {
    for (const instrument of documents.instruments ?? UNIVERSE) this.#addInstrument(instrument);
    const tickers = parse(companyTickersSchema, documents.companyTickers, files.companyTickers ?? 'company tickers');
    for (const [key, row] of Object.entries(tickers)) this.#addCompanyRow(key, row, files.companyTickers);
    for (const company of this.#companies.values()) this.#addName(company.title, `cik:${company.cik}`);
    // The engine's own names after the SEC's, so an instrument of a known company adds its CIK, not a rival.
    for (const instrument of this.#instruments.values()) {
      const cik = this.cikOfTicker(instrument.symbol);
      this.#addName(instrument.name, cik ? `cik:${cik}` : `ins:${instrument.symbol}`);
    }
    const cusips = parse(cusipsSchema, documents.cusips, files.cusips ?? 'cusips');
    cusips.forEach((row, i) => this.#addCusip(row, `${files.cusips ?? 'cusips'}[${i}]`));
    const tokens = parse(tokensSchema, documents.tokens, files.tokens ?? 'tokens');
    tokens.forEach((row, i) => this.#addToken(row, `${files.tokens ?? 'tokens'}[${i}]`));
    const wallets = parse(walletsSchema, documents.exchangeWallets, files.exchangeWallets ?? 'exchange wallets');
    wallets.forEach((row, i) => this.#addWallet(row, `${files.exchangeWallets ?? 'exchange wallets'}[${i}]`));
  }

  #addInstrument(instrument: Instrument): void {
    this.#instruments.set(instrument.symbol, instrument);
    if (instrument.assetClass === 'crypto') {
      this.#crypto.set(instrument.symbol.replace(/-USD$/, ''), instrument.symbol);
    }
  }

  #addCompanyRow(key: string, row: { cik_str: number; ticker: string; title: string }, file?: string): void {
    const cik = padCik(row.cik_str);
    const ticker = normalizeSymbol(row.ticker);
    if (!cik || !ticker) throw new EntityDataError(`${file ?? 'company tickers'} at ${key}: invalid CIK or ticker`);
    const known = this.#companies.get(cik);
    this.#companies.set(cik, {
      cik,
      title: known?.title ?? row.title,
      tickers: known ? [...known.tickers, ticker] : [ticker],
    });
    // A ticker listed under two CIKs is ambiguous: null marks it so that it never resolves.
    const owner = this.#cikOfTicker.get(ticker);
    this.#cikOfTicker.set(ticker, owner === undefined || owner === cik ? cik : null);
  }

  #addName(name: string, candidate: NameCandidate): void {
    const key = normalizeCompanyName(name);
    if (key === '') return;
    const set = this.#names.get(key) ?? new Set<NameCandidate>();
    set.add(candidate);
    this.#names.set(key, set);
  }

  #addCusip(row: z.infer<typeof cusipsSchema>[number], where: string): void {
    const cusip = normalizeCusip(row.cusip);
    const ticker = normalizeSymbol(row.ticker);
    if (!cusip) throw new EntityDataError(`${where}: ${JSON.stringify(row.cusip)} is not a valid CUSIP (check digit)`);
    if (!ticker) throw new EntityDataError(`${where}: invalid ticker ${JSON.stringify(row.ticker)}`);
    this.#cusips.set(cusip, { cusip, ticker, nameOfIssuer: row.nameOfIssuer, titleOfClass: row.titleOfClass });
  }

  #addToken(row: z.infer<typeof tokensSchema>[number], where: string): void {
    const chain = slug(row.chain);
    const address = normalizeAddress(chain, row.address);
    if (!address) throw new EntityDataError(`${where}: invalid ${chain} address ${JSON.stringify(row.address)}`);
    const instrument = row.instrument === null ? null : normalizeSymbol(row.instrument);
    if (row.instrument !== null && !instrument) throw new EntityDataError(`${where}: invalid instrument`);
    this.#tokens.set(`${chain}:${address}`, {
      chain,
      address,
      symbol: row.symbol,
      name: row.name,
      decimals: row.decimals ?? null,
      instrument,
    });
  }

  #addWallet(row: z.infer<typeof walletsSchema>[number], where: string): void {
    const chain = slug(row.chain);
    const address = normalizeAddress(chain, row.address);
    if (!address) throw new EntityDataError(`${where}: invalid ${chain} address ${JSON.stringify(row.address)}`);
    if (slug(row.label) === '') throw new EntityDataError(`${where}: empty label`);
    this.#wallets.set(`${chain}:${address}`, { chain, address, label: row.label });
    if (!this.#labels.has(slug(row.label))) this.#labels.set(slug(row.label), row.label);
  }

  /** The company filed under a CIK (any spelling: `789019`, `0000789019`). */
  company(cik: string | number): Company | null {
    const padded = padCik(cik);
    return padded ? (this.#companies.get(padded) ?? null) : null;
  }

  /** The CIK a ticker is listed under; null when unknown or listed under more than one CIK. */
  cikOfTicker(ticker: string): string | null {
    const symbol = normalizeSymbol(ticker);
    return symbol ? (this.#cikOfTicker.get(symbol) ?? null) : null;
  }

  /** The engine's instrument with this symbol, if it trades it. */
  instrument(symbol: string): Instrument | null {
    return this.#instruments.get(symbol) ?? null;
  }

  /** True when the symbol names something the data knows: an engine instrument, a listed ticker, a CUSIP's ticker. */
  isKnownSymbol(symbol: string): boolean {
    return this.#instruments.has(symbol) || this.#cikOfTicker.has(symbol) || this.#cusipTickers().has(symbol);
  }

  #cusipTickerSet: Set<string> | null = null;
  #cusipTickers(): Set<string> {
    this.#cusipTickerSet ??= new Set([...this.#cusips.values()].map((c) => c.ticker));
    return this.#cusipTickerSet;
  }

  /** The instrument symbol of a crypto asset (`BTC` → `BTC-USD`). */
  cryptoInstrument(asset: string): string | null {
    return this.#crypto.get(asset.toUpperCase()) ?? null;
  }

  cusip(cusip: string): CusipEntry | null {
    const c = normalizeCusip(cusip);
    return c ? (this.#cusips.get(c) ?? null) : null;
  }

  token(chain: string, address: string): TokenEntry | null {
    const a = normalizeAddress(chain, address);
    return a ? (this.#tokens.get(`${chain}:${a}`) ?? null) : null;
  }

  /** The label of a configured exchange wallet. */
  walletLabel(chain: string, address: string): string | null {
    const a = normalizeAddress(chain, address);
    return a ? (this.#wallets.get(`${chain}:${a}`)?.label ?? null) : null;
  }

  /** A label as configured, found by any spelling of its name (`binance`, `BINANCE`). */
  label(name: string): string | null {
    return this.#labels.get(slug(name)) ?? null;
  }

  /** What a company name could mean, after normalization; several candidates mean the name is ambiguous. */
  nameCandidates(name: string): readonly NameCandidate[] {
    const key = normalizeCompanyName(name);
    return key === '' ? [] : [...(this.#names.get(key) ?? [])].sort();
  }

  /** A readable name for an instrument symbol: the engine's, else the SEC's, else the CUSIP table's. */
  displayName(symbol: string): string | null {
    const instrument = this.#instruments.get(symbol);
    if (instrument) return instrument.name;
    const cik = this.#cikOfTicker.get(symbol);
    if (cik) return this.#companies.get(cik)?.title ?? null;
    for (const entry of this.#cusips.values()) if (entry.ticker === symbol) return entry.nameOfIssuer;
    return null;
  }

  get companyCount(): number {
    return this.#companies.size;
  }
}
