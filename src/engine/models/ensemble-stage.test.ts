import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import { LogisticStacker } from '../conviction/stacker.js';
import { CLEAN_ANNOTATIONS } from '../enrich/annotations.js';
import type { FeaturesComputed, SignalEnriched } from '../types.js';
import { bundledModel, loadBundle, type ModelBundle } from './bundle.js';
import { EnsembleStage } from './ensemble-stage.js';
import { type FeatureModel, type FeatureModelResult, GbdtFeatureModel, rowOf } from './feature-models.js';
import { GradientBoostedTrees } from './gbdt.js';
import { clusterStrength, GraphStructureModel } from './graph-model.js';
import { IsolationForest } from './isolation-forest.js';

const MIN = 60_000;
const T = Date.UTC(2024, 0, 2, 14, 0);
const HOUR = 60 * MIN;

function snapshot(id: string, asOf: number, values: Record<string, number | null>, instrument = 'AAPL'): FeaturesComputed {
  return { id, type: 'FeaturesComputed', tsEvent: asOf, tsInit: asOf, causationIds: [`enr_${id}`], payload: { instrument, asOf, featureSetVersion: 'fs-x', values, trigger: 'social_mention' } };
}

/** A model whose signal is the snapshot's `x`, so each test says exactly what the model sees. */
class EchoModel implements FeatureModel {
  readonly modelId = 'Echo(x=1)';
  readonly version = 'v1';
  readonly kind = 'classifier' as const;
  readonly features = ['x'];
  readonly horizonMs = HOUR;
  async score(_: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    return rows.map((r) => ({ signal: r[0]!, score: r[0]!, summary: 'echo' }));
  }
}

describe('EnsembleStage', () => {
  it('publishes when the level rises or the lean flips; falling lowers the mark; a standing view is renewed at half its horizon', async () => {
    const bus = new CaptureBus();
    const stage = new EnsembleStage(bus, new TestClock(T), () => [new EchoModel()], { levelStep: 0.2 });
    const xs: [number, number][] = [
      [0.1, 0], // level 0: silent
      [0.25, 1], // level 1: published
      [0.3, 2], // still level 1: silent
      [0.45, 3], // level 2: published
      [0.21, 4], // falls to 1: silent, mark lowered
      [0.41, 5], // back to 2: published
      [-0.41, 6], // flips: published
      [-0.41, 40], // half the horizon later: renewed
    ];
    for (const [x, minute] of xs) await stage.handle(snapshot(`s${minute}`, T + minute * MIN, { x }));
    const out = bus.on(Topics.modelOutputs);
    expect(out.map((e) => e.causationIds[0])).toEqual(['s1', 's3', 's5', 's6', 's40']);
    expect(out[0]!.causationIds).toEqual(['s1', 'enr_s1']);
    expect(out[0]!.payload).toMatchObject({ modelId: 'Echo(x=1)', modelVersion: 'v1', series: 'features', signal: 0.25, horizonMs: HOUR, summary: 'echo' });
  });

  it('runs a fitted tree ensemble and attaches its TreeSHAP attributions, which add up to its margin', async () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 600; i++) {
      const a = Math.sin(i * 1.7);
      const b = Math.cos(i * 2.3);
      X.push([a, b]);
      y.push(a > 0 ? 1 : 0);
    }
    const trees = new GradientBoostedTrees({ rounds: 40, maxDepth: 2, seed: 1 });
    trees.fit(X, y, { featureNames: ['a', 'b'] });
    const model = new GbdtFeatureModel(trees, 'v9', ['a', 'b'], HOUR);
    const [r] = await model.score('AAPL', [rowOf({ a: 0.9, b: null }, ['a', 'b'])]);
    expect(r!.signal).toBeGreaterThan(0.5);
    expect(r!.attributions![0]!.feature).toBe('a');
    expect(r!.attributions!.find((f) => f.feature === 'b')!.value).toBeNull();
    const margin = trees.predictMargin([0.9, Number.NaN]);
    const { expectedMargin } = await import('./treeshap.js');
    expect(expectedMargin(trees) + r!.attributions!.reduce((s, f) => s + f.contribution, 0)).toBeCloseTo(margin, 4);
  });
});

