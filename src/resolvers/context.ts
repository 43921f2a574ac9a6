/**
 * The context every resolver gets: the API's dependencies plus per-request helpers. Built once per HTTP
 * request and once per graphql-ws operation.
 */
import type { ApiDeps } from '../api/deps.js';
import { ALL_ROLES, type Principal } from '../api/roles.js';
import type { SignalRecord } from '../engine/store/ports.js';

export interface ApiContext {
  readonly deps: ApiDeps;
  /** Who is asking; null when the request carried no valid credentials. */
  readonly principal: Principal | null;
  /** In production unexpected errors reach clients as a bare `INTERNAL_SERVER_ERROR`. */
  readonly production: boolean;
  /** Told about every unexpected error (the ones masked to `INTERNAL_SERVER_ERROR`). */
  readonly reportError: (error: unknown) => void;
  /** Loads a signal once per request, however many vectors point at it. */
  readonly loadSignal: (id: string) => Promise<SignalRecord | null>;
}

export interface ContextOptions {
  /** Who is asking. Left out: the anonymous principal with every role (authentication off). */
  readonly principal?: Principal | null;
  readonly production: boolean;
  readonly reportError: (error: unknown) => void;
}

/** The principal of every request when authentication is off. */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', name: 'anonymous', roles: ALL_ROLES, via: 'anonymous' });

export function createContext(deps: ApiDeps, options: ContextOptions): ApiContext {
  const signals = new Map<string, Promise<SignalRecord | null>>();
  return {
    deps,
    principal: options.principal === undefined ? ANONYMOUS : options.principal,
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
