/**
 * FRED (Federal Reserve Economic Data) as a polling source: each new observation of each configured
 * series becomes a `macro` signal.
 *
 * The cursor keeps, per series, the last observation date that had a value and the dates after it that
 * were already reported as missing (`"."`). A missing value is reported once, as `value: null`; when FRED
 * later fills it in, the date is reported again with its value, as a new signal. So a month that is "not
 * out yet" is neither skipped nor repeated every poll. Revisions of past values (new vintages of old
 * dates) are not followed: that is ALFRED's job, and the vintage of every value sent is in its body.
 *
 * Signals are stamped with the start of the value's vintage (when FRED published it), not with the
 * period it describes, which keeps backtests free of look-ahead.
 *
 * The API key travels in the query string, as FRED requires; it is redacted from every document origin
 * and error this source produces.
 */
import { DocumentError } from '../document.js';
import { redactText } from '../http.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { fetchDocument, withQuery } from '../market/fetch-document.js';
import { isFredDate, parseFredObservations, parseFredSeries, type FredObservation, type FredSeries } from './fred-parse.js';

export const FRED_BASE_URL = 'https://api.stlouisfed.org';
/** The most rows FRED returns per request. */
export const FRED_MAX_LIMIT = 100_000;

export interface FredSourceOptions {
  readonly apiKey: string;
  /** Series ids, e.g. `FEDFUNDS`, `GDP`, `PAYEMS`. */
  readonly series: readonly string[];
  /** Defaults to {@link FRED_BASE_URL}. */
  readonly baseUrl?: string;
  /** First observation date to read on a first run (`YYYY-MM-DD`); FRED's own default (all) when absent. */
  readonly observationStart?: string;
  /** Rows per request, at most {@link FRED_MAX_LIMIT} (the default). */
  readonly pageLimit?: number;
  /** Defaults to one hour: FRED publishes at most a few times a day. */
  readonly intervalMs?: number;
  /** The collector's name (cursor key, dead letters). Defaults to `fred`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to `fred`. */
  readonly source?: string;
}

export interface FredSeriesCursor {
  /** The last observation date that had a value, or null before the first. */
  readonly last: string | null;
  /** Dates after `last` already reported as missing. */
  readonly missing: readonly string[];
}

export type FredCursor = Readonly<Record<string, FredSeriesCursor>>;

