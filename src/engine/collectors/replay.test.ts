import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import type { SignalIngested } from '../types.js';
import type { CollectorErrorReport, CursorStore } from './collector.js';
import { DAY_MS, defaultDataDir, ReplayCollector } from './replay.js';

class MapCursors implements CursorStore {
  readonly map = new Map<string, string>();
  writes = 0;
  async get(name: string) {
    return this.map.get(name) ?? null;
  }
  async set(name: string, cursor: string) {
    this.writes++;
    this.map.set(name, cursor);
  }
}

/** The rows of a real CSV, read independently of the collector: `SYMBOL:date` → the six numbers. */
async function csvRows(file: string, symbol: string): Promise<Map<string, number[]>> {
  const lines = (await readFile(join(defaultDataDir(), file), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return new Map(lines.slice(1).map((l) => {
    const [date, ...rest] = l.split(',');
    return [`${symbol}:${date}`, rest.map(Number)];
  }));
}

async function replayAll(options: Partial<ConstructorParameters<typeof ReplayCollector>[0]> = {}) {
  const bus = new CaptureBus();
  const collector = new ReplayCollector({ bus, clock: new TestClock(), barsPerSecond: 0, ...options });
  await collector.start();
  await collector.whenDone();
  await collector.stop();
  return { events: bus.on(Topics.signalsRaw), collector };
}

describe('ReplayCollector on the real demo files', () => {
  let expected: Map<string, number[]>;
  beforeAll(async () => {
    const aapl = await csvRows('aapl_daily_2013_2018.csv', 'AAPL');
    const spx = await csvRows('sp500_daily_2000_2020.csv', 'SPX');
    // Counted from the files: 1,260 AAPL rows and 5,105 S&P 500 rows below their headers (that file has no
    // final newline, so `wc -l` says one less).
    expect(aapl.size).toBe(1260);
    expect(spx.size).toBe(5105);
    expected = new Map([...aapl, ...spx]);
  });

  it('emits every row of both files once, merged in time order, with the CSV values', async () => {
    const { events } = await replayAll();
    expect(events.length).toBe(1260 + 5105);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(a.tsEvent < b.tsEvent || (a.tsEvent === b.tsEvent && a.payload.instrument! < b.payload.instrument!)).toBe(true);
    }
    const mismatches = events.filter((e) => {
      const row = expected.get(e.payload.externalId!);
      const b = e.payload.body as Record<string, number>;
      const [open, high, low, close, adjClose, volume] = row ?? [];
      return (
        !row ||
        e.payload.kind !== 'bar' ||
        e.payload.source !== 'replay' ||
        b.open !== open || b.high !== high || b.low !== low || b.close !== close ||
        b.adjClose !== adjClose || b.volume !== volume || b.intervalMs !== DAY_MS
      );
    });
    expect(mismatches).toEqual([]);

    const first = events[0]!;
    expect(first.payload.instrument).toBe('SPX');
    expect(first.tsEvent).toBe(Date.UTC(2000, 0, 3, 21));
    expect(first.payload.body).toMatchObject({ open: 1469.25, high: 1478, low: 1438.359985, close: 1455.219971 });
    const aapl = events.find((e) => e.payload.instrument === 'AAPL')!;
    expect(aapl.tsEvent).toBe(Date.UTC(2013, 4, 13, 21));
    expect(aapl.payload.body).toMatchObject({ open: 64.501427, close: 64.96286, adjClose: 50.961628, volume: 79237200 });
    expect(first.causationIds).toEqual([]);
    expect(first.tsInit).toBe(new TestClock().now());
  });

  it('resumes from its persisted cursor without repeating or losing a bar', async () => {
    const { events: all } = await replayAll();
    const cursors = new MapCursors();
    const clock = new TestClock();

    // First run: interrupted after 2,000 bars.
    const seen: SignalIngested[] = [];
    let first!: ReplayCollector;
    const interrupting: Bus = Object.assign(new CaptureBus(), {
      async publish(_topic: string, event: SignalIngested) {
        seen.push(event);
        if (seen.length === 2000) void first.stop();
      },
    }) as unknown as Bus;
    first = new ReplayCollector({ bus: interrupting, clock, barsPerSecond: 0, cursors, cursorEvery: 300 });
    await first.start();
    await first.whenDone();
    await first.stop();
    expect(seen.length).toBe(2000);
    expect(cursors.writes).toBeGreaterThanOrEqual(6);
    expect(cursors.map.get('replay')).toBe(first.cursor);

    // Second run: a new collector, the same store.
    const bus = new CaptureBus();
    const second = new ReplayCollector({ bus, clock, barsPerSecond: 0, cursors });
    await second.start();
    expect(second.total).toBe(all.length - 2000);
    await second.whenDone();
    await second.stop();
    const resumed = [...seen, ...bus.on(Topics.signalsRaw)];
    expect(resumed.map((e) => e.id)).toEqual(all.map((e) => e.id));

    // A third run has nothing left to do.
    const third = new ReplayCollector({ bus: new CaptureBus(), clock, barsPerSecond: 0, cursors });
    await third.start();
    expect(third.total).toBe(0);
    await third.stop();
  });
});

describe('ReplayCollector on bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vanta-replay-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('skips malformed rows and reports each one', async () => {
    const csv = [
      'Date,Open,High,Low,Close,Adj Close,Volume',
      '2020-01-02,10,11,9,10.5,10.5,1000', //  2 ok
      '2020-01-03,10,11,9,10.5,1000', //       3 too few columns
      '2020-01-06,10,abc,9,10.5,10.5,1000', // 4 non-numeric
      '2020-01-07,null,null,null,null,null,null', // 5 Yahoo's missing day
      '2020-01-08,0,11,9,10.5,10.5,1000', //   6 zero price
      '2020-01-09,10,11,-9,10.5,10.5,1000', // 7 negative price
      '2020-01-10,10,9,11,10.5,10.5,1000', //  8 high below low
      '2020-02-30,10,11,9,10.5,10.5,1000', //  9 no such date
      '2020-01-02,10,11,9,10.5,10.5,1000', // 10 duplicate date
      '', //                                   11 blank: ignored
      '2020-01-13,10,11,9,10.5,10.5,1000,7', // 12 too many columns
      '2020-01-14,12,13,11.5,12.5,12.5,2000', // 13 ok
      '',
    ].join('\r\n');
    await writeFile(join(dir, 'bad.csv'), csv);
    const errors: CollectorErrorReport[] = [];
    const { events } = await replayAll({
      dataDir: dir,
      series: [{ symbol: 'TEST', file: 'bad.csv' }],
      onError: (r) => errors.push(r),
    });
    expect(events.map((e) => e.payload.externalId)).toEqual(['TEST:2020-01-02', 'TEST:2020-01-14']);
    expect(events[1]!.payload.body).toMatchObject({ open: 12, high: 13, low: 11.5, close: 12.5, volume: 2000 });
    expect(errors.map((e) => (e.source as { line: number }).line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 12]);
    for (const e of errors) {
      expect(e.stage).toBe('replay');
      expect(e.error).toMatch(/^bad\.csv:\d+: /);
    }
    expect(errors[0]!.error).toMatch(/columns/);
    expect(errors[5]!.error).toMatch(/high .* below low/);
    expect((errors[1]!.source as { raw: string }).raw).toBe('2020-01-06,10,abc,9,10.5,10.5,1000');
  });

  it('reports a header without the needed columns, and an unreadable cursor', async () => {
    await writeFile(join(dir, 'noheader.csv'), 'when,price\n2020-01-02,10\n');
    await writeFile(join(dir, 'good.csv'), 'date,open,high,low,close,adjclose,volume\n2020-01-02,1,2,0.5,1.5,1.5,10\n');
    const cursors = new MapCursors();
    cursors.map.set('replay', 'garbage');
    const errors: CollectorErrorReport[] = [];
    const { events } = await replayAll({
      dataDir: dir,
      series: [
        { symbol: 'X', file: 'noheader.csv' },
        { symbol: 'Y', file: 'good.csv' },
      ],
      cursors,
      onError: (r) => errors.push(r),
    });
    expect(events.map((e) => e.payload.externalId)).toEqual(['Y:2020-01-02']);
    expect(errors.map((e) => e.error)).toEqual([
      'noheader.csv: header lacks date, open, high, low, close, adjclose, volume',
      'unreadable cursor; replaying from the start',
    ]);
    expect(cursors.map.get('replay')).toBe('2020-01-02T21:00:00.000Z|Y');
  });

  it('paces bars per second and stops promptly, keeping its place', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => {
      const d = new Date(Date.UTC(2021, 0, 1) + i * DAY_MS).toISOString().slice(0, 10);
      return `${d},1,2,0.5,1.5,1.5,10`;
    });
    await writeFile(join(dir, 'paced.csv'), ['date,open,high,low,close,adjclose,volume', ...rows].join('\n'));
    const bus = new CaptureBus();
    const cursors = new MapCursors();
    const collector = new ReplayCollector({
      bus,
      clock: new TestClock(),
      dataDir: dir,
      series: [{ symbol: 'P', file: 'paced.csv' }],
      barsPerSecond: 100,
      cursors,
    });
    const t0 = performance.now();
    await collector.start();
    await new Promise((r) => setTimeout(r, 105));
    await collector.stop();
    const elapsed = performance.now() - t0;
    const n = bus.on(Topics.signalsRaw).length;
    // About one bar every 10 ms: some went out, far from all 40.
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(Math.ceil(elapsed / 10) + 1);
    expect(n).toBeLessThan(40);
    expect(cursors.map.get('replay')).toBe(`${rows[n - 1]!.slice(0, 10)}T21:00:00.000Z|P`);
  });
});
