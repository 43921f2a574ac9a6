import { describe, expect, it } from 'vitest';
import { CONVICTION_INPUTS } from '../conviction/inputs.js';
import { PriceSeries } from '../price-series.js';
import type { ConvictionVector } from '../types.js';
import { OnlineReinforcement } from './reinforcement.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);
const STACKER = { name: 'LogisticStacker(inputs=2,l2=1)', version: 's1' };
const [UP, DOWN] = [CONVICTION_INPUTS[0]!, CONVICTION_INPUTS[1]!];

/** Input values in CONVICTION_INPUTS order: `up` and `down` set, the rest 0. */
const values = (up: number, down: number) => CONVICTION_INPUTS.map((name) => (name === UP ? up : name === DOWN ? down : 0));

/** A reinforcement judging by its own price series, and a bar: added to the series, then judged. */
function rig(params: ConstructorParameters<typeof OnlineReinforcement>[3] = {}, maxPending?: number) {
  const prices = new PriceSeries();
  const loop = new OnlineReinforcement([UP, DOWN], STACKER, prices, params, maxPending);
  const bar = (instrument: string, ts: number, close: number) => {
    prices.add(instrument, ts, close);
    return loop.judge(instrument, ts);
  };
  return { loop, bar };
}

let n = 0;
function conviction(instrument: string, version = STACKER.version, ttlSeconds = 3600): ConvictionVector {
  return {
    id: `cnv_${++n}`,
    signalId: 'sig',
    instrument,
    convictionScore: 0.4,
    direction: 'LONG',
    band: 'MEDIUM',
    reasonVector: [],
    contributingModels: [{ modelId: STACKER.name, version, weight: 1, output: 0.4 }],
    ttl: ttlSeconds,
    expiresAt: 0,
    routingTags: [],
    explanation: '',
    createdAt: 0,
  } as unknown as ConvictionVector;
}

describe('online reinforcement', () => {
  it('judges each conviction once its horizon has passed and raises the weight of the input that called it right', () => {
    const { loop, bar } = rig({ halfLifeCalls: 5 });
    const causes: string[] = [];
    let price = 100;
    for (let h = 0; h < 40; h++) {
      const ts = T0 + h * HOUR;
      price *= 1.01; // the market goes up every hour: UP (positive input) is right, DOWN (negative) wrong
      const outcome = bar('AAPL', ts, price);
      causes.push(...outcome.causedBy);
      const c = conviction('AAPL');
      loop.observeConviction(values(0.5, -0.5), c, ts);
      // Nothing is judged before its horizon: the conviction just recorded waits.
      expect(outcome.causedBy).not.toContain(c.id);
    }
    const m = loop.multipliers();
    expect(m.get(UP)!).toBeGreaterThan(1.2);
    expect(m.get(DOWN)!).toBeLessThan(0.8);
    expect(loop.bias.record(UP)!.hitRate).toBeGreaterThan(0.9);
    expect(loop.counts.judged).toBe(39);
    expect(loop.counts.waiting).toBe(1);
    expect(causes.length).toBeGreaterThan(0);
    expect(new Set(causes).size).toBe(causes.length);
  });

  it('counts only the reinforced stacker’s convictions, whatever weights they ran with, and no flat outcome', () => {
    const { loop, bar } = rig();
    bar('AAPL', T0, 100);
    loop.observeConviction(values(0.5, 0), conviction('AAPL', 'other'), T0);
    loop.observeConviction(values(0.5, 0), conviction('AAPL', 's1+w(x=0.5)'), T0);
    expect(loop.counts.waiting).toBe(1);
    loop.observeConviction(values(0.5, 0), conviction('AAPL'), T0);
    bar('AAPL', T0 + HOUR, 100); // flat: no call is scored
    expect(loop.counts).toEqual({ waiting: 0, dropped: 0, judged: 0 });
    expect(loop.bias.record(UP)!.calls).toBe(0);
  });

  it('keeps at most maxPending convictions waiting, dropping the oldest', () => {
    const { loop } = rig({}, 3);
    for (let i = 0; i < 5; i++) loop.observeConviction(values(0.5, 0), conviction(i % 2 ? 'AAPL' : 'MSFT'), T0 + i);
    expect(loop.counts).toEqual({ waiting: 3, dropped: 2, judged: 0 });
  });

  it('takes back recorded state, keeping multipliers within their bounds and ignoring what makes no sense', () => {
    const { loop } = rig();
    loop.bias.restore({ [UP]: { hitRate: 0.7, calls: 40, multiplier: 1.2 }, [DOWN]: { hitRate: 2, calls: 1, multiplier: 9 } });
    expect(loop.bias.record(UP)).toEqual({ hitRate: 0.7, calls: 40, multiplier: 1.2 });
    expect(loop.bias.record(DOWN)).toEqual({ hitRate: 0.5, calls: 0, multiplier: 1 });
    loop.bias.restore({ [DOWN]: { hitRate: 0.2, calls: 3, multiplier: 9 } });
    expect(loop.multipliers().get(DOWN)).toBe(1.5);
  });
});
