/**
 * The scenario lab: adversarial conditions injected into a backtest, and what the risk layer does about them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BacktestRun, runBacktest } from '../src/engine/backtest/runner.js';
import { parseScenarioArg } from '../src/engine/backtest/scenarios.js';
import { SimulatorSource } from '../src/engine/backtest/sources.js';
import { Dec } from '../src/engine/vaults/decimal.js';
import { depsFor, T0 } from './backtest-helpers.js';

const BARS = 60;
const spec = { from: T0, to: T0 + BARS * 60_000, vaults: 'all' as const, seed: 11 };

describe('an exchange outage', () => {
  let run: BacktestRun;
  beforeAll(async () => {
    run = await runBacktest({ ...spec, scenarios: [{ kind: 'exchange-outage', at: 0.25, bars: 15 }] }, await depsFor(new SimulatorSource(11)));
  }, 180_000);

  it('fails broker calls and venue syncs, yet never duplicates an order', () => {
    const r = run.result;
    const [outage] = r.summary.scenarios;
    expect(outage).toMatchObject({ kind: 'exchange-outage' });
    expect(r.risk.brokerErrors).toBeGreaterThan(0);
    expect(r.risk.executorErrors).toBeGreaterThan(0);
    expect(r.risk.duplicateOrders).toBe(0);
    // Orders were placed during the outage (their submits failed, some after the venue acted)...
    const orders = run.decisions.filter((d) => d.kind === 'order');
    const during = orders.filter((o) => o.ts >= outage!.fromTs && o.ts <= outage!.toTs);
    expect(during.length).toBeGreaterThan(0);
    // ...and no order was filled beyond its quantity, as a second copy at the venue would be.
    const ordered = new Map(orders.map((o) => [o.id, new Dec(o.detail.split(' ')[2]!)]));
    const filled = new Map<string, InstanceType<typeof Dec>>();
    for (const t of r.trades) filled.set(t.clientOrderId, (filled.get(t.clientOrderId) ?? new Dec(0)).plus(t.quantity));
    for (const [id, q] of filled) expect(q.lte(ordered.get(id)!), `order ${id} filled ${q} of ${ordered.get(id)}`).toBe(true);
    // An order whose submit answer was lost is found at the venue afterwards and fills once.
    expect(during.some((o) => filled.has(o.id))).toBe(true);
  });
});

describe('a flash crash with a drawdown halt', () => {
  let run: BacktestRun;
  beforeAll(async () => {
    run = await runBacktest({ ...spec, scenarios: [{ kind: 'flash-crash', at: 0.5, bars: 12, depth: 0.2 }], haltDrawdownPct: 0.05 }, await depsFor(new SimulatorSource(11)));
  }, 180_000);

  it('engages the kill switch of a vault past the drawdown, and the halted vault trades no more', () => {
    const r = run.result;
    const [crash] = r.summary.scenarios;
    expect(crash!.drawdowns.some((d) => d.maxDrawdown > 0.0005)).toBe(true);
    const engaged = r.risk.killSwitches.filter((k) => k.engaged);
    expect(engaged.length).toBeGreaterThan(0);
    for (const k of engaged) {
      const vaultId = k.key.replace(/^vault:/, '');
      const laterOrders = run.decisions.filter((d) => d.kind === 'order' && d.ts > k.ts && d.detail.startsWith(`${vaultId} `)).map((d) => d.id);
      const denied = new Set(run.decisions.filter((d) => d.kind === 'denial' && d.detail.startsWith(`${vaultId} `)).map((d) => d.detail.split(' ')[1]));
      for (const id of laterOrders) expect(denied.has(id), `order ${id} of halted ${vaultId}`).toBe(true);
      expect(r.trades.filter((t) => t.vaultId === vaultId && laterOrders.includes(t.clientOrderId))).toEqual([]);
      const kill = r.risk.denials.find((d) => d.reason === 'KILL_SWITCH');
      if (laterOrders.length > 0) expect(kill?.count ?? 0).toBeGreaterThan(0);
    }
  });
});

describe('pump-and-dump, a fake insider surge and a persona flip', () => {
  it('injects them, reports each with every vault’s drawdown, and changes what the vaults do', async () => {
    const scenarios = [
      { kind: 'pump-and-dump' as const, at: 0.2, bars: 30, instrument: 'TSLA' },
      { kind: 'insider-surge' as const, at: 0.3, bars: 10, instrument: 'AAPL' },
      { kind: 'persona-flip' as const, at: 0.4, bars: 20 },
    ];
    const run = await runBacktest({ ...spec, scenarios }, await depsFor(new SimulatorSource(11)));
    const reports = run.result.summary.scenarios;
    expect(reports.map((s) => s.kind)).toEqual(['pump-and-dump', 'insider-surge', 'persona-flip']);
    for (const s of reports) {
      expect(s.drawdowns.map((d) => d.vaultId).sort()).toEqual(['aggressive-tech-loan', 'contrarian-crypto', 'risk-averse-core']);
      expect(s.description.length).toBeGreaterThan(10);
    }
    // The swarm's posts and the fake filings entered the pipeline: more input events than the plain run.
    const plain = await runBacktest(spec, await depsFor(new SimulatorSource(11)));
    expect(run.result.summary.events).toBeGreaterThan(plain.result.summary.events);
    // Before the first scenario's first bar (it ends at fromTs) the two runs agree; after, they do not.
    const start = reports[0]!.fromTs - 60_000;
    expect(run.decisions.filter((d) => d.ts < start)).toEqual(plain.decisions.filter((d) => d.ts < start));
    expect(run.decisions.filter((d) => d.ts >= start)).not.toEqual(plain.decisions.filter((d) => d.ts >= start));
    // The vaults report the persona they started with, flipped back at the end.
    expect(run.result.vaults.map((v) => v.persona).sort()).toEqual(['aggressive', 'contrarian', 'risk-averse']);
  }, 240_000);

  it('parses scenarios from the command line and refuses unknown ones by name', () => {
    expect(parseScenarioArg('flash-crash')).toEqual({ kind: 'flash-crash' });
    expect(parseScenarioArg('exchange-outage:0.5:20')).toEqual({ kind: 'exchange-outage', at: 0.5, bars: 20 });
    expect(() => parseScenarioArg('meteor')).toThrow(/unknown scenario; one of pump-and-dump, insider-surge, flash-crash, exchange-outage, persona-flip/);
  });
});
