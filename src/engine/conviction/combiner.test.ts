import { describe, expect, it } from 'vitest';
import type { ModelOutput } from '../types.js';
import { PriorWeightsCombiner, StackerCombiner } from './combiner.js';
import { CONVICTION_INPUTS, evidenceOf, inputNameOf, inputVector } from './inputs.js';
import { featureReasons } from './reasons.js';
import { LogisticStacker } from './stacker.js';
import { routingTags } from './tags.js';

const base = { instrument: 'AAPL', value: 1, mean: 0, std: 1, polarity: 1, horizonMs: 3_600_000, modelVersion: 'v1' } as const;
const zscore = (series: ModelOutput['series'], score: number, polarity: number): ModelOutput => ({ ...base, modelId: 'ZScore(window=60,min=20,threshold=2)', series, score, polarity });
const gbdt = (p: number, attributions?: ModelOutput['attributions']): ModelOutput => ({
  ...base,
  modelId: 'GBDT(rounds=300,depth=4)',
  series: 'features',
  score: p,
  signal: 2 * p - 1,
  ...(attributions ? { attributions } : {}),
  summary: 'trees',
});
const forest = (strength: number): ModelOutput => ({ ...base, modelId: 'IsolationForest(trees=100)', series: 'features', score: 0.5 + strength / 2, signal: strength });
const at = (name: string) => CONVICTION_INPUTS.indexOf(name as never);

describe('conviction inputs', () => {
  it.each<[ModelOutput, string | null]>([
    [zscore('mentions', 3, 1), 'zscore:mentions'],
    [gbdt(0.7), 'classifier:gbdt'],
    [forest(0.4), 'anomaly'],
    [{ ...base, modelId: 'GraphStructure(cluster=24h,community=6h)', series: 'insider_cluster', score: 0.7, signal: 0.7 }, 'graph:insider_cluster'],
    [{ ...base, modelId: 'Unknown(x=1)', series: 'features', score: 1 }, null],
  ])('maps %o to its input', (output, name) => {
    expect(inputNameOf(output)).toBe(name);
  });

  it('z-score evidence is signed strength: nothing up to 1σ, tanh beyond', () => {
    expect(evidenceOf(zscore('news', 1, 1))).toBe(0);
    expect(evidenceOf(zscore('news', 4, -1))).toBeCloseTo(-Math.tanh(1), 12);
    expect(evidenceOf(gbdt(0.8))).toBeCloseTo(0.6, 12);
  });

  it('the anomaly detector amplifies the lean of the others and never picks a direction itself', () => {
    const down = inputVector([zscore('whale', 4, -1), forest(0.5)]);
    expect(down.values[at('anomaly')]).toBe(-0.5);
    const up = inputVector([gbdt(0.7), forest(0.5)]);
    expect(up.values[at('anomaly')]).toBe(0.5);
    expect(inputVector([forest(0.5)]).values[at('anomaly')]).toBe(0);
  });
});

