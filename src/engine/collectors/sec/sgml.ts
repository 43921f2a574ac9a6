/**
 * The complete submission text file EDGAR keeps for every filing (`{accession}.txt`): an SGML header
 * (`<SEC-HEADER>`, "KEY: value" lines) and one `<DOCUMENT>` per file, whose `<TEXT>` holds XML inside
 * `<XML>` … `</XML>`. It is the one place that gives the acceptance time with the documents, which is
 * why the source reads 13F filings from it.
 *
 * The header's tags are not closed (`<TYPE>13F-HR` then a newline), so this is read line- and
 * block-wise, not with an XML parser.
 */
import { DocumentError, decodeText, type SourceDocument } from '../document.js';
import { compactToIsoDate, easternCompactToEpoch } from './time.js';

export interface SubmissionHeader {
  readonly accessionNumber: string;
  readonly submissionType: string;
  /** `YYYY-MM-DD`, or null when the header has none. */
  readonly periodOfReport: string | null;
  readonly filedDate: string;
  /** Epoch ms of `<ACCEPTANCE-DATETIME>` (New York time), or null when absent. */
  readonly acceptedAt: number | null;
  /** The first filer block's company. */
  readonly filer: { readonly cik: string; readonly name: string } | null;
}

export interface SubmissionDocument {
  readonly type: string;
  readonly sequence: string | null;
  readonly filename: string | null;
  readonly description: string | null;
  /** The text between `<XML>` and `</XML>`, or null when the document is not XML. */
  readonly xml: string | null;
  /** A path for messages: `DOCUMENT[2](index.xml)`. */
  readonly at: string;
}

export interface Submission {
  readonly header: SubmissionHeader;
  readonly documents: readonly SubmissionDocument[];
}

export function parseSubmission(document: SourceDocument): Submission {
  const text = decodeText(document);
  const origin = document.origin;
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (!/^<SEC-DOCUMENT>/i.test(head)) {
    throw new DocumentError('DOCUMENT_FORMAT', `expected an EDGAR submission (<SEC-DOCUMENT>), found "${head.slice(0, 20)}"`, origin);
  }
  if (!/<\/SEC-DOCUMENT>\s*$/i.test(text)) {
    throw new DocumentError('DOCUMENT_MALFORMED', 'truncated: no closing </SEC-DOCUMENT>', origin);
  }
  const headerText = /<SEC-HEADER>([\s\S]*?)<\/SEC-HEADER>/i.exec(text)?.[1];
  if (headerText === undefined) throw new DocumentError('DOCUMENT_MALFORMED', 'no <SEC-HEADER> … </SEC-HEADER>', origin, 'SEC-HEADER');
  const header = readHeader(headerText, text, origin);

  const documents: SubmissionDocument[] = [];
  const opened = (text.match(/<DOCUMENT>/gi) ?? []).length;
  for (const match of text.matchAll(/<DOCUMENT>([\s\S]*?)<\/DOCUMENT>/gi)) {
    const body = match[1]!;
    const tag = (name: string): string | null => new RegExp(`^<${name}>(.*)$`, 'im').exec(body)?.[1]?.trim() || null;
    const filename = tag('FILENAME');
    const at = `DOCUMENT[${documents.length + 1}]${filename ? `(${filename})` : ''}`;
    const type = tag('TYPE');
    if (!type) throw new DocumentError('DOCUMENT_INVALID', 'document without <TYPE>', origin, at);
    let xml: string | null = null;
    if (/<XML>/i.test(body)) {
      const inner = /<XML>\s*([\s\S]*?)<\/XML>/i.exec(body);
      if (!inner) throw new DocumentError('DOCUMENT_MALFORMED', 'truncated: <XML> without </XML>', origin, at);
      xml = inner[1]!.trim();
    }
    documents.push({ type, sequence: tag('SEQUENCE'), filename, description: tag('DESCRIPTION'), xml, at });
  }
  if (documents.length !== opened) {
    throw new DocumentError('DOCUMENT_MALFORMED', `truncated: ${opened} <DOCUMENT> opened, ${documents.length} closed`, origin);
  }
  return { header, documents };
}

function readHeader(header: string, whole: string, origin: string): SubmissionHeader {
  const field = (label: string): string | null =>
    new RegExp(`^\\s*${label}:[ \\t]*(.+)$`, 'm').exec(header)?.[1]?.trim() || null;
  const need = (label: string): string => {
    const value = field(label);
    if (value === null) throw new DocumentError('DOCUMENT_INVALID', `missing "${label}:"`, origin, `SEC-HEADER.${label}`);
    return value;
  };
  const accessionNumber = need('ACCESSION NUMBER');
  if (!/^\d{10}-\d{2}-\d{6}$/.test(accessionNumber)) {
    throw new DocumentError('DOCUMENT_INVALID', `"${accessionNumber}" is not an accession number`, origin, 'SEC-HEADER.ACCESSION NUMBER');
  }
  const filedText = need('FILED AS OF DATE');
  const filedDate = compactToIsoDate(filedText);
  if (!filedDate) throw new DocumentError('DOCUMENT_INVALID', `"${filedText}" is not a date`, origin, 'SEC-HEADER.FILED AS OF DATE');
  const periodText = field('CONFORMED PERIOD OF REPORT');
  const periodOfReport = periodText ? compactToIsoDate(periodText) : null;
  if (periodText && !periodOfReport) {
    throw new DocumentError('DOCUMENT_INVALID', `"${periodText}" is not a date`, origin, 'SEC-HEADER.CONFORMED PERIOD OF REPORT');
  }
  // The acceptance time is a tag of its own (no closing tag), not a "KEY: value" line.
  const acceptance = /<ACCEPTANCE-DATETIME>\s*(\d{14})/i.exec(whole)?.[1] ?? null;
  const acceptedAt = acceptance ? easternCompactToEpoch(acceptance) : null;
  if (acceptance && acceptedAt === null) {
    throw new DocumentError('DOCUMENT_INVALID', `"${acceptance}" is not a time`, origin, 'SEC-HEADER.ACCEPTANCE-DATETIME');
  }
  const cik = field('CENTRAL INDEX KEY');
  const name = field('COMPANY CONFORMED NAME');
  return {
    accessionNumber,
    submissionType: need('CONFORMED SUBMISSION TYPE'),
    periodOfReport,
    filedDate,
    acceptedAt,
    filer: cik && name && /^\d{1,10}$/.test(cik) ? { cik: cik.padStart(10, '0'), name } : null,
  };
}
