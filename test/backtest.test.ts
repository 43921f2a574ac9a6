/**
 * Backtests: the live stages on a test clock over the simulator or user bars, with vaults, risk and the paper
 * broker. What must hold: no stage reads the future; results are stored and served over GraphQL; the report is
 * one self-contained file; bad input is refused naming what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../src/api/http.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { renderReport } from '../src/engine/backtest/report.js';
import { type BacktestRun, runBacktest } from '../src/engine/backtest/runner.js';
import { type BarSource, CsvSource, parseBarsCsv, SimulatorSource } from '../src/engine/backtest/sources.js';
import { BacktestError } from '../src/engine/backtest/types.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import type { Bar, SignalIngested } from '../src/engine/types.js';
import { HEALTH } from './api-fixtures.js';
import { depsFor, T0 } from './backtest-helpers.js';
import { readFileSync } from 'node:fs';

const BARS = 75;
const T = T0 + 50 * 60_000; // the "present" of the comparison: decisions up to here must not depend on what follows

/** The simulator, with every bar after `after` planted: prices tripled, volumes ×50, and a fake insider buy. */
class PlantedFuture implements BarSource {
  readonly #inner: SimulatorSource;
  constructor(seed: number, private readonly after: number) {
    this.#inner = new SimulatorSource(seed);
  }
  get instruments() {
    return this.#inner.instruments;
  }
  times(from: number, to: number) {
    return this.#inner.times(from, to);
  }
  step(ts: number): SignalIngested[] {
    const events = this.#inner.step(ts);
    if (ts <= this.after) return events;
    const planted = events.map((e) => {
      if (e.payload.kind !== 'bar') return e;
      const b = e.payload.body as unknown as Bar;
      const body = { ...b, open: b.open * 3, high: b.high * 3, low: b.low * 3, close: b.close * 3, volume: b.volume * 50 };
      return { ...e, payload: { ...e.payload, body } };
    });
    planted.push({
      id: `sig_planted_${ts}`,
      type: 'SignalIngested',
      tsEvent: ts - 1,
      tsInit: ts,
      causationIds: [],
      payload: { source: 'sim.sec', kind: 'insider_filing', instrument: 'AAPL', externalId: `planted-${ts}`, body: { owner: 'Planted', relationship: 'CEO', transactionCode: 'P', shares: 1e6, price: 100, value: 1e8 } },
    });
    return planted;
  }
}

const upTo = (run: BacktestRun, t: number) => run.decisions.filter((d) => d.ts <= t);

describe('a backtest cannot read the future', () => {
  let plain: BacktestRun;
  let planted: BacktestRun;

  beforeAll(async () => {
    const spec = { from: T0, to: T0 + BARS * 60_000, vaults: 'all' as const, seed: 11 };
    plain = await runBacktest(spec, await depsFor(new SimulatorSource(11)));
    planted = await runBacktest(spec, await depsFor(new PlantedFuture(11, T)));
  }, 180_000);

  it('takes the same decisions up to T whatever the bars after T say', () => {
    const before = upTo(plain, T);
    expect(before.filter((d) => d.kind === 'conviction').length).toBeGreaterThan(20);
    expect(before.filter((d) => d.kind === 'intent').length).toBeGreaterThan(0);
    expect(before.filter((d) => d.kind === 'fill').length).toBeGreaterThan(0);
    expect(upTo(planted, T)).toEqual(before);
    // And the equity curves agree point for point up to T.
    for (const [i, v] of plain.result.vaults.entries()) {
      expect(planted.result.vaults[i]!.equity.filter((p) => p.ts <= T)).toEqual(v.equity.filter((p) => p.ts <= T));
    }
  });

  it('the planted bars do change what comes after T (the comparison can fail)', () => {
    const after = (run: BacktestRun) => run.decisions.filter((d) => d.ts > T);
    expect(after(planted)).not.toEqual(after(plain));
  });

  it('runs the paper broker with its fees, and attributes realized PnL by band, vault, model and source', () => {
    const r = plain.result;
    expect(r.summary.bars).toBe(BARS);
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.trades.some((t) => Number(t.fee) > 0)).toBe(true);
    expect(r.vaults.map((v) => v.vaultId).sort()).toEqual(['aggressive-tech-loan', 'contrarian-crypto', 'risk-averse-core']);
    for (const v of r.vaults) {
      expect(v.equity.length).toBe(BARS);
      expect(v.maxDrawdown).toBeGreaterThanOrEqual(0);
    }
    const dims = new Set(r.attribution.map((a) => a.dimension));
    if (r.attribution.length > 0) expect(dims).toEqual(new Set(['band', 'vault', 'model', 'source']));
    expect(r.risk.duplicateOrders).toBe(0);
  });

  it('writes one self-contained HTML report with inline SVG', () => {
    const html = renderReport(plain.result);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    for (const v of plain.result.vaults) expect(html).toContain(v.vaultId);
  });
});

