// @ts-check
/**
 * The embedded database's own thread: owns one PGlite instance and runs what `pglite-thread.ts` sends it.
 *
 * Plain JavaScript on purpose: a worker thread starts without the TypeScript loader the rest of the code
 * runs under (tsx, vitest), so this file must load in bare Node. It only relays messages; the logic that
 * matters (transactions, errors) is PGlite's.
 *
 * Messages in: `{ id, op: 'query' | 'exec' | 'begin' | 'commit' | 'rollback' | 'close', tx?, sql?, params?,
 * rowMode?, textTypes? }`. Messages out: `{ ready: true }` or `{ initError }` once, then `{ id, ok: true,
 * result }` or `{ id, ok: false, error }` for each request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-worker.js runs as a worker thread');
const port = parentPort;

/** Keeps the values of these types as the text PostgreSQL sent, as the caller's parsers asked. */
const asText = (/** @type {number[] | undefined} */ types) =>
  types && types.length > 0 ? Object.fromEntries(types.map((t) => [t, (/** @type {string} */ v) => v])) : undefined;

/**
 * Open transactions by id. PGlite runs a transaction inside a callback; the callback here waits for the
 * commit or rollback message, so the transaction can span several requests.
 * @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<unknown> }>}
 */
const transactions = new Map();
let nextTx = 1;

class RolledBack extends Error {}

/** @param {import('@electric-sql/pglite').PGlite} db */
async function begin(db) {
  const id = nextTx++;
  /** @type {(value?: unknown) => void} */
  let began = () => {};
  const started = new Promise((resolve) => (began = resolve));
  const done = db.transaction(
    (tx) =>
      new Promise((resolve, reject) => {
        transactions.set(id, { tx, done, finish: (commit) => (commit ? resolve(undefined) : reject(new RolledBack())) });
        began();
      }),
  );
  // If BEGIN itself fails, `done` rejects before the callback ran: report that instead of waiting forever.
  await Promise.race([started, done]);
  return id;
}

/** @param {number} id @param {boolean} commit */
async function finish(id, commit) {
  const open = transactions.get(id);
  if (!open) throw new Error(`no open transaction ${id}`);
  transactions.delete(id);
  open.finish(commit);
  try {
    await open.done;
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return null;
}

/**
 * @param {import('@electric-sql/pglite').PGlite} db
 * @param {any} m
 * @returns {Promise<unknown>}
 */
function handle(db, m) {
  const target = m.tx === undefined ? db : transactions.get(m.tx)?.tx;
  if (!target) throw new Error(`no open transaction ${m.tx}`);
  switch (m.op) {
    case 'query':
      return target.query(m.sql, m.params, { rowMode: m.rowMode, parsers: asText(m.textTypes) });
    case 'exec':
      return target.exec(m.sql);
    case 'begin':
      return begin(db);
    case 'commit':
      return finish(m.tx, true);
    case 'rollback':
      return finish(m.tx, false);
    case 'close':
      return db.close().then(() => null);
    default:
      throw new Error(`unknown request ${m.op}`);
  }
}

/** What survives the trip back: the message and PostgreSQL's fields (code, detail, ...). */
function describe(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = Object.fromEntries(Object.entries(error).filter(([, v]) => typeof v !== 'object' && typeof v !== 'function'));
  return { ...fields, name: error.name, message: error.message };
}

try {
  const db = new PGlite({
    dataDir: workerData?.dataDir,
    // PGlite's own start parameters, and new WAL segments are not filled with zeroes first: on PGlite's
    // in-memory file system that only costs copying (the file grows in steps), and PostgreSQL needs no
    // pre-allocated WAL for correctness (measured: about 10% off the cost of an insert).
    startParams: [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'],
  });
  await db.waitReady;
  port.on('message', (/** @type {any} */ m) => {
    Promise.resolve()
      .then(() => handle(db, m))
      .then(
        (result) => port.postMessage({ id: m.id, ok: true, result }),
        (error) => port.postMessage({ id: m.id, ok: false, error: describe(error) }),
      );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ initError: describe(error) });
}
