/**
 * One parser for RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 feeds, with fast-xml-parser.
 *
 * What it absorbs (test/fixtures/PITFALLS.md): Latin-1 bytes with or without a declaration (`decodeText`);
 * CDATA titles and links; descriptions that are escaped HTML, CDATA HTML, or (in Atom `type="xhtml"`)
 * inline markup, all reduced to text; `content:encoded`; several Atom `<link rel>`, the alternate preferred;
 * RFC 822 dates in other languages and ISO 8601 in `dc:date`; one-line files; lists that hold one item
 * (forced to arrays). Bare `&` in text, which real feeds contain and strict XML forbids, is escaped before
 * parsing; everything else must be well-formed, so a truncated feed is an error rather than a silent half.
 *
 * Text-bearing elements are kept raw (`stopNodes`), then decoded here, because the parser's own handling
 * loses the order of text and CDATA and cannot tell escaped HTML from text.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DocumentError, decodeText, type SourceDocument } from '../document.js';
import { collapseSpace, decodeEntities, htmlToText } from '../social/text.js';
import { parseFeedDate } from './dates.js';

export interface FeedItem {
  /** The item's identity: guid, Atom id, RDF about, link, or (lacking all) a hash of title and date. */
  readonly id: string;
  readonly idFrom: 'guid' | 'id' | 'link' | 'hash';
  readonly title: string;
  readonly link: string | null;
  /** Plain text of the description/summary, or of the content when there is no summary. */
  readonly summary: string;
  /** Plain text of `content:encoded` / Atom `content`, when present. */
  readonly content: string | null;
  readonly author: string | null;
  readonly categories: readonly string[];
  readonly publishedMs: number | null;
  readonly updatedMs: number | null;
  /** The date text as written, when present but unreadable. */
  readonly unreadableDate: string | null;
}

export interface Feed {
  readonly format: 'rss' | 'rdf' | 'atom';
  readonly title: string;
  readonly link: string | null;
  readonly language: string | null;
  /** `dc:publisher`, `managingEditor`, or the Atom feed's author. */
  readonly publisher: string | null;
  readonly updatedMs: number | null;
  readonly items: readonly FeedItem[];
}

type Node = unknown;
type Obj = Record<string, Node>;

const TEXT_TAGS = ['title', 'description', 'content:encoded', 'summary', 'content', 'subtitle', 'rights'];
const LIST_TAGS = new Set(['item', 'entry', 'link', 'category', 'author', 'contributor', 'dc:creator', 'dc:subject', 'atom:link', 'atom10:link']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Entities are decoded here, once and in the right place (see the file comment); this also keeps
  // DOCTYPE-declared entities from expanding.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  stopNodes: TEXT_TAGS.map((t) => `*.${t}`),
  isArray: (name) => LIST_TAGS.has(name),
});

const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/** The text of the document, trusting an in-document declaration over a Content-Type that contradicts it. */
function feedText(document: SourceDocument): string {
  try {
    return decodeText(document);
  } catch (error) {
    // Static servers label everything UTF-8. A document with no declaration of its own whose bytes are not
    // what the header claims is read as if it had no header (UTF-8, else Windows-1252).
    const head = Buffer.from(document.body.subarray(0, 200)).toString('latin1');
    if (document.contentType && !/^\s*<\?xml[^>]*encoding/.test(head) && error instanceof DocumentError && error.code === 'DOCUMENT_ENCODING') {
      return decodeText({ ...document, contentType: null });
    }
    throw error;
  }
}

/** Rejects what is not XML at all: JSON, HTML pages, plain text. */
function sniff(text: string, origin: string): void {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start === '') throw new DocumentError('DOCUMENT_MALFORMED', 'empty document', origin);
  if (/^[[{]/.test(start)) throw new DocumentError('DOCUMENT_FORMAT', 'JSON where a feed (XML) was expected', origin);
  if (!start.startsWith('<')) throw new DocumentError('DOCUMENT_FORMAT', `text starting "${start.slice(0, 20)}" where a feed (XML) was expected`, origin);
  const prolog = start.replace(/^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/, '');
  if (/^<!doctype\s+html/i.test(prolog) || /^<html[\s>]/i.test(prolog)) {
    throw new DocumentError('DOCUMENT_FORMAT', 'an HTML page where a feed was expected', origin);
  }
}

/** Escapes `&` that starts no entity, outside CDATA sections. */
const fixAmpersands = (xml: string): string =>
  xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>|&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][\w.-]*;)/g, (m) => (m === '&' ? '&amp;' : m));

