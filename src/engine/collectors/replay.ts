/**
 * Replays real daily price series (the demo CSVs in `data/demo/`) as `bar` signals, merged across files
 * in time order, at a set pace or as fast as the bus takes them (for backtests).
 *
 * Each row becomes a bar stamped at 21:00 UTC of its date (the US close). The collector remembers the
 * last bar it emitted, as `<ISO time>|<symbol>` (the symbol breaks ties between series on the same day),
 * in a cursor store, every `cursorEvery` events and on stop, and resumes after it. Rows that cannot be a
 * bar are skipped and reported through `onError`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Instrument, SignalIngested } from '../types.js';
import type { Collector, CollectorErrorHandler, CursorStore } from './collector.js';

export const DAY_MS = 86_400_000;
/** 21:00 UTC: the US close (16:00 New York in winter; an hour after it in summer). */
const CLOSE_UTC_HOUR = 21;

export interface ReplaySeries {
  readonly symbol: string;
  /** File name inside the data directory. */
  readonly file: string;
}

export const DEFAULT_REPLAY_SERIES: readonly ReplaySeries[] = [
  { symbol: 'AAPL', file: 'aapl_daily_2013_2018.csv' },
  { symbol: 'SPX', file: 'sp500_daily_2000_2020.csv' },
];

/** Replayed instruments the simulator's universe does not already hold. */
export const REPLAY_INSTRUMENTS: readonly Instrument[] = [
  { symbol: 'SPX', name: 'S&P 500 Index', assetClass: 'index', sector: 'Index', venue: 'INDEX' },
];

export interface ReplayCollectorOptions {
  readonly bus: Bus;
  /** Stamps `tsInit`. */
  readonly clock: Clock;
  /** Where the CSVs are. Defaults to the project's `data/demo/`, found from this file's location. */
  readonly dataDir?: string;
  readonly series?: readonly ReplaySeries[];
  /** Bars per second; 0 replays as fast as the bus takes them. Defaults to 2. */
  readonly barsPerSecond?: number;
  /** Where the resume point is kept. Without one, every start replays from the beginning. */
  readonly cursors?: CursorStore;
  /** Persist the cursor after this many events. Defaults to 100. */
  readonly cursorEvery?: number;
  /** Told about every row skipped (and about an unreadable cursor). */
  readonly onError?: CollectorErrorHandler;
  /** The collector's name, also its cursor key. Defaults to `replay`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to `replay`. */
  readonly source?: string;
}

/** One valid row of a daily CSV. */
export interface DailyRow {
  readonly date: string;
  readonly tsEvent: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly adjClose: number;
  readonly volume: number;
}

const COLUMNS = ['date', 'open', 'high', 'low', 'close', 'adjclose', 'volume'] as const;

/**
 * Parses a daily OHLCV CSV with either header style (`Date,Open,…,Adj Close,Volume` or
 * `date,open,…,adjclose,volume`). Returns the valid rows in file order; reports the others.
 */
export function parseDailyCsv(
  text: string,
  file: string,
  report: (line: number, error: string, raw: string) => void,
): DailyRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase().replace(/[\s_]/g, ''));
  const index = COLUMNS.map((c) => header.indexOf(c));
  const missing = COLUMNS.filter((_, i) => index[i] === -1);
  if (missing.length > 0) {
    report(1, `${file}: header lacks ${missing.join(', ')}`, lines[0] ?? '');
    return [];
  }
  const rows: DailyRow[] = [];
  const seen = new Set<string>();
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === '') continue;
    const line = n + 1;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== header.length) {
      report(line, `${file}:${line}: expected ${header.length} columns, found ${cells.length}`, raw);
      continue;
    }
    const [date, ...rest] = index.map((i) => cells[i] as string) as [string, ...string[]];
    const tsEvent = closeTime(date);
    if (tsEvent === null) {
      report(line, `${file}:${line}: bad date ${JSON.stringify(date)}`, raw);
      continue;
    }
    const nums = rest.map((c) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(c) ? Number(c) : NaN));
    const [open, high, low, close, adjClose, volume] = nums as [number, number, number, number, number, number];
    const error = nums.some((x) => !Number.isFinite(x))
      ? 'non-numeric value'
      : Math.min(open, high, low, close, adjClose) <= 0
        ? 'non-positive price'
        : high < low
          ? `high ${high} below low ${low}`
          : volume < 0
            ? 'negative volume'
            : seen.has(date)
              ? `duplicate date ${date}`
              : null;
    if (error) {
      report(line, `${file}:${line}: ${error}`, raw);
      continue;
    }
    seen.add(date);
    rows.push({ date, tsEvent, open, high, low, close, adjClose, volume });
  }
  return rows;
}

/** `YYYY-MM-DD` at the US close, or null when it is not a real date. */
function closeTime(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ts = Date.UTC(y, mo - 1, d, CLOSE_UTC_HOUR);
  const check = new Date(ts);
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? ts : null;
}

