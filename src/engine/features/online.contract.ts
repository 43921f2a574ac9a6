/**
 * What every online feature store must do (in memory and in Redis). Run with `onlineStoreContract(name, make)`;
 * `make` gives a fresh, empty store per test.
 */
import { expect, it } from 'vitest';
import { FeatureError } from './errors.js';
import type { OnlineEntityRef, OnlineFeatureStore, OnlineWrite } from './online.js';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const HOUR = 3_600_000;
const AAPL: OnlineEntityRef = { entityType: 'instrument', entity: 'AAPL' };
const MSFT: OnlineEntityRef = { entityType: 'instrument', entity: 'MSFT' };

const write = (feature: string, value: number | null, asOf: number, ref = AAPL, ttlMs = HOUR): OnlineWrite => ({
  ...ref,
  feature,
  value,
  asOf,
  ttlMs,
});

export function onlineStoreContract(name: string, make: () => OnlineFeatureStore | Promise<OnlineFeatureStore>): void {
  it(`${name}: reads back what was written, with its age at the reader's time`, async () => {
    const store = await make();
    await store.write([write('mentions_1h', 42, T0), write('sentiment_mean_1h', -0.25, T0 - 60_000)]);
    expect(await store.read(AAPL, ['mentions_1h', 'sentiment_mean_1h'], T0 + 5_000)).toEqual([
      { feature: 'mentions_1h', value: 42, asOf: T0, ageMs: 5_000, missing: null },
      { feature: 'sentiment_mean_1h', value: -0.25, asOf: T0 - 60_000, ageMs: 65_000, missing: null },
    ]);
  });

  it(`${name}: a value past its TTL is missing as stale, with its asOf and age; at the TTL exactly it is fresh`, async () => {
    const store = await make();
    await store.write([write('mentions_1h', 7, T0, AAPL, HOUR)]);
    const [atTtl] = await store.read(AAPL, ['mentions_1h'], T0 + HOUR);
    expect(atTtl).toMatchObject({ value: 7, missing: null, ageMs: HOUR });
    const [stale] = await store.read(AAPL, ['mentions_1h'], T0 + HOUR + 1);
    expect(stale).toEqual({ feature: 'mentions_1h', value: null, asOf: T0, ageMs: HOUR + 1, missing: 'stale' });
  });

  it(`${name}: never written is absent; an undefined value is missing as undefined`, async () => {
    const store = await make();
    await store.write([write('return_1h', null, T0)]);
    expect(await store.read(AAPL, ['return_1h', 'news_6h'], T0)).toEqual([
      { feature: 'return_1h', value: null, asOf: T0, ageMs: 0, missing: 'undefined' },
      { feature: 'news_6h', value: null, asOf: null, ageMs: null, missing: 'absent' },
    ]);
    expect(await store.read(MSFT, ['return_1h'], T0)).toEqual([
      { feature: 'return_1h', value: null, asOf: null, ageMs: null, missing: 'absent' },
    ]);
  });

  it(`${name}: a write older than the stored value is ignored; an equal asOf overwrites`, async () => {
    const store = await make();
    await store.write([write('mentions_1h', 10, T0)]);
    await store.write([write('mentions_1h', 3, T0 - 1)]);
    expect((await store.read(AAPL, ['mentions_1h'], T0))[0]?.value).toBe(10);
    await store.write([write('mentions_1h', 11, T0)]);
    expect((await store.read(AAPL, ['mentions_1h'], T0))[0]?.value).toBe(11);
    // Within one call too: the newer wins whatever the order, and of equal times the later one.
    await store.write([write('news_6h', 2, T0 + 2), write('news_6h', 1, T0 + 1), write('news_6h', 5, T0 + 2)]);
    expect((await store.read(AAPL, ['news_6h'], T0 + 2))[0]).toMatchObject({ value: 5, asOf: T0 + 2 });
    // A value that becomes undefined replaces the old number.
    await store.write([write('mentions_1h', null, T0 + 10)]);
    expect((await store.read(AAPL, ['mentions_1h'], T0 + 10))[0]).toMatchObject({ value: null, missing: 'undefined' });
  });

  it(`${name}: entities and entity types are kept apart; readMany answers in the order asked`, async () => {
    const store = await make();
    await store.write([write('mentions_1h', 1, T0, AAPL), write('mentions_1h', 2, T0, MSFT)]);
    const unknown: OnlineEntityRef = { entityType: 'instrument', entity: 'NOPE' };
    const rows = await store.readMany([MSFT, unknown, AAPL], ['mentions_1h'], T0);
    expect(rows.map((r) => r[0]?.value ?? null)).toEqual([2, null, 1]);
    expect(rows[1]?.[0]?.missing).toBe('absent');
    expect(await store.readMany([], ['mentions_1h'], T0)).toEqual([]);
    expect(await store.read(AAPL, [], T0)).toEqual([]);
  });

  it(`${name}: numbers round-trip exactly`, async () => {
    const store = await make();
    const values = [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 0, -123456789.123456789, 5e-324];
    await store.write(values.map((v, i) => write(`f${i}`, v, T0)));
    const read = await store.read(AAPL, values.map((_, i) => `f${i}`), T0);
    expect(read.map((r) => r.value)).toEqual(values);
  });

  it(`${name}: refuses values it cannot store, with a typed error; an empty write does nothing`, async () => {
    const store = await make();
    await store.write([]);
    for (const bad of [write('x', Number.NaN, T0), write('x', 1, Number.POSITIVE_INFINITY), write('x', 1, T0, AAPL, 0)]) {
      const error = await store.write([bad]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FeatureError);
      expect((error as FeatureError).code).toBe('FEATURE_REQUEST_INVALID');
    }
    expect((await store.read(AAPL, ['x'], T0))[0]?.missing).toBe('absent');
  });
}
