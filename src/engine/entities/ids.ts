/**
 * Entity kinds, edge kinds and their stable ids, and the normalizers every identifier goes through before it
 * becomes part of an id. An id is a kind prefix and the identifier in its one canonical spelling, so the same
 * thing seen by two sources, in two cases or with and without zero padding, is one entity:
 *
 * | kind       | id                                   | identified by                                        |
 * |------------|--------------------------------------|------------------------------------------------------|
 * | instrument | `ins:AAPL`, `ins:BTC-USD`            | the engine's instrument symbol                        |
 * | filer      | `cik:0000320193`                     | an SEC CIK, 10 digits (issuers, insiders, 13F managers) |
 * | person     | `per:cik:0000789019:john-smith`      | a reporting owner known only by name, scoped to the issuer |
 * | wallet     | `wal:eth:0x28c6…`, `wal:btc:bc1q…`   | chain and address                                     |
 * | token      | `tok:eth:0xdac1…`                    | chain and contract address                            |
 * | label      | `lbl:binance`                        | the name of an exchange or other owner of wallets     |
 * | author     | `aut:reddit:some_user`               | platform and handle                                   |
 */

export const ENTITY_KINDS = ['instrument', 'filer', 'person', 'wallet', 'token', 'label', 'author'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/**
 * - `issuer_of`: filer → instrument (from the CIK → ticker map);
 * - `insider_of`: filer or person → issuer (its filer, or its instrument when the issuer's CIK is unknown);
 *   `attrs.relationship` says how (Director, CFO, 10% owner);
 * - `holds`: 13F manager → instrument;
 * - `labelled_as`: wallet → label;
 * - `mentions`: author → instrument;
 * - `transfers_to`: wallet or label → wallet or label;
 * - `token_of`: token contract → the instrument it tracks (WBTC → BTC-USD).
 */
export const EDGE_KINDS = [
  'issuer_of',
  'insider_of',
  'holds',
  'labelled_as',
  'mentions',
  'transfers_to',
  'token_of',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

const PREFIX: Readonly<Record<EntityKind, string>> = {
  instrument: 'ins',
  filer: 'cik',
  person: 'per',
  wallet: 'wal',
  token: 'tok',
  label: 'lbl',
  author: 'aut',
};
const KIND_OF_PREFIX = new Map(Object.entries(PREFIX).map(([kind, prefix]) => [prefix, kind as EntityKind]));

/** The kind an id names, from its prefix; null for a string that is not an entity id. */
export function kindOfId(id: string): EntityKind | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return KIND_OF_PREFIX.get(id.slice(0, colon)) ?? null;
}

/** Upper-case, trimmed; the engine's symbols are upper-case (`AAPL`, `BRK-B`, `BTC-USD`). */
export function normalizeSymbol(symbol: string): string | null {
  const s = symbol.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9.\-/]{0,19}$/.test(s) ? s : null;
}

/**
 * A CIK as 10 digits. EDGAR writes CIKs padded in XML (`0000789019`) and bare in JSON (`789019`); every id and
 * map key uses the padded form so that both meet.
 */
export function padCik(cik: string | number): string | null {
  const s = typeof cik === 'number' ? (Number.isSafeInteger(cik) && cik > 0 ? String(cik) : '') : cik.trim();
  if (!/^\d{1,10}$/.test(s) || /^0+$/.test(s)) return null;
  return s.padStart(10, '0');
}

/** The value of one CUSIP character in the check-digit sum: digits, A=10…Z=35, `*`=36, `@`=37, `#`=38. */
function cusipValue(ch: string): number | null {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return ch === '*' ? 36 : ch === '@' ? 37 : ch === '#' ? 38 : null;
}

/**
 * The check digit of a CUSIP's first eight characters (the "modulus 10 double add double" of ANSI X9.6):
 * double every second value, add the digits of each, and take what brings the sum to a multiple of ten.
 */
export function cusipCheckDigit(first8: string): number | null {
  if (first8.length !== 8) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    let v = cusipValue(first8[i]!);
    if (v === null) return null;
    if (i % 2 === 1) v *= 2;
    sum += Math.floor(v / 10) + (v % 10);
  }
  return (10 - (sum % 10)) % 10;
}

/** The CUSIP upper-cased when it has nine valid characters and its check digit matches; null otherwise. */
export function normalizeCusip(cusip: string): string | null {
  const s = cusip.trim().toUpperCase();
  if (!/^[0-9A-Z*@#]{8}[0-9]$/.test(s)) return null;
  return cusipCheckDigit(s.slice(0, 8)) === Number(s[8]) ? s : null;
}

/**
 * An EVM address, lower-cased. Mixed case is EIP-55's checksum, which needs Keccak-256 to verify (Node's
 * crypto has SHA3-256, which pads differently); addresses are compared case-insensitively instead, which is
 * what the chain itself does.
 */
export function normalizeEvmAddress(address: string): string | null {
  const s = address.trim();
  return /^0x[0-9a-fA-F]{40}$/.test(s) ? s.toLowerCase() : null;
}

/**
 * A Bitcoin address: bech32 (`bc1…`) is case-insensitive and lower-cased; base58 (`1…`, `3…`) is
 * case-sensitive and kept as written.
 */
export function normalizeBtcAddress(address: string): string | null {
  const s = address.trim();
  if (/^bc1[02-9ac-hj-np-z]{8,87}$/i.test(s)) return s.toLowerCase();
  if (/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(s)) return s;
  return null;
}

/** The chain an address belongs to when the document does not say: EVM addresses default to Ethereum mainnet. */
export function chainOfAddress(address: string): 'eth' | 'btc' | null {
  if (normalizeEvmAddress(address)) return 'eth';
  if (normalizeBtcAddress(address)) return 'btc';
  return null;
}

/** An address in its canonical spelling for its chain (EVM chains lower-cased, Bitcoin as above). */
export function normalizeAddress(chain: string, address: string): string | null {
  return chain === 'btc' ? normalizeBtcAddress(address) : normalizeEvmAddress(address);
}

/** Lower-case letters, digits and single dashes: how names become ids (`Binance` → `binance`). */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A social handle without its decoration (`u/Name`, `@Name`), lower-cased: Reddit and X handles are
 * case-insensitive, so `DeepValue` and `deepvalue` are one author.
 */
export function normalizeHandle(handle: string): string | null {
  const s = handle
    .trim()
    .replace(/^(\/?u\/|@)/i, '')
    .toLowerCase();
  return /^[a-z0-9_.-]{1,64}$/.test(s) ? s : null;
}

export const instrumentId = (symbol: string): string => `ins:${symbol}`;
export const filerId = (cik10: string): string => `cik:${cik10}`;
export const walletId = (chain: string, address: string): string => `wal:${chain}:${address}`;
export const tokenId = (chain: string, address: string): string => `tok:${chain}:${address}`;
export const labelId = (name: string): string => `lbl:${slug(name)}`;
export const authorId = (platform: string, handle: string): string => `aut:${slug(platform)}:${handle}`;
/** A reporting owner with no CIK, scoped to the issuer it filed about, so two John Smiths at two issuers stay two. */
export const personId = (issuerId: string, name: string): string => `per:${issuerId}:${slug(name)}`;
