/**
 * SEC filings as the pipeline stores them, for the tests of the filing views: the real Form 4 and 13F documents of
 * `test/fixtures/`, parsed by the SEC collector's own parsers into its own drafts, given the envelopes and the
 * normalization de-duplication and enrichment give them, then resolved by the real entity stage (which records the
 * entity graph and finds insider clusters).
 *
 * Two scenarios need documents the fixtures lack, so they are derived from real ones by the smallest edit, as the
 * collector's own tests do: the original that the Palo Alto Networks 4/A amends (the 4/A's form with a different
 * share count and a second row), and open-market purchases of Snowflake by four insiders (the Snowflake Form 4's
 * first sale, made a purchase by another owner on another day).
 */
import { readFileSync } from 'node:fs';
import { parseOwnershipDocument } from '../collectors/sec/ownership.js';
import { type FilingContext, type OriginalFiling, ownershipDrafts, thirteenFDrafts } from '../collectors/sec/signals.js';
import { parseInformationTable, parseThirteenFCover, parseThirteenFSubmission } from '../collectors/sec/thirteen-f.js';
import { signalEvent } from '../collectors/publish.js';
import type { SignalDraft } from '../collectors/source.js';
import { CLEAN_ANNOTATIONS } from '../enrich/annotations.js';
import { contentHash, deduplicatedIdOf, enrichedIdOf } from '../enrich/dedup.js';
import { normalize } from '../enrich/normalize.js';
import { EntityStage } from '../entities/entity-stage.js';
import { InsiderClusterDetector } from '../entities/insider-clusters.js';
import { ReferenceData } from '../entities/reference.js';
import { EntityResolver } from '../entities/resolver.js';
import { entitySignalEvent } from '../entities/signals.js';
import type { SignalEnriched, SignalIngested } from '../types.js';
import type { Store } from './ports.js';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);
const SOURCE = 'sec-edgar';
/** Vanta sees each filing this long after its acceptance. */
const SEEN_AFTER_MS = 90_000;

const read = (path: string): string => readFileSync(new URL(path, FIXTURES)).toString('latin1');
const doc = (body: string, origin: string) => ({ origin, body: Buffer.from(body, 'latin1') });
const ownership = (xml: string, origin = 'fixture.xml') => parseOwnershipDocument(doc(xml, origin));
const ctx = (accessionNumber: string, accepted: string | null, filedDate: string | null): FilingContext => ({
  source: SOURCE,
  accessionNumber,
  acceptedAt: accepted === null ? null : Date.parse(accepted),
  filedDate,
});

/**
 * A raw signal event as the `SignalEnriched` event it becomes: the content hash and normalization of
 * de-duplication, enrichment's clean annotations, and the ids each stage derives from its input.
 */
function enriched(raw: SignalIngested): SignalEnriched {
  return {
    id: enrichedIdOf(raw.id),
    type: 'SignalEnriched',
    tsEvent: raw.tsEvent,
    tsInit: raw.tsInit,
    causationIds: [deduplicatedIdOf(raw.id)],
    payload: { ...raw.payload, contentHash: contentHash(raw.payload), ...normalize(raw.payload), ...CLEAN_ANNOTATIONS },
  };
}

/** A collector's draft, published as `publish.ts` does, as the `SignalEnriched` event it becomes. */
export function enrichedOf(draft: SignalDraft): SignalEnriched {
  return enriched(signalEvent(draft, draft.tsEvent + SEEN_AFTER_MS));
}

export const SNOW_ACCESSION = '0001402349-22-000010';
export const PANW_ORIGINAL = '0001409324-21-000004';
export const PANW_AMENDMENT = '0001409324-22-000001';
export const BERKSHIRE_ACCESSION = '0000950123-23-005270';
export const SNOWFLAKE_CIK = '0001640147';

/** What the collector knows of the original when it publishes an amendment (see `sec/amendments.ts`). */
export type OriginalKnown = 'document' | 'accession' | 'nothing';

