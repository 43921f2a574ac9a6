/**
 * The offline feature store's contract, run against every driver (in-memory PGlite and PostgreSQL). The suite
 * shares one store; each test keeps to entities of its own.
 *
 * The heart of it is point-in-time correctness: planted leaks (a value stamped after its label's time, and one
 * with an early `ts` but learnt after the label) are never used, and on random histories the SQL join agrees
 * with a plain reading of the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { type FeatureDefinition, type FeatureRef, FeatureSet } from './definitions.js';
import { FeatureError } from './errors.js';
import { buildTrainingSet, type FeatureRepository, type FeatureRow, type LabelRow, maxAgeOf, type MaxStaleness } from './offline.js';

export interface ContractFeatureStore {
  readonly features: FeatureRepository;
  readonly cleanup: () => Promise<void>;
}

const T = 1_700_000_000_000;
const HOUR = 3_600_000;
const F: FeatureRef = { name: 'mentions_1h', versionId: 'v1-aaaa', ttlMs: HOUR };
const G: FeatureRef = { name: 'news_6h', versionId: 'v1-bbbb', ttlMs: 6 * HOUR };

let n = 0;
/** A row of `feature` for `entity`; known at its time unless `observedAt` says otherwise. */
function row(entity: string, ts: number, value: number | null, o: Partial<FeatureRow> & { ref?: FeatureRef } = {}): FeatureRow {
  const { ref = F, ...fields } = o;
  return { entity, feature: ref.name, version: ref.versionId, ts, value, observedAt: ts, sourceEventId: `ev_${n++}`, ...fields };
}
const label = (entity: string, labelTime: number, value = 1): LabelRow => ({ entity, labelTime, label: value });

/** The rule, read plainly: what the join must return for one label and feature. */
function oracle(rows: readonly (FeatureRow & { seq: number })[], l: LabelRow, f: FeatureRef, s: MaxStaleness): FeatureRow | null {
  const maxAge = maxAgeOf(f, s);
  const usable = rows.filter(
    (r) =>
      r.entity === l.entity &&
      r.feature === f.name &&
      r.version === f.versionId &&
      r.ts <= l.labelTime &&
      r.observedAt <= l.labelTime &&
      (maxAge === null || r.ts >= l.labelTime - maxAge),
  );
  usable.sort((a, b) => b.ts - a.ts || b.observedAt - a.observedAt || b.seq - a.seq);
  return usable[0] ?? null;
}

