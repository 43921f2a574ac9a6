/**
 * Bar closes by instrument and time, for labels and realized returns: the close at or before a time, and the
 * log return from one time to a later one. Bars arrive in time order per instrument.
 */
export class PriceBook {
  readonly #times = new Map<string, number[]>();
  readonly #closes = new Map<string, number[]>();

  add(instrument: string, ts: number, close: number): void {
    if (!(close > 0)) return;
    let times = this.#times.get(instrument);
    let closes = this.#closes.get(instrument);
    if (!times || !closes) {
      this.#times.set(instrument, (times = []));
      this.#closes.set(instrument, (closes = []));
    }
    if (times.length > 0 && ts <= times[times.length - 1]!) return;
    times.push(ts);
    closes.push(close);
  }

  /** The close of the last bar ending at or before `ts`; null when there is none. */
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

  /** The last bar time seen for the instrument. */
  lastTime(instrument: string): number | null {
    const times = this.#times.get(instrument);
    return times && times.length > 0 ? times[times.length - 1]! : null;
  }

  /**
   * ln(close at `to` / close at `from`); null when either is unknown or `to` is past the last bar (the future
   * has not been seen yet).
   */
  logReturn(instrument: string, from: number, to: number): number | null {
    const last = this.lastTime(instrument);
    if (last === null || to > last) return null;
    const a = this.closeAt(instrument, from);
    const b = this.closeAt(instrument, to);
    return a === null || b === null ? null : Math.log(b / a);
  }
}
