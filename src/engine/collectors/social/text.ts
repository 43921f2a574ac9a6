/**
 * Turning what platforms and feeds serve into plain text: HTML entities decoded, markup stripped,
 * whitespace collapsed. Reddit escapes `&`, `<` and `>` in its JSON text fields, X escapes them in post
 * text, and feeds carry escaped HTML in their descriptions, so every text a parser keeps goes through here
 * before mentions and sentiment are read from it.
 *
 * Written here rather than taken from a library: the project carries no HTML parser, and what is needed is
 * small (entities and tag stripping for excerpts, never rendering). A full HTML5 entity table is 2,000 names;
 * the table below holds the XML five, all of Latin-1 and the typographic names feeds actually use. An
 * unknown name is left as written rather than guessed.
 */

/** Latin-1 (U+00A0..U+00FF) entity names, in code-point order. */
const LATIN1_NAMES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml ' +
  'Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde ' +
  'Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ' +
  'ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide ' +
  'oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');

const NAMED: ReadonlyMap<string, string> = new Map<string, string>([
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"],
  ...LATIN1_NAMES.map((name, i): [string, string] => [name, String.fromCharCode(0xa0 + i)]),
  ['OElig', '\u0152'], ['oelig', '\u0153'], ['Scaron', '\u0160'], ['scaron', '\u0161'], ['Yuml', '\u0178'],
  ['fnof', '\u0192'], ['circ', '\u02c6'], ['tilde', '\u02dc'], ['ensp', '\u2002'], ['emsp', '\u2003'],
  ['thinsp', '\u2009'], ['zwnj', '\u200c'], ['zwj', '\u200d'], ['lrm', '\u200e'], ['rlm', '\u200f'],
  ['ndash', '\u2013'], ['mdash', '\u2014'], ['lsquo', '\u2018'], ['rsquo', '\u2019'], ['sbquo', '\u201a'],
  ['ldquo', '\u201c'], ['rdquo', '\u201d'], ['bdquo', '\u201e'], ['dagger', '\u2020'], ['Dagger', '\u2021'],
  ['bull', '\u2022'], ['hellip', '\u2026'], ['permil', '\u2030'], ['prime', '\u2032'], ['Prime', '\u2033'],
  ['lsaquo', '\u2039'], ['rsaquo', '\u203a'], ['euro', '\u20ac'], ['trade', '\u2122'], ['larr', '\u2190'],
  ['rarr', '\u2192'], ['uarr', '\u2191'], ['darr', '\u2193'], ['minus', '\u2212'],
]);

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function fromCodePoint(cp: number, raw: string): string {
  // NUL, surrogates and values beyond Unicode are not characters; HTML maps them to U+FFFD.
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return '\ufffd';
  try {
    return String.fromCodePoint(cp);
  } catch {
    return raw;
  }
}

/** Decodes character references and the named entities above, once (`&amp;lt;` becomes `&lt;`). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (raw, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10), raw);
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16), raw);
    return NAMED.get(name!) ?? raw;
  });
}

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function collapseSpace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

const BLOCK_TAGS = /^(?:p|div|br|hr|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|pre|section|article|header|footer|figure|figcaption)$/i;

/**
 * The text of an HTML fragment: scripts, styles and comments dropped, block tags turned into spaces (so
 * "end.</p><p>Start" does not become "end.Start"), other tags removed, entities decoded, whitespace collapsed.
 */
export function htmlToText(html: string): string {
  const withoutHidden = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');
  const stripped = withoutHidden.replace(/<\/?([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>/g, (_tag, name: string) =>
    BLOCK_TAGS.test(name) ? ' ' : '',
  );
  return collapseSpace(decodeEntities(stripped));
}

/** True when a string looks like it holds markup or entities, so it should go through {@link htmlToText}. */
export const looksLikeHtml = (text: string): boolean => /<\/?[A-Za-z][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(text);

/**
 * A prefix of at most `max` characters, cut at a word boundary when one is near, with an ellipsis when cut.
 * Bodies keep excerpts, not whole texts: enough to read and to dedupe on, bounded in size.
 */
export function excerpt(text: string, max = 500): string {
  const chars = Array.from(text); // by code point, so an emoji is never split in half
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.7 ? cut.slice(0, space) : cut}\u2026`;
}
