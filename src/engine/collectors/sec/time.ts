/**
 * The date and time forms EDGAR uses: ISO-8601 with an offset in feeds, `YYYY-MM-DD` in ownership XML,
 * `MM-DD-YYYY` on 13F cover pages, and `YYYYMMDDhhmmss` Eastern wall time (no offset) for acceptance in
 * SGML headers. EDGAR runs on New York time, so that last form is converted with the real
 * America/New_York rules (from the runtime's time-zone data) rather than a fixed -05:00.
 */

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of an ISO timestamp that carries its offset; null when it is not one. */
export function isoToEpoch(text: string): number | null {
  if (!ISO_WITH_OFFSET.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Midnight UTC of a `YYYY-MM-DD` date. */
export function isoDateToEpoch(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** `MM-DD-YYYY` (13F covers) as `YYYY-MM-DD`; null when it is not a real date in that form. */
export function mdyToIsoDate(text: string): string | null {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[1]}-${m[2]}`;
  return isIsoDate(iso) ? iso : null;
}

/** `YYYYMMDD` (SGML headers) as `YYYY-MM-DD`; null when it is not a real date. */
export function compactToIsoDate(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return isIsoDate(iso) ? iso : null;
}

const NEW_YORK = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });
const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** New York's offset from UTC at an instant, in minutes (-300 in winter, -240 in summer). */
function newYorkOffsetMinutes(epochMs: number): number {
  const name = NEW_YORK.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-05:00';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return -300;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Epoch ms of `YYYYMMDDhhmmss` New York wall time (EDGAR's ACCEPTANCE-DATETIME); null when malformed. */
export function easternCompactToEpoch(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m || !compactToIsoDate(text.trim().slice(0, 8))) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset at the guessed instant is right except within the hour of a change; one refinement fixes that.
  let utc = wall - newYorkOffsetMinutes(wall + 5 * 3_600_000) * 60_000;
  utc = wall - newYorkOffsetMinutes(utc) * 60_000;
  return utc;
}

/** The New York calendar date of an instant, `YYYY-MM-DD` (EDGAR's filing date). */
export function easternDate(epochMs: number): string {
  return NEW_YORK_DATE.format(new Date(epochMs));
}