export function offlineStoreContract(name: string, make: () => Promise<ContractFeatureStore>): void {
  describe(`offline feature store contract: ${name}`, () => {
    let current: ContractFeatureStore | undefined;
    beforeAll(async () => {
      current = await make();
    });
    afterAll(async () => {
      await current?.cleanup();
    });
    const repo = () => current!.features;

    it('appends in batches, skips a repeated (source event, entity, feature, version) and round-trips every field', async () => {
      const rows = [row('APP', T, 0.1 + 0.2), row('APP', T + 1, null, { observedAt: T + 50 }), row('APP', T + 2, -1e-300)];
      expect(await repo().append(rows)).toBe(3);
      const fresh = row('APP', T + 3, 4);
      expect(await repo().append([...rows, fresh, fresh])).toBe(1);
      // The same event may write other features (or versions) of the entity.
      const other = row('APP', T, 7, { ref: G, sourceEventId: rows[0]!.sourceEventId });
      expect(await repo().append([other])).toBe(1);
      expect(await repo().append([])).toBe(0);
      expect(await repo().history('APP', F.name, F.versionId)).toEqual([...rows, fresh]);
      expect(await repo().history('APP', G.name, G.versionId)).toEqual([other]);
      expect(await repo().count()).toBeGreaterThanOrEqual(4);
    });

    it('refuses rows and requests it cannot use, with a typed error, writing nothing', async () => {
      const bad = [row('BAD', T, Number.NaN), row('BAD', T + 0.5, 1), row('', T, 1)];
      for (const r of bad) {
        const error = await repo().append([row('BAD', T, 1), r]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FeatureError);
        expect((error as FeatureError).code).toBe('FEATURE_REQUEST_INVALID');
      }
      expect(await repo().history('BAD', F.name, F.versionId)).toEqual([]);
      const request = { labels: [label('BAD', Number.NaN)], features: [F] };
      await expect(repo().asOfJoin(request)).rejects.toMatchObject({ code: 'FEATURE_REQUEST_INVALID' });
      await expect(repo().asOfJoin({ labels: [], features: [F], maxStaleness: -1 })).rejects.toBeInstanceOf(FeatureError);
    });

    it('takes the latest value at or before each label time, one row per label in the order given', async () => {
      await repo().append([row('ASOF', T + 100, 1), row('ASOF', T + 200, 2), row('ASOF', T + 300, 3)]);
      const labels = [T + 250, T + 50, T + 100, T + 300, T + 250].map((t, i) => label('ASOF', t, i));
      const rows = await repo().asOfJoin({ labels, features: [F] });
      expect(rows.map((r) => [r.label, r.values[0], r.asOf[0]])).toEqual([
        [0, 2, T + 200],
        [1, null, null],
        [2, 1, T + 100],
        [3, 3, T + 300],
        [4, 2, T + 200],
      ]);
      expect(rows[0]).toMatchObject({ entity: 'ASOF', labelTime: T + 250 });
    });

    it('never uses a value stamped after the label, nor one learnt after it (planted leaks)', async () => {
      const labelTime = T + 10_000;
      await repo().append([
        row('LEAK', T + 1_000, 1), // honest: before the label, known before the label
        row('LEAK', labelTime + 1, 999), // leak 1: stamped after the label
        row('LEAK', T + 5_000, 777, { observedAt: labelTime + 1 }), // leak 2: early ts, learnt after the label
      ]);
      const [at] = await repo().asOfJoin({ labels: [label('LEAK', labelTime)], features: [F], maxStaleness: 'none' });
      expect(at?.values).toEqual([1]);
      expect(at?.asOf).toEqual([T + 1_000]);
      // Once known, each is used: the late-learnt value from its observedAt on, the later one from its ts on.
      const later = await repo().asOfJoin({
        labels: [label('LEAK', labelTime + 1), label('LEAK', labelTime + 2)],
        features: [F],
        maxStaleness: 'none',
      });
      expect(later.map((r) => r.values[0])).toEqual([999, 999]);
    });

    it('a value learnt late is used once known, ahead of older values', async () => {
      await repo().append([row('LATE', T + 100, 1), row('LATE', T + 200, 2, { observedAt: T + 500 })]);
      const rows = await repo().asOfJoin({ labels: [label('LATE', T + 499), label('LATE', T + 500)], features: [F] });
      expect(rows.map((r) => [r.values[0], r.asOf[0]])).toEqual([
        [1, T + 100],
        [2, T + 200],
      ]);
    });

    it('max staleness: the TTL by default, a given limit, or none; a value exactly at the limit is used', async () => {
      await repo().append([row('STALE', T, 5)]);
      const ask = (labelTime: number, maxStaleness?: MaxStaleness) =>
        repo().asOfJoin({ labels: [label('STALE', labelTime)], features: [F], ...(maxStaleness === undefined ? {} : { maxStaleness }) });
      expect((await ask(T + HOUR))[0]?.values).toEqual([5]);
      expect((await ask(T + HOUR + 1))[0]?.values).toEqual([null]);
      expect((await ask(T + HOUR + 1, 'ttl'))[0]?.asOf).toEqual([null]);
      expect((await ask(T + 10 * HOUR, 'none'))[0]?.values).toEqual([5]);
      expect((await ask(T + 1_000, 1_000))[0]?.values).toEqual([5]);
      expect((await ask(T + 1_001, 1_000))[0]?.values).toEqual([null]);
    });

    it('ties on ts go to the value known last, then to the one stored last', async () => {
      await repo().append([row('TIE', T, 1, { observedAt: T + 20 }), row('TIE', T, 2, { observedAt: T + 10 })]);
      expect((await repo().asOfJoin({ labels: [label('TIE', T + 15)], features: [F] }))[0]?.values).toEqual([2]);
      expect((await repo().asOfJoin({ labels: [label('TIE', T + 20)], features: [F] }))[0]?.values).toEqual([1]);
      await repo().append([row('TIE', T, 3, { observedAt: T + 20 }), row('TIE', T, 4, { observedAt: T + 20 })]);
      await repo().append([row('TIE', T, 5, { observedAt: T + 20 })]);
      expect((await repo().asOfJoin({ labels: [label('TIE', T + 20)], features: [F] }))[0]?.values).toEqual([5]);
    });

    it('keeps entities, features and versions apart; an undefined value shadows older ones', async () => {
      const G2: FeatureRef = { ...G, versionId: 'v2-cccc' };
      await repo().append([
        row('SEP', T, 1),
        row('SEP', T + 10, 10, { ref: G }),
        row('SEP', T + 20, 20, { ref: G2 }),
        row('SEP2', T + 30, 30),
        row('SEP', T + 40, null),
      ]);
      const rows = await repo().asOfJoin({ labels: [label('SEP', T + 100), label('SEP2', T + 100)], features: [F, G, G2] });
      expect(rows.map((r) => r.values)).toEqual([
        [null, 10, 20],
        [30, null, null],
      ]);
      expect(rows[0]?.asOf).toEqual([T + 40, T + 10, T + 20]);
      expect(await repo().asOfJoin({ labels: [], features: [F] })).toEqual([]);
      expect((await repo().asOfJoin({ labels: [label('SEP', T)], features: [] }))[0]).toMatchObject({ values: [], asOf: [] });
    });

    it('answers thousands of labels (several statements) the same as one by one', async () => {
      await repo().append(Array.from({ length: 50 }, (_, i) => row('MANY', T + i * 1_000, i)));
      const labels = Array.from({ length: 4_500 }, (_, i) => label('MANY', T + (i % 60) * 1_000 - 1, i));
      const rows = await repo().asOfJoin({ labels, features: [F], maxStaleness: 'none' });
      expect(rows).toHaveLength(4_500);
      rows.forEach((r, i) => {
        const k = (i % 60) - 1; // the row stamped just before the label
        expect(r.label).toBe(i);
        expect(r.values[0]).toBe(k < 0 ? null : Math.min(k, 49));
      });
    });

    it('agrees with a plain reading of the rule on random histories with late and future values', async () => {
      const random = new Random(20240102);
      const entities = ['R1', 'R2', 'R3'];
      const stored: (FeatureRow & { seq: number })[] = [];
      for (let batch = 0; batch < 4; batch++) {
        const rows = Array.from({ length: 60 }, () => {
          const ts = T + random.int(0, 20) * 600_000;
          const late = random.chance(0.3) ? random.int(1, 12) * 300_000 : 0;
          const ref = random.chance(0.5) ? F : G;
          return row(random.pick(entities), ts, random.chance(0.1) ? null : random.int(-50, 50), { ref, observedAt: ts + late });
        });
        await repo().append(rows);
        for (const r of rows) stored.push({ ...r, seq: stored.length });
      }
      const labels = Array.from({ length: 300 }, (_, i) => label(random.pick(entities), T + random.int(-2, 30) * 400_000, i));
      for (const s of ['ttl', 'none', 1_800_000] as const) {
        const rows = await repo().asOfJoin({ labels, features: [F, G], maxStaleness: s });
        rows.forEach((r, i) => {
          [F, G].forEach((f, j) => {
            const want = oracle(stored, labels[i]!, f, s);
            expect([r.values[j], r.asOf[j]]).toEqual([want?.value ?? null, want?.ts ?? null]);
            if (r.asOf[j] !== null) expect(r.asOf[j]).toBeLessThanOrEqual(labels[i]!.labelTime);
          });
        });
      }
    });

    it('buildTrainingSet records the feature set version and its columns', async () => {
      const defs: FeatureDefinition[] = [
        { name: 'set_a', entity: 'instrument', description: 'a', version: 1, windowMs: HOUR, ttlMs: HOUR, kinds: ['news'], measure: 'one', weighting: 'one', reducer: 'sum' },
        { name: 'set_b', entity: 'instrument', description: 'b', version: 1, windowMs: HOUR, ttlMs: HOUR, kinds: ['news'], measure: 'one', weighting: 'signal', reducer: 'sum' },
      ];
      const set = new FeatureSet(defs);
      const [a, b] = set.refs();
      await repo().append([row('SET', T, 1, { ref: a }), row('SET', T, 2, { ref: b })]);
      const training = await buildTrainingSet(repo(), set, [label('SET', T + 1, 0.5)]);
      expect(training).toEqual({
        featureSetVersion: set.version,
        features: ['set_a', 'set_b'],
        maxStaleness: 'ttl',
        rows: [{ entity: 'SET', labelTime: T + 1, label: 0.5, values: [1, 2], asOf: [T, T] }],
      });
    });
  });
}
