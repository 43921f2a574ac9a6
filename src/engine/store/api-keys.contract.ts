/** What every API key repository must do; run on PGlite (api-keys.pglite.test.ts) and PostgreSQL (test/security.auth.postgres.test.ts). */
import { describe, expect, it } from 'vitest';
import type { ApiKeyRepository } from './api-keys.repo.js';

const HASH = 'a'.repeat(64);
const T0 = Date.UTC(2026, 0, 5, 12);

export function apiKeyRepositoryContract(name: string, open: () => Promise<ApiKeyRepository>): void {
  describe(`API key repository: ${name}`, () => {
    it('stores a key with its roles and reads it back, oldest first in the list', async () => {
      const repo = await open();
      const a = await repo.create({ id: 'aaaa00000001', name: 'dashboard', roles: ['VIEWER'], secretHash: HASH, createdAt: T0 });
      await repo.create({ id: 'aaaa00000002', name: 'desk', roles: ['EXECUTOR', 'ALPHA'], secretHash: 'b'.repeat(64), createdAt: T0 + 1 });
      expect(a).toEqual({ id: 'aaaa00000001', name: 'dashboard', roles: ['VIEWER'], secretHash: HASH, createdAt: T0, lastUsedAt: null, revokedAt: null });
      expect(await repo.get('aaaa00000002')).toMatchObject({ name: 'desk', roles: ['EXECUTOR', 'ALPHA'] });
      expect((await repo.list()).map((k) => k.id).slice(-2)).toEqual(['aaaa00000001', 'aaaa00000002']);
      expect(await repo.get('nope')).toBeNull();
    });

    it('refuses a taken id, an unknown role, no role and a malformed hash', async () => {
      const repo = await open();
      await repo.create({ id: 'bbbb00000001', name: 'x', roles: ['MARKETS'], secretHash: HASH, createdAt: T0 });
      await expect(repo.create({ id: 'bbbb00000001', name: 'y', roles: ['MARKETS'], secretHash: HASH, createdAt: T0 })).rejects.toThrow(/already exists/);
      await expect(repo.create({ id: 'bbbb00000002', name: 'y', roles: ['ROOT'], secretHash: HASH, createdAt: T0 })).rejects.toThrow();
      await expect(repo.create({ id: 'bbbb00000003', name: 'y', roles: [], secretHash: HASH, createdAt: T0 })).rejects.toThrow();
      await expect(repo.create({ id: 'bbbb00000004', name: 'y', roles: ['MARKETS'], secretHash: 'not-hex', createdAt: T0 })).rejects.toThrow();
      expect(await repo.get('bbbb00000002')).toBeNull();
    });

    it('revokes once (the first time stays) and counts only live keys', async () => {
      const repo = await open();
      const before = await repo.countActive();
      await repo.create({ id: 'cccc00000001', name: 'x', roles: ['ALPHA'], secretHash: HASH, createdAt: T0 });
      expect(await repo.countActive()).toBe(before + 1);
      expect(await repo.revoke('cccc00000001', T0 + 10)).toBe(true);
      expect(await repo.revoke('cccc00000001', T0 + 20)).toBe(true);
      expect((await repo.get('cccc00000001'))!.revokedAt).toBe(T0 + 10);
      expect(await repo.countActive()).toBe(before);
      expect(await repo.revoke('cccc0000dead', T0)).toBe(false);
    });

    it('records uses at most once a minimum interval', async () => {
      const repo = await open();
      await repo.create({ id: 'dddd00000001', name: 'x', roles: ['ALPHA'], secretHash: HASH, createdAt: T0 });
      await repo.touch('dddd00000001', T0 + 1000, 60_000);
      await repo.touch('dddd00000001', T0 + 30_000, 60_000);
      expect((await repo.get('dddd00000001'))!.lastUsedAt).toBe(T0 + 1000);
      await repo.touch('dddd00000001', T0 + 62_000, 60_000);
      expect((await repo.get('dddd00000001'))!.lastUsedAt).toBe(T0 + 62_000);
    });
  });
}
