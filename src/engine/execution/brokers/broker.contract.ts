/**
 * The contract every Broker implementation passes (DESIGN rule 6): the paper broker, and each real
 * adapter against a local server replaying its venue's recorded answers.
 *
 * A subject may come with a {@link ContractVenue}: the venue's own side, which counts the orders it holds
 * (so "exactly one order" is asserted where the order lives, not on the adapter's word) and can make the
 * next request fail. The fault cases run only then; the paper broker, having no wire, skips them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerError, type Broker, type BrokerErrorCode, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../broker.js';

export type FaultKind =
  /** The venue accepts the order, then closes the socket without answering. */
  | 'drop'
  /** The venue accepts the order and answers after the adapter's deadline. */
  | 'timeout'
  /** The venue answers 5xx without acting. */
  | 'unavailable'
  /** The venue refuses the credentials. */
  | 'unauthorized'
  /** The venue answers 200 with a body that is not JSON. */
  | 'garbage';

export interface ContractVenue {
  /** The next request of `op` meets `fault`: `submit` is the order placement, `positions` the positions read. */
  inject(op: 'submit' | 'positions', fault: FaultKind): void;
  /** How many orders the venue holds with this client order id. */
  count(clientOrderId: string): number;
}

export interface ContractSubject {
  readonly broker: Broker;
  /** An instrument the venue trades. */
  readonly instrument: string;
  /** A quantity the venue accepts for it. */
  readonly quantity: string;
  /** A limit price at which a buy rests unfilled (far below the market). */
  readonly restingLimit: string;
  /** The n-th client order id of a run; defaults to the engine's own form (`vt` + hex). */
  readonly clientOrderId?: (n: number) => string;
  /**
   * Makes the venue fill the market orders working (the paper broker: feed it a bar). Absent at a replay
   * venue, whose fills are its recorded ones.
   */
  readonly fill?: () => Promise<void>;
  readonly venue?: ContractVenue;
  /** Fills and positions the venue already holds (its recorded ones), at least. */
  readonly seeded?: { readonly fills?: number; readonly positions?: number };
  /** Credentials that must never appear in an error message. */
  readonly secrets?: readonly string[];
  /** Tears the venue down; defaults to closing the broker. */
  readonly close?: () => Promise<void>;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const POSITIVE = /^\d+(\.\d+)?$/;
const FINAL = ['filled', 'canceled', 'expired', 'rejected'];
let runs = 0;

/** Client order ids in the engine's own form (`vt` + hex): valid at every venue, fresh for each run. */
function engineIds(): (n: number) => string {
  runs += 1;
  const run = `${Date.now().toString(16)}${runs.toString(16).padStart(4, '0')}`;
  return (n) => `vt${run}${n.toString(16).padStart(6, '0')}`.slice(0, 32);
}

/** A buy that rests: a limit far below the market, good till canceled (every venue here offers GTC). */
function resting(s: ContractSubject, clientOrderId: string): BrokerOrderRequest {
  return { clientOrderId, instrument: s.instrument, side: 'BUY', type: 'LIMIT', quantity: s.quantity, limitPrice: s.restingLimit, timeInForce: 'GTC' };
}

async function failure(run: () => Promise<unknown>): Promise<BrokerError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(BrokerError);
    return error as BrokerError;
  }
  throw new Error('expected a BrokerError, the call succeeded');
}

/** `submit`, and once more if the outcome was unknown: what the executor does. */
async function submitOrRetry(broker: Broker, request: BrokerOrderRequest): Promise<BrokerOrder> {
  try {
    return await broker.submit(request);
  } catch (error) {
    if (!(error instanceof BrokerError) || !(error.uncertain || error.code === 'BROKER_PROTOCOL')) throw error;
    return broker.submit(request);
  }
}

