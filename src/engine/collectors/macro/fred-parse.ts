/**
 * Parsers for FRED's JSON API (https://fred.stlouisfed.org/docs/api/fred/): `fred/series/observations`
 * and `fred/series`. Pure: a document in, typed records out, a `DocumentError` naming the field otherwise.
 *
 * What FRED does that trips readers: every value is a string, and a missing value is `"."` (kept here as
 * `null`: not 0, and not dropped, since "no value yet for this month" is itself information); the
 * `realtime_start`/`realtime_end` on every row are the vintage (the dates this value was the current
 * estimate), not the observation date, which is `date`; the series endpoint's array is `seriess`.
 */
import type { SourceDocument } from '../document.js';
import { Fields, readJson, type JsonObject } from '../market/json-document.js';

export interface FredObservation {
  /** The period the value describes (its first day), `YYYY-MM-DD`. */
  readonly date: string;
  /** The value exactly as FRED wrote it (`"0.80"`), or null where FRED has `"."`. */
  readonly value: string | null;
  /** The vintage: from when to when this was FRED's value for the date. */
  readonly realtimeStart: string;
  readonly realtimeEnd: string;
}

export interface FredObservationsPage {
  readonly realtimeStart: string;
  readonly realtimeEnd: string;
  readonly observationStart: string;
  readonly observationEnd: string;
  /** The transformation asked for (`lin` = levels, `pch` = percent change, …), not the series' units. */
  readonly transformation: string;
  /** Observations matching the request in all pages together. */
  readonly count: number;
  readonly offset: number;
  readonly limit: number;
  readonly observations: readonly FredObservation[];
}

export interface FredSeries {
  readonly id: string;
  readonly title: string;
  /** The series' units, e.g. `Percent`, `Billions of Dollars`. */
  readonly units: string;
  readonly unitsShort: string | null;
  readonly frequency: string | null;
  readonly seasonalAdjustment: string | null;
  readonly lastUpdated: string | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** FRED writes plain decimals: no exponent, no thousands separators. */
const VALUE_RE = /^-?\d+(\.\d+)?$/;

/** True for a real calendar date in `YYYY-MM-DD` form (FRED's `9999-12-31` "open end" included). */
export function isFredDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function date(f: Fields, value: unknown, path: string): string {
  const text = f.str(value, path);
  if (!isFredDate(text)) f.fail('DOCUMENT_INVALID', `expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`, path);
  return text;
}

function count(f: Fields, value: unknown, path: string): number {
  const n = f.num(value, path);
  if (!Number.isSafeInteger(n) || n < 0) f.fail('DOCUMENT_INVALID', `expected a count, got ${n}`, path);
  return n;
}

/** The error FRED answers with (`{"error_code":400,"error_message":"..."}`), if the document is one. */
export function fredErrorMessage(root: JsonObject): string | null {
  return typeof root.error_message === 'string' ? root.error_message : null;
}

/** Parses one page of `fred/series/observations?file_type=json`. */
export function parseFredObservations(document: SourceDocument): FredObservationsPage {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'FRED observations');
  const apiError = fredErrorMessage(root);
  if (apiError !== null) f.fail('DOCUMENT_INVALID', `FRED answered with an error: ${apiError}`, 'error_message');
  if (!('observations' in root)) f.fail('DOCUMENT_FORMAT', 'not a FRED observations document (no "observations")', '$');
  const rows = f.arr(root.observations, 'observations');
  const observations = rows.map((row, i): FredObservation => {
    const path = `observations[${i}]`;
    const o = f.obj(row, path);
    const raw = f.str(o.value, `${path}.value`);
    if (raw !== '.' && !VALUE_RE.test(raw)) {
      f.fail('DOCUMENT_INVALID', `expected a decimal or "." (missing), got ${JSON.stringify(raw)}`, `${path}.value`);
    }
    return {
      date: date(f, o.date, `${path}.date`),
      value: raw === '.' ? null : raw,
      realtimeStart: date(f, o.realtime_start, `${path}.realtime_start`),
      realtimeEnd: date(f, o.realtime_end, `${path}.realtime_end`),
    };
  });
  return {
    realtimeStart: date(f, root.realtime_start, 'realtime_start'),
    realtimeEnd: date(f, root.realtime_end, 'realtime_end'),
    observationStart: date(f, root.observation_start, 'observation_start'),
    observationEnd: date(f, root.observation_end, 'observation_end'),
    transformation: f.str(root.units, 'units'),
    count: count(f, root.count, 'count'),
    offset: count(f, root.offset, 'offset'),
    limit: count(f, root.limit, 'limit'),
    observations,
  };
}

/** Parses `fred/series?file_type=json`: the series' metadata, in an array named `seriess`. */
export function parseFredSeries(document: SourceDocument): readonly FredSeries[] {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'FRED series');
  const apiError = fredErrorMessage(root);
  if (apiError !== null) f.fail('DOCUMENT_INVALID', `FRED answered with an error: ${apiError}`, 'error_message');
  if (!('seriess' in root)) f.fail('DOCUMENT_FORMAT', 'not a FRED series document (no "seriess")', '$');
  return f.arr(root.seriess, 'seriess').map((row, i): FredSeries => {
    const path = `seriess[${i}]`;
    const s = f.obj(row, path);
    return {
      id: f.str(s.id, `${path}.id`),
      title: f.str(s.title, `${path}.title`),
      units: f.str(s.units, `${path}.units`),
      unitsShort: f.optStr(s.units_short, `${path}.units_short`),
      frequency: f.optStr(s.frequency, `${path}.frequency`),
      seasonalAdjustment: f.optStr(s.seasonal_adjustment_short, `${path}.seasonal_adjustment_short`),
      lastUpdated: f.optStr(s.last_updated, `${path}.last_updated`),
    };
  });
}