/**
 * The Palo Alto Networks 4/A filed for reporting owner `ownerCik` (the real one is `0001409324`), the original it restates
 * (the 4/A's form with 616 shares instead of 661, and a second row), and a second 4/A restating the same original
 * again (662 shares): the drafts of the three filings, with accession numbers of the owner's.
 */
export function panwAmendmentDrafts(ownerCik: string, known: OriginalKnown) {
  const amendmentXml = read('sec_form4/edgar_client_form4a_panw_2021.xml').replace(
    /<rptOwnerCik>\d+</,
    `<rptOwnerCik>${ownerCik}<`,
  );
  const row = /<nonDerivativeTransaction>[\s\S]*<\/nonDerivativeTransaction>/.exec(amendmentXml)![0];
  const original = ownership(
    amendmentXml
      .replace('<documentType>4/A</documentType>', '<documentType>4</documentType>')
      .replace(/<dateOfOriginalSubmission>.*<\/dateOfOriginalSubmission>/, '')
      .replace(row, row.replace('<value>661</value>', '<value>616</value>') + row),
  );
  const amendment = ownership(amendmentXml);
  const second = ownership(amendmentXml.replace('<value>661</value>', '<value>662</value>'));
  const accessions = {
    original: `${ownerCik}-21-000004`,
    amendment: `${ownerCik}-22-000001`,
    second: `${ownerCik}-22-000002`,
  };
  const originalFiling: OriginalFiling | null =
    known === 'nothing' ? null : { accessionNumber: accessions.original, document: known === 'document' ? original : null };
  return {
    accessions,
    original: ownershipDrafts(original, ctx(accessions.original, '2021-12-15T16:01:00-05:00', '2021-12-15')),
    amendment: ownershipDrafts(amendment, ctx(accessions.amendment, '2022-01-13T17:00:00-05:00', '2022-01-13'), originalFiling),
    second: ownershipDrafts(second, ctx(accessions.second, '2022-01-20T16:30:00-05:00', '2022-01-20'), originalFiling),
  };
}

/** Four Snowflake insiders buying within a week: a cluster opens at the third and grows at the fourth. */
export const SNOWFLAKE_BUYERS = [
  { cik: '0009000001', name: 'Doe Jane', title: 'Chief Executive Officer', date: '2022-12-15', shares: '1500' },
  { cik: '0009000002', name: 'Roe Richard', title: 'Chief Revenue Officer', date: '2022-12-16', shares: '800' },
  { cik: '0009000003', name: 'Poe Alex', title: 'Chief Product Officer', date: '2022-12-19', shares: '2500' },
  { cik: '0009000004', name: 'Moe Sam', title: 'General Counsel', date: '2022-12-20', shares: '400' },
] as const;

type Buyer = (typeof SNOWFLAKE_BUYERS)[number];

/** The Snowflake Form 4's first sale, made an open-market purchase of `shares` by `buyer` on `date`. */
function snowflakePurchase({ cik, name, title, date, shares }: Buyer): string {
  const snow = read('sec_form4/edgartools_form4_snow_2022-12-13.xml');
  const sale = [...snow.matchAll(/<nonDerivativeTransaction>[\s\S]*?<\/nonDerivativeTransaction>/g)]
    .map((m) => m[0])
    .find((row) => row.includes('<transactionCode>S</transactionCode>'))!;
  const purchase = sale
    .replace(/<footnoteId id="F\d+"\/>/g, '')
    .replace('<transactionCode>S</transactionCode>', '<transactionCode>P</transactionCode>')
    .replace(/(<transactionDate>\s*<value>)[^<]*/, `$1${date}`)
    .replace(/(<transactionShares>\s*<value>)[^<]*/, `$1${shares}`)
    .replace(/(<transactionAcquiredDisposedCode>\s*<value>)D/, '$1A');
  return snow
    .replace(/<periodOfReport>[^<]*/, `<periodOfReport>${date}`)
    .replace(/<rptOwnerCik>[^<]*/, `<rptOwnerCik>${cik}`)
    .replace(/<rptOwnerName>[^<]*/, `<rptOwnerName>${name}`)
    .replace(/<officerTitle>[^<]*/, `<officerTitle>${title}`)
    .replace(/<nonDerivativeTable>[\s\S]*<\/nonDerivativeTable>/, `<nonDerivativeTable>${purchase}</nonDerivativeTable>`)
    .replace(/<derivativeTable>[\s\S]*<\/derivativeTable>/, '');
}

