/**
 * The identifiers a raw signal carries, read from its body. Bodies come from many collectors, so every field is
 * read defensively (a missing or mistyped field says nothing) and under the names the sources themselves use:
 * EDGAR's ownership XML (`issuerCik`, `rptOwnerCik`, `officerTitle`), 13F tables (`cusip`, `nameOfIssuer`),
 * JSON-RPC logs (`from`, `to`, `tokenAddress`), social listings (`platform`, `author`, `text`). Reading is pure
 * and total: any body gives a (possibly empty) set of identifiers.
 */
import type { RawSignal } from '../types.js';

export interface OwnerRef {
  readonly cik: string | null;
  readonly name: string | null;
  readonly relationship: string | null;
}

export interface SignalIdentifiers {
  /** The instrument the source itself named. */
  readonly instrument: string | null;
  /** Explicit ticker fields (`issuerTradingSymbol`). */
  readonly tickers: readonly string[];
  /** `$AAPL`-style tags found in the text, upper-cased, without the `$`. */
  readonly cashtags: readonly string[];
  readonly companyNames: readonly string[];
  readonly issuerCik: string | null;
  /** Reporting owners of an insider filing (one set of rows can have several). */
  readonly owners: readonly OwnerRef[];
  /** The 13F manager holding the position. */
  readonly holderCik: string | null;
  readonly cusips: readonly string[];
  readonly tokenAddresses: readonly string[];
  /** Sender and receiver of a transfer: an address, or an exchange's name when the source names only that. */
  readonly from: string | null;
  readonly to: string | null;
  /** The labels the source itself gave the sender's and receiver's addresses (its own exchange list). */
  readonly fromLabel: string | null;
  readonly toLabel: string | null;
  readonly chain: string | null;
  readonly author: { readonly platform: string; readonly handle: string } | null;
}

type Body = Readonly<Record<string, unknown>>;

function str(body: Body, ...keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  }
  return null;
}

function strings(body: Body, ...keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x.trim() !== '') out.push(x.trim());
  }
  return [...new Set(out)];
}

const OWNER_CIK = ['ownerCik', 'reportingOwnerCik', 'rptOwnerCik', 'cik'] as const;
const OWNER_NAME = ['ownerName', 'reportingOwnerName', 'rptOwnerName', 'owner', 'name'] as const;
const RELATIONSHIP = ['relationship', 'officerTitle', 'title'] as const;

function ownerOf(o: Body): OwnerRef | null {
  const owner = {
    cik: str(o, ...OWNER_CIK),
    name: str(o, ...OWNER_NAME),
    relationship: str(o, ...RELATIONSHIP),
  };
  return owner.cik || owner.name ? owner : null;
}

function owners(body: Body): OwnerRef[] {
  const list = body.reportingOwners ?? body.owners;
  if (Array.isArray(list)) {
    return list.flatMap((o) => (o && typeof o === 'object' ? [ownerOf(o as Body)] : [])).filter((o) => o !== null);
  }
  // A single owner sits on the body itself; `cik` and `name` there would be the issuer's, so leave them out.
  const one = {
    cik: str(body, 'ownerCik', 'reportingOwnerCik', 'rptOwnerCik'),
    name: str(body, 'ownerName', 'reportingOwnerName', 'rptOwnerName', 'owner'),
    relationship: str(body, ...RELATIONSHIP),
  };
  return one.cik || one.name ? [one] : [];
}

/**
 * Cashtags: `$` then a letter, up to ten symbol characters, not inside a word or an amount (`US$5`, `$5M`).
 * Share classes written with a dot (`$BRK.B`) take the SEC's dash (`BRK-B`).
 */
const CASHTAG = /(?:^|[^\w$])\$([A-Za-z][A-Za-z0-9]{0,5}(?:[.-][A-Za-z0-9]{1,4})?)(?![\w$])/g;

export function cashtagsIn(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(CASHTAG)) out.add(match[1]!.toUpperCase().replace('.', '-'));
  return [...out];
}

const TEXT_FIELDS = ['text', 'title', 'headline', 'selftext', 'summary'] as const;

export function identifiersOf(signal: RawSignal): SignalIdentifiers {
  const b = signal.body;
  const insider = signal.kind === 'insider_filing';
  const filing = signal.kind === 'filing';
  const platform = str(b, 'platform');
  const handle = str(b, 'author', 'handle', 'username');
  const text = TEXT_FIELDS.map((k) => (typeof b[k] === 'string' ? (b[k] as string) : '')).join('\n');
  return {
    instrument: signal.instrument,
    tickers: strings(b, 'issuerTradingSymbol', 'ticker'),
    cashtags: cashtagsIn(text),
    companyNames: strings(b, 'issuerName', 'nameOfIssuer', 'companyName', 'company'),
    // A feed entry's `cik` is its subject company's; on an insider filing a bare `cik` could be the owner's.
    issuerCik: str(b, 'issuerCik', ...(filing ? ['cik'] : [])),
    owners: insider ? owners(b) : [],
    holderCik: str(b, 'filerCik', 'managerCik', 'holderCik'),
    cusips: strings(b, 'cusip'),
    tokenAddresses: strings(b, 'tokenAddress', 'contractAddress', 'contract', 'token'),
    // A stablecoin mint goes to its counterparty, a burn comes from it.
    from: str(b, 'from') ?? (b.flow === 'burn' ? str(b, 'counterparty') : null),
    to: str(b, 'to') ?? (b.flow === 'mint' ? str(b, 'counterparty') : null),
    fromLabel: str(b, 'fromLabel'),
    toLabel: str(b, 'toLabel'),
    chain: str(b, 'chain', 'network'),
    author: platform && handle ? { platform, handle } : null,
  };
}

/** Identifiers with every list empty: a base for tests and for callers that know only a few fields. */
export const NO_IDENTIFIERS: SignalIdentifiers = Object.freeze({
  instrument: null,
  tickers: [],
  cashtags: [],
  companyNames: [],
  issuerCik: null,
  owners: [],
  holderCik: null,
  cusips: [],
  tokenAddresses: [],
  from: null,
  to: null,
  fromLabel: null,
  toLabel: null,
  chain: null,
  author: null,
});
