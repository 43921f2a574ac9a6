import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { Bocpd, type ChangepointStep, DEFAULT_BOCPD_PARAMS, logGamma } from './bocpd.js';
import { ModelError, type SerializedModel } from './model.js';

/** Gaussian noise with the given mean and standard deviation at each index. */
function series(seed: number, n: number, mean: (i: number) => number, std: (i: number) => number = () => 1): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, (_, i) => mean(i) + std(i) * random.normal());
}

/**
 * The detection rule these tests use: an alarm when the MAP run length falls to at most `NEAR` observations from
 * a longer one, i.e. the detector now believes the current run began within the last few observations. The
 * first `WARMUP` observations are skipped, where every run is short.
 */
const NEAR = 10;
const WARMUP = 20;

function run(detector: Bocpd, xs: readonly number[]): ChangepointStep[] {
  return xs.map((x) => detector.update(x));
}

function alarms(steps: readonly ChangepointStep[]): ChangepointStep[] {
  return steps.filter((s, i) => i >= WARMUP && s.mapRunLength <= NEAR && s.mapRunLength < (steps[i - 1] as ChangepointStep).mapRunLength);
}

/** The first alarm at or after `change`, within `window` observations. */
function detection(steps: readonly ChangepointStep[], change: number, window: number): ChangepointStep | undefined {
  return alarms(steps).find((s) => s.t - 1 >= change && s.t - 1 <= change + window);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelError) return err.code;
    throw err;
  }
  return undefined;
}

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(10.5)).toBeCloseTo(13.940625219403763, 12);
    expect(logGamma(200)).toBeCloseTo(857.9336698258575, 9);
  });
});

describe('Bocpd', () => {
  it('follows the exact recursion of Adams & MacKay (checked against a direct computation)', () => {
    const xs = series(21, 60, (i) => (i < 30 ? 0 : 2.5));
    const p = { ...DEFAULT_BOCPD_PARAMS, mu0: 0.3, kappa0: 0.5, alpha0: 1.5, beta0: 2 };
    const detector = new Bocpd(p);
    const reference = referenceRunLengths(xs, p);
    xs.forEach((x, t) => {
      detector.update(x);
      const got = detector.runLengthDistribution();
      const want = reference[t] as number[];
      expect(got.length).toBe(want.length);
      want.forEach((w, r) => expect(got[r]).toBeCloseTo(w, 10));
    });
  });

  it('drops its MAP run length to near 0 within a few steps of each 3σ mean shift, at the right place', () => {
    const changes = [200, 400, 600];
    for (const seed of [1, 2, 3, 4, 5]) {
      const xs = series(seed, 800, (i) => (i < 200 ? 0 : i < 400 ? 3 : i < 600 ? 0 : 3));
      const steps = run(new Bocpd(), xs);
      for (const change of changes) {
        const hit = detection(steps, change, 10);
        expect(hit, `seed ${seed}, change at ${change}`).toBeDefined();
        // A first guess may sit a few points off (an old-regime outlier just before the change); ten steps
        // after the change the most probable run begins at it.
        expect(Math.abs((hit as ChangepointStep).runStart - change)).toBeLessThanOrEqual(5);
        expect(Math.abs((steps[change + 10] as ChangepointStep).runStart - change)).toBeLessThanOrEqual(2);
        // Mass moves to short runs as soon as the new regime is recognized.
        const soon = steps.slice(change, change + DEFAULT_BOCPD_PARAMS.shortRunLength);
        expect(Math.max(...soon.map((s) => s.shortRunProbability))).toBeGreaterThan(0.3);
      }
      const elsewhere = alarms(steps).filter((s) => !changes.some((c) => s.t - 1 >= c && s.t - 1 <= c + 10));
      expect(elsewhere.length, `seed ${seed}`).toBeLessThanOrEqual(2);
      // Well after a change the predictive has moved to the new mean.
      expect(steps[449]?.predictiveMean).toBeCloseTo(0, 0);
      expect(steps[249]?.predictiveMean).toBeCloseTo(3, 0);
    }
  });

  it('raises at most two false alarms on a stationary stretch of 1000 points, past maxRunLength', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const steps = run(new Bocpd(), series(seed, 1000, () => 0));
      expect(alarms(steps).length, `seed ${seed}`).toBeLessThanOrEqual(2);
      const settled = steps.slice(WARMUP);
      const meanShort = settled.reduce((a, s) => a + s.shortRunProbability, 0) / settled.length;
      expect(meanShort).toBeLessThan(0.05);
      expect(settled.filter((s) => s.shortRunProbability > 0.5).length).toBeLessThanOrEqual(2);
      // Runs longer than maxRunLength are kept in the top slot, so the MAP run length rests there.
      const last = steps.at(-1) as ChangepointStep;
      expect(last.mapRunLength).toBe(DEFAULT_BOCPD_PARAMS.maxRunLength);
      expect(last.predictiveMean).toBeCloseTo(0, 0);
      expect(last.predictiveStd).toBeGreaterThan(0.85);
      expect(last.predictiveStd).toBeLessThan(1.15);
    }
  });

  it('reports P(r_t = 0) equal to the hazard, which is why shortRunProbability is the signal', () => {
    const steps = run(new Bocpd(), series(7, 300, (i) => (i < 150 ? 0 : 4)));
    for (const s of steps) expect(s.changepointProbability).toBeCloseTo(1 / 250, 12);
  });

  it('detects a change of variance', () => {
    for (const seed of [31, 32, 33]) {
      const xs = series(seed, 600, () => 0, (i) => (i < 300 ? 1 : 3));
      const steps = run(new Bocpd(), xs);
      const hit = detection(steps, 300, 10);
      expect(hit, `seed ${seed}`).toBeDefined();
      expect(alarms(steps.slice(0, 300)).length).toBeLessThanOrEqual(1);
      expect(steps[599]?.predictiveStd).toBeGreaterThan(2.5);
    }
  });

  it('keeps at most maxRunLength + 1 run lengths, as a normalized distribution', () => {
    const detector = new Bocpd({ maxRunLength: 20 });
    const steps = run(detector, series(4, 100, () => 0));
    const dist = detector.runLengthDistribution();
    expect(dist.length).toBe(21);
    expect(dist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const s of steps) expect(s.mapRunLength).toBeLessThanOrEqual(20);
    expect(steps.at(-1)?.t).toBe(100);
  });

  it('continues identically after a serialize → JSON → deserialize round trip', () => {
    const xs = series(9, 900, (i) => (i < 300 ? 0 : i < 700 ? 2 : -1), (i) => (i < 500 ? 1 : 0.5));
    const original = new Bocpd({ hazardLambda: 100, maxRunLength: 200 });
    run(original, xs.slice(0, 550));
    const artifact = JSON.parse(JSON.stringify(original.serialize())) as SerializedModel;
    const restored = Bocpd.deserialize(artifact);
    expect(restored.name).toBe(original.name);
    expect(restored.t).toBe(550);
    expect(run(restored, xs.slice(550))).toEqual(run(original, xs.slice(550)));
    expect(restored.serialize()).toEqual(original.serialize());
  });

  it('starts over on reset, exactly as a new detector', () => {
    const xs = series(10, 200, (i) => (i < 100 ? 0 : 3));
    const detector = new Bocpd();
    run(detector, xs);
    detector.reset();
    expect(detector.t).toBe(0);
    expect(run(detector, xs)).toEqual(run(new Bocpd(), xs));
  });

  it('names itself with its parameters and refuses bad input and artifacts with typed errors', () => {
    const detector = new Bocpd();
    expect(detector.kind).toBe('changepoint');
    expect(detector.name).toBe('Bocpd(lambda=250,mu0=0,kappa0=1,alpha0=2,beta0=1,maxRun=500,k=5)');

    run(detector, [0.1, -0.2, 0.3]);
    const before = detector.serialize();
    for (const bad of [Number.NaN, Infinity, -Infinity, 1e200, '1' as unknown as number]) {
      expect(codeOf(() => detector.update(bad))).toBe('MODEL_INPUT_INVALID');
    }
    expect(detector.serialize()).toEqual(before);

    expect(codeOf(() => new Bocpd({ hazardLambda: 1 }))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => new Bocpd({ alpha0: 1 }))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => new Bocpd({ maxRunLength: 0 }))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => new Bocpd({ shortRunLength: 600 }))).toBe('MODEL_INPUT_INVALID');

    const bad = (over: Partial<SerializedModel>, state: Record<string, unknown> = {}): string | undefined =>
      codeOf(() => Bocpd.deserialize({ ...before, ...over, state: { ...before.state, ...state } }));
    expect(bad({ type: 'IsolationForest' })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({ formatVersion: 99 })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({ params: { ...before.params, kappa0: -1 } })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { t: 1 })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { mu: before.state.beta.slice(0, 8) })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { logProbabilities: before.state.mu })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { beta: undefined })).toBe('MODEL_ARTIFACT_INVALID');
    expect(Bocpd.deserialize(before).update(0.4)).toEqual(detector.update(0.4));
  });
});

