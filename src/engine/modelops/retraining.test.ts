import { describe, expect, it } from 'vitest';
import { MemoryModelRegistry } from './registry.js';
import { decisionTimeAt, planRetrain, Retrainer, type RetrainSchedule, type Trainer, type TrainingRequest } from './retraining.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const MODEL = 'GBDT(test)';
const SCHEDULE: RetrainSchedule = { model: MODEL, everyMs: 7 * DAY, windowMs: 28 * DAY, labelHorizonMs: DAY, anchor: T0, featureSetVersion: 'fs-test' };

/** Hourly rows up to day 120; reading any stamped after the request's `asOf`, or outside its window, fails. */
function fakeTrainer() {
  const rows = Array.from({ length: 120 * 24 }, (_, h) => ({ ts: T0 - 60 * DAY + h * 3_600_000, x: Math.sin(h) }));
  const requests: TrainingRequest[] = [];
  let latestRead = Number.NEGATIVE_INFINITY;
  const trainer: Trainer = async (request) => {
    requests.push(request);
    const used = rows.filter((r) => r.ts >= request.window.from && r.ts < request.window.to);
    for (const r of used) {
      if (r.ts > request.asOf) throw new Error(`read a row at ${r.ts} after ${request.asOf}`);
      latestRead = Math.max(latestRead, r.ts);
    }
    const mean = used.reduce((a, r) => a + r.x, 0) / used.length;
    return { version: `v${requests.length}`, artifactHash: null, metrics: { rows: used.length, mean } };
  };
  return { trainer, requests, latestRead: () => latestRead };
}

describe('rolling retraining', () => {
  it('retrains on a fixed grid, on windows that roll and never reach past the decision time', async () => {
    const registry = new MemoryModelRegistry();
    const fake = fakeTrainer();
    const retrainer = new Retrainer(registry, fake.trainer, SCHEDULE);
    const results = [];
    // The job runs at 09:00 every day for 30 days; a model never trained trains at the first run, on the grid point before it.
    for (let day = 1; day <= 30; day++) {
      const now = T0 + day * DAY + 9 * 3_600_000;
      const result = await retrainer.runIfDue(now);
      if (result) {
        results.push(result);
        expect(result.plan.window.to).toBeLessThanOrEqual(result.plan.decisionTime);
        expect(result.plan.decisionTime).toBeLessThanOrEqual(now);
        expect(fake.latestRead()).toBeLessThan(result.plan.decisionTime - SCHEDULE.labelHorizonMs);
        // The first version goes live; each later one lands in shadow.
        if (results.length === 1) await registry.setAlias(result.version.record.id, 'live', { actor: 'ops', reason: 'first', at: now });
      }
    }
    expect(results.map((r) => (r.plan.decisionTime - T0) / DAY)).toEqual([0, 7, 14, 21, 28]);
    expect(results.map((r) => [(r.plan.window.from - T0) / DAY, (r.plan.window.to - T0) / DAY])).toEqual([
      [-29, -1],
      [-22, 6],
      [-15, 13],
      [-8, 20],
      [-1, 27],
    ]);
    expect(fake.requests.every((r) => r.asOf === r.decisionTime && r.featureSetVersion === 'fs-test')).toBe(true);
    expect(fake.requests.every((r) => r.window.to - r.window.from === 28 * DAY)).toBe(true);
  });

  it('lands the new version in shadow with its parent, window and decision time, and says why', async () => {
    const registry = new MemoryModelRegistry();
    const retrainer = new Retrainer(registry, fakeTrainer().trainer, SCHEDULE);
    const first = (await retrainer.runIfDue(T0 + 7 * DAY))!;
    expect(first.version.alias).toBe('shadow');
    expect(first.version.record.parentVersion).toBeNull();
    await registry.setAlias(first.version.record.id, 'live', { actor: 'ops', reason: 'first', at: T0 + 8 * DAY });
    const second = (await retrainer.runIfDue(T0 + 14 * DAY))!;
    expect(second.version).toMatchObject({
      alias: 'shadow',
      record: { version: 'v2', parentVersion: 'v1', trainedAsOf: T0 + 14 * DAY, featureSetVersion: 'fs-test', trainingWindow: second.plan.window },
    });
    expect(second.version.record.metrics.rows).toBe(28 * 24);
    expect(second.event).toMatchObject({ type: 'ModelVersionRegistered', causationIds: [second.plan.id], tsEvent: T0 + 14 * DAY });
    expect((await registry.liveAt(MODEL, T0 + 20 * DAY))?.record.version).toBe('v1');
  });

  it('is not due again for the same decision time, and trains once after missed periods, on the latest window', async () => {
    const registry = new MemoryModelRegistry();
    const fake = fakeTrainer();
    const retrainer = new Retrainer(registry, fake.trainer, SCHEDULE);
    await retrainer.runIfDue(T0 + 7 * DAY);
    expect(await retrainer.runIfDue(T0 + 7 * DAY + 5)).toBeNull();
    expect(await retrainer.due(T0 + 13 * DAY)).toBeNull();
    const late = (await retrainer.runIfDue(T0 + 30 * DAY))!;
    expect((late.plan.decisionTime - T0) / DAY).toBe(28);
    expect(fake.requests).toHaveLength(2);
  });

  it('plans purely from the versions it is given', () => {
    const plan = planRetrain(SCHEDULE, T0 + 7 * DAY + 1, [], null)!;
    expect(plan).toMatchObject({ model: MODEL, decisionTime: T0 + 7 * DAY, parentVersion: null, window: { from: T0 - 22 * DAY, to: T0 + 6 * DAY } });
    expect(planRetrain(SCHEDULE, T0 + 7 * DAY + 1, [], null)).toEqual(plan);
    expect(decisionTimeAt({ ...SCHEDULE, anchor: undefined }, 7 * DAY + 3)).toBe(7 * DAY);
  });

  it('refuses a schedule or a trainer answer it cannot use', async () => {
    expect(() => new Retrainer(new MemoryModelRegistry(), fakeTrainer().trainer, { ...SCHEDULE, everyMs: 0 })).toThrow(
      expect.objectContaining({ code: 'RETRAIN_INVALID' }),
    );
    const broken = new Retrainer(new MemoryModelRegistry(), async () => ({ version: '', artifactHash: null, metrics: {} }), SCHEDULE);
    await expect(broken.runIfDue(T0 + 7 * DAY)).rejects.toMatchObject({ code: 'RETRAIN_INVALID' });
  });
});
