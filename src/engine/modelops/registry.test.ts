import { describe, expect, it } from 'vitest';
import { changeAlias, EMPTY_ALIASES, liveAt, registerVersion } from './aliases.js';
import { modelRegistryContract, reinforcementStateContract } from './registry.contract.js';
import { MemoryModelRegistry } from './registry.js';
import { MemoryModelOpsStore } from './store.js';

modelRegistryContract('memory', () => new MemoryModelRegistry());
reinforcementStateContract('memory', () => new MemoryModelOpsStore());

describe('alias state', () => {
  it('is immutable: a change returns a new state and leaves the old one as it was', () => {
    const meta = { actor: 'ops', reason: 'r', at: 10 };
    const input = { model: 'M', version: '1', parentVersion: null, featureSetVersion: null, trainingWindow: null, trainedAsOf: null, artifactHash: null, metrics: {} };
    const s1 = registerVersion(EMPTY_ALIASES, input, meta).state;
    const s2 = changeAlias(s1, 'M@1', 'live', { ...meta, at: 20 }).state;
    expect(s1.versions.get('M@1')!.alias).toBe('shadow');
    expect(s2.versions.get('M@1')!.alias).toBe('live');
    expect(liveAt(s1, 'M', 30)).toBeNull();
    expect(liveAt(s2, 'M', 30)).toBe('M@1');
    expect(EMPTY_ALIASES.versions.size).toBe(0);
  });
});
