import { describe, expect, it } from 'vitest';
import { decodeFloat64, encodeFloat64, ModelError, modelName } from './model.js';

describe('model helpers', () => {
  it('names a model with its parameters in order', () => {
    expect(modelName('IsolationForest', { trees: 100, sample: 256, seed: 7 })).toBe('IsolationForest(trees=100,sample=256,seed=7)');
  });

  it('round-trips float64 arrays exactly, and refuses a torn one', () => {
    const values = [0, -0.1, 1e-300, Math.PI, Number.MAX_VALUE, -Infinity];
    expect([...decodeFloat64(encodeFloat64(values))]).toEqual(values);
    expect(() => decodeFloat64(Buffer.from([1, 2, 3]).toString('base64'))).toThrow(ModelError);
  });
});