describe('combiners', () => {
  it('prior weights: shares add up to the score', () => {
    const { values } = inputVector([zscore('insider', 4, 1), zscore('volume', 3, -0.5), gbdt(0.7)]);
    const c = new PriorWeightsCombiner().combine(values);
    expect(c.shares.reduce((a, b) => a + b, 0) + c.prior).toBeCloseTo(c.score, 5);
    expect(c.score).toBeCloseTo(Math.tanh(1.5 * values.reduce((a, x, i) => a + x * c.weights[i]!, 0)), 5);
  });

  it('the stacker: score 2·P(up) − 1, the intercept reported as the prior, shares and prior add up to it', () => {
    const rows = Array.from({ length: 400 }, (_, i) => CONVICTION_INPUTS.map((_, j) => Math.sin(i * (j + 1))));
    const labels = rows.map((r) => (r[at('classifier:gbdt')]! + 0.3 > 0 ? 1 : 0));
    const stacker = new LogisticStacker({ inputs: CONVICTION_INPUTS }).fit(rows, labels);
    const combiner = new StackerCombiner(stacker, 'v1');
    const { values } = inputVector([gbdt(0.9)]);
    const c = combiner.combine(values);
    const p = stacker.predictProba(stacker.params.inputs.map((_, j) => values[j]!));
    expect(c.score).toBeCloseTo(2 * p - 1, 5);
    expect(c.shares.reduce((a, b) => a + b, 0) + c.prior).toBeCloseTo(c.score, 5);
    expect(c.shares[at('classifier:gbdt')]).toBeGreaterThan(0);
    expect(c.prior).not.toBe(0);
  });

  it('reinforcement multipliers scale the inputs they belong to', () => {
    const rows = Array.from({ length: 200 }, (_, i) => CONVICTION_INPUTS.map((_, j) => Math.cos(i * (j + 2))));
    const labels = rows.map((r) => (r[at('zscore:mentions')]! > 0 ? 1 : 0));
    const stacker = new LogisticStacker({ inputs: CONVICTION_INPUTS }).fit(rows, labels);
    const values = CONVICTION_INPUTS.map((n) => (n === 'zscore:mentions' ? 0.5 : 0));
    const plain = new StackerCombiner(stacker, 'v1').combine(values);
    const boosted = new StackerCombiner(stacker, 'v1', () => CONVICTION_INPUTS.map((n) => (n === 'zscore:mentions' ? 1.5 : 1))).combine(values);
    expect(boosted.weights[at('zscore:mentions')]).toBeCloseTo(1.5 * plain.weights[at('zscore:mentions')]!, 5);
    expect(Math.abs(boosted.score)).toBeGreaterThan(Math.abs(plain.score));
  });
});

describe('reasons and tags', () => {
  it('a feature model’s share is split over its top three features, the rest together; the parts add up', () => {
    const attributions = [
      { feature: 'mentions_1h', value: 40, contribution: 0.5 },
      { feature: 'sentiment_mean_1h', value: 0.6, contribution: 0.3 },
      { feature: 'return_1h', value: null, contribution: -0.1 },
      { feature: 'news_6h', value: 2, contribution: 0.05 },
      { feature: 'volatility_1d', value: 0.01, contribution: 0.05 },
    ];
    const reasons = featureReasons(gbdt(0.7, attributions), 'classifier:gbdt', 0.4);
    expect(reasons.map((r) => r.feature)).toEqual(['gbdt.mentions_1h', 'gbdt.sentiment_mean_1h', 'gbdt.return_1h', 'gbdt.other_features']);
    expect(reasons.reduce((a, r) => a + r.contribution, 0)).toBeCloseTo(0.4, 6);
    expect(reasons[0]!.contribution).toBeCloseTo((0.4 * 0.5) / 0.8, 6);
    expect(reasons[2]!.sentence).toMatch(/return_1h of AAPL at missing pushed the tree ensemble down/);
  });

  it('persona fit: crowd-driven convictions fit a contrarian, strong agreeing ones a risk-averse persona', () => {
    const sources = CONVICTION_INPUTS.map(() => null) as (ModelOutput | null)[];
    const shares = CONVICTION_INPUTS.map(() => 0);
    sources[at('zscore:mentions')] = zscore('mentions', 5, 1);
    shares[at('zscore:mentions')] = 0.4;
    sources[at('classifier:gbdt')] = gbdt(0.7);
    shares[at('classifier:gbdt')] = 0.2;
    const tags = routingTags({ instrument: undefined, ttl: 3600, direction: 'LONG', band: 'STRONG', score: 0.6, sources, shares });
    expect(tags).toEqual(['asset:unknown', 'horizon:intraday', 'anomaly:mentions', 'persona:aggressive', 'persona:contrarian', 'persona:risk-averse', 'direction:long']);
    const neutral = routingTags({ instrument: undefined, ttl: 90_000, direction: 'NEUTRAL', band: 'WEAK', score: 0.05, sources, shares });
    expect(neutral.filter((t) => t.startsWith('persona:'))).toEqual([]);
    expect(neutral).toContain('horizon:swing');
  });
});
