/**
 * EDGAR Atom feeds: the latest-filings feed (`browse-edgar?action=getcurrent&output=atom`) and company
 * feeds (`action=getcompany&CIK=…&output=atom`).
 *
 * What the feeds do that a generic Atom reader gets wrong:
 * - The accession number is only reliable in `<id>urn:tag:sec.gov,2008:accession-number=…</id>`; the
 *   summary repeats it as escaped HTML, which is text for people.
 * - A filing with several parties appears once per party in the latest-filings feed (a Form 4 as
 *   "(Reporting)" and "(Issuer)", a 144 as "(Reporting)" and "(Subject)", co-registrants as two
 *   "(Filer)"s). Entries are merged into one filing per accession, keeping every party.
 * - Company feeds name no party per entry: the company is the `<company-info>` block, and its role in
 *   each filing is not stated, so it is reported with a null role.
 * - `updated` carries an offset (New York time); it is the acceptance time of the filing.
 * - The feeds declare ISO-8859-1; `decodeText` reads that as Windows-1252, as browsers do.
 */
import type { SourceDocument } from '../document.js';
import { isIsoDate, isoToEpoch } from './time.js';
import { decodeXmlEntities, parseXmlDocument, type XmlElement } from './xml.js';

/** The roles EDGAR prints after a party's CIK in feed titles; other words are kept as written. */
export type FeedRole = 'Reporting' | 'Issuer' | 'Subject' | 'Filer' | 'Filed by';

export interface FeedParty {
  readonly name: string;
  /** Ten digits, with leading zeros, as EDGAR prints it. */
  readonly cik: string;
  /** Null in company feeds, which do not say. */
  readonly role: FeedRole | (string & {}) | null;
}

/** One filing announced on a feed, after merging its per-party entries. */
export interface FeedFiling {
  readonly accessionNumber: string;
  readonly formType: string;
  readonly parties: readonly FeedParty[];
  /** The filing index page (`…/{accession}-index.htm`), as the feed gives it. */
  readonly indexUrl: string;
  /** Acceptance time, epoch ms (the latest of the merged entries, which in practice agree). */
  readonly updated: number;
  /** `updated` as written, with its offset. */
  readonly updatedIso: string;
  /** The filing date (`YYYY-MM-DD`) from the summary or the company feed's `filing-date`. */
  readonly filedDate: string | null;
  /** The summary as plain text (its HTML removed). */
  readonly summary: string;
}

export interface EdgarFeed {
  readonly title: string | null;
  readonly updated: number | null;
  /** The company of a company feed; null for the latest-filings feed. */
  readonly company: { readonly cik: string; readonly name: string } | null;
  /** Filings in feed order (newest first), one per accession number. */
  readonly filings: readonly FeedFiling[];
  /** Entries read before merging (the feed's page size is counted in entries). */
  readonly entryCount: number;
}

const ACCESSION_ID = /^urn:tag:sec\.gov,2008:accession-number=(\d{10}-\d{2}-\d{6})$/;
/** `4 - Carre Eric (0001673421) (Reporting)`: form, name, CIK, role. */
const TITLE = /^(.+?)\s+-\s+(.+)\s+\((\d{1,10})\)\s+\(([^()]+)\)$/;

export function parseEdgarFeed(document: SourceDocument): EdgarFeed {
  const feed = parseXmlDocument(document, ['feed'], 'an EDGAR Atom feed');
  const info = feed.one('company-info');
  const company = info ? { cik: info.needText('cik').padStart(10, '0'), name: info.needText('conformed-name') } : null;
  const merged = new Map<string, FeedFiling>();
  const entries = feed.all('entry');
  for (const entry of entries) {
    const filing = readEntry(entry, company);
    const seen = merged.get(filing.accessionNumber);
    merged.set(filing.accessionNumber, seen ? mergeFilings(seen, filing) : filing);
  }
  const updatedText = feed.textOf('updated');
  return {
    title: feed.textOf('title'),
    updated: updatedText ? isoToEpoch(updatedText) : null,
    company,
    filings: [...merged.values()],
    entryCount: entries.length,
  };
}

function readEntry(entry: XmlElement, company: { cik: string; name: string } | null): FeedFiling {
  const id = entry.needText('id');
  const accession = ACCESSION_ID.exec(id)?.[1];
  if (!accession) throw entry.invalid(`"${id}" is not an accession-number tag`, 'id');

  const title = entry.needText('title');
  const titled = TITLE.exec(title);
  const content = entry.one('content');
  const formType =
    entry.one('category')?.attr('term') || content?.textOf('filing-type') || titled?.[1] || title.split(/\s+-\s+/)[0]?.trim();
  if (!formType) throw entry.invalid('no form type in <category term> or <title>', 'category');

  let party: FeedParty;
  if (titled) party = { name: titled[2]!.trim(), cik: titled[3]!.padStart(10, '0'), role: titled[4]!.trim() };
  else if (company) party = { name: company.name, cik: company.cik, role: null };
  else throw entry.invalid(`"${title}" does not name a filer as "FORM - NAME (CIK) (ROLE)"`, 'title');

  const link = entry.all('link').find((l) => (l.attr('rel') ?? 'alternate') === 'alternate') ?? entry.one('link');
  const indexUrl = link?.attr('href') || content?.textOf('filing-href');
  if (!indexUrl) throw entry.invalid('no filing index link', 'link');

  const updatedIso = entry.needText('updated');
  const updated = isoToEpoch(updatedIso);
  if (updated === null) throw entry.invalid(`"${updatedIso}" is not an ISO-8601 time with an offset`, 'updated');

  const summary = htmlToText(entry.textOf('summary') ?? '');
  const filed = content?.textOf('filing-date') ?? /Filed:\s*(\d{4}-\d{2}-\d{2})/.exec(summary)?.[1] ?? null;
  if (filed !== null && !isIsoDate(filed)) throw entry.invalid(`"${filed}" is not a date`, 'summary');

  return { accessionNumber: accession, formType, parties: [party], indexUrl, updated, updatedIso, filedDate: filed, summary };
}

function mergeFilings(a: FeedFiling, b: FeedFiling): FeedFiling {
  const parties = [...a.parties];
  for (const p of b.parties) {
    if (!parties.some((q) => q.cik === p.cik && q.role === p.role)) parties.push(p);
  }
  const later = b.updated > a.updated ? b : a;
  return { ...a, parties, updated: later.updated, updatedIso: later.updatedIso };
}

/** The summary's HTML (already unescaped once by the XML reader) as one line of text. */
function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ');
  return decodeXmlEntities(text).replace(/\s+/g, ' ').trim();
}

