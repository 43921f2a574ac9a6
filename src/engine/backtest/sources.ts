/**
 * Where a backtest's bars come from: the simulator (its pure core, stepped bar by bar: the same events the live
 * collector publishes), or user bars from a CSV file (`ts,symbol,open,high,low,close,volume`, one row per
 * instrument and bar, `ts` the bar's end as ISO-8601 or epoch milliseconds).
 *
 * A source only ever hands out the bars of the step asked for: nothing of a later bar is reachable through it,
 * which is half of why a backtest cannot read the future (the other half: the clock moves to each bar's end
 * before its events are published, and every stage reads that clock).
 */
import { readFile } from 'node:fs/promises';
import { eventId } from '../canonical.js';
import { SimulatorCore } from '../collectors/simulator/core.js';
import { UNIVERSE } from '../collectors/universe.js';
import type { Instrument, SignalIngested } from '../types.js';
import { BacktestError } from './types.js';

export const CSV_SOURCE = 'backtest.csv';

export interface BarSource {
  readonly instruments: readonly Instrument[];
  /** The bar ends of the run, ascending, within [from, to]. */
  times(from: number, to: number): number[];
  /** The events of the bar ending at `ts` (called in increasing `ts`). */
  step(ts: number): SignalIngested[];
}

export class SimulatorSource implements BarSource {
  readonly #core: SimulatorCore;
  readonly instruments: readonly Instrument[];
  constructor(
    seed: number,
    readonly barMs = 60_000,
    instruments?: readonly Instrument[],
  ) {
    this.#core = new SimulatorCore({ seed, barMs, ...(instruments ? { instruments } : {}) });
    this.instruments = this.#core.instruments;
  }
  times(from: number, to: number): number[] {
    const out: number[] = [];
    for (let ts = Math.floor(from / this.barMs) * this.barMs + this.barMs; ts <= to; ts += this.barMs) out.push(ts);
    return out;
  }
  step(ts: number): SignalIngested[] {
    return this.#core.step(ts);
  }
}

export interface CsvBar {
  readonly ts: number;
  readonly symbol: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const HEADER = ['ts', 'symbol', 'open', 'high', 'low', 'close', 'volume'];

/** Parses the CSV text; a bad row is an error naming its line and field. */
export function parseBarsCsv(text: string, name = 'the CSV'): CsvBar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) {
    throw new BacktestError(`${name}: line 1 must be the header ${HEADER.join(',')}, got ${lines[0] ?? '(empty)'}`);
  }
  const bars: CsvBar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const where = `${name}: line ${i + 1}`;
    if (cells.length !== HEADER.length) throw new BacktestError(`${where}: expected ${HEADER.length} fields, got ${cells.length}`);
    const tsText = cells[0]!;
    const ts = /^\d+$/.test(tsText) ? Number(tsText) : Date.parse(tsText);
    if (!Number.isSafeInteger(ts)) throw new BacktestError(`${where}: ts ${JSON.stringify(tsText)} is neither ISO-8601 nor epoch milliseconds`);
    const symbol = cells[1]!;
    if (!/^[A-Za-z0-9.^:_-]{1,32}$/.test(symbol)) throw new BacktestError(`${where}: symbol ${JSON.stringify(symbol)} is not a ticker`);
    const num = (k: number): number => {
      const v = Number(cells[k]);
      if (cells[k] === '' || !Number.isFinite(v) || v < 0) throw new BacktestError(`${where}: ${HEADER[k]} ${JSON.stringify(cells[k])} is not a non-negative number`);
      return v;
    };
    const bar = { ts, symbol, open: num(2), high: num(3), low: num(4), close: num(5), volume: num(6) };
    if (!(bar.close > 0)) throw new BacktestError(`${where}: close must be positive`);
    if (bar.high < bar.low) throw new BacktestError(`${where}: high ${bar.high} is below low ${bar.low}`);
    bars.push(bar);
  }
  if (bars.length === 0) throw new BacktestError(`${name}: no bars`);
  return bars;
}

export async function readBarsCsv(path: string): Promise<CsvBar[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BacktestError(`--data ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseBarsCsv(text, path);
}

export class CsvSource implements BarSource {
  readonly instruments: readonly Instrument[];
  readonly #byTs = new Map<number, CsvBar[]>();
  readonly #intervalMs = new Map<string, number>();

  constructor(bars: readonly CsvBar[]) {
    const known = new Map(UNIVERSE.map((i) => [i.symbol, i]));
    const symbols = [...new Set(bars.map((b) => b.symbol))].sort();
    this.instruments = symbols.map(
      (s) => known.get(s) ?? { symbol: s, name: s, assetClass: s.endsWith('-USD') ? 'crypto' : 'equity', sector: 'Unknown', venue: 'paper' },
    );
    const last = new Map<string, number>();
    for (const b of [...bars].sort((a, b) => a.ts - b.ts || (a.symbol < b.symbol ? -1 : 1))) {
      let list = this.#byTs.get(b.ts);
      if (!list) this.#byTs.set(b.ts, (list = []));
      if (list.some((x) => x.symbol === b.symbol)) throw new BacktestError(`data: two bars for ${b.symbol} at ${new Date(b.ts).toISOString()}`);
      list.push(b);
      const prev = last.get(b.symbol);
      if (prev !== undefined) {
        const gap = b.ts - prev;
        const seen = this.#intervalMs.get(b.symbol);
        if (seen === undefined || gap < seen) this.#intervalMs.set(b.symbol, gap);
      }
      last.set(b.symbol, b.ts);
    }
  }

  times(from: number, to: number): number[] {
    return [...this.#byTs.keys()].filter((t) => t > from && t <= to).sort((a, b) => a - b);
  }

  step(ts: number): SignalIngested[] {
    return (this.#byTs.get(ts) ?? []).map((b) => {
      const intervalMs = this.#intervalMs.get(b.symbol) ?? 86_400_000;
      const externalId = `${b.symbol}:${b.ts - intervalMs}`;
      return Object.freeze({
        id: eventId('sig', CSV_SOURCE, 'bar', externalId, b.ts),
        type: 'SignalIngested' as const,
        tsEvent: b.ts,
        tsInit: b.ts,
        causationIds: [],
        payload: Object.freeze({
          source: CSV_SOURCE,
          kind: 'bar' as const,
          instrument: b.symbol,
          externalId,
          body: Object.freeze({ open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, intervalMs }),
        }),
      });
    });
  }
}
