/**
 * Bar closes by instrument and time, for labels, realized returns and judging convictions after the fact: the
 * close at or before a time, and the log return from one time to a later one. Bars arrive in time order per
 * instrument. Bounded per instrument (oldest dropped first), so a server that runs for weeks keeps a fixed
 * footprint; a conviction older than what is kept is simply not judged. Pass `Infinity` to keep everything.
 */
export class PriceSeries {
  readonly #times = new Map<string, number[]>();
  readonly #closes = new Map<string, number[]>();

  constructor(readonly perInstrument = 50_000) {}

  add(instrument: string, ts: number, close: number): void {
    if (!(close > 0) || !Number.isFinite(ts)) return;
    let times = this.#times.get(instrument);
    let closes = this.#closes.get(instrument);
    if (!times || !closes) {
      this.#times.set(instrument, (times = []));
      this.#closes.set(instrument, (closes = []));
    }
    if (times.length > 0 && ts <= times[times.length - 1]!) return;
    times.push(ts);
    closes.push(close);
    if (times.length > this.perInstrument * 1.25) {
      const drop = times.length - this.perInstrument;
      times.splice(0, drop);
      closes.splice(0, drop);
    }
  }

  /** The close of the last bar at or before `ts`; null when there is none kept. */
  closeAt(instrument: string, ts: number): number | null {
    const times = this.#times.get(instrument);
    if (!times || times.length === 0 || times[0]! > ts) return null;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= ts) lo = mid;
      else hi = mid - 1;
    }
    return this.#closes.get(instrument)![lo]!;
  }

  lastTime(instrument: string): number | null {
    const times = this.#times.get(instrument);
    return times && times.length > 0 ? times[times.length - 1]! : null;
  }

  /** ln(close at `to` / close at `from`); null when unknown or when `to` is past the last bar seen. */
  logReturn(instrument: string, from: number, to: number): number | null {
    const last = this.lastTime(instrument);
    if (last === null || to > last) return null;
    const a = this.closeAt(instrument, from);
    const b = this.closeAt(instrument, to);
    return a === null || b === null ? null : Math.log(b / a);
  }
}

/** The instrument and close of a bar signal (raw or enriched); null for any other signal. */
export function barClose(signal: { readonly kind: string; readonly instrument: string | null; readonly body: Readonly<Record<string, unknown>> }): { instrument: string; close: number } | null {
  return signal.kind === 'bar' && signal.instrument ? { instrument: signal.instrument, close: Number(signal.body.close) } : null;
}
