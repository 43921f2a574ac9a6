import { describe, expect, it } from 'vitest';
import type { ResolverData } from 'type-graphql';
import { type Principal, Role } from '../roles.js';
import { MASK, MaskAuthorHandles, maskAuthorHandles, MaskLabelAttrs, maskStringUnless, maskTail, MaskWalletLabel, ACCOUNT_ID_ROLES } from './masking.js';

const as = (...roles: Role[]): Principal => ({ id: 'p', name: 'p', roles, via: 'api-key' });

/** Runs a field middleware over `value` as `principal` would see it, for an object `root`. */
async function run(mw: typeof MaskWalletLabel, value: unknown, principal: Principal | null, root: unknown = {}): Promise<unknown> {
  const data = { root, args: {}, context: { principal }, info: {} } as unknown as ResolverData<{ principal: Principal | null }>;
  return mw(data, async () => value);
}

describe('masking', () => {
  it('keeps the last 4 characters of long values and nothing of short ones', () => {
    expect(maskTail('paper-0123456789abcdef')).toBe(`${MASK}cdef`);
    expect(maskTail('abcd')).toBe(MASK);
    expect(maskTail('')).toBe(MASK);
  });

  it('masks author handles at the top of a body and inside user/author objects, leaving the rest', () => {
    const body = { author: 'quant_whale', text: '$AAPL to the moon', followers: 12, user: { screen_name: 'qwhale_x', followers_count: 3 }, name: 'feed' };
    expect(maskAuthorHandles(body)).toEqual({
      author: `${MASK}hale`,
      text: '$AAPL to the moon',
      followers: 12,
      user: { screen_name: `${MASK}le_x`, followers_count: 3 },
      name: 'feed',
    });
    expect(body.author).toBe('quant_whale');
  });

  it('masks account identifiers unless the principal is Alpha or Executor', async () => {
    const mw = maskStringUnless(ACCOUNT_ID_ROLES);
    expect(await run(mw, 'acct-12345678', as(Role.Viewer))).toBe(`${MASK}5678`);
    expect(await run(mw, 'acct-12345678', as(Role.Markets))).toBe(`${MASK}5678`);
    expect(await run(mw, 'acct-12345678', as(Role.Viewer, Role.Executor))).toBe('acct-12345678');
    expect(await run(mw, 'acct-12345678', as(Role.Alpha))).toBe('acct-12345678');
    expect(await run(mw, null, as(Role.Viewer))).toBeNull();
  });

  it('masks wallet and label names for Viewer only, and no other entity names', async () => {
    expect(await run(MaskWalletLabel, 'Binance 14', as(Role.Viewer), { kind: 'label' })).toBe(`${MASK}e 14`);
    expect(await run(MaskWalletLabel, 'Binance hot wallet', as(Role.Viewer), { kind: 'wallet' })).toBe(`${MASK}llet`);
    expect(await run(MaskWalletLabel, 'Apple Inc.', as(Role.Viewer), { kind: 'instrument' })).toBe('Apple Inc.');
    expect(await run(MaskWalletLabel, 'Binance 14', as(Role.Markets), { kind: 'label' })).toBe('Binance 14');
    expect(await run(MaskLabelAttrs, { label: 'Binance 14', chain: 'eth' }, as(Role.Viewer))).toEqual({ label: `${MASK}e 14`, chain: 'eth' });
    expect(await run(MaskLabelAttrs, { label: 'Binance 14' }, as(Role.Markets))).toEqual({ label: 'Binance 14' });
    expect(await run(MaskAuthorHandles, { author: 'someone' }, as(Role.Viewer, Role.Markets))).toEqual({ author: 'someone' });
    expect(await run(MaskAuthorHandles, { author: 'someone' }, null)).toEqual({ author: `${MASK}eone` });
  });
});
