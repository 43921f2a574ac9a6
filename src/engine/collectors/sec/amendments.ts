/**
 * Finding the filing a 4/A (or 3/A, 5/A) amends, so its signals can be retracted by id.
 *
 * An amendment names only the date of the original (`dateOfOriginalSubmission`), not its accession.
 * EDGAR's company feeds list, for a CIK, the filings it is a party to: the original is the filing of
 * the base form, filed that day, that appears both in the reporting owner's feed and in the issuer's
 * feed. When exactly one filing matches, its accession is known, and its document is fetched so that
 * each of its transactions can be retracted by externalId (see `signals.ts`). Anything less certain
 * returns what was established (the accession alone, or nothing), and `signals.ts` falls back to a
 * coarser retraction.
 */
import type { HttpClient } from '../http.js';
import type { PollContext } from '../source.js';
import { parseEdgarFeed } from './atom.js';
import { fetchEdgar, onBase } from './fetch.js';
import { ownershipXmlOf, parseFilingIndex } from './filing-index.js';
import { parseOwnershipDocument, type OwnershipDocument } from './ownership.js';
import type { OriginalFiling } from './signals.js';

/** The company feed of one CIK: filings of `form` filed on or before `before` (exclusive, YYYYMMDD). */
export function companyFeedUrl(baseUrl: string, cik: string, form: string, before: string): string {
  const q = new URLSearchParams({ action: 'getcompany', CIK: cik, type: form, dateb: before, owner: 'include', count: '40', output: 'atom' });
  return `${baseUrl.replace(/\/+$/, '')}/cgi-bin/browse-edgar?${q.toString()}`;
}

export async function resolveOriginal(
  amendment: OwnershipDocument,
  http: HttpClient,
  ctx: Pick<PollContext<unknown>, 'signal'>,
  baseUrl: string,
): Promise<OriginalFiling | null> {
  const date = amendment.dateOfOriginalSubmission;
  if (!date) return null;
  const form = amendment.documentType.replace(/\/A$/, '');
  // The day after, so the feed includes the date itself whatever EDGAR's "prior to" means at the edge.
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const candidates = async (cik: string): Promise<Set<string> | null> => {
    const fetched = await fetchEdgar(http, ctx, { url: companyFeedUrl(baseUrl, cik, form, next) });
    if (!fetched.ok) return null;
    try {
      const feed = parseEdgarFeed(fetched.document);
      return new Set(feed.filings.filter((f) => f.formType === form && f.filedDate === date).map((f) => f.accessionNumber));
    } catch {
      return null;
    }
  };
  const byOwner = await candidates(amendment.reportingOwners[0]!.cik);
  const byIssuer = byOwner && byOwner.size > 0 ? await candidates(amendment.issuer.cik) : null;
  if (!byOwner || !byIssuer) return null;
  const both = [...byOwner].filter((a) => byIssuer.has(a));
  if (both.length !== 1) return null;
  const accessionNumber = both[0]!;
  return { accessionNumber, document: await originalDocument(accessionNumber, amendment, http, ctx, baseUrl) };
}

async function originalDocument(
  accession: string,
  amendment: OwnershipDocument,
  http: HttpClient,
  ctx: Pick<PollContext<unknown>, 'signal'>,
  baseUrl: string,
): Promise<OwnershipDocument | null> {
  const folder = `/Archives/edgar/data/${Number(amendment.issuer.cik)}/${accession.replace(/-/g, '')}`;
  const indexed = await fetchEdgar(http, ctx, { url: onBase(`${folder}/${accession}-index.htm`, baseUrl) });
  if (!indexed.ok) return null;
  try {
    const xml = ownershipXmlOf(parseFilingIndex(indexed.document), amendment.documentType.replace(/\/A$/, ''));
    if (!xml) return null;
    const fetched = await fetchEdgar(http, ctx, { url: onBase(xml.url, baseUrl) });
    if (!fetched.ok) return null;
    const original = parseOwnershipDocument(fetched.document);
    // The document must be what was matched: same issuer, a base form, not itself an amendment.
    return original.issuer.cik === amendment.issuer.cik && !original.amendment ? original : null;
  } catch {
    return null;
  }
}
