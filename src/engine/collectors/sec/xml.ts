/**
 * Reading SEC XML with fast-xml-parser, and walking the result with paths for error messages.
 *
 * Every element is forced into an array (the PITFALLS rule: a list of one must not turn into a scalar),
 * namespace prefixes are dropped (13F tables come with a default namespace, `ns1:` or `n1:`), values stay
 * strings (CIKs and CUSIPs have leading zeros; quantities are parsed exactly elsewhere), and entities are
 * decoded here in one pass rather than by the parser, which (in this configuration, without its deprecated
 * HTML-entity mode) leaves numeric references such as `&#39;` undecoded. DOCTYPE entities are never
 * expanded: nothing EDGAR publishes declares any, and expanding them is how XML bombs work.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { canonicalDecimal } from './decimal.js';
import { DocumentError, decodeText, type SourceDocument } from '../document.js';

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else is left as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[ref] ?? whole;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  tagValueProcessor: (_name, value) => decodeXmlEntities(value),
  attributeValueProcessor: (_name, value) => decodeXmlEntities(value),
});

/**
 * Parses XML text, checking first that it is XML at all (`DOCUMENT_FORMAT` for HTML, JSON or plain text),
 * that it is well formed (`DOCUMENT_MALFORMED`, with the line and column), and that its root element is
 * one of `roots` (`DOCUMENT_FORMAT` otherwise). Returns the root element.
 */
export function parseXmlText(
  text: string,
  origin: string,
  roots: readonly string[],
  what: string,
  /** Where the XML sits inside a larger document (an SGML submission), prefixed to paths. */
  at?: string,
): XmlElement {
  // Some filers' tools put a blank line before the XML declaration; strictly that is not well formed,
  // but nothing is ambiguous about it, so leading whitespace is dropped (and line numbers kept).
  const lead = /^[\uFEFF\s]*/.exec(text)![0];
  const head = text.slice(lead.length);
  const lineShift = lead.split('\n').length - 1;
  if (!head.startsWith('<')) {
    throw new DocumentError('DOCUMENT_FORMAT', `expected ${what} (XML), found text starting "${head.slice(0, 20)}"`, origin, at);
  }
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<!DOCTYPE\s+html/i.test(head) || /^<html[\s>]/i.test(head)) {
    throw new DocumentError('DOCUMENT_FORMAT', `expected ${what}, found an HTML page`, origin, at);
  }
  const valid = XMLValidator.validate(head);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const where = `line ${line + lineShift}${col ? `, column ${col}` : ''}`;
    throw new DocumentError('DOCUMENT_MALFORMED', `not well-formed XML at ${where}: ${msg}`, origin, at);
  }
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(head) as Record<string, unknown>;
  } catch (cause) {
    throw new DocumentError('DOCUMENT_MALFORMED', `unparsable XML: ${String(cause)}`, origin, at, { cause });
  }
  const names = Object.keys(tree).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = names.find((n) => roots.includes(n));
  if (!root || names.length !== 1) {
    throw new DocumentError('DOCUMENT_FORMAT', `expected ${what} (<${roots.join('> or <')}>), found <${names.join('>, <') || 'nothing'}>`, origin, at);
  }
  const elements = tree[root] as unknown[];
  return new XmlElement(origin, elements[0], at ? `${at}.${root}` : root);
}

/** Decodes the document's bytes (see `decodeText`) and parses them as {@link parseXmlText} does. */
export function parseXmlDocument(document: SourceDocument, roots: readonly string[], what: string): XmlElement {
  return parseXmlText(decodeText(document), document.origin, roots, what);
}

/** One parsed element and its path from the root, for messages that say where a field is wrong. */
export class XmlElement {
  constructor(
    readonly origin: string,
    private readonly raw: unknown,
    readonly path: string,
  ) {}

  /** Every child element with this name, in document order. */
  all(name: string): XmlElement[] {
    const list = this.raw !== null && typeof this.raw === 'object' ? (this.raw as Record<string, unknown>)[name] : undefined;
    if (!Array.isArray(list)) return [];
    return list.map((item, i) => new XmlElement(this.origin, item, `${this.path}.${name}[${i}]`));
  }

  /** The first child element with this name, or null. */
  one(name: string): XmlElement | null {
    const first = this.all(name)[0];
    return first ? new XmlElement(this.origin, first.raw, `${this.path}.${name}`) : null;
  }

  /** Every element with this name at any depth below this one, in document order. */
  descendants(name: string): XmlElement[] {
    const found: XmlElement[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, list] of Object.entries(node as Record<string, unknown>)) {
        if (!Array.isArray(list)) continue;
        list.forEach((item, i) => {
          const at = `${path}.${key}[${i}]`;
          if (key === name) found.push(new XmlElement(this.origin, item, at));
          walk(item, at);
        });
      }
    };
    walk(this.raw, this.path);
    return found;
  }

  /** The child element, or a `DOCUMENT_INVALID` error naming it. */
  need(name: string): XmlElement {
    const child = this.one(name);
    if (!child) throw this.invalid(`missing <${name}>`, name);
    return child;
  }

  /** The element's own text, trimmed; null when empty or when the element only has children. */
  text(): string | null {
    let value: unknown = this.raw;
    if (value !== null && typeof value === 'object') value = (value as Record<string, unknown>)['#text'];
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const trimmed = String(value).trim();
    return trimmed === '' ? null : trimmed;
  }

  /** The text of a child element (null when absent or empty). */
  textOf(name: string): string | null {
    return this.one(name)?.text() ?? null;
  }

  /** The text of a required child element, or a `DOCUMENT_INVALID` error naming it. */
  needText(name: string): string {
    const value = this.textOf(name);
    if (value === null) throw this.invalid(`missing or empty <${name}>`, name);
    return value;
  }

  attr(name: string): string | null {
    if (this.raw === null || typeof this.raw !== 'object') return null;
    const value = (this.raw as Record<string, unknown>)[`@_${name}`];
    return typeof value === 'string' ? value.trim() : null;
  }

  /** A `DOCUMENT_INVALID` error at this element (or at one of its children). */
  invalid(message: string, child?: string): DocumentError {
    return new DocumentError('DOCUMENT_INVALID', message, this.origin, child ? `${this.path}.${child}` : this.path);
  }

  /** The element's text as a canonical decimal, or null when empty; an error when it is not a number. */
  decimal(): string | null {
    const text = this.text();
    if (text === null) return null;
    const value = canonicalDecimal(text.replace(/^\$/, ''));
    if (value === null) throw this.invalid(`"${text}" is not a decimal number`);
    return value;
  }

  /** `1`/`0`, `true`/`false` (any case) as a boolean; null when empty. */
  boolean(): boolean | null {
    const text = this.text()?.toLowerCase() ?? null;
    if (text === null) return null;
    if (text === '1' || text === 'true') return true;
    if (text === '0' || text === 'false') return false;
    throw this.invalid(`"${text}" is not a boolean (1/0, true/false)`);
  }
}
