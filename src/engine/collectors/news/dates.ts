/**
 * Feed dates as epoch milliseconds: RFC 822 (RSS `pubDate`) in the forms feeds really write, and ISO 8601
 * (Atom `updated`/`published`, RSS `dc:date`).
 *
 * RFC 822 in the wild: day and month names in the publisher's language ("Seg, 24 Set 2018" from a
 * Portuguese site, "Mo, 01 Feb 2016", "24 déc. 2018"), a weekday that disagrees with the date (ignored),
 * missing seconds, two-digit years, zone names beyond the RFC's (`CEST`, `BRT`), numeric zones with a colon,
 * trailing whitespace and line breaks. `Date.parse` is not used: it reads a zone-less date in the machine's
 * local time, so the same feed would give different instants on different machines.
 */

/** Month names and abbreviations (diacritics removed, lower case) in English, Portuguese, Spanish, French, German, Italian, Dutch. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const names: readonly (readonly string[])[] = [
    ['jan', 'january', 'janeiro', 'enero', 'ene', 'janvier', 'janv', 'januar', 'janner', 'jaenner', 'gennaio', 'gen', 'januari'],
    ['feb', 'february', 'fev', 'fevereiro', 'febrero', 'fevrier', 'fevr', 'februar', 'febbraio', 'februari'],
    ['mar', 'march', 'marco', 'marzo', 'mars', 'marz', 'maerz', 'maart', 'mrt'],
    ['apr', 'april', 'abr', 'abril', 'avril', 'avr', 'aprile'],
    ['may', 'mai', 'maio', 'mayo', 'maggio', 'mag', 'mei'],
    ['jun', 'june', 'junho', 'junio', 'juin', 'juni', 'giugno', 'giu'],
    ['jul', 'july', 'julho', 'julio', 'juillet', 'juil', 'juli', 'luglio', 'lug'],
    ['aug', 'august', 'ago', 'agosto', 'aout', 'augustus'],
    ['sep', 'sept', 'september', 'set', 'setembro', 'septiembre', 'septembre', 'settembre'],
    ['oct', 'october', 'out', 'outubro', 'octubre', 'octobre', 'okt', 'oktober', 'ott', 'ottobre'],
    ['nov', 'november', 'novembro', 'noviembre', 'novembre'],
    ['dec', 'december', 'dez', 'dezembro', 'diciembre', 'decembre', 'dezember', 'dic', 'dicembre'],
  ];
  return new Map(names.flatMap((list, month) => list.map((n): [string, number] => [n, month])));
})();

/** Zone names to minutes east of UTC. The RFC's own, plus those feeds are seen to use. */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['UT', 0], ['UTC', 0], ['GMT', 0], ['Z', 0], ['WET', 0],
  ['EST', -300], ['EDT', -240], ['CST', -360], ['CDT', -300], ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420],
  ['AKST', -540], ['AKDT', -480], ['HST', -600], ['AST', -240], ['ADT', -180], ['NST', -210], ['NDT', -150],
  ['BST', 60], ['IST', 60], ['WEST', 60], ['CET', 60], ['MET', 60], ['MEZ', 60], ['CEST', 120], ['MEST', 120], ['MESZ', 120],
  ['EET', 120], ['EEST', 180], ['MSK', 180], ['BRT', -180], ['BRST', -120], ['ART', -180], ['JST', 540], ['KST', 540],
  ['HKT', 480], ['SGT', 480], ['AEST', 600], ['AEDT', 660], ['NZST', 720], ['NZDT', 780],
]);

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\.$/, '');

function monthOf(name: string): number | null {
  const n = fold(name);
  return MONTHS.get(n) ?? MONTHS.get(n.slice(0, 4)) ?? MONTHS.get(n.slice(0, 3)) ?? null;
}

/** Minutes east of UTC for `+0100`, `-03:00`, `+1`, a zone name; null when not a zone at all. */
function offsetOf(zone: string | undefined): number | null {
  if (zone === undefined || zone === '') return 0; // no zone: UTC, as the RFC's "UT" default
  const numeric = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return minutes > 14 * 60 ? null : (numeric[1] === '-' ? -1 : 1) * minutes;
  }
  const named = ZONES.get(zone.toUpperCase());
  if (named !== undefined) return named;
  // RFC 822's military letters were defined with the wrong sign and are unreliable; treat as UTC.
  return /^[A-IK-Za-ik-z]$/.test(zone) ? 0 : null;
}

/** UTC milliseconds for a calendar time, or null when any part is out of range (31 February, 25:00). */
function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number, offsetMin: number): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 24 || m > 59 || s > 60) return null;
  if (h === 24 && (m > 0 || s > 0)) return null;
  const base = Date.UTC(year, month, day, 0, 0, 0);
  if (new Date(base).getUTCDate() !== day) return null;
  // A leap second (":60") is read as the next second, as every clock would show it.
  return base + ((h * 60 + m - offsetMin) * 60 + s) * 1000 + ms;
}

const RFC822 =
  /^(?:[\p{L}.]+,?\s+)?(\d{1,2})(?:\.|\s+de)?[\s-]+([\p{L}.]+)(?:\s+de)?[\s-]+(\d{2}|\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s*([+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?(?:\s*\([^)]*\))?$/u;
/** Month before the day: "Sep 24, 2018 19:42:40 -0300", "Mon Sep 24 2018 19:42:40 GMT-0300". */
const MONTH_FIRST =
  /^(?:[\p{L}.]+,?\s+)?([\p{L}.]+)\s+(\d{1,2}),?\s+(\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s*(?:GMT|UTC)?\s*([+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?(?:\s*\([^)]*\))?$/u;
const ISO8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function year(text: string): number {
  const y = Number(text);
  // RFC 822 two-digit years: 00..49 are 20xx, 50..99 are 19xx (the rule RFC 2822 gives).
  return text.length === 2 ? (y < 50 ? 2000 + y : 1900 + y) : y;
}

/** An ISO 8601 / W3C date-time (`2018-01-31T20:15:15Z`, `2016-02-01T17:54:50+01:00`, `2018-01-31`). */
export function parseIsoDate(text: string): number | null {
  const m = ISO8601.exec(text.trim());
  if (!m) return null;
  const offset = m[8] === undefined ? 0 : offsetOf(m[8].toUpperCase() === 'Z' ? 'Z' : m[8]);
  if (offset === null) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms, offset);
}

/** An RFC 822 date as feeds write it (see the file comment), or null. */
export function parseRfc822Date(text: string): number | null {
  const s = text.replace(/\s+/g, ' ').trim();
  const m = RFC822.exec(s);
  if (m) {
    const month = monthOf(m[2]!);
    const offset = offsetOf(m[7]);
    if (month === null || offset === null) return null;
    return utc(year(m[3]!), month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset);
  }
  const f = MONTH_FIRST.exec(s);
  if (f) {
    const month = monthOf(f[1]!);
    const offset = offsetOf(f[7]);
    if (month === null || offset === null) return null;
    return utc(Number(f[3]), month, Number(f[2]), Number(f[4] ?? 0), Number(f[5] ?? 0), Number(f[6] ?? 0), 0, offset);
  }
  return null;
}

/** Any feed date: ISO 8601 first (it is unambiguous), then RFC 822. Null when neither reads it. */
export function parseFeedDate(text: string | null | undefined): number | null {
  if (!text) return null;
  return parseIsoDate(text) ?? parseRfc822Date(text);
}
