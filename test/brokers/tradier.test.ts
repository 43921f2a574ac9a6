/**
 * TradierBroker against a local server replaying Tradier's recorded answers
 * (recorded/tradier/PROVENANCE.md): the Broker contract, then Tradier's particulars: the form it posts,
 * tag rules, the JSON quirks (one item as an object, none as "null"), 200 answers carrying `errors`,
 * fills derived from final orders, positions from cost basis, and a bearer token kept out of messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError, type BrokerOrderRequest } from '../../src/engine/execution/broker.js';
import { brokerContract } from '../../src/engine/execution/brokers/broker.contract.js';
import { AnswerReader, SymbolMap } from '../../src/engine/execution/brokers/http-fields.js';
import { TradierBroker, type TradierBrokerOptions } from '../../src/engine/execution/brokers/tradier.js';
import { readTradierOrder, readTradierPosition, TRADIER_STATUS } from '../../src/engine/execution/brokers/tradier-map.js';
import { recordedJson, recordedText } from './replay-server.js';
import { RECORDED_ORDER_ID, RECORDED_TAG, TRADIER_ACCOUNT, TRADIER_TOKEN, TradierVenue } from './tradier-venue.js';

const fast = { timeoutMs: 400, lookup: { attempts: 3, delayMs: 20 } } as const;

function tradier(venue: TradierVenue, over: Partial<TradierBrokerOptions> = {}): TradierBroker {
  return new TradierBroker({ token: TRADIER_TOKEN, accountId: TRADIER_ACCOUNT, baseUrl: venue.url, ...fast, ...over });
}

brokerContract('tradier (recorded answers)', async () => {
  const venue = await TradierVenue.start();
  return {
    broker: tradier(venue),
    instrument: 'AAPL',
    quantity: '1',
    restingLimit: '1.5',
    venue,
    seeded: { fills: 1, positions: 5 },
    secrets: [TRADIER_TOKEN],
    close: () => venue.close(),
  };
});

const request = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: 'vt0a1b2c3d4e5f60718293a4b5c6d7e8',
  instrument: 'AAPL',
  side: 'SELL',
  type: 'LIMIT',
  quantity: '3',
  limitPrice: '190.5',
  timeInForce: 'GTC',
  ...over,
});

describe('TradierBroker', () => {
  let venue: TradierVenue;
  let broker: TradierBroker;
  beforeAll(async () => {
    venue = await TradierVenue.start();
    broker = tradier(venue);
  });
  afterAll(() => venue.close());

  it('posts a form with the bearer token, the client order id as the tag, and reads the order back', async () => {
    const order = await broker.submit(request({ clientOrderId: 'vt-form' }));
    const [post] = venue.server.requestsTo('POST', /\/orders$/).slice(-1);
    expect(post!.headers.authorization).toBe(`Bearer ${TRADIER_TOKEN}`);
    expect(post!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(post!.body))).toEqual({
      class: 'equity', symbol: 'AAPL', side: 'sell', quantity: '3', type: 'limit', duration: 'gtc', tag: 'vt-form', price: '190.5',
    });
    expect(order).toMatchObject({ brokerOrderId: '1086137', clientOrderId: 'vt-form', side: 'SELL', quantity: '3', limitPrice: '190.5', status: 'accepted' });
  });

  it('looks for the tag before posting, so a second submit never places a second order', async () => {
    const first = await broker.submit(request({ clientOrderId: 'vt-twice' }));
    const posts = venue.server.requestsTo('POST', /\/orders$/).length;
    // A fresh adapter has no memory of the first: it finds the order in Tradier's listing.
    const again = await tradier(venue).submit(request({ clientOrderId: 'vt-twice' }));
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    expect(venue.server.requestsTo('POST', /\/orders$/).length).toBe(posts);
    expect(venue.count('vt-twice')).toBe(1);
  });

  it('refuses, before sending, a tag Tradier would not take and a duration it does not offer', async () => {
    const before = venue.server.requestsTo('POST', /\/orders$/).length;
    for (const bad of [request({ clientOrderId: 'has_underscore' }), request({ clientOrderId: 'x'.repeat(256) }), request({ timeInForce: 'IOC' })]) {
      const e = (await broker.submit(bad).catch((x: unknown) => x)) as BrokerError;
      expect(e.code).toBe('BROKER_REJECTED');
    }
    expect(venue.server.requestsTo('POST', /\/orders$/).length).toBe(before);
  });

  it('reads a 200 answer carrying `errors` as a refusal', async () => {
    venue.server.inject('POST', /\/orders$/, { kind: 'status', status: 200, body: recordedText('tradier/error-buying-power.json') });
    const e = (await broker.submit(request({ clientOrderId: 'vt-poor' })).catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_REJECTED');
    expect(e.message).toContain('You do not have enough buying power for this trade.');
  });

  it('reports the recorded filled order as one fill at its average price', async () => {
    const fills = await broker.fills(0);
    expect(fills.find((f) => f.clientOrderId === RECORDED_TAG)).toEqual({
      brokerFillId: String(RECORDED_ORDER_ID),
      brokerOrderId: String(RECORDED_ORDER_ID),
      clientOrderId: RECORDED_TAG,
      instrument: 'AAPL',
      side: 'BUY',
      quantity: '50',
      price: '22',
      fee: '0',
      feeCurrency: 'USD',
      ts: Date.UTC(2018, 5, 1, 12, 30, 2, 385),
    });
  });

  it('reads the recorded positions with exact average prices from the cost basis', async () => {
    expect(await broker.positions()).toEqual([
      { instrument: 'CONE', quantity: '10', avgPrice: '51.95' },
      { instrument: 'DIS', quantity: '4', avgPrice: '96.8199' },
      { instrument: 'NFLX', quantity: '4', avgPrice: '98.9499' },
      { instrument: 'USO', quantity: '20', avgPrice: '8.4799' },
      { instrument: 'VTI', quantity: '4', avgPrice: '121.2099' },
    ]);
  });

  it('keeps the token out of error messages', async () => {
    const e = (await new TradierBroker({ token: 'someOtherToken99', accountId: TRADIER_ACCOUNT, baseUrl: venue.url, ...fast }).positions().catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_AUTH');
    expect(e.message).not.toContain('someOtherToken99');
  });
});

describe('Tradier answers', () => {
  const r = new AnswerReader('tradier', 'test');
  const symbols = new SymbolMap();

  it('reads a recorded single order object (not a list) and a recorded "null" listing', async () => {
    const one = recordedJson<{ orders: { order: unknown } }>('tradier/orders-single.json');
    const rows = r.list(one.orders.order, '$');
    expect(rows).toHaveLength(1);
    expect(readTradierOrder(r, rows[0], '$', symbols)).toMatchObject({
      brokerOrderId: '123456', instrument: 'SPY180720C00274000', side: 'BUY', type: 'MARKET', status: 'expired', quantity: '1', clientOrderId: '',
    });
    expect(r.list(recordedJson<{ orders: unknown }>('tradier/orders-null.json').orders, '$')).toEqual([]);
  });

  it('reads a recorded single position, signed short option positions, and "null" positions', () => {
    const single = recordedJson<{ positions: { position: unknown } }>('tradier/positions-single.json');
    expect(r.list(single.positions.position, '$').map((p, i) => readTradierPosition(r, p, `[${i}]`, symbols))).toEqual([{ instrument: 'AAPL', quantity: '1', avgPrice: '207.01' }]);
    const shorts = recordedJson<{ positions: { position: unknown } }>('tradier/positions-short-options.json');
    expect(r.list(shorts.positions.position, '$').map((p, i) => readTradierPosition(r, p, `[${i}]`, symbols))).toEqual([
      { instrument: 'SPY180309P00262000', quantity: '9', avgPrice: '156' },
      { instrument: 'SPY180309P00264000', quantity: '-9', avgPrice: '181' },
    ]);
    expect(recordedJson<{ positions: unknown }>('tradier/positions-null.json').positions).toBe('null');
  });

  it.each(Object.entries(TRADIER_STATUS))('status %s', (status, expected) => {
    const { order } = recordedJson<{ order: Record<string, unknown> }>('tradier/order-equity.json');
    expect(readTradierOrder(r, { ...order, status }, '$', symbols).status).toBe(expected === 'working' ? 'accepted' : expected);
  });

  it('reads a recorded option order under its OCC symbol', () => {
    const { order } = recordedJson<{ order: unknown }>('tradier/order-option.json');
    expect(readTradierOrder(r, order, '$', symbols)).toMatchObject({ brokerOrderId: '123456', instrument: 'SPY180720C00274000', side: 'BUY', type: 'MARKET', limitPrice: null });
  });

  it('reads the recorded equity order with its JSON numbers as exact decimals', () => {
    const { order } = recordedJson<{ order: unknown }>('tradier/order-equity.json');
    expect(readTradierOrder(r, order, '$', symbols)).toEqual({
      brokerOrderId: '228175', clientOrderId: '', instrument: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '50', limitPrice: '22',
      filledQuantity: '0', avgFillPrice: null, status: 'expired', reason: null, updatedAt: Date.UTC(2018, 5, 1, 12, 30, 2, 385),
    });
  });
});