/** Every SEC filing of the fixtures as collector drafts, in acceptance order. */
function secFilingDrafts(): SignalDraft[] {
  const panw = panwAmendmentDrafts('0001409324', 'document');
  // Berkshire Hathaway's 13F: its cover page and information table are separate documents.
  const cover = parseThirteenFCover(doc(read('sec_13f/edgar_client_form13_primary_doc.xml'), 'primary_doc.xml'));
  const table = parseInformationTable(doc(read('sec_13f/edgar_client_form13_table.xml'), 'table.xml'), {
    periodOfReport: cover.periodOfReport,
  });
  const drafts: SignalDraft[] = [
    ...ownershipDrafts(
      ownership(read('sec_form4/edgar_client_doc4_sec_official_sample.xml')),
      ctx('0000343434-03-000001', null, null),
    ),
    ...panw.original,
    ...panw.amendment,
    ...ownershipDrafts(
      ownership(read('sec_form4/edgar_client_form4_msft_2022.xml')),
      ctx('0001062993-22-014506', '2022-06-13T17:12:00-04:00', '2022-06-13'),
    ),
    ...ownershipDrafts(
      ownership(read('sec_form4/edgartools_form4_snow_2022-12-13.xml')),
      ctx(SNOW_ACCESSION, '2022-12-14T18:04:05-05:00', '2022-12-14'),
    ),
    ...SNOWFLAKE_BUYERS.flatMap((b, i) =>
      ownershipDrafts(ownership(snowflakePurchase(b)), ctx(`${b.cik}-22-00000${i + 1}`, `${b.date}T17:30:00-05:00`, b.date)),
    ),
    ...thirteenFDrafts(
      { accessionNumber: BERKSHIRE_ACCESSION, acceptedAt: null, filedDate: '2023-05-15', cover, table },
      SOURCE,
    ),
    ...thirteenFDrafts(
      parseThirteenFSubmission(doc(read('sec_13f/edgartools_13F.0001894188-23-000007.txt'), '13F.txt')),
      SOURCE,
    ),
    ...ownershipDrafts(
      ownership(read('sec_form4/edgartools_form4_374water_2025.xml')),
      ctx('0002064133-25-000001', '2025-05-02T16:05:00-04:00', '2025-05-02'),
    ),
  ];
  return drafts.sort((a, b) => a.tsEvent - b.tsEvent);
}

export interface SeededFilings {
  /** The SEC signals stored, in acceptance order. */
  readonly filings: readonly SignalEnriched[];
  /** The insider clusters the entity stage found among them, stored too. */
  readonly clusters: readonly SignalEnriched[];
}

/**
 * Stores every SEC filing of the fixtures, runs each through the real entity stage (recording the entity graph),
 * and stores the insider clusters it emits.
 */
export async function seedSecFilings(store: Store): Promise<SeededFilings> {
  const filings = secFilingDrafts().map((d) => enrichedOf(d));
  await store.signals.insertMany(filings);
  const clusters: SignalEnriched[] = [];
  const resolver = new EntityResolver(await ReferenceData.load());
  const stage = new EntityStage(resolver, store.entities, new InsiderClusterDetector(), async (draft) => {
    clusters.push(enriched(entitySignalEvent(draft, draft.tsEvent + SEEN_AFTER_MS)));
  });
  for (const event of filings) await stage.handle(event);
  await store.signals.insertMany(clusters);
  return { filings, clusters };
}