/** Parses a feed document. Throws `DocumentError` for anything that is not a readable feed. */
export function parseFeed(document: SourceDocument): Feed {
  const origin = document.origin;
  const text = fixAmpersands(feedText(document));
  sniff(text, origin);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new DocumentError('DOCUMENT_MALFORMED', `not well-formed XML (truncated?): ${msg}`, origin, `line ${line}, column ${col}`);
  }
  let root: Obj;
  try {
    root = parser.parse(text) as Obj;
  } catch (cause) {
    // What the validator lets through but the parser refuses (nesting deeper than its limit, say).
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DocumentError('DOCUMENT_MALFORMED', `unparsable XML: ${detail}`, origin, undefined, { cause });
  }
  const keys = Object.keys(root);
  const rootName = keys.find((k) => /^(?:[\w-]+:)?(?:rss|feed|RDF)$/.test(k));
  if (!rootName) {
    throw new DocumentError('DOCUMENT_FORMAT', `root element <${keys[0] ?? '?'}> is not rss, feed or rdf:RDF`, origin, keys[0]);
  }
  const body = root[rootName];
  if (/feed$/.test(rootName)) return atom(asObj(body), rootName.replace(/feed$/, ''), origin);
  if (/RDF$/.test(rootName)) return rss(asObj(body), 'rdf', origin, rootName);
  return rss(asObj(body), 'rss', origin, rootName);
}

const asObj = (n: Node): Obj => (typeof n === 'object' && n !== null && !Array.isArray(n) ? (n as Obj) : {});
const list = (n: Node): Node[] => (n === undefined || n === null ? [] : Array.isArray(n) ? n : [n]);

/** The text of a non-stop node (`guid`, `pubDate`, `link`): text XML-decoded, CDATA as is. */
function plain(n: Node): string {
  if (Array.isArray(n)) return n.length ? plain(n[0]) : '';
  if (typeof n === 'string') return collapseSpace(decodeEntities(n));
  if (typeof n === 'object' && n !== null) {
    const o = n as Obj;
    const text = typeof o['#text'] === 'string' ? decodeEntities(o['#text']) : '';
    const cdata = list(o['#cdata']).filter((c): c is string => typeof c === 'string').join('');
    return collapseSpace(text + cdata);
  }
  return '';
}

/**
 * The text of a raw (stop) node. `html`: escaped or CDATA HTML, stripped to text; `xhtml`: inline markup;
 * `text`: text, where any markup is stripped without a second round of entity decoding.
 */
