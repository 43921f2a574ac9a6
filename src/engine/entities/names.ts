/**
 * Company-name normalization: the key under which "Apple Inc.", "APPLE INC" and "Apple, Incorporated" meet.
 *
 * Names reach the resolver in the spellings of their sources: the SEC's ticker file ("BANK OF AMERICA CORP /DE/"),
 * 13F tables, which abbreviate to fit a column ("BANK AMER CORP", "OCCIDENTAL PETE CORP", "CHEVRON CORP NEW"),
 * Form 4 issuer blocks ("Palo Alto Networks Inc") and prose ("The Walt Disney Company"). The key drops what
 * varies without changing who is meant (case, punctuation, accents, a leading "the", "of"/"and"/"&", state-of-
 * incorporation tags like "/DE/", trailing legal forms like Inc., Corp, Corporation, Co, plc, Ltd) and expands
 * the abbreviations EDGAR uses. It never drops a word that can tell two companies apart, so names that still
 * collide afterwards ("Carnival Corp" and "Carnival plc") are genuinely ambiguous, and the resolver leaves them
 * unresolved.
 */

/** Legal forms removed from the end of a name, repeatedly ("Merck & Co., Inc." → "merck"). */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'plc',
  'llc',
  'lp',
  'llp',
  'sa',
  'nv',
  'se',
  'ag',
  'spa',
  'ab',
  'asa',
  // "CHEVRON CORP NEW": EDGAR's marker for a successor registrant, not part of the name.
  'new',
  // "CELANESE CORP DEL": 13F tables' abbreviation of the state of incorporation (Delaware).
  'del',
]);

/** Words that carry no identity wherever they appear. */
const STOPWORDS = new Set(['the', 'of', 'and']);

/** EDGAR's and 13F tables' abbreviations, expanded so that both spellings give one key. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  amer: 'america',
  bk: 'bank',
  hldgs: 'holdings',
  hldg: 'holding',
  intl: 'international',
  finl: 'financial',
  mtrs: 'motors',
  pete: 'petroleum',
  grp: 'group',
  natl: 'national',
  svcs: 'services',
  sys: 'systems',
  labs: 'laboratories',
  pharm: 'pharmaceuticals',
  pharms: 'pharmaceuticals',
};

/** Dotted legal forms written with their dots ("S.A.", "N.V.", "P.L.C.") become one token. */
const DOTTED_FORMS =
  /\b(s\.\s?a|n\.\s?v|s\.\s?e|p\.\s?l\.\s?c|l\.\s?p|l\.\s?l\.\s?c|a\.\s?g|s\.\s?p\.\s?a)\.?(?=\s|,|$)/g;

/**
 * The normalized key of a company name, or '' when nothing identifying is left. Deterministic and total:
 * any string gives a key.
 */
export function normalizeCompanyName(name: string): string {
  let s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&amp;/gi, '&')
    .toLowerCase();
  // State and country tags: "/DE/", "/NEW/", "LIMITED/NV", "LTD/ CAN".
  s = s.replace(/\/\s*[a-z]{1,5}\s*\/?/g, ' ');
  s = s.replace(DOTTED_FORMS, (form) => form.replace(/[.\s]/g, ''));
  s = s.replace(/['’`]/g, '').replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ');

  const tokens = s
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => ABBREVIATIONS[t] ?? t)
    .filter((t) => !STOPWORDS.has(t));
  // Strip legal forms from the end, but never the first word: "Company Inc" stays "company".
  while (tokens.length > 1 && LEGAL_SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join(' ');
}