/**
 * The run-length posterior of every step, computed directly: probabilities (not logs), no truncation, and each
 * run's Normal-Inverse-Gamma posterior rebuilt from its own observations rather than updated in place.
 */
function referenceRunLengths(xs: readonly number[], p: typeof DEFAULT_BOCPD_PARAMS): number[][] {
  const h = 1 / p.hazardLambda;
  const predictive = (x: number, window: readonly number[]): number => {
    const n = window.length;
    const mean = n === 0 ? 0 : window.reduce((a, b) => a + b, 0) / n;
    const ss = window.reduce((a, b) => a + (b - mean) ** 2, 0);
    const kappa = p.kappa0 + n;
    const mu = (p.kappa0 * p.mu0 + n * mean) / kappa;
    const alpha = p.alpha0 + n / 2;
    const beta = p.beta0 + ss / 2 + (p.kappa0 * n * (mean - p.mu0) ** 2) / (2 * kappa);
    const nu = 2 * alpha;
    const scale2 = (beta * (kappa + 1)) / (alpha * kappa);
    const logC = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI * scale2);
    return Math.exp(logC - ((nu + 1) / 2) * Math.log(1 + (x - mu) ** 2 / (nu * scale2)));
  };
  let dist = [1];
  const out: number[][] = [];
  xs.forEach((x, t) => {
    const joint = dist.map((w, r) => w * predictive(x, xs.slice(t - r, t)));
    const next = [joint.reduce((a, b) => a + b, 0) * h, ...joint.map((j) => j * (1 - h))];
    const z = next.reduce((a, b) => a + b, 0);
    dist = next.map((v) => v / z);
    out.push(dist);
  });
  return out;
}
