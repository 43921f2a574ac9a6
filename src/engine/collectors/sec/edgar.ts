/**
 * SEC EDGAR as a polling source, through its official endpoints only: the latest-filings Atom feed,
 * the filing index pages, the filings' own documents, and company feeds (for amendments).
 *
 * Each poll:
 * 1. GETs the feed conditionally (the ETag and Last-Modified are kept in the cursor); a 304 ends the poll.
 *    When every entry of a full page is new, older pages are read too (`start=`), up to `maxPages`.
 * 2. Takes the entries not handled before (see `cursor.ts`), oldest first, one per accession.
 * 3. For each: a `filing` draft; then, for the configured forms, the filing index, and from it the
 *    primary ownership XML (Forms 3/4/5) or the complete `.txt` submission (13F, which carries the
 *    acceptance time, the cover and the information table in one request), parsed into drafts.
 *    An amendment also looks up its original (see `amendments.ts`) so its retractions are exact.
 * 4. Returns the drafts, the documents that failed (with their bytes: the collector dead-letters them
 *    and the other filings go on), and the advanced cursor.
 *
 * A network failure or a server error that outlasts the client's retries fails the poll as a whole;
 * the collector retries it later from the same cursor, and de-duplication absorbs what is repeated.
 * The declared User-Agent and the SEC's 10 requests/second are the HTTP client's business.
 */
import { DocumentError } from '../document.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { resolveOriginal } from './amendments.js';
import { parseEdgarFeed, type FeedFiling } from './atom.js';
import { advance, EMPTY_CURSOR, isNew, parseSecCursor, type SecEdgarCursor } from './cursor.js';
import { fetchEdgar, onBase, type Fetched } from './fetch.js';
import { completeSubmissionOf, ownershipXmlOf, parseFilingIndex } from './filing-index.js';
import { parseOwnershipDocument } from './ownership.js';
import { feedFilingDraft, ownershipDrafts, thirteenFDrafts } from './signals.js';
import { parseThirteenFSubmission } from './thirteen-f.js';
import { easternDate } from './time.js';

export type { SecEdgarCursor } from './cursor.js';

export const SEC_BASE_URL = 'https://www.sec.gov';
export const DEFAULT_SEC_FORMS: readonly string[] = ['3', '4', '4/A', '5', '13F-HR', '13F-HR/A'];

const OWNERSHIP_FORM = /^[345](\/A)?$/;
const THIRTEEN_F_FORM = /^13F-(HR|NT)(\/A)?$/;

export interface SecEdgarSourceOptions {
  /** Scheme and host only. Defaults to {@link SEC_BASE_URL}; tests point it at 127.0.0.1. */
  readonly baseUrl?: string;
  /**
   * The latest-filings feed URL (`…/cgi-bin/browse-edgar?action=getcurrent&…&output=atom`). Defaults to
   * one on `baseUrl`; its `count` (when set) is the page size, and `start` is set to page.
   */
  readonly feedUrl?: string;
  /** Forms whose documents are fetched and parsed. Defaults to {@link DEFAULT_SEC_FORMS}. */
  readonly forms?: readonly string[];
  /** Defaults to one minute. */
  readonly intervalMs?: number;
  /** Feed entries per page, 10..100 (EDGAR's bounds). Defaults to 100. */
  readonly pageSize?: number;
  /**
   * The most feed pages read in one poll. Defaults to 10 (1,000 entries at 100 a page). When more filings
   * than that were accepted since the last poll (a long stop), the oldest of them are not reached: the
   * latest-filings feed is for keeping up, not for backfilling, which EDGAR's daily indexes are for.
   */
  readonly maxPages?: number;
  /** A `filing` draft for every filing on the feed (true, the default) or only for the configured forms. */
  readonly announceAllFilings?: boolean;
  /** Look up the original of each amendment to retract its signals by id. Defaults to true. */
  readonly resolveAmendments?: boolean;
  /** The collector's name (cursor key, dead letters). Defaults to `sec-edgar`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to `sec-edgar`. */
  readonly source?: string;
}

