/** What every view is given: the API connection and who is logged in. */
import type { Api } from './api';
import type { Session } from './auth';

export interface AppContext {
  readonly api: Api;
  readonly session: Session;
  /** A short message at the bottom of the screen (errors the user should see but that belong to no field). */
  notify(message: string, tone?: 'info' | 'error'): void;
}

export interface View {
  /** Starts its queries and subscriptions (once logged in). */
  start(): void;
  /** Called when the socket came back after a drop: queries again what the subscription may have missed. */
  reseed(): void;
  /** The tab became visible. */
  shown(): void;
}

/** Calls `fn` at most once every `ms` (trailing), for lists fed faster than a person reads. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, wait);
  };
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
