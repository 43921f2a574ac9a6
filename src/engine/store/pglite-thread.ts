/**
 * PGlite on a thread of its own, seen through the part of PGlite's client interface that drizzle's pglite
 * driver and `db.ts` use (`query`, `exec`, `transaction`, `close`).
 *
 * Why: PGlite is PostgreSQL compiled to WebAssembly, and it runs where it is called. On the caller's thread
 * every statement stops the pipeline for as long as the database works, and the embedded deployment uses one
 * core of the machine. On its own thread the database and the pipeline run side by side, and a statement
 * only costs the caller a message each way (see bench/README.md for the measurements).
 *
 * The worker (pglite-worker.js) relays requests to PGlite. A transaction stays open on the worker across
 * requests until the caller commits or rolls it back; PGlite's own locking queues other statements behind it,
 * as it does in process. Results and errors come back by structured clone; a database error keeps its
 * PostgreSQL fields (`code`, `detail`, ...). Parsers given in query options must keep values as text (all
 * drizzle asks for): that is the one kind of parser that can be named across threads.
 */
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';

type Request =
  | { op: 'query'; sql: string; params: readonly unknown[]; rowMode?: 'array' | 'object'; textTypes?: number[]; tx?: number }
  | { op: 'exec'; sql: string; tx?: number }
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'close' };

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> };
type Startup = { ready: true } | { initError: Record<string, unknown> };

interface Waiting {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** An error from the database thread, rebuilt with the fields it had there. */
function rebuild(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message ?? 'PGlite error'));
  Object.assign(error, fields);
  return error;
}

/** The part of PGlite's interface the store uses. */
export interface PGliteClient {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class PGliteThread implements PGliteClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #failure: Error | null = null;
  #closed = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#settle(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the PGlite thread exited (code ${code})`)));
    worker.unref(); // only requests in flight keep the process alive (see #request)
  }

  /** Starts the thread and PGlite in it: on disk under `dataDir`, or in memory when it is undefined. */
  static async start(dataDir: string | undefined): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dataDir } });
    let onMessage!: (startup: Startup) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    try {
      const startup = await new Promise<Startup>((resolve, reject) => {
        onMessage = resolve;
        onError = reject;
        onExit = (code) => reject(new Error(`the PGlite thread exited during startup (code ${code})`));
        worker.once('message', onMessage).once('error', onError).once('exit', onExit);
      });
      if ('initError' in startup) throw rebuild(startup.initError);
    } catch (error) {
      await worker.terminate();
      throw error;
    } finally {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    }
    return new PGliteThread(worker);
  }

  query<T>(sql: string, params: unknown[] = [], options: QueryOptions = {}, tx?: number): Promise<Results<T>> {
    const textTypes = Object.entries(options.parsers ?? {}).map(([type, parse]) => {
      if (parse('text') !== 'text') throw new Error(`PGliteThread: the parser for type ${type} does not keep text`);
      return Number(type);
    });
    return this.#request({ op: 'query', sql, params, rowMode: options.rowMode, textTypes, tx }) as Promise<Results<T>>;
  }

  exec(sql: string, tx?: number): Promise<Results[]> {
    return this.#request({ op: 'exec', sql, tx }) as Promise<Results[]>;
  }

  /** Commits when `fn` resolves, rolls back when it throws (or calls `tx.rollback()`). */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = (await this.#request({ op: 'begin' })) as number;
    const tx = new ThreadTransaction(this, id);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      if (!tx.closed) await this.#end(tx, 'rollback').catch(() => undefined);
      throw error;
    }
    if (!tx.closed) await this.#end(tx, 'commit');
    return result;
  }

  /** Rolls back an open transaction (for `Transaction.rollback`). */
  rollback(tx: ThreadTransaction): Promise<void> {
    return this.#end(tx, 'rollback');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#request({ op: 'close' });
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  async #end(tx: ThreadTransaction, op: 'commit' | 'rollback'): Promise<void> {
    tx.closed = true;
    await this.#request({ op, tx: tx.id });
  }

  #request(request: Request): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error('the PGlite thread is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#waiting.size === 0) this.#worker.ref();
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...request });
    });
  }

  #settle(reply: Reply): void {
    const waiting = this.#waiting.get(reply.id);
    if (!waiting) return;
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(rebuild(reply.error));
  }

  /** The thread died: every request in flight fails, and so does every later one. */
  #fail(error: Error): void {
    if (this.#closed) return;
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }
}

/** A transaction open on the database thread. */
class ThreadTransaction implements Transaction {
  closed = false;
  constructor(
    private readonly thread: PGliteThread,
    readonly id: number,
  ) {}

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.thread.query<T>(sql, params, options, this.id);
  }

  exec(sql: string): Promise<Results[]> {
    return this.thread.exec(sql, this.id);
  }

  rollback(): Promise<void> {
    return this.thread.rollback(this);
  }

  sql<T>(): Promise<Results<T>> {
    return Promise.reject(new Error('PGliteThread: tagged-template queries are not supported; use query()'));
  }

  listen(): Promise<never> {
    return Promise.reject(new Error('PGliteThread: LISTEN is not supported'));
  }
}
