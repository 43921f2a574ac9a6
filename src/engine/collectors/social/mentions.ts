/**
 * Which instruments a piece of text talks about.
 *
 * Three kinds of evidence, in decreasing order of certainty:
 * - a cashtag (`$AAPL`, `$btc`, `$BRK.B`): the writer marked a ticker. `$5` and `$1.2B` are amounts, not
 *   cashtags (a cashtag starts with a letter);
 * - a bare ticker in capitals (`NVDA beat estimates`), only when it is in the symbol list and is not also an
 *   everyday word or abbreviation (`A`, `IT`, `ALL`, `ON`, `CAT`, `MA`...), and not in a shouted text, where
 *   every word is in capitals;
 * - a name that means one instrument and nothing else (`bitcoin`, `ethereum`, `dogecoin`). Names that are
 *   also ordinary words (`avalanche`, `polygon`, `cosmos`, `ripple`) are left to cashtags and tickers;
 *   company names are left to downstream entity resolution, since most are ordinary words too (`Apple`).
 *
 * Symbols come from the caller (`readonly string[]`), so the index works for any universe. A crypto symbol
 * quoted against a currency (`BTC-USD`) is also found by its base (`$BTC`, `BTC`, `bitcoin`).
 */
import { decodeEntities } from './text.js';

export { sentimentOf, type Sentiment } from './sentiment.js';

export type MentionEvidence = 'cashtag' | 'ticker' | 'name';

export interface Mention {
  /** The symbol as it appears in the symbol list (`BTC-USD`, not `BTC`). */
  readonly symbol: string;
  readonly via: MentionEvidence;
  /** Where in the (entity-decoded) text the first piece of evidence starts. */
  readonly index: number;
}

export interface MentionIndexOptions {
  /** More names that mean one instrument, matched as whole words in any case: `{ nvidia: 'NVDA' }`. */
  readonly names?: Readonly<Record<string, string>>;
  /** More tickers that must be cashtagged to count, on top of {@link AMBIGUOUS_TICKERS}. */
  readonly ambiguous?: readonly string[];
}

/**
 * Tickers that are also words or common abbreviations, found in text only as cashtags. Matters only for the
 * ones in the symbol list; single letters are always in this class.
 */
export const AMBIGUOUS_TICKERS: readonly string[] = [
  'ALL', 'ARE', 'AT', 'AN', 'AM', 'AS', 'BE', 'BY', 'CAN', 'DO', 'GO', 'HE', 'IF', 'IN', 'IS', 'IT', 'ME', 'MY',
  'NO', 'OF', 'ON', 'OR', 'SO', 'TO', 'UP', 'US', 'WE', 'ANY', 'BIG', 'BIT', 'CAR', 'CAT', 'COP', 'DIS', 'EAT',
  'FOR', 'FUN', 'GOOD', 'HAS', 'HOPE', 'KEY', 'LOVE', 'LOW', 'NEW', 'NICE', 'NOW', 'ONE', 'OUT', 'PLAY', 'REAL',
  'RUN', 'SEE', 'TRUE', 'TWO', 'WELL', 'LINK', 'DOT', 'ATOM', 'UNI', 'SOL', 'GAS', 'CASH', 'BEST', 'EDIT', 'POST',
  // Abbreviations: moving average, high definition, knockout, parental guidance, multiple sclerosis...
  'AI', 'ATH', 'BA', 'CEO', 'CFO', 'CPI', 'DD', 'EPS', 'ETF', 'EU', 'EV', 'FED', 'GDP', 'GE', 'HD', 'IPO', 'KO',
  'MA', 'MS', 'OK', 'PC', 'PG', 'PM', 'PR', 'SEC', 'TV', 'UK', 'USA', 'USD', 'YOLO',
];

/** Names of crypto assets that mean nothing else, mapped to their base ticker. */
const CRYPTO_NAMES: Readonly<Record<string, string>> = {
  bitcoin: 'BTC',
  ethereum: 'ETH',
  solana: 'SOL',
  cardano: 'ADA',
  dogecoin: 'DOGE',
  polkadot: 'DOT',
  chainlink: 'LINK',
  litecoin: 'LTC',
  uniswap: 'UNI',
  'binance coin': 'BNB',
};

/** A symbol quoted against a currency: `BTC-USD`, `ETH/USDT`. */
const QUOTED = /^([A-Z0-9]+)[-/](?:USD|USDT|USDC|EUR|GBP|BTC)$/;