export class SecEdgarSource implements PollingSource<SecEdgarCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #baseUrl: string;
  readonly #feedUrl: URL;
  readonly #forms: ReadonlySet<string>;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #announceAll: boolean;
  readonly #resolveAmendments: boolean;
  readonly #source: string;

  constructor(options: SecEdgarSourceOptions = {}) {
    const feedUrl = options.feedUrl ? new URL(options.feedUrl) : null;
    const pageSize = options.pageSize ?? (Number(feedUrl?.searchParams.get('count')) || 100);
    if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100) throw new Error(`SecEdgarSource: pageSize must be 10..100, got ${pageSize}`);
    const maxPages = options.maxPages ?? 10;
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new Error(`SecEdgarSource: maxPages must be a positive integer, got ${maxPages}`);
    const base = new URL(options.baseUrl ?? SEC_BASE_URL);
    this.#baseUrl = base.origin;
    this.#feedUrl = feedUrl ?? new URL(`${base.origin}/cgi-bin/browse-edgar?action=getcurrent&owner=include&output=atom`);
    this.#forms = new Set((options.forms ?? DEFAULT_SEC_FORMS).map((f) => f.trim().toUpperCase()));
    this.#pageSize = pageSize;
    this.#maxPages = maxPages;
    this.#announceAll = options.announceAllFilings ?? true;
    this.#resolveAmendments = options.resolveAmendments ?? true;
    this.name = options.name ?? 'sec-edgar';
    this.#source = options.source ?? 'sec-edgar';
    this.intervalMs = options.intervalMs ?? 60_000;
  }

  parseCursor(stored: string): SecEdgarCursor | null {
    return parseSecCursor(stored);
  }

  /** The latest-filings feed, `pageSize` entries from `start`. */
  feedUrl(start = 0): string {
    const url = new URL(this.#feedUrl);
    url.searchParams.set('count', String(this.#pageSize));
    if (start > 0) url.searchParams.set('start', String(start));
    else url.searchParams.delete('start');
    return url.toString();
  }

  async poll(ctx: PollContext<SecEdgarCursor>): Promise<PollResult<SecEdgarCursor>> {
    const cursor = ctx.cursor ?? EMPTY_CURSOR;
    const rejected: RejectedDocument[] = [];
    const first = await fetchEdgar(ctx.http, ctx, { url: this.feedUrl(), etag: cursor.etag, lastModified: cursor.lastModified });
    if (first.ok && first.response.notModified) return { drafts: [], rejected, cursor };
    if (!first.ok) throw first.error; // the feed itself refused: nothing to go on, retry later

    const filings = new Map<string, FeedFiling>();
    let fetched: Fetched = first;
    for (let page = 0; ; page++) {
      let full = false;
      let reachedOld = false;
      try {
        const feed = parseEdgarFeed(fetched.document);
        for (const f of feed.filings) {
          const seen = filings.get(f.accessionNumber);
          // A filing's per-party entries can straddle two pages: keep every party.
          filings.set(f.accessionNumber, seen ? { ...seen, parties: mergeParties(seen, f) } : f);
          if (!isNew(cursor, f.accessionNumber, f.updated)) reachedOld = true;
        }
        full = feed.entryCount >= this.#pageSize;
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        rejected.push({ document: fetched.document, error });
        if (page === 0) return { drafts: [], rejected, cursor }; // keep the validators: read it again next time
        break;
      }
      // A first run reads one page: the feed is for keeping up from now on, not for backfilling.
      if (cursor.newestUpdated === null || reachedOld || !full || page + 1 >= this.#maxPages) break;
      const next = await fetchEdgar(ctx.http, ctx, { url: this.feedUrl((page + 1) * this.#pageSize) });
      if (!next.ok) {
        rejected.push({ document: next.document, error: next.error });
        break;
      }
      fetched = next;
    }

    const fresh = [...filings.values()]
      .filter((f) => isNew(cursor, f.accessionNumber, f.updated))
      .sort((a, b) => a.updated - b.updated || (a.accessionNumber < b.accessionNumber ? -1 : 1));
    const drafts: SignalDraft[] = [];
    for (const filing of fresh) {
      const followed = this.#forms.has(filing.formType.toUpperCase());
      if (this.#announceAll || followed) drafts.push(feedFilingDraft(filing, this.#source));
      if (followed) await this.#readFiling(ctx, filing, drafts, rejected);
    }
    const validators = { etag: first.response.etag, lastModified: first.response.lastModified };
    return { drafts, rejected, cursor: advance(cursor, [...filings.values()], validators) };
  }

  /** Fetches and parses one filing's document, adding its drafts or its rejection. */
  async #readFiling(ctx: PollContext<SecEdgarCursor>, filing: FeedFiling, drafts: SignalDraft[], rejected: RejectedDocument[]): Promise<void> {
    const form = filing.formType.toUpperCase();
    const ownership = OWNERSHIP_FORM.test(form);
    if (!ownership && !THIRTEEN_F_FORM.test(form)) return; // announced only: no parser for this form
    const indexFetch = await fetchEdgar(ctx.http, ctx, { url: onBase(filing.indexUrl, this.#baseUrl) });
    if (!indexFetch.ok) return void rejected.push({ document: indexFetch.document, error: indexFetch.error });
    let url: string;
    try {
      const index = parseFilingIndex(indexFetch.document);
      const doc = ownership ? ownershipXmlOf(index, form) : completeSubmissionOf(index);
      if (doc) url = onBase(doc.url, this.#baseUrl);
      // Every filing has its complete submission next to the index, listed or not.
      else if (!ownership) url = indexFetch.document.origin.replace(/-index\.html?$/, '.txt');
      else throw new DocumentError('DOCUMENT_INVALID', `the ${form} XML is not listed`, indexFetch.document.origin, 'Document Format Files');
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      return void rejected.push({ document: indexFetch.document, error });
    }

    const fetched = await fetchEdgar(ctx.http, ctx, { url });
    if (!fetched.ok) return void rejected.push({ document: fetched.document, error: fetched.error });
    const context = {
      source: this.#source,
      accessionNumber: filing.accessionNumber,
      acceptedAt: filing.updated,
      filedDate: filing.filedDate ?? easternDate(filing.updated),
    };
    try {
      if (ownership) {
        const doc = parseOwnershipDocument(fetched.document);
        const original = doc.amendment && this.#resolveAmendments ? await resolveOriginal(doc, ctx.http, ctx, this.#baseUrl) : null;
        drafts.push(...ownershipDrafts(doc, context, original));
      } else {
        const parsed = parseThirteenFSubmission(fetched.document);
        if (parsed.accessionNumber !== filing.accessionNumber) {
          throw new DocumentError('DOCUMENT_INVALID', `holds ${parsed.accessionNumber}, not ${filing.accessionNumber}`, url, 'SEC-HEADER.ACCESSION NUMBER');
        }
        drafts.push(...thirteenFDrafts(parsed, this.#source));
      }
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      rejected.push({ document: fetched.document, error });
    }
  }
}

function mergeParties(a: FeedFiling, b: FeedFiling): FeedFiling['parties'] {
  return [...a.parties, ...b.parties.filter((p) => !a.parties.some((q) => q.cik === p.cik && q.role === p.role))];
}
