/**
 * The context every resolver gets: the API's dependencies plus per-request helpers. Built once per HTTP
 * request and once per graphql-ws operation.
 */
import type { ApiDeps } from '../api/deps.js';
import type { SignalRecord } from '../engine/store/ports.js';

export interface ApiContext {
  readonly deps: ApiDeps;
  /** In production unexpected errors reach clients as a bare `INTERNAL_SERVER_ERROR`. */
  readonly production: boolean;
  /** Told about every unexpected error (the ones masked to `INTERNAL_SERVER_ERROR`). */
  readonly reportError: (error: unknown) => void;
  /** Loads a signal once per request, however many vectors point at it. */
  readonly loadSignal: (id: string) => Promise<SignalRecord | null>;
}

export interface ContextOptions {
  readonly production: boolean;
  readonly reportError: (error: unknown) => void;
}

export function createContext(deps: ApiDeps, options: ContextOptions): ApiContext {
  const signals = new Map<string, Promise<SignalRecord | null>>();
  return {
    deps,
    production: options.production,
    reportError: options.reportError,
    loadSignal: (id) => {
      let p = signals.get(id);
      if (!p) {
        p = deps.store.signals.get(id);
        signals.set(id, p);
        p.catch(() => signals.delete(id));
      }
      return p;
    },
  };
}