/** The project's `data/demo/`, from `src/engine/collectors/` when run from source or `dist/src/...` when built. */
export function defaultDataDir(): string {
  const candidates = ['../../../data/demo', '../../../../data/demo'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}

interface Item {
  readonly symbol: string;
  readonly row: DailyRow;
}

const cursorOf = (item: Item): string => `${new Date(item.row.tsEvent).toISOString()}|${item.symbol}`;
const compareItems = (a: Item, b: Item): number =>
  a.row.tsEvent - b.row.tsEvent || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

export class ReplayCollector implements Collector {
  readonly name: string;
  readonly #o: ReplayCollectorOptions;
  readonly #source: string;
  readonly #dataDir: string;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  #cursor: string | null = null;
  #persisted: string | null = null;
  #emitted = 0;
  #total = 0;

  constructor(options: ReplayCollectorOptions) {
    this.#o = options;
    this.name = options.name ?? 'replay';
    this.#source = options.source ?? 'replay';
    this.#dataDir = options.dataDir ?? defaultDataDir();
    const bps = options.barsPerSecond ?? 2;
    if (!(bps >= 0)) throw new Error(`barsPerSecond must be >= 0, got ${bps}`);
  }

  /** The last bar emitted (or resumed from), as stored in the cursor store. */
  get cursor(): string | null {
    return this.#cursor;
  }
  /** Bars emitted since the last start. */
  get emitted(): number {
    return this.#emitted;
  }
  /** Bars this run had left to emit when it started. */
  get total(): number {
    return this.#total;
  }

  /** Reads the files and the cursor, then replays in the background; see {@link whenDone}. */
  async start(): Promise<void> {
    if (this.#loop) return;
    this.#stopping = false;
    this.#emitted = 0;
    const items = await this.#load();
    const stored = (await this.#o.cursors?.get(this.name)) ?? null;
    const after = stored === null ? null : this.#parseCursor(stored);
    this.#cursor = after ? stored : null;
    this.#persisted = this.#cursor;
    const todo = after ? items.filter((i) => compareItems(i, after) > 0) : items;
    this.#total = todo.length;
    this.#loop = this.#run(todo);
  }

  /** Resolves when the replay has emitted everything or has been stopped. */
  async whenDone(): Promise<void> {
    await this.#loop;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    try {
      await this.#loop;
    } finally {
      this.#loop = null;
      await this.#persist();
    }
  }

  async #load(): Promise<Item[]> {
    const items: Item[] = [];
    for (const { symbol, file } of this.#o.series ?? DEFAULT_REPLAY_SERIES) {
      const text = await readFile(join(this.#dataDir, file), 'utf8');
      const rows = parseDailyCsv(text, file, (line, error, raw) =>
        this.#o.onError?.({ stage: this.name, error, source: { file, line, raw } }),
      );
      for (const row of rows) items.push({ symbol, row });
    }
    return items.sort(compareItems);
  }

  #parseCursor(cursor: string): Item | null {
    const [iso, symbol] = cursor.split('|');
    const ts = Date.parse(iso ?? '');
    if (!symbol || !Number.isFinite(ts)) {
      this.#o.onError?.({ stage: this.name, error: `unreadable cursor; replaying from the start`, source: cursor });
      return null;
    }
    return { symbol, row: { tsEvent: ts } as DailyRow };
  }

  async #run(items: readonly Item[]): Promise<void> {
    const bps = this.#o.barsPerSecond ?? 2;
    const every = Math.max(1, this.#o.cursorEvery ?? 100);
    const t0 = performance.now();
    for (let i = 0; i < items.length && !this.#stopping; i++) {
      if (bps > 0) {
        const wait = t0 + (i * 1000) / bps - performance.now();
        if (wait > 1) await this.#sleep(wait);
        if (this.#stopping) break;
      } else if (i % 256 === 255) {
        // As fast as possible, but let timers and I/O run now and then.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const item = items[i] as Item;
      await this.#o.bus.publish(Topics.signalsRaw, this.#event(item));
      this.#emitted++;
      this.#cursor = cursorOf(item);
      if (this.#emitted % every === 0) await this.#persist();
    }
    await this.#persist();
  }

  #event(item: Item): SignalIngested {
    const { symbol, row } = item;
    const externalId = `${symbol}:${row.date}`;
    return {
      id: eventId('sig', this.#source, 'bar', externalId, row.tsEvent),
      type: 'SignalIngested',
      tsEvent: row.tsEvent,
      tsInit: this.#o.clock.now(),
      causationIds: [],
      payload: {
        source: this.#source,
        kind: 'bar',
        instrument: symbol,
        externalId,
        body: {
          open: row.open,
          high: row.high,
          low: row.low,
          close: row.close,
          adjClose: row.adjClose,
          volume: row.volume,
          intervalMs: DAY_MS,
        },
      },
    };
  }

  async #persist(): Promise<void> {
    const cursor = this.#cursor;
    if (!this.#o.cursors || cursor === null || cursor === this.#persisted) return;
    await this.#o.cursors.set(this.name, cursor);
    this.#persisted = cursor;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