export class FredSource implements PollingSource<FredCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #o: FredSourceOptions;
  readonly #baseUrl: string;
  readonly #pageLimit: number;
  readonly #source: string;
  /** Series metadata, fetched once per process: units and titles change rarely. */
  readonly #meta = new Map<string, FredSeries>();

  constructor(options: FredSourceOptions) {
    if (options.apiKey === '') throw new Error('FredSource: apiKey is empty');
    const pageLimit = options.pageLimit ?? FRED_MAX_LIMIT;
    if (!Number.isSafeInteger(pageLimit) || pageLimit < 1 || pageLimit > FRED_MAX_LIMIT) {
      throw new Error(`FredSource: pageLimit must be 1..${FRED_MAX_LIMIT}, got ${pageLimit}`);
    }
    if (options.observationStart !== undefined && !isFredDate(options.observationStart)) {
      throw new Error(`FredSource: observationStart must be YYYY-MM-DD, got ${options.observationStart}`);
    }
    this.#o = options;
    this.#baseUrl = (options.baseUrl ?? FRED_BASE_URL).replace(/\/+$/, '');
    this.#pageLimit = pageLimit;
    this.name = options.name ?? 'fred';
    this.#source = options.source ?? 'fred';
    this.intervalMs = options.intervalMs ?? 3_600_000;
  }

  /** Removes the API key from text bound for an error or a stored origin. */
  readonly redact = (text: string): string => redactText(text, [this.#o.apiKey, encodeURIComponent(this.#o.apiKey)]);

  parseCursor(stored: string): FredCursor | null {
    try {
      const value = JSON.parse(stored) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      for (const entry of Object.values(value as Record<string, unknown>)) {
        const e = entry as Partial<FredSeriesCursor> | null;
        if (!e || (e.last !== null && typeof e.last !== 'string') || !Array.isArray(e.missing)) return null;
      }
      return value as FredCursor;
    } catch {
      return null;
    }
  }

  async poll(context: PollContext<FredCursor>): Promise<PollResult<FredCursor>> {
    const cursor: Record<string, FredSeriesCursor> = { ...(context.cursor ?? {}) };
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    for (const id of this.#o.series) {
      const meta = await this.#metadata(id, context, rejected);
      if (!meta) continue;
      const state = cursor[id] ?? { last: null, missing: [] };
      const observations = await this.#observations(id, state.last ?? this.#o.observationStart, context, rejected);
      const { found, next } = newObservations(observations, state);
      for (const o of found) drafts.push(this.#draft(meta, o));
      cursor[id] = next;
    }
    return { drafts, rejected, cursor };
  }

  #url(path: string, query: Readonly<Record<string, string | number | undefined>>): string {
    return withQuery(`${this.#baseUrl}${path}`, { ...query, api_key: this.#o.apiKey, file_type: 'json' });
  }

  async #metadata(id: string, context: PollContext<FredCursor>, rejected: RejectedDocument[]): Promise<FredSeries | null> {
    const cached = this.#meta.get(id);
    if (cached) return cached;
    const url = this.#url('/fred/series', { series_id: id });
    const document = await fetchDocument(context.http, { url, signal: context.signal }, { redact: this.redact });
    try {
      const series = parseFredSeries(document).find((s) => s.id === id);
      if (!series) throw new DocumentError('DOCUMENT_INVALID', `no series "${id}" in the answer`, document.origin, 'seriess');
      this.#meta.set(id, series);
      return series;
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      rejected.push({ document, error });
      return null;
    }
  }

  /**
   * Every observation from `start` on, following FRED's `offset`/`limit`/`count` paging. A page that
   * cannot be read is rejected and ends the series for this poll; the pages before it still count, since
   * observations come in date order.
   */
  async #observations(id: string, start: string | undefined, context: PollContext<FredCursor>, rejected: RejectedDocument[]): Promise<FredObservation[]> {
    const out: FredObservation[] = [];
    let offset = 0;
    for (;;) {
      const url = this.#url('/fred/series/observations', {
        series_id: id,
        observation_start: start,
        sort_order: 'asc',
        offset,
        limit: this.#pageLimit,
      });
      const document = await fetchDocument(context.http, { url, signal: context.signal }, { redact: this.redact });
      let page;
      try {
        page = parseFredObservations(document);
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        rejected.push({ document, error });
        return out;
      }
      out.push(...page.observations);
      offset += page.observations.length;
      if (page.observations.length === 0 || offset >= page.count) return out;
    }
  }

  #draft(meta: FredSeries, o: FredObservation): SignalDraft {
    return {
      // When the value became known (its vintage began), not the period it describes: a quarter's GDP is
      // published a month after the quarter, and a backtest must not see it earlier.
      tsEvent: Date.parse(`${o.realtimeStart}T00:00:00Z`),
      signal: {
        source: this.#source,
        kind: 'macro',
        instrument: null,
        // A date reported missing and later filled in is two events; the suffix keeps their ids apart.
        externalId: `fred:${meta.id}:${o.date}${o.value === null ? ':missing' : ''}`,
        body: {
          series: meta.id,
          title: meta.title,
          date: o.date,
          value: o.value,
          units: meta.units,
          frequency: meta.frequency,
          vintage: { start: o.realtimeStart, end: o.realtimeEnd },
        },
      },
    };
  }
}

/**
 * The observations not reported yet, and the cursor after reporting them. Pure, so the rules for
 * missing values are tested on their own.
 */
export function newObservations(
  observations: readonly FredObservation[],
  state: FredSeriesCursor,
): { found: FredObservation[]; next: FredSeriesCursor } {
  const sorted = [...observations].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const reportedMissing = new Set(state.missing);
  const after = sorted.filter((o) => state.last === null || o.date > state.last);
  const found = after.filter((o) => o.value !== null || !reportedMissing.has(o.date));
  let last = state.last;
  for (const o of after) if (o.value !== null) last = o.date;
  const missing = after.filter((o) => o.value === null && (last === null || o.date > last)).map((o) => o.date);
  return { found, next: { last, missing } };
}

