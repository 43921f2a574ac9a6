/**
 * The filing index page (`…/{accession}-index.htm`) a feed entry links to: the list of the filing's
 * documents with their EDGAR types, which is how the primary ownership XML and the complete submission
 * are found (their file names are chosen by each filer's software).
 *
 * The page is HTML, but EDGAR generates it: the documents are the rows of
 * `<table class="tableFile" summary="Document Format Files">`, five cells each (Seq, Description,
 * Document link, Type, Size). A rendered copy of each XML form is listed too, under an `xsl…/` folder,
 * with the same type; it is HTML and is skipped.
 */
import { DocumentError, decodeText, type SourceDocument } from '../document.js';
import { decodeXmlEntities } from './xml.js';
import { easternCompactToEpoch } from './time.js';

export interface FilingIndexDocument {
  readonly sequence: string | null;
  readonly description: string | null;
  /** Absolute, resolved against the index page's own URL. */
  readonly url: string;
  readonly name: string;
  /** EDGAR document type (`4`, `13F-HR`, `INFORMATION TABLE`, `EX-24`); null for the complete submission. */
  readonly type: string | null;
}

export interface FilingIndex {
  readonly origin: string;
  readonly documents: readonly FilingIndexDocument[];
  /** The "Accepted" time on the page (New York time), epoch ms, when shown. */
  readonly acceptedAt: number | null;
}

export function parseFilingIndex(document: SourceDocument): FilingIndex {
  const html = decodeText(document);
  const table = /<table[^>]*summary="Document Format Files"[^>]*>([\s\S]*?)<\/table>/i.exec(html)?.[1];
  if (table === undefined) {
    throw new DocumentError('DOCUMENT_FORMAT', 'not an EDGAR filing index (no "Document Format Files" table)', document.origin);
  }
  const documents: FilingIndexDocument[] = [];
  for (const [i, row] of [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/gi)].entries()) {
    const cells = [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/gi)].map((c) => c[1]!);
    if (cells.length === 0) continue; // the header row
    if (cells.length < 4) {
      throw new DocumentError('DOCUMENT_INVALID', `a row of ${cells.length} cells, expected 5`, document.origin, `tableFile.tr[${i}]`);
    }
    const href = /<a[^>]*href="([^"]+)"/i.exec(cells[2]!)?.[1];
    if (!href) continue; // a document listed without a link (rare, e.g. paper exhibits)
    let url: string;
    try {
      url = new URL(decodeXmlEntities(href.replace(/\s+/g, '')), document.origin).toString();
    } catch (cause) {
      throw new DocumentError('DOCUMENT_INVALID', `"${href}" is not a link`, document.origin, `tableFile.tr[${i}].a`, { cause });
    }
    documents.push({
      sequence: cellText(cells[0]!),
      description: cellText(cells[1]!),
      url,
      name: cellText(cells[2]!) ?? url.slice(url.lastIndexOf('/') + 1),
      type: cellText(cells[3]!),
    });
  }
  const accepted = /Accepted<\/div>\s*<div[^>]*>\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\s*</i.exec(html);
  return {
    origin: document.origin,
    documents,
    acceptedAt: accepted ? easternCompactToEpoch(accepted.slice(1).join('')) : null,
  };
}

/** The raw XML of an ownership form (the row of type `formType` that is XML and not the rendered copy). */
export function ownershipXmlOf(index: FilingIndex, formType: string): FilingIndexDocument | null {
  const xml = index.documents.filter((d) => /\.xml$/i.test(new URL(d.url).pathname) && !/\/xsl[^/]*\//i.test(d.url));
  return xml.find((d) => d.type?.toUpperCase() === formType.toUpperCase()) ?? null;
}

/** The complete submission text file (`{accession}.txt`). */
export function completeSubmissionOf(index: FilingIndex): FilingIndexDocument | null {
  return index.documents.find((d) => /\.txt$/i.test(new URL(d.url).pathname) && (d.type === null || /complete/i.test(d.description ?? ''))) ?? null;
}

function cellText(cell: string): string | null {
  const text = decodeXmlEntities(cell.replace(/<[^>]*>/g, '').replace(/&nbsp;/gi, ' ')).replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}