describe('stored backtests over GraphQL', () => {
  let store: DrizzleStore;
  let bus: MemoryBus;
  let api: ApiServer;
  let run: BacktestRun;

  beforeAll(async () => {
    store = await createStore('memory://');
    bus = new MemoryBus();
    api = await createApiServer({ store, bus, health: async () => HEALTH, lineage: async () => null, now: () => Date.now() }, { port: 0, host: '127.0.0.1' });
    run = await runBacktest({ from: T0, to: T0 + 30 * 60_000, vaults: ['risk-averse-core'], seed: 5 }, await depsFor(new SimulatorSource(5)));
    await store.backtests.save(run.result);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await bus?.close();
    await store?.close();
  });

  interface Served {
    id: string;
    bars: number;
    vaults: { vaultId: string; equity: unknown[] }[];
    trades: unknown[];
    risk: { duplicateOrders: number } | null;
  }
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: { backtests: Served[]; backtest: Served | null }; errors?: { message: string }[] };
  };

  it('lists runs and serves one with its curves, trades, attribution and risk report', async () => {
    const list = await gql('{ backtests { id bars fills maxDrawdown vaults { vaultId equity { ts } } trades { ts } risk { rejections } } }');
    expect(list.errors).toBeUndefined();
    expect(list.data!.backtests).toHaveLength(1);
    expect(list.data!.backtests[0]).toMatchObject({ id: run.result.id, bars: 30, trades: [], risk: null });
    expect(list.data!.backtests[0]!.vaults[0]!.equity).toEqual([]);

    const one = await gql(
      `query($id: ID!) { backtest(id: $id) { id from to seed bars orders fills status
        vaults { vaultId startEquity endEquity maxDrawdown equity { ts equity } }
        trades { ts vaultId instrument side quantity price fee }
        attribution { day dimension key realizedPnl }
        risk { denials { reason count } duplicateOrders killSwitches { key } }
        precisionAt5 { k } } }`,
      { id: run.result.id },
    );
    expect(one.errors).toBeUndefined();
    const b = one.data!.backtest!;
    expect(b).toMatchObject({ id: run.result.id, seed: 5, bars: 30, status: 'completed', from: new Date(T0).toISOString() });
    expect(b.vaults[0]!.vaultId).toBe('risk-averse-core');
    expect(b.vaults[0]!.equity).toHaveLength(30);
    expect(b.trades).toHaveLength(run.result.trades.length);
    expect(b.risk?.duplicateOrders).toBe(0);
    expect((await gql('{ backtest(id: "bt_unknown") { id } }')).data!.backtest).toBeNull();
  });
});

describe('user bars from a CSV file', () => {
  const aapl = readFileSync(new URL('../data/demo/aapl_daily_2013_2018.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1, 161)
    .map((line) => {
      const [date, open, high, low, close, , volume] = line.split(',');
      return `${date}T21:00:00Z,AAPL,${open},${high},${low},${close},${volume}`;
    });
  const csv = ['ts,symbol,open,high,low,close,volume', ...aapl].join('\n');

  it('refuses a bad file naming the line and the field', () => {
    expect(() => parseBarsCsv('date,sym\n', 'bars.csv')).toThrow(/bars.csv: line 1 must be the header ts,symbol,open,high,low,close,volume/);
    expect(() => parseBarsCsv('ts,symbol,open,high,low,close,volume\n2024-01-02T21:00:00Z,AAPL,1,2,1,abc,10\n', 'bars.csv')).toThrow(/line 2: close "abc"/);
    expect(() => parseBarsCsv('ts,symbol,open,high,low,close,volume\nyesterday,AAPL,1,2,1,1,10\n', 'bars.csv')).toThrow(/line 2: ts "yesterday"/);
  });

  it('runs the same stages over daily bars, reproducibly, and refuses an unknown vault', async () => {
    const bars = parseBarsCsv(csv);
    const spec = { from: Date.UTC(2013, 4, 1), to: Date.UTC(2014, 0, 1), vaults: ['risk-averse-core'], seed: 0, dataPath: 'aapl.csv' };
    const a = await runBacktest(spec, await depsFor(new CsvSource(bars)));
    const b = await runBacktest(spec, await depsFor(new CsvSource(bars)));
    expect(a.result.summary.bars).toBe(bars.filter((x) => x.ts <= spec.to).length);
    expect(a.decisions.filter((d) => d.kind === 'conviction').length).toBeGreaterThan(0);
    expect(b.decisions).toEqual(a.decisions);
    expect(b.result.vaults).toEqual(a.result.vaults);
    await expect(runBacktest({ ...spec, vaults: ['nope'] }, await depsFor(new CsvSource(bars)))).rejects.toThrow(BacktestError);
    await expect(runBacktest({ ...spec, vaults: ['nope'] }, await depsFor(new CsvSource(bars)))).rejects.toThrow(/no vault nope/);
  }, 60_000);
});