function expectWellFormedOrder(order: BrokerOrder, request?: BrokerOrderRequest): void {
  expect(order.brokerOrderId).toMatch(/\S/);
  expect(order.quantity).toMatch(POSITIVE);
  expect(order.filledQuantity).toMatch(POSITIVE);
  if (order.limitPrice !== null) expect(order.limitPrice).toMatch(POSITIVE);
  if (order.avgFillPrice !== null) expect(order.avgFillPrice).toMatch(POSITIVE);
  expect(Number.isSafeInteger(order.updatedAt)).toBe(true);
  if (request) {
    expect(order.clientOrderId).toBe(request.clientOrderId);
    expect(order.instrument).toBe(request.instrument);
    expect(order.side).toBe(request.side);
    expect(order.type).toBe(request.type);
    expect(order.quantity).toBe(request.quantity);
    expect(order.limitPrice).toBe(request.limitPrice);
  }
}

function expectWellFormedFill(fill: BrokerFill): void {
  expect(fill.brokerFillId).toMatch(/\S/);
  expect(fill.brokerOrderId).toMatch(/\S/);
  expect(['BUY', 'SELL']).toContain(fill.side);
  expect(fill.quantity).toMatch(POSITIVE);
  expect(fill.price).toMatch(POSITIVE);
  expect(fill.fee).toMatch(DECIMAL);
  expect(Number.isSafeInteger(fill.ts)).toBe(true);
}

function expectWellFormedPosition(position: BrokerPosition): void {
  expect(position.instrument).toMatch(/\S/);
  expect(position.quantity).toMatch(DECIMAL);
  expect(position.avgPrice).toMatch(DECIMAL);
}