function rich(n: Node, mode: 'text' | 'html' | 'xhtml'): string {
  const raw = Array.isArray(n) ? n[0] : n;
  const inner = typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null ? String((raw as Obj)['#text'] ?? '') : '';
  if (mode === 'xhtml') return htmlToText(inner.replace(CDATA, (_m, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;')));
  let out = '';
  let last = 0;
  for (const m of inner.matchAll(CDATA)) {
    out += piece(inner.slice(last, m.index), mode) + (mode === 'html' ? m[1]! : m[1]!.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    last = m.index + m[0].length;
  }
  out += piece(inner.slice(last), mode);
  return htmlToText(out);
}

/** A stretch of raw XML between CDATA sections, as HTML for {@link htmlToText}. */
function piece(xml: string, mode: 'text' | 'html'): string {
  // Inline elements in a text field are markup either way: drop them before decoding.
  const noTags = xml.replace(/<\/?[A-Za-z][^>]*>/g, ' ');
  return mode === 'html' ? decodeEntities(noTags) : noTags;
}

const attr = (n: Node, name: string): string | null => {
  const v = asObj(n)[`@${name}`];
  return typeof v === 'string' ? decodeEntities(v) : null;
};

function absolute(href: string | null, base: string): string | null {
  if (!href) return null;
  try {
    return new URL(href, base).toString();
  } catch {
    return href;
  }
}

function hashId(...parts: (string | null)[]): string {
  return `sha256:${createHash('sha256').update(parts.map((p) => p ?? '').join('\n')).digest('hex').slice(0, 32)}`;
}

function dates(candidates: readonly string[]): { ms: number | null; unreadable: string | null } {
  for (const c of candidates) {
    const ms = parseFeedDate(c);
    if (ms !== null) return { ms, unreadable: null };
  }
  return { ms: null, unreadable: candidates.find((c) => c !== '') ?? null };
}

function rss(body: Obj, format: 'rss' | 'rdf', origin: string, rootName: string): Feed {
  const channel = body.channel;
  if (typeof channel !== 'object' || channel === null || Array.isArray(channel)) {
    throw new DocumentError('DOCUMENT_INVALID', 'no <channel>', origin, `${rootName}.channel`);
  }
  const ch = channel as Obj;
  // RSS 2.0 puts items inside the channel; RSS 1.0 beside it.
  const rawItems = format === 'rss' ? list(ch.item) : list(body.item);
  const items = rawItems.map((raw) => rssItem(asObj(raw), origin));
  return {
    format,
    title: rich(ch.title, 'html'),
    link: absolute(list(ch.link).map(plain).find((l) => l !== '') ?? null, origin),
    language: plain(ch.language) || plain(ch['dc:language']) || null,
    publisher: plain(ch['dc:publisher']) || plain(ch.managingEditor) || null,
    updatedMs: dates([plain(ch.lastBuildDate), plain(ch.pubDate), plain(ch['dc:date'])]).ms,
    items: items.filter((item): item is FeedItem => item !== null),
  };
}

function rssItem(it: Obj, origin: string): FeedItem | null {
  const title = rich(it.title, 'html');
  // FeedBurner rewrites links through its redirector and keeps the publisher's own in `origLink`.
  const links = [plain(it['feedburner:origLink']), ...list(it.link).map(plain)];
  const link = absolute(links.find((l) => l !== '') ?? null, origin);
  const guid = plain(it.guid) || attr(it, 'rdf:about') || '';
  const summaryHtml = rich(it.description, 'html');
  const content = it['content:encoded'] !== undefined ? rich(it['content:encoded'], 'html') : null;
  if (!title && !link && !guid && !summaryHtml && !content) return null; // an empty <item/>
  const when = dates([plain(it.pubDate), plain(it['dc:date'])]);
  const authors = [...list(it['dc:creator']).map(plain), plain(it.author)].filter((a) => a !== '');
  const categories = [...list(it.category), ...list(it['dc:subject'])].map(plain).filter((c) => c !== '');
  return {
    ...identity(guid, 'guid', link, title, when.ms),
    title,
    link,
    summary: summaryHtml || content || '',
    content,
    author: authors[0] ?? null,
    categories,
    publishedMs: when.ms,
    updatedMs: null,
    unreadableDate: when.unreadable,
  };
}

function identity(own: string, from: 'guid' | 'id', link: string | null, title: string, date: number | null): Pick<FeedItem, 'id' | 'idFrom'> {
  if (own) return { id: own, idFrom: from };
  if (link) return { id: link, idFrom: 'link' };
  return { id: hashId(title, date === null ? null : String(date)), idFrom: 'hash' };
}

/** The alternate link of an Atom element: `rel="alternate"` (or no rel), HTML preferred. */
function atomLink(links: readonly Node[], origin: string): string | null {
  const alternates = links.filter((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  const best = alternates.find((l) => /html/i.test(attr(l, 'type') ?? 'text/html')) ?? alternates[0] ?? links[0];
  return best === undefined ? null : absolute(attr(best, 'href') ?? plain(best), origin);
}

const atomMode = (n: Node): 'text' | 'html' | 'xhtml' => {
  const type = (attr(Array.isArray(n) ? n[0] : n, 'type') ?? 'text').toLowerCase();
  return type === 'html' || type === 'text/html' ? 'html' : type === 'xhtml' || type.endsWith('+xml') ? 'xhtml' : 'text';
};

function atom(feed: Obj, prefix: string, origin: string): Feed {
  const get = (o: Obj, name: string): Node => o[`${prefix}${name}`];
  const items = list(get(feed, 'entry')).map((raw, i): FeedItem | null => {
    const e = asObj(raw);
    const title = rich(get(e, 'title'), atomMode(get(e, 'title')));
    const link = atomLink(list(get(e, 'link')), origin);
    const id = plain(get(e, 'id'));
    const published = dates([plain(get(e, 'published')), plain(e['dc:date'])]);
    const updated = dates([plain(get(e, 'updated'))]);
    const summary = get(e, 'summary') !== undefined ? rich(get(e, 'summary'), atomMode(get(e, 'summary'))) : '';
    const content = get(e, 'content') !== undefined ? rich(get(e, 'content'), atomMode(get(e, 'content'))) : null;
    if (!title && !link && !id && !summary && !content) return null;
    if (!id && !link && !title) {
      throw new DocumentError('DOCUMENT_INVALID', 'an entry with neither id, link nor title', origin, `${prefix}feed.${prefix}entry[${i}]`);
    }
    const author = list(get(e, 'author')).map((a) => plain(get(asObj(a), 'name')) || plain(a)).find((a) => a !== '') ?? null;
    return {
      ...identity(id, 'id', link, title, published.ms ?? updated.ms),
      title,
      link,
      summary: summary || content || '',
      content,
      author,
      categories: list(get(e, 'category')).map((c) => attr(c, 'term') ?? plain(c)).filter((c) => c !== ''),
      publishedMs: published.ms ?? updated.ms,
      updatedMs: updated.ms,
      unreadableDate: published.ms ?? updated.ms ? null : (published.unreadable ?? updated.unreadable),
    };
  });
  return {
    format: 'atom',
    title: rich(get(feed, 'title'), atomMode(get(feed, 'title'))),
    link: atomLink(list(get(feed, 'link')), origin),
    language: attr(feed, 'xml:lang'),
    publisher: list(get(feed, 'author')).map((a) => plain(get(asObj(a), 'name'))).find((a) => a !== '') ?? null,
    updatedMs: dates([plain(get(feed, 'updated'))]).ms,
    items: items.filter((item): item is FeedItem => item !== null),
  };
}
