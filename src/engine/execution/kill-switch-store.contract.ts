/** What every KillSwitchStore must do. `make` gives a fresh, empty store per test. */
import { expect, it } from 'vitest';
import { GLOBAL_SCOPE, scopeKey, type KillSwitchScope, type KillSwitchState, type KillSwitchStore } from './kill-switch-store.js';
import { T0 } from './testing/fixtures.js';

const state = (scope: KillSwitchScope, engaged: boolean, changedAt = T0): KillSwitchState => ({
  key: scopeKey(scope),
  scope,
  engaged,
  actor: 'admin',
  reason: 'test',
  changedAt,
});

export function killSwitchStoreContract(name: string, make: () => KillSwitchStore | Promise<KillSwitchStore>): void {
  it(`${name}: stores one row per scope, the last write winning`, async () => {
    const store = await make();
    expect(await store.get('global')).toBeNull();
    await store.put(state(GLOBAL_SCOPE, true));
    await store.put(state(GLOBAL_SCOPE, false, T0 + 1));
    expect(await store.get('global')).toEqual(state(GLOBAL_SCOPE, false, T0 + 1));
    expect(await store.list()).toHaveLength(1);
  });

  it(`${name}: lists every switch by key and the engaged ones alone`, async () => {
    const store = await make();
    await store.put(state({ kind: 'venue', id: 'paper' }, true));
    await store.put(state({ kind: 'vault', id: 'v1' }, false));
    await store.put(state(GLOBAL_SCOPE, true));
    expect((await store.list()).map((s) => s.key)).toEqual(['global', 'vault:v1', 'venue:paper']);
    expect((await store.engaged()).map((s) => s.key)).toEqual(['global', 'venue:paper']);
    expect((await store.get('venue:paper'))?.scope).toEqual({ kind: 'venue', id: 'paper' });
  });

  it(`${name}: refuses a key that does not match its scope`, async () => {
    const store = await make();
    await expect(store.put({ ...state(GLOBAL_SCOPE, true), key: 'vault:v1' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
}
