/**
 * A Broker wrapper for tests that injects the failures real venues produce: an answer lost after the venue
 * acted (the dangerous one: the order exists but we were not told), a timeout or a 5xx before it acted, a
 * call that never answers (a crash mid-call), and a slow answer. Faults are queued per method and used one
 * per call, in order; once a method's queue is empty its calls pass through.
 */
import { BrokerError, type Broker, type BrokerErrorCode, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../broker.js';

export type BrokerMethod = 'submit' | 'cancel' | 'getOrder' | 'openOrders' | 'fills' | 'positions';

export type Fault =
  /** The venue acts on the call, then the answer is lost: the caller sees a timeout (or a 5xx). */
  | { readonly kind: 'drop'; readonly code?: 'BROKER_TIMEOUT' | 'BROKER_UNAVAILABLE' }
  /** No answer in time; the venue never saw the call. */
  | { readonly kind: 'timeout' }
  /** A 5xx; the venue never acted. */
  | { readonly kind: 'unavailable' }
  /** Any other error, before the venue acted. */
  | { readonly kind: 'error'; readonly code: BrokerErrorCode; readonly message?: string }
  /** Never answers; with `forward` the venue acts on it first. For a process that dies mid-call. */
  | { readonly kind: 'hang'; readonly forward: boolean }
  /** Answers after `ms` of real time. */
  | { readonly kind: 'delay'; readonly ms: number };

export class FaultyBroker implements Broker {
  readonly #faults = new Map<BrokerMethod, Fault[]>();
  readonly #calls = new Map<BrokerMethod, number>();

  constructor(readonly inner: Broker) {}

  get venue(): string {
    return this.inner.venue;
  }

  /** Queues faults for the next calls of a method. */
  inject(method: BrokerMethod, ...faults: readonly Fault[]): this {
    this.#faults.set(method, [...(this.#faults.get(method) ?? []), ...faults]);
    return this;
  }

  /** The next `times` calls fail with `fault`, then calls succeed. */
  failTimes(method: BrokerMethod, times: number, fault: Fault): this {
    return this.inject(method, ...Array.from({ length: times }, () => fault));
  }

  /** Calls made to a method, failed or not. */
  calls(method: BrokerMethod): number {
    return this.#calls.get(method) ?? 0;
  }

  /** Faults still queued for a method. */
  queued(method: BrokerMethod): number {
    return this.#faults.get(method)?.length ?? 0;
  }

  async #run<T>(method: BrokerMethod, call: () => Promise<T>): Promise<T> {
    this.#calls.set(method, this.calls(method) + 1);
    const fault = this.#faults.get(method)?.shift();
    if (!fault) return call();
    const venue = this.venue;
    switch (fault.kind) {
      case 'drop':
        await call();
        throw new BrokerError(fault.code ?? 'BROKER_TIMEOUT', `${method}: answer lost after the venue acted`, venue);
      case 'timeout':
        throw new BrokerError('BROKER_TIMEOUT', `${method}: no answer in time`, venue);
      case 'unavailable':
        throw new BrokerError('BROKER_UNAVAILABLE', `${method}: 503 Service Unavailable`, venue);
      case 'error':
        throw new BrokerError(fault.code, fault.message ?? `${method}: injected ${fault.code}`, venue);
      case 'hang':
        if (fault.forward) await call();
        return new Promise<T>(() => {});
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return call();
    }
  }

  submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    return this.#run('submit', () => this.inner.submit(request));
  }
  cancel(clientOrderId: string): Promise<BrokerOrder> {
    return this.#run('cancel', () => this.inner.cancel(clientOrderId));
  }
  getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    return this.#run('getOrder', () => this.inner.getOrder(clientOrderId));
  }
  openOrders(): Promise<readonly BrokerOrder[]> {
    return this.#run('openOrders', () => this.inner.openOrders());
  }
  fills(since: number): Promise<readonly BrokerFill[]> {
    return this.#run('fills', () => this.inner.fills(since));
  }
  positions(): Promise<readonly BrokerPosition[]> {
    return this.#run('positions', () => this.inner.positions());
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
