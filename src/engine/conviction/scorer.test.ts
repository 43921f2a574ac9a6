import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { canonicalJson } from '../canonical.js';
import { TestClock } from '../clock.js';
import type { AnomalySeries, Instrument, ModelScored } from '../types.js';
import { bandOf, directionOf } from './bands.js';
import { ConvictionScorer } from './scorer.js';

const MIN = 60_000;
const t0 = Date.UTC(2024, 0, 2, 15, 0);
const AAPL: Instrument = { symbol: 'AAPL', name: 'Apple', assetClass: 'equity', sector: 'Technology', venue: 'XNAS' };

function output(id: string, series: AnomalySeries, score: number, polarity: number, t = t0, horizonMs = 30 * MIN): ModelScored {
  return {
    id,
    type: 'ModelScored',
    tsEvent: t,
    tsInit: t,
    causationIds: [`enr_${id}_a`, `enr_${id}_b`],
    payload: { modelId: 'ZScore(window=60,min=20,threshold=2)', modelVersion: '1', instrument: 'AAPL', series, value: 10, mean: 2, std: 2, score, polarity, horizonMs },
  };
}

function scorer(clock = new TestClock(t0)) {
  const bus = new CaptureBus();
  return { bus, stage: new ConvictionScorer(bus, clock, (s) => (s === 'AAPL' ? AAPL : undefined)) };
}

describe('ConvictionScorer', () => {
  it('turns a bullish insider anomaly into a long conviction with every field of the vector', async () => {
    const { bus, stage } = scorer();
    await stage.handle(output('m1', 'insider', 4, 1, t0, 24 * 60 * MIN));
    const [event] = bus.on(Topics.convictions);
    const v = event!.payload;
    expect(v.id).toBe(event!.id);
    expect(v.signalId).toBe('enr_m1_b');
    expect(v.instrument).toBe('AAPL');
    expect(v.convictionScore).toBeCloseTo(Math.tanh(1.5 * 0.5 * Math.tanh(1)), 6);
    expect(v.direction).toBe('LONG');
    expect(v.band).toBe(bandOf(v.convictionScore));
    expect(v.ttl).toBe(24 * 3600);
    expect(v.expiresAt).toBe(t0 + 24 * 3600 * 1000);
    expect(v.createdAt).toBe(t0);
    expect(v.routingTags).toEqual(['asset:equity', 'sector:technology', 'horizon:swing', 'anomaly:insider', 'insider', 'persona:aggressive', 'direction:long']);
    expect(v.contributingModels).toEqual([
      { modelId: 'ZScore(window=60,min=20,threshold=2):insider', version: '1', weight: 0.5, output: 4 },
      { modelId: 'PriorWeights(gain=1.5)', version: '1', weight: 1, output: v.convictionScore },
    ]);
    expect(v.reasonVector[0]!.sentence).toMatch(/Insiders bought \$10 of AAPL/);
    expect(v.explanation).toMatch(/^(Strong|Moderate) long conviction on AAPL/);
    expect(event!.causationIds).toEqual(['m1']);
  });

  it('combines active evidence; reasons add up to the score and are ordered by weight', async () => {
    const { bus, stage } = scorer();
    await stage.handle(output('m1', 'mentions', 5, 0.9));
    await stage.handle(output('m2', 'volume', 3, -0.4, t0 + MIN));
    const v = bus.on(Topics.convictions)[1]!.payload;
    const sum = v.reasonVector.reduce((a, r) => a + r.contribution, 0);
    expect(sum).toBeCloseTo(v.convictionScore, 5);
    expect(v.reasonVector.map((r) => r.feature)).toEqual(['mentions.zscore', 'volume.zscore']);
    expect(v.reasonVector[1]!.contribution).toBeLessThan(0);
    expect(v.convictionScore).toBeGreaterThan(0);
    expect(bus.on(Topics.convictions)[1]!.causationIds).toEqual(['m1', 'm2']);
  });

  it('drops evidence past its horizon', async () => {
    const { bus, stage } = scorer();
    await stage.handle(output('m1', 'mentions', 6, 1, t0, 10 * MIN));
    await stage.handle(output('m2', 'news', 3, -1, t0 + 11 * MIN));
    const v = bus.on(Topics.convictions)[1]!.payload;
    expect(v.reasonVector.map((r) => r.feature)).toEqual(['news.zscore']);
    expect(v.direction).toBe('SHORT');
  });

  it('gives a byte-identical vector for the same inputs and clock', async () => {
    const run = async () => {
      const { bus, stage } = scorer();
      await stage.handle(output('m1', 'whale', 3.5, -1));
      await stage.handle(output('m2', 'mentions', 2.5, 0.3));
      return canonicalJson(bus.published);
    };
    expect(await run()).toBe(await run());
  });

  it('maps scores to directions and bands at the documented edges', () => {
    expect([directionOf(0.09), directionOf(0.1), directionOf(-0.1)]).toEqual(['NEUTRAL', 'LONG', 'SHORT']);
    expect([bandOf(0.2), bandOf(-0.3), bandOf(0.6), bandOf(-0.8)]).toEqual(['WEAK', 'MODERATE', 'STRONG', 'EXTREME']);
  });
});
