import { describe, expect, it } from 'vitest';
import { Topics } from '../bus/topics.js';
import type { OrderFilled } from '../execution/events.js';
import type { ConvictionScored, ModelScored, SignalEnriched, SignalIngested } from '../types.js';
import type { VaultFillApplied } from '../vaults/events.js';
import { splitExact } from './attribution.js';
import { KpiMetrics } from './prometheus.js';
import { KpiTracker } from './tracker.js';

const T0 = Date.UTC(2024, 2, 4, 14, 0);

const raw = (id: string, source: string, tsInit: number): SignalIngested => ({
  id, type: 'SignalIngested', tsEvent: tsInit, tsInit, causationIds: [],
  payload: { source, kind: 'news', instrument: 'AAPL', externalId: id, body: {} },
});
const enriched = (id: string, cause: string, ts: number, close?: number): SignalEnriched =>
  ({
    id, type: 'SignalEnriched', tsEvent: ts, tsInit: ts, causationIds: [cause],
    payload: { source: 'sim.market', kind: close ? 'bar' : 'news', instrument: 'AAPL', externalId: id, body: close ? { close, intervalMs: 60_000 } : {}, contentHash: id, polarity: 0, magnitude: 1, flags: [], weight: 1, evidence: [] },
  }) as unknown as SignalEnriched;
const output = (id: string, causes: string[], ts: number): ModelScored =>
  ({ id, type: 'ModelScored', tsEvent: ts, tsInit: ts, causationIds: causes, payload: {} }) as unknown as ModelScored;
const conviction = (id: string, causes: string[], ts: number, score: number): ConvictionScored =>
  ({
    id, type: 'ConvictionScored', tsEvent: ts, tsInit: ts, causationIds: causes,
    payload: {
      id, signalId: causes[0], instrument: 'AAPL', convictionScore: score, direction: score > 0 ? 'LONG' : 'SHORT', band: 'STRONG',
      reasonVector: [], ttl: 600, expiresAt: ts + 600_000, routingTags: [], explanation: '', createdAt: ts,
      contributingModels: [
        { modelId: 'ZScore:mentions', version: '1', weight: 0.5, output: 3 },
        { modelId: 'GBDT', version: '1', weight: 1, output: 0.5 },
        { modelId: 'stacker', version: '1', weight: 1, output: score },
      ],
    },
  }) as unknown as ConvictionScored;

