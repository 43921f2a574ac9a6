import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteThread } from './pglite-thread.js';

describe('PGliteThread', () => {
  let db: PGliteThread;
  beforeAll(async () => {
    db = await PGliteThread.start(undefined);
    await db.exec('create table t (id int primary key, note text)');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs queries on the database thread, rows as objects or arrays', async () => {
    expect((await db.query<{ n: number }>('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    expect((await db.query('select 1 as a, $1::text as b', ['x'], { rowMode: 'array' })).rows).toEqual([[1, 'x']]);
  });

  it('keeps the values of types whose parser keeps text as text, and refuses any other parser', async () => {
    const asText = { 1114: (v: string) => v };
    expect((await db.query(`select '2024-01-02 03:04:05'::timestamp as t`, [], { parsers: asText })).rows).toEqual([{ t: '2024-01-02 03:04:05' }]);
    expect(() => db.query('select 1', [], { parsers: { 23: (v: string) => Number(v) } })).toThrow(/does not keep text/);
  });

  it('brings database errors back with their PostgreSQL fields', async () => {
    await db.query('insert into t values (1, $1)', ['first']);
    const error = (await db.query('insert into t values (1, $1)', ['again']).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('23505');
    expect(error.message).toMatch(/duplicate key/);
  });

  it('commits a transaction whose function resolves, and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into t values (2, $1)', ['committed']);
      await tx.query('insert into t values (3, $1)', ['committed']);
    });
    const failure = await db
      .transaction(async (tx) => {
        await tx.query('insert into t values (4, $1)', ['rolled back']);
        throw new Error('changed my mind');
      })
      .catch((e: unknown) => (e as Error).message);
    expect(failure).toBe('changed my mind');
    await db.transaction(async (tx) => {
      await tx.query('insert into t values (5, $1)', ['rolled back']);
      await tx.rollback();
    });
    const ids = (await db.query<{ id: number }>('select id from t order by id')).rows.map((r) => r.id);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('queues other statements behind an open transaction, as PGlite does in process', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (t) => {
      await t.query('insert into t values (10, $1)', ['in tx']);
      order.push('tx wrote');
      await held;
      order.push('tx commits');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = db.query('select count(*)::int as n from t where id = 10').then((r) => {
      order.push('outside read');
      return r.rows;
    });
    await new Promise((r) => setTimeout(r, 20));
    release();
    await tx;
    expect(await outside).toEqual([{ n: 1 }]);
    expect(order).toEqual(['tx wrote', 'tx commits', 'outside read']);
  });

  it('refuses requests once closed', async () => {
    const other = await PGliteThread.start(undefined);
    await other.close();
    await expect(other.query('select 1')).rejects.toThrow(/closed/);
  });
});