describe('GraphStructureModel', () => {
  const cluster = (insiders: number, totalValue: number, retracts = false): SignalEnriched => ({
    id: `enr_c${insiders}${retracts}`,
    type: 'SignalEnriched',
    tsEvent: T,
    tsInit: T,
    causationIds: [],
    payload: {
      source: 'entities.insider-cluster',
      kind: 'insider_cluster',
      instrument: 'AAPL',
      externalId: 'c',
      body: { insiders, totalValue },
      contentHash: 'h',
      polarity: 1,
      magnitude: totalValue,
      ...(retracts ? { retracts } : {}),
      ...CLEAN_ANNOTATIONS,
    },
  });

  it('scores clusters by distinct buyers and dollars, and a retraction as zero', async () => {
    const bus = new CaptureBus();
    const model = new GraphStructureModel(bus, new TestClock(T));
    await model.handle(cluster(3, 1_200_000));
    await model.handle(cluster(3, 1_200_000, true));
    const [first, retracted] = bus.on(Topics.modelOutputs);
    expect(first!.payload).toMatchObject({ series: 'insider_cluster', signal: clusterStrength(3, 1_200_000), horizonMs: 24 * HOUR });
    expect(first!.payload.summary).toMatch(/3 insiders of AAPL bought \$1\.2M/);
    expect(retracted!.payload.signal).toBe(0);
    expect(clusterStrength(1, 5e6)).toBe(0);
    expect(clusterStrength(4, 5e6)).toBeGreaterThan(clusterStrength(2, 5e6));
    expect(clusterStrength(3, 1e7)).toBeCloseTo(Math.tanh(1), 12);
  });
});

describe('model bundles', () => {
  function bundle(): ModelBundle {
    const trees = new GradientBoostedTrees({ rounds: 5, seed: 1 });
    trees.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { featureNames: ['x'] });
    const forest = new IsolationForest({ trees: 5, sampleSize: 4, seed: 1 }).fit([[0], [1], [2], [3]]);
    const stacker = new LogisticStacker({ inputs: ['classifier:gbdt'] }).fit([[1], [-1], [0.5], [-0.5]], [1, 0, 1, 0]);
    return {
      formatVersion: 1,
      featureSetVersion: 'fs-x',
      features: ['x'],
      horizonMs: HOUR,
      training: {},
      metrics: {},
      models: [bundledModel('gbdt', trees), bundledModel('isolation_forest', forest), bundledModel('stacker', stacker)],
    };
  }

  it('restores every model exactly, with versions from the artifact hashes', async () => {
    const b = bundle();
    const loaded = loadBundle(JSON.parse(JSON.stringify(b)) as ModelBundle);
    expect(loaded.featureModels.map((m) => m.kind)).toEqual(['classifier', 'anomaly']);
    expect(loaded.featureModels[0]!.version).toBe(b.models[0]!.artifactHash.slice(0, 12));
    expect(loaded.combiner!.version).toBe(b.models[2]!.version);
    const [r] = await loaded.featureModels[0]!.score('AAPL', [[2.5]]);
    const original = GradientBoostedTrees.deserialize(b.models[0]!.artifact);
    expect(r!.score).toBe(original.predictProba([2.5]));
  });

  it('refuses an artifact that does not match its hash, and an unknown format', () => {
    const b = bundle();
    const tampered = { ...b, models: [{ ...b.models[0]!, artifactHash: '0'.repeat(64) }] };
    expect(() => loadBundle(tampered)).toThrow(expect.objectContaining({ code: 'MODEL_ARTIFACT_INVALID' }));
    expect(() => loadBundle({ ...b, formatVersion: 99 })).toThrow(/format 99/);
  });
});
