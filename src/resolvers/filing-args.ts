/**
 * Argument checks of the entity and SEC filing queries. Identifiers come back in the one spelling the store
 * keeps (CIKs padded to 10 digits, symbols and CUSIPs upper-cased); anything else is `BAD_USER_INPUT` naming the
 * argument, before it reaches the store.
 */
import { filerId, normalizeCusip, normalizeSymbol, padCik } from '../engine/entities/ids.js';
import type {
  InsiderClusterFilter as StoreInsiderClusterFilter,
  InsiderTransactionFilter as StoreInsiderTransactionFilter,
  InstitutionalHoldingFilter as StoreInstitutionalHoldingFilter,
} from '../engine/store/filings.ports.js';
import type { InsiderClusterFilter, InsiderTransactionFilter, InstitutionalHoldingFilter } from '../schema/filing.input.js';
import { badUserInput } from './errors.js';

/** The transaction codes of Forms 3, 4 and 5 (General Instruction 8). */
export const TRANSACTION_CODES = [
  'P', 'S', 'V', // general
  'A', 'D', 'F', 'I', 'M', // Rule 16b-3
  'C', 'E', 'H', 'O', 'X', // derivative securities
  'G', 'L', 'W', 'Z', // other exempt transactions
  'J', 'K', 'U', // other
] as const;

/** A count argument within 1..max; `fallback` when not given. */
export function checkCount(name: string, value: number | null | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badUserInput(name, `must be between 1 and ${max}, got ${n}`);
  return n;
}

export function checkCik(name: string, value: string): string {
  const cik = padCik(value);
  if (cik === null) throw badUserInput(name, `must be a CIK (1 to 10 digits, not all zeros), got ${JSON.stringify(value)}`);
  return cik;
}

export function checkSymbol(name: string, value: string): string {
  const symbol = normalizeSymbol(value);
  if (symbol === null) throw badUserInput(name, `must be an instrument symbol such as AAPL, got ${JSON.stringify(value)}`);
  return symbol;
}

export function checkCusip(name: string, value: string): string {
  const cusip = normalizeCusip(value);
  if (cusip === null) {
    throw badUserInput(name, `must be a CUSIP (nine characters with a valid check digit), got ${JSON.stringify(value)}`);
  }
  return cusip;
}

/** `check` applied to a value that is set; null otherwise. */
function optional<T>(name: string, value: T | null | undefined, check: (name: string, value: T) => string): string | null {
  return value === null || value === undefined ? null : check(name, value);
}

function checkCodes(name: string, codes: readonly string[] | null | undefined): string[] | null {
  if (codes === null || codes === undefined) return null;
  if (codes.length === 0) throw badUserInput(name, 'must name at least one transaction code, or be left out');
  const upper = codes.map((c) => c.trim().toUpperCase());
  const unknown = upper.filter((c) => !(TRANSACTION_CODES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw badUserInput(name, `holds unknown transaction codes ${JSON.stringify(unknown)}; known: ${TRANSACTION_CODES.join(', ')}`);
  }
  return [...new Set(upper)];
}

/** From and to, when both are set, in order. Works on ISO dates and epoch ms alike. */
function checkRange<T extends string | number>(name: string, from: T | null, to: T | null): void {
  if (from !== null && to !== null && from > to) throw badUserInput(name, 'must not be before the start of the range');
}

export function checkInsiderTransactionFilter(f: InsiderTransactionFilter | null | undefined): StoreInsiderTransactionFilter {
  const transactedFrom = f?.transactedFrom ?? null;
  const transactedTo = f?.transactedTo ?? null;
  checkRange('filter.transactedTo', transactedFrom, transactedTo);
  return {
    instrument: optional('filter.instrument', f?.instrument, checkSymbol),
    issuerCik: optional('filter.issuerCik', f?.issuerCik, checkCik),
    ownerCik: optional('filter.ownerCik', f?.ownerCik, checkCik),
    codes: checkCodes('filter.codes', f?.codes),
    discretionaryOnly: f?.discretionaryOnly ?? false,
    transactedFrom,
    transactedTo,
    includeRetracted: f?.includeRetracted ?? false,
  };
}

export function checkInstitutionalHoldingFilter(
  f: InstitutionalHoldingFilter | null | undefined,
): StoreInstitutionalHoldingFilter {
  return {
    managerCik: optional('filter.managerCik', f?.managerCik, checkCik),
    cusip: optional('filter.cusip', f?.cusip, checkCusip),
    instrument: optional('filter.instrument', f?.instrument, checkSymbol),
    reportPeriod: f?.reportPeriod ?? null,
  };
}

export function checkInsiderClusterFilter(f: InsiderClusterFilter | null | undefined): StoreInsiderClusterFilter {
  const from = f?.from ? f.from.getTime() : null;
  const to = f?.to ? f.to.getTime() : null;
  checkRange('filter.to', from, to);
  const issuerCik = optional('filter.issuerCik', f?.issuerCik, checkCik);
  return {
    instrument: optional('filter.instrument', f?.instrument, checkSymbol),
    issuerId: issuerCik === null ? null : filerId(issuerCik),
    status: f?.status ?? null,
    from,
    to,
  };
}
