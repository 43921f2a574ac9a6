/**
 * Reading platform JSON defensively. Platform APIs change shape without notice and proxies answer with
 * HTML error pages, so every parser goes through these: the document is decoded by its charset, parsed,
 * and each field is read through a path, so a `DocumentError` names the document and exactly the field
 * at fault (`[1].data.children[3].data.created_utc`).
 */
import { DocumentError, decodeText, type SourceDocument } from '../document.js';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** Parses a whole JSON document. HTML, XML or empty bodies are `DOCUMENT_FORMAT`; broken JSON is `DOCUMENT_MALFORMED`. */
export function parseJsonDocument(document: SourceDocument): Json {
  return parseJsonText(decodeText(document), document.origin);
}

export function parseJsonText(text: string, origin: string, path?: string): Json {
  const trimmed = text.trim();
  if (trimmed === '') throw new DocumentError('DOCUMENT_MALFORMED', 'empty document where JSON was expected', origin, path);
  if (!/^[[{]/.test(trimmed)) {
    const what = /^</.test(trimmed) ? 'markup (HTML or XML)' : `text starting "${trimmed.slice(0, 20)}"`;
    throw new DocumentError('DOCUMENT_FORMAT', `${what} where JSON was expected`, origin, path);
  }
  try {
    return JSON.parse(trimmed) as Json;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DocumentError('DOCUMENT_MALFORMED', `unparsable or truncated JSON (${detail})`, origin, path, { cause });
  }
}

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A cursor over one JSON value that knows its path. Accessors throw `DOCUMENT_INVALID` naming the path
 * when a required field is missing or of the wrong type; the `opt*` forms return null instead.
 */
export class JsonReader {
  constructor(
    readonly value: Json | undefined,
    readonly origin: string,
    readonly path: string,
  ) {}

  static of(value: Json, origin: string): JsonReader {
    return new JsonReader(value, origin, '$');
  }

  fail(message: string, path = this.path): never {
    throw new DocumentError('DOCUMENT_INVALID', message, this.origin, path);
  }

  #describe(v: Json | undefined): string {
    if (v === undefined) return 'missing';
    if (v === null) return 'null';
    return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
  }

  get(key: string): JsonReader {
    const v = this.object();
    return new JsonReader(v[key], this.origin, `${this.path}.${key}`);
  }

  has(key: string): boolean {
    return isObject(this.value) && this.value[key] !== undefined;
  }

  object(): JsonObject {
    if (!isObject(this.value)) this.fail(`expected an object, found ${this.#describe(this.value)}`);
    return this.value;
  }

  array(): JsonReader[] {
    const v = this.value;
    if (!Array.isArray(v)) this.fail(`expected an array, found ${this.#describe(v)}`);
    return (v as readonly Json[]).map((item, i) => new JsonReader(item, this.origin, `${this.path}[${i}]`));
  }

  /** An array, or an empty one when the field is missing or null. */
  optArray(): JsonReader[] {
    return this.value === undefined || this.value === null ? [] : this.array();
  }

  string(): string {
    if (typeof this.value !== 'string') this.fail(`expected a string, found ${this.#describe(this.value)}`);
    return this.value as string;
  }

  optString(): string | null {
    return this.value === undefined || this.value === null ? null : this.string();
  }

  number(): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) {
      this.fail(`expected a number, found ${this.#describe(this.value)}`);
    }
    return this.value as number;
  }

  optNumber(): number | null {
    return this.value === undefined || this.value === null ? null : this.number();
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail(`expected a boolean, found ${this.#describe(this.value)}`);
    return this.value as boolean;
  }
}