describe('KpiTracker', () => {
  it('measures latency from the newest cause, attributes a fill through its order chain, whatever order the topics arrive in', async () => {
    const metrics = new KpiMetrics();
    let wall = 1_000;
    const k = new KpiTracker({ metrics, wallNow: () => wall });
    // The fill's topics first: its chain is not known yet, so it waits.
    const fill: OrderFilled = {
      id: 'fill_1', type: 'OrderFilled', tsEvent: T0 + 120_000, tsInit: T0 + 120_000, causationIds: ['ord_sub'],
      payload: { clientOrderId: 'c1', vaultId: 'v1', instrument: 'AAPL', venue: 'paper', side: 'SELL', convictionId: null, brokerOrderId: 'b', brokerFillId: 'f', quantity: '1', price: '1', fee: '0', feeCurrency: null, filledQuantity: '1', leavesQuantity: '0', avgFillPrice: '1' },
    };
    const applied = { id: 'vf_1', type: 'VaultFillApplied', tsEvent: T0 + 120_000, tsInit: T0 + 120_000, causationIds: [], payload: { vaultId: 'v1', fillId: 'fill_1', realizedPnl: '10.00' } } as unknown as VaultFillApplied;
    k.observe(Topics.vaultEvents, applied);
    k.observe(Topics.orderEvents, fill);
    k.observe(Topics.orderEvents, { id: 'ord_sub', type: 'OrderSubmitted', tsEvent: 0, tsInit: 0, causationIds: ['ord_init'], payload: {} } as never);
    k.observe(Topics.orderEvents, { id: 'ord_init', type: 'OrderInitialized', tsEvent: 0, tsInit: 0, causationIds: ['int_1', 'cnv_1'], payload: {} } as never);
    k.observe(Topics.orderIntents, { id: 'int_1', type: 'OrderIntentCreated', tsEvent: 0, tsInit: 0, causationIds: ['cnv_1'], payload: {} } as never);
    k.observe(Topics.convictions, conviction('cnv_1', ['out_1', 'out_2'], T0 + 5_000, 0.6));
    // Then the signal side.
    k.observe(Topics.signalsRaw, raw('r1', 'sim.social', T0));
    k.observe(Topics.signalsRaw, raw('r2', 'sim.news', T0 + 2_000));
    k.observe(Topics.signalsRaw, raw('r3', 'sim.news', T0 + 1_000));
    k.observe(Topics.signalsEnriched, enriched('e1', 'r1', T0));
    k.observe(Topics.signalsEnriched, enriched('e2', 'r2', T0 + 2_000));
    k.observe(Topics.signalsEnriched, enriched('e3', 'r3', T0 + 1_000));
    k.observe(Topics.modelOutputs, output('out_1', ['e1'], T0 + 3_000));
    k.observe(Topics.modelOutputs, output('out_2', ['e2', 'e3'], T0 + 4_000));
    wall = 61_000;

    const report = k.report();
    expect(report.uptimeSeconds).toBe(60);
    expect(report.latency).toMatchObject({ count: 1, p50Ms: 3_000, maxMs: 3_000 });
    const rows = Object.fromEntries(report.attribution.map((r) => [`${r.dimension}:${r.key}`, r.realizedPnl]));
    expect(rows).toEqual({
      'band:STRONG': '10',
      'vault:v1': '10',
      'model:ZScore:mentions': '7.5', // |0.5 × 3| = 1.5 of 2.0
      'model:GBDT': '2.5',
      'source:sim.news': '6.66666667', // two raw signals of three
      'source:sim.social': '3.33333333',
    });
    expect(report.realizedPnl).toBe('10');

    const text = await metrics.render();
    expect(text).toMatch(/vanta_ingest_to_conviction_seconds_count 1/);
    expect(text).toMatch(/vanta_ingest_to_conviction_seconds_bucket\{le="5"\} 1/);
    expect(text).toMatch(/vanta_bus_events_total\{topic="signals.raw"\} 3/);
    expect(text).toMatch(/vanta_orders_total\{status="FILLED"\} 1/);
    expect(text).toMatch(/vanta_realized_pnl\{dimension="band",key="STRONG"\} 10/);
  });

  it('judges each day’s five strongest calls against the next horizon’s move', () => {
    const k = new KpiTracker();
    const symbols = ['A', 'B', 'C', 'D', 'E', 'F'];
    symbols.forEach((s, i) => {
      k.observe(Topics.signalsEnriched, { ...enriched(`b0${s}`, 'x', T0, 100), payload: { ...enriched('x', 'x', T0, 100).payload, instrument: s } } as SignalEnriched);
      // A, B, C go up; D, E, F down.
      const close = i < 3 ? 110 : 90;
      k.observe(Topics.signalsEnriched, { ...enriched(`b1${s}`, 'x', T0 + 600_000, close), payload: { ...enriched('x', 'x', T0, close).payload, instrument: s } } as SignalEnriched);
      // All called LONG; F the weakest, so it is not among the five.
      const c = conviction(`c${s}`, [], T0, 0.9 - i * 0.1);
      k.observe(Topics.convictions, { ...c, payload: { ...c.payload, instrument: s } });
    });
    const p = k.report().precision;
    expect(p.days).toEqual([{ day: '2024-03-04', calls: 5, hits: 3, precision: 0.6 }]);
    expect(p.rolling).toBe(0.6);
  });

  it('splits money exactly, the remainder on the largest share', () => {
    const parts = splitExact('1.00', new Map([['a', 1], ['b', 1], ['c', 1]]));
    expect([...parts.values()].reduce((s, x) => s + Number(x), 0)).toBeCloseTo(1, 12);
    expect(parts.get('a')).toBe('0.33333334');
    expect(splitExact('-3', new Map([['x', 0], ['y', 0]]))).toEqual(new Map([['x', '-1.5'], ['y', '-1.5']]));
  });
});
