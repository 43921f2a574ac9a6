import { describe, expect, it } from 'vitest';
import { PriorWeightsCombiner, StackerCombiner } from '../conviction/combiner.js';
import { CONVICTION_INPUTS } from '../conviction/inputs.js';
import { LogisticStacker } from '../conviction/stacker.js';
import type { FeatureModel } from '../models/feature-models.js';
import { PriceSeries } from '../price-series.js';
import type { ModelOutput } from '../types.js';
import { CallBook } from './calls.js';
import { LiveSet } from './live-set.js';

const model = (modelId: string, version: string): FeatureModel => ({
  modelId,
  version,
  kind: 'classifier',
  features: ['x'],
  horizonMs: 3_600_000,
  score: async () => [],
});

function stacker(): StackerCombiner {
  const rows = Array.from({ length: 200 }, (_, i) => CONVICTION_INPUTS.map((_, j) => Math.sin(i * (j + 1))));
  const labels = rows.map((r) => (r[5]! + 0.3 * r[0]! > 0 ? 1 : 0));
  return new StackerCombiner(new LogisticStacker({ inputs: CONVICTION_INPUTS }).fit(rows, labels), 's1');
}

describe('live set', () => {
  const gbdt = model('GBDT(rounds=1)', 'g1');
  const shadow = model('GBDT(rounds=1)', 'g2');
  const s = stacker();
  const set = () => {
    const live = new LiveSet(new Map([['GBDT(rounds=1)@g1', gbdt], ['GBDT(rounds=1)@g2', shadow]]), new Map([[`${s.name}@s1`, s]]), () => new PriorWeightsCombiner());
    live.setAliases(new Map([['GBDT(rounds=1)@g1', 'live'], ['GBDT(rounds=1)@g2', 'shadow'], [`${s.name}@s1`, 'live']]));
    return live;
  };

  it('scores live versions, keeps shadow versions apart, and halts a version under a halting alarm', () => {
    const live = set();
    expect(live.liveFeatureModels()).toEqual([gbdt]);
    expect(live.shadowFeatureModels()).toEqual([shadow]);
    live.setDrift('GBDT(rounds=1)@g1', 0, true);
    expect(live.liveFeatureModels()).toEqual([]);
    live.setDrift('GBDT(rounds=1)@g1', 1, false);
    expect(live.liveFeatureModels()).toEqual([gbdt]);
  });

  it('cuts the drifted model’s stacker weight under a version that names the cut, and rebuilds it for a replay', () => {
    const live = set();
    const values = CONVICTION_INPUTS.map((_, i) => (i === 5 ? 0.8 : 0.1));
    const full = live.combiner().combine(values);
    expect(live.combiner()).toBe(s);
    live.setDrift('GBDT(rounds=1)@g1', 0.5, false);
    const cut = live.combiner();
    expect(cut.version).toBe('s1+w(classifier:gbdt=0.5)');
    const combined = cut.combine(values);
    expect(combined.weights[5]).toBeCloseTo(full.weights[5]! * 0.5, 6);
    expect(combined.weights[0]).toBe(full.weights[0]);
    expect(combined.score).not.toBe(full.score);
    expect(live.combinerFor(cut.name, cut.version)!.combine(values)).toEqual(combined);
    expect(live.combinerFor(cut.name, 's1')).toBe(s);
    expect(live.combinerFor(cut.name, 'nope')).toBeNull();
    // A shadow version's alarm changes nothing live.
    live.setDrift('GBDT(rounds=1)@g1', 1, false);
    live.setDrift('GBDT(rounds=1)@g2', 0.5, false);
    expect(live.combiner()).toBe(s);
  });

  it('multiplies the reinforcement bias into the weights, with a drift cut, under a version a replay reads back', () => {
    const live = set();
    const values = CONVICTION_INPUTS.map((_, i) => (i === 5 ? 0.8 : 0.1));
    const full = live.combiner().combine(values);
    const first = CONVICTION_INPUTS[0]!;
    live.setReinforcement(`${s.name}@s1`, new Map([[first, 1.2], ['classifier:gbdt', 1.1]]));
    live.setDrift('GBDT(rounds=1)@g1', 0.5, false);
    const weighted = live.combiner();
    expect(weighted.version).toBe(`s1+w(${[`${first}=1.2`, 'classifier:gbdt=0.55'].sort().join(',')})`);
    const combined = weighted.combine(values);
    expect(combined.weights[0]).toBeCloseTo(full.weights[0]! * 1.2, 5);
    expect(combined.weights[5]).toBeCloseTo(full.weights[5]! * 0.55, 5);
    expect(live.combinerFor(weighted.name, weighted.version)!.combine(values)).toEqual(combined);
    // A version recorded under the earlier `+drift(...)` form still replays.
    expect(live.combinerFor(weighted.name, 's1+drift(classifier:gbdt=0.5)')!.combine(values).weights[5]).toBeCloseTo(full.weights[5]! * 0.5, 6);
    // Multipliers of a stacker that is not live change nothing.
    live.setDrift('GBDT(rounds=1)@g1', 1, false);
    live.setReinforcement(`${s.name}@s1`, new Map());
    live.setReinforcement(`${s.name}@other`, new Map([[first, 1.5]]));
    expect(live.combiner()).toBe(s);
  });

  it('falls back to the configured combiner when no loaded stacker is live', () => {
    const live = set();
    live.setAliases(new Map([['GBDT(rounds=1)@g1', 'live']]));
    expect(live.combiner()).toBeInstanceOf(PriorWeightsCombiner);
  });
});

describe('call book', () => {
  it('keeps each day’s strongest call per instrument and judges it once the bars reach its horizon', () => {
    const prices = new PriceSeries();
    const book = new CallBook(2, prices);
    const T = Date.UTC(2024, 0, 2, 10);
    const out = (signal: number): ModelOutput => ({ modelId: 'GBDT(x=1)', modelVersion: 'v', instrument: 'AAPL', series: 'features', value: signal, mean: 0, std: 1, score: 0.5, polarity: Math.sign(signal), horizonMs: 3_600_000, signal, summary: '' });
    prices.add('AAPL', T, 100);
    book.observeOutput(out(0.2), T);
    book.observeOutput(out(-0.6), T);
    book.observeOutput(out(0.3), T);
    expect(book.calls('GBDT(x=1)@v')).toEqual([]); // the horizon has not been seen yet
    prices.add('AAPL', T + 3_600_000, 90);
    expect(book.calls('GBDT(x=1)@v')).toEqual([{ day: '2024-01-02', instrument: 'AAPL', score: -0.6, realized: Math.log(0.9) }]);
    for (const d of [1, 2, 3]) book.observeOutput(out(0.4), T + d * 86_400_000);
    expect(book.calls('GBDT(x=1)@v').map((c) => c.day)).toEqual([]); // only the latest two days are kept, and neither is judged yet
  });
});