const key = (symbol: string): string => symbol.toUpperCase().replace(/[-/]/g, '.');

const CASHTAG = /(?<![\p{L}\p{N}_$&])\$([A-Za-z][A-Za-z0-9]{0,9}(?:[.-][A-Za-z]{1,3})?)(?![\p{L}\p{N}_])/gu;
const TICKER = /(?<![\p{L}\p{N}_$@/.\-])([A-Z][A-Z0-9]{1,5}(?:\.[A-Z]|[-/][A-Z]{3,4})?)(?![\p{L}\p{N}_@]|[.\-/][A-Za-z0-9])/gu;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Resolves cashtags, tickers and names against one symbol list. Build it once per universe. */
export class MentionIndex {
  /** Normalised ticker (`AAPL`, `BTC.USD`, `BTC`) → symbol. Full symbols win over bases. */
  readonly #tickers = new Map<string, string>();
  readonly #ambiguous: ReadonlySet<string>;
  readonly #names: RegExp | null;
  readonly #nameToSymbol = new Map<string, string>();

  constructor(symbols: readonly string[], options: MentionIndexOptions = {}) {
    for (const symbol of symbols) this.#tickers.set(key(symbol), symbol);
    for (const symbol of symbols) {
      const base = QUOTED.exec(symbol.toUpperCase())?.[1];
      if (base && !this.#tickers.has(base)) this.#tickers.set(base, symbol);
    }
    this.#ambiguous = new Set([...AMBIGUOUS_TICKERS, ...(options.ambiguous ?? [])].map(key));
    const names = { ...CRYPTO_NAMES, ...(options.names ?? {}) };
    for (const [name, target] of Object.entries(names)) {
      const symbol = this.#tickers.get(key(target));
      if (symbol) this.#nameToSymbol.set(name.toLowerCase(), symbol);
    }
    const alternatives = [...this.#nameToSymbol.keys()]
      .sort((a, b) => b.length - a.length || a.localeCompare(b))
      .map((n) => escapeRegExp(n).replace(/ /g, '\\s+'));
    this.#names = alternatives.length
      ? new RegExp(`(?<![\\p{L}\\p{N}_])(${alternatives.join('|')})s?(?![\\p{L}\\p{N}_])`, 'giu')
      : null;
  }

  /** The symbol a cashtag or ticker (`$BTC` without the `$`, `brk.b`) names, or null. */
  resolve(ticker: string): string | null {
    return this.#tickers.get(key(ticker)) ?? null;
  }

  /**
   * The instruments a text mentions, each once, in order of first appearance. HTML entities are decoded
   * first (`$AT&amp;T` is `$AT&T`); pass text, not markup (see `htmlToText`).
   */
  extract(rawText: string): readonly Mention[] {
    const text = decodeEntities(rawText);
    const found: Mention[] = [];
    const add = (symbol: string | null | undefined, via: MentionEvidence, index: number): void => {
      if (symbol) found.push({ symbol, via, index });
    };
    for (const m of text.matchAll(CASHTAG)) add(this.resolve(m[1]!), 'cashtag', m.index);
    if (!isShouted(text)) {
      for (const m of text.matchAll(TICKER)) {
        const ticker = m[1]!;
        if (!this.#ambiguous.has(key(ticker))) add(this.resolve(ticker), 'ticker', m.index);
      }
    }
    if (this.#names) {
      for (const m of text.matchAll(this.#names)) {
        add(this.#nameToSymbol.get(m[1]!.toLowerCase().replace(/\s+/g, ' ')), 'name', m.index);
      }
    }
    // Keep the first piece of evidence per symbol, by position.
    found.sort((a, b) => a.index - b.index);
    const seen = new Set<string>();
    const unique: Mention[] = [];
    for (const m of found) {
      if (seen.has(m.symbol)) continue;
      seen.add(m.symbol);
      unique.push(m);
    }
    return unique;
  }
}

/**
 * True for text written mostly in capitals ("BUY NOW BEFORE IT IS TOO LATE"), where a capitalised word is
 * no evidence of a ticker.
 */
function isShouted(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    if (/\p{Lu}/u.test(ch)) upper++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  return letters >= 12 && upper / letters > 0.6;
}

/** The symbols a text mentions, in order of first appearance. Builds an index when given a symbol list. */
export function extractMentions(text: string, symbols: readonly string[] | MentionIndex): readonly string[] {
  const index = symbols instanceof MentionIndex ? symbols : new MentionIndex(symbols);
  return index.extract(text).map((m) => m.symbol);
}
