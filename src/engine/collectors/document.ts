/**
 * What every source parser shares: the document it was given, and the error it raises when that document
 * cannot be read. Parsers are pure (bytes in, typed records out); collectors fetch, parse, turn records
 * into `SignalIngested` events and send what fails to the dead-letter topic with the document kept.
 */

/** A fetched or recorded document, as bytes plus what is known about where it came from. */
export interface SourceDocument {
  /** Where it was read from (a URL, or a file path in tests and replays). */
  readonly origin: string;
  readonly body: Uint8Array;
  /** The `Content-Type` it was served with, if any; parsers use its charset when the document declares none. */
  readonly contentType?: string | null;
}

export type DocumentErrorCode =
  /** Not the format the parser reads (HTML where XML was expected, a JSON array where an object was). */
  | 'DOCUMENT_FORMAT'
  /** The right format, but broken: truncated, unbalanced, unparsable. */
  | 'DOCUMENT_MALFORMED'
  /** Parsable, but a required field is missing or has an impossible value. */
  | 'DOCUMENT_INVALID'
  /** Bytes that are not valid in the document's declared or detected encoding. */
  | 'DOCUMENT_ENCODING';

/** Raised by parsers. The message names the document and, where it can, the field or line at fault. */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    readonly origin: string,
    /** A path to the offending field (`ownershipDocument.nonDerivativeTable[2].transactionAmounts`), when known. */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(`${origin}: ${path ? `${path}: ` : ''}${message}`, options);
  }
}

/** The dead-letter payload for a document a collector could not use: the error and the document itself. */
export function deadLetterOf(stage: string, document: SourceDocument, error: unknown): {
  readonly stage: string;
  readonly error: string;
  readonly source: { readonly origin: string; readonly contentType: string | null; readonly bodyBase64: string };
} {
  return {
    stage,
    error: error instanceof Error ? error.message : String(error),
    source: {
      origin: document.origin,
      contentType: document.contentType ?? null,
      // Base64 keeps the exact bytes, whatever their encoding, so the document can be re-parsed later.
      bodyBase64: Buffer.from(document.body).toString('base64'),
    },
  };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), if any. */
function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? null;
}

function charsetOf(contentType: string | null | undefined): string | null {
  return contentType ? (/;\s*charset\s*=\s*"?([A-Za-z0-9._-]+)"?/i.exec(contentType)?.[1] ?? null) : null;
}

/**
 * The document as text. The encoding is, in order: a byte-order mark, the XML declaration, the
 * Content-Type charset, else UTF-8. Bytes invalid in a declared encoding are a `DOCUMENT_ENCODING` error;
 * an undeclared document that is not valid UTF-8 is read as Windows-1252 (the Latin-1 superset the web
 * treats ISO-8859-1 as), which is what such documents are in practice.
 */
export function decodeText(document: SourceDocument): string {
  const bytes = document.body;
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) return decodeStrict(document, bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict(document, bytes.subarray(2), 'utf-16be');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict(document, bytes.subarray(2), 'utf-16le');
  const declared = xmlDeclaredEncoding(bytes) ?? charsetOf(document.contentType);
  if (declared) return decodeStrict(document, bytes, declared);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** Windows-1252's printable characters in 0x80..0x9F (undefined bytes stay as their C1 control). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder reads `windows-1252` (and so `iso-8859-1`, which the Encoding Standard maps to it)
 * as plain Latin-1, losing curly quotes, dashes and the euro sign; this decodes it as the standard says.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk.map((b) => b)).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  return out;
}

function decodeStrict(document: SourceDocument, bytes: Uint8Array, label: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch (cause) {
    throw new DocumentError('DOCUMENT_ENCODING', `unknown encoding "${label}"`, document.origin, undefined, { cause });
  }
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes); // every byte is valid
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new DocumentError('DOCUMENT_ENCODING', `bytes are not valid ${label}`, document.origin, undefined, { cause });
  }
}
