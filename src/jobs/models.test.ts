/**
 * How the shipped bundle's TF.js models (the MLP and the forecaster) score, as the models job configures them:
 * through the TF.js pool in a server, in the calling thread in a process that does not serve, and not at all
 * in a server with TF.js off.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { PooledMlpFeatureModel } from '../engine/ml/models.js';
import { ForecastFeatureModel, MlpFeatureModel } from '../engine/models/tfjs/feature-models.js';
import { configureModels } from './models.js';

function capture() {
  const lines: { level: string; msg: string | undefined; fields: object }[] = [];
  const at = (level: string) => (fields: object, msg?: string) => void lines.push({ level, msg, fields });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const config = (enabled: boolean) => {
  const { models } = loadConfig({ env: {} });
  return { ...models, tfjs: { ...models.tfjs, enabled } };
};

describe("the bundle's TF.js models in configureModels", () => {
  it('scores through the pool in a server', async () => {
    const { log } = capture();
    const models = await configureModels(config(true), { redisPrefix: 't:', log, serving: true });
    try {
      const mlp = models.engine.featureModels().filter((m) => m.modelId.startsWith('MlpClassifier('));
      expect(mlp).toHaveLength(1);
      expect(mlp[0]).toBeInstanceOf(PooledMlpFeatureModel);
      expect(models.ensemble?.unloaded).toEqual([]);
      const forecaster = models.engine.featureModels().find((m) => m.kind === 'forecaster');
      expect(forecaster).toBeInstanceOf(ForecastFeatureModel);
      expect(await forecaster!.score('AAPL', [[0.001]], Date.UTC(2024, 0, 2))).toEqual([expect.objectContaining({ signal: 0 })]);
      const [result] = await mlp[0]!.score('AAPL', [models.engine.featureSet.names.map(() => 0)]);
      expect(result!.score).toBeGreaterThan(0);
      expect(result!.score).toBeLessThan(1);
    } finally {
      await models.tfjs?.close();
    }
  });

  it('scores in the calling thread in a process that does not serve, with no pool', async () => {
    const { log } = capture();
    const models = await configureModels(config(true), { redisPrefix: 't:', log });
    expect(models.tfjs).toBeNull();
    const mlp = models.engine.featureModels().filter((m) => m.modelId.startsWith('MlpClassifier('));
    expect(mlp).toHaveLength(1);
    expect(mlp[0]).toBeInstanceOf(MlpFeatureModel);
    expect(models.engine.featureModels().filter((m) => m.kind === 'forecaster')).toHaveLength(1);
  });

  it('leaves it out of a server with TF.js off, and says so once; the other models still score', async () => {
    const { lines, log } = capture();
    const models = await configureModels(config(false), { redisPrefix: 't:', log, serving: true });
    expect(models.tfjs).toBeNull();
    const ids = models.engine.featureModels().map((m) => m.modelId);
    expect(ids.some((id) => id.startsWith('MlpClassifier('))).toBe(false);
    expect(ids.some((id) => id.startsWith('GBDT('))).toBe(true);
    expect(models.ensemble!.unloaded.map((m) => m.role)).toEqual(['mlp', 'forecaster']);
    expect(ids.some((id) => id.startsWith('GaussianForecaster('))).toBe(false);
    const warned = lines.filter((l) => l.level === 'warn' && /TF\.js models do not score/.test(l.msg ?? ''));
    expect(warned).toHaveLength(1);
  });
});
