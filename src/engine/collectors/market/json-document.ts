/**
 * Reading JSON documents for the market, macro and chain parsers: bytes to a value with the right
 * `DocumentError` code, and small typed accessors that name the field path when a value is wrong, so a
 * dead letter says `observations[828].value`, not "cannot read property of undefined".
 */
import { DocumentError, decodeText, type DocumentErrorCode, type SourceDocument } from '../document.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { readonly [key: string]: unknown };

function charsetOf(contentType: string | null | undefined): string | null {
  return contentType ? (/;\s*charset\s*=\s*"?([A-Za-z0-9._-]+)"?/i.exec(contentType)?.[1] ?? null) : null;
}

/**
 * The document's text. JSON is UTF-8 (RFC 8259), so unlike feeds, an undeclared document that is not
 * valid UTF-8 is an encoding error rather than something to guess at; a charset the server declares
 * explicitly is honoured.
 */
function jsonText(document: SourceDocument): string {
  const declared = charsetOf(document.contentType);
  if (declared && !/^utf-?8$/i.test(declared)) return decodeText(document);
  let bytes = document.body;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new DocumentError('DOCUMENT_ENCODING', 'bytes are not valid UTF-8', document.origin, undefined, { cause });
  }
}

/**
 * Parses a JSON document. HTML or XML (an error page, a captive portal) is `DOCUMENT_FORMAT`; empty,
 * truncated or otherwise unparsable text is `DOCUMENT_MALFORMED`.
 */
export function readJson(document: SourceDocument): unknown {
  const text = jsonText(document).trim();
  if (text === '') throw new DocumentError('DOCUMENT_MALFORMED', 'empty document', document.origin);
  if (text.startsWith('<')) {
    throw new DocumentError('DOCUMENT_FORMAT', `expected JSON, got markup (${JSON.stringify(text.slice(0, 40))})`, document.origin);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const what = /^[[{"\d-]|^(true|false|null)/.test(text) ? 'unparsable or truncated JSON' : 'not JSON';
    const code: DocumentErrorCode = what === 'not JSON' ? 'DOCUMENT_FORMAT' : 'DOCUMENT_MALFORMED';
    throw new DocumentError(code, `${what}: ${(cause as Error).message}`, document.origin, undefined, { cause });
  }
}

/** Typed access to a parsed JSON value, failing with `DOCUMENT_INVALID` (or `DOCUMENT_FORMAT` at the root). */
export class Fields {
  constructor(readonly origin: string) {}

  fail(code: DocumentErrorCode, message: string, path: string): never {
    throw new DocumentError(code, message, this.origin, path || '$');
  }

  /** The root must be an object: anything else is the wrong kind of document. */
  root(value: unknown, what: string): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail('DOCUMENT_FORMAT', `expected ${what} (a JSON object), got ${describe(value)}`, '$');
    }
    return value as JsonObject;
  }

  obj(value: unknown, path: string): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail('DOCUMENT_INVALID', `expected an object, got ${describe(value)}`, path);
    }
    return value as JsonObject;
  }

  arr(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail('DOCUMENT_INVALID', `expected an array, got ${describe(value)}`, path);
    return value;
  }

  str(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail('DOCUMENT_INVALID', `expected a string, got ${describe(value)}`, path);
    return value;
  }

  optStr(value: unknown, path: string): string | null {
    return value === undefined || value === null ? null : this.str(value, path);
  }

  num(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail('DOCUMENT_INVALID', `expected a number, got ${describe(value)}`, path);
    }
    return value;
  }

  optNum(value: unknown, path: string): number | null {
    return value === undefined || value === null ? null : this.num(value, path);
  }

  bool(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail('DOCUMENT_INVALID', `expected true or false, got ${describe(value)}`, path);
    return value;
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