export function brokerContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`Broker contract: ${name}`, () => {
    let s: ContractSubject;
    let ids: (n: number) => string;
    let n = 0;
    const cid = () => ids((n += 1));
    beforeEach(async () => {
      s = await make();
      ids = s.clientOrderId ?? engineIds();
      n = 0;
    });
    afterEach(async () => {
      await (s.close ? s.close() : s.broker.close());
    });

    it('submits an order and finds it again by its client order id', async () => {
      const request = resting(s, cid());
      const placed = await s.broker.submit(request);
      expectWellFormedOrder(placed, request);
      expect(placed.status === 'rejected').toBe(false);
      const found = await s.broker.getOrder(request.clientOrderId);
      expect(found).not.toBeNull();
      expectWellFormedOrder(found!, request);
      expect(found!.brokerOrderId).toBe(placed.brokerOrderId);
      if (s.venue) expect(s.venue.count(request.clientOrderId)).toBe(1);
    });

    it('answers a second submit with the same client order id with the same order', async () => {
      const request = resting(s, cid());
      const first = await s.broker.submit(request);
      const second = await s.broker.submit(request);
      expect(second.brokerOrderId).toBe(first.brokerOrderId);
      if (s.venue) expect(s.venue.count(request.clientOrderId)).toBe(1);
    });

    it('knows nothing of a client order id it never saw', async () => {
      expect(await s.broker.getOrder(cid())).toBeNull();
      expect((await failure(() => s.broker.cancel(cid()))).code).toBe<BrokerErrorCode>('BROKER_NOT_FOUND');
    });

    it('cancels a working order', async () => {
      const request = resting(s, cid());
      const placed = await s.broker.submit(request);
      const canceled = await s.broker.cancel(request.clientOrderId);
      expect(canceled.brokerOrderId).toBe(placed.brokerOrderId);
      expect(canceled.clientOrderId).toBe(request.clientOrderId);
      expect(['canceled', 'pending_cancel']).toContain(canceled.status);
    });

    it('lists working orders and leaves canceled ones out', async () => {
      const working = resting(s, cid());
      const gone = resting(s, cid());
      await s.broker.submit(working);
      await s.broker.submit(gone);
      await s.broker.cancel(gone.clientOrderId);
      const open = await s.broker.openOrders();
      for (const order of open) {
        expectWellFormedOrder(order);
        expect(FINAL).not.toContain(order.status);
      }
      const ids = open.map((o) => o.clientOrderId);
      expect(ids).toContain(working.clientOrderId);
      const after = await s.broker.getOrder(gone.clientOrderId);
      if (after?.status === 'canceled') expect(ids).not.toContain(gone.clientOrderId);
    });

    it('reports fills oldest first, each once, none before `since`', async () => {
      const fills = await s.broker.fills(0);
      expect(fills.length).toBeGreaterThanOrEqual(s.seeded?.fills ?? 0);
      fills.forEach(expectWellFormedFill);
      const keys = fills.map((f) => `${f.brokerOrderId}:${f.brokerFillId}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(fills.map((f) => f.ts)).toEqual([...fills.map((f) => f.ts)].sort((a, b) => a - b));
      if (fills.length > 0) {
        const last = fills[fills.length - 1]!.ts;
        const later = await s.broker.fills(last);
        expect(later.every((f) => f.ts >= last)).toBe(true);
        expect(later.length).toBeGreaterThanOrEqual(1);
      }
      expect(await s.broker.fills(Date.UTC(2999, 0, 1))).toEqual([]);
    });

    it('fills a market order when the venue trades, and reports the fill and the position', async () => {
      if (!s.fill) return;
      const request: BrokerOrderRequest = { ...resting(s, cid()), type: 'MARKET', limitPrice: null };
      await s.broker.submit(request);
      await s.fill();
      const order = await s.broker.getOrder(request.clientOrderId);
      expect(order?.status).toBe('filled');
      expect(order?.filledQuantity).toBe(request.quantity);
      const mine = (await s.broker.fills(0)).filter((f) => f.clientOrderId === request.clientOrderId);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      mine.forEach(expectWellFormedFill);
      expect((await s.broker.positions()).map((p) => p.instrument)).toContain(s.instrument);
    });

    it('reports positions with signed decimal quantities', async () => {
      const positions = await s.broker.positions();
      expect(positions.length).toBeGreaterThanOrEqual(s.seeded?.positions ?? 0);
      positions.forEach(expectWellFormedPosition);
    });

    it('refuses a request it cannot send, without sending it', async () => {
      const request = { ...resting(s, cid()), quantity: '-1' };
      expect((await failure(() => s.broker.submit(request))).code).toBe<BrokerErrorCode>('BROKER_REJECTED');
      if (s.venue) expect(s.venue.count(request.clientOrderId)).toBe(0);
    });

    describe('when answers are lost', () => {
      const withVenue = (run: (venue: ContractVenue) => Promise<void>) => async () => {
        if (!s.venue) return;
        await run(s.venue);
      };

      it.each<FaultKind>(['drop', 'timeout', 'unavailable'])('ends with exactly one order after a %s on submit', async (fault) => {
        await withVenue(async (venue) => {
          const request = resting(s, cid());
          venue.inject('submit', fault);
          const order = await submitOrRetry(s.broker, request);
          expectWellFormedOrder(order, request);
          expect(venue.count(request.clientOrderId)).toBe(1);
          // And a later retry of the same intent still finds that one order.
          expect((await s.broker.submit(request)).brokerOrderId).toBe(order.brokerOrderId);
          expect(venue.count(request.clientOrderId)).toBe(1);
        })();
      });

      it('reports refused credentials as BROKER_AUTH, with no secret in the message', async () => {
        await withVenue(async (venue) => {
          venue.inject('positions', 'unauthorized');
          const err = await failure(() => s.broker.positions());
          expect(err.code).toBe<BrokerErrorCode>('BROKER_AUTH');
          expect(err.uncertain).toBe(false);
          for (const secret of s.secrets ?? []) expect(err.message).not.toContain(secret);
        })();
      });

      it('reports an unreadable answer as BROKER_PROTOCOL', async () => {
        await withVenue(async (venue) => {
          venue.inject('positions', 'garbage');
          const err = await failure(() => s.broker.positions());
          expect(err.code).toBe<BrokerErrorCode>('BROKER_PROTOCOL');
          for (const secret of s.secrets ?? []) expect(err.message).not.toContain(secret);
        })();
      });
    });
  });
}
