/**
 * Test inputs for entity resolution, read from the real SEC documents in `test/fixtures/`: the issuer and
 * reporting owners of each Form 4, and the holdings of each 13F information table. Only the fields the tests need
 * are read (with regular expressions, so these tests do not depend on the collectors' parsers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawSignal } from '../types.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

const first = (xml: string, tag: string): string | null =>
  new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(xml)?.[1] ?? null;
const all = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>\\s*([\\s\\S]*?)\\s*</${tag}>`, 'g'))].map((m) => m[1]!);

export interface Form4Fixture {
  readonly file: string;
  readonly issuerCik: string;
  readonly issuerName: string | null;
  readonly symbol: string;
  readonly owners: readonly { readonly cik: string; readonly name: string | null; readonly title: string | null }[];
  /** The transaction codes of its rows, in document order. */
  readonly codes: readonly string[];
}

export function form4Fixtures(): Form4Fixture[] {
  const dir = `${FIXTURES}sec_form4/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((file) => {
      const xml = readFileSync(dir + file, 'utf8');
      return {
        file,
        issuerCik: first(xml, 'issuerCik')!,
        issuerName: first(xml, 'issuerName'),
        symbol: first(xml, 'issuerTradingSymbol')!,
        owners: all(xml, 'reportingOwner').map((o) => ({
          cik: first(o, 'rptOwnerCik')!,
          name: first(o, 'rptOwnerName'),
          title: first(o, 'officerTitle') ?? (/^(1|true)$/.test(first(o, 'isDirector') ?? '') ? 'Director' : null),
        })),
        codes: all(xml, 'transactionCode'),
      };
    });
}

/** A Form 4 fixture as the `insider_filing` signal a collector would make of its first row. */
export function form4Signal(f: Form4Fixture): RawSignal {
  return {
    source: 'sec.form4',
    kind: 'insider_filing',
    instrument: null,
    externalId: f.file,
    body: {
      issuerCik: f.issuerCik,
      issuerTradingSymbol: f.symbol,
      ...(f.issuerName ? { issuerName: f.issuerName } : {}),
      reportingOwners: f.owners.map((o) => ({ cik: o.cik, name: o.name, relationship: o.title })),
      transactionCode: f.codes[0] ?? null,
    },
  };
}

export interface Holding {
  readonly file: string;
  readonly nameOfIssuer: string;
  readonly cusip: string;
  readonly value: number;
}

/** Every row of every 13F information table in the fixtures (plain, prefixed and inside SGML). */
export function holdings13f(): Holding[] {
  const dir = `${FIXTURES}sec_13f/`;
  return readdirSync(dir)
    .sort()
    .flatMap((file) => {
      const text = readFileSync(dir + file, 'latin1').replace(/<(\/?)\w+:/g, '<$1');
      return all(text, 'infoTable').map((row) => ({
        file,
        nameOfIssuer: first(row, 'nameOfIssuer')!.replace(/&amp;/g, '&'),
        cusip: first(row, 'cusip')!,
        value: Number(first(row, 'value')),
      }));
    });
}

/** The Berkshire Hathaway 13F table's manager CIK (from its primary document). */
export function berkshire13fCik(): string {
  return first(readFileSync(`${FIXTURES}sec_13f/edgar_client_form13_primary_doc.xml`, 'utf8'), 'cik')!;
}
