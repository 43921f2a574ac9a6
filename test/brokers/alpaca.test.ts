/**
 * AlpacaBroker against a local server replaying Alpaca's recorded answers (recorded/alpaca/PROVENANCE.md):
 * the Broker contract, then what is particular to Alpaca: the request it sends, the statuses it reads,
 * the recorded positions and fills, 422 duplicates, 403 refusals, and secrets kept out of messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError, type BrokerOrderRequest } from '../../src/engine/execution/broker.js';
import { AlpacaBroker, type AlpacaBrokerOptions } from '../../src/engine/execution/brokers/alpaca.js';
import { ALPACA_STATUS, readAlpacaOrder } from '../../src/engine/execution/brokers/alpaca-map.js';
import { brokerContract } from '../../src/engine/execution/brokers/broker.contract.js';
import { AnswerReader, SymbolMap } from '../../src/engine/execution/brokers/http-fields.js';
import { ALPACA_KEY, ALPACA_SECRET, AlpacaVenue, RECORDED_FILL_CLIENT_ID, RECORDED_FILL_ORDER_ID } from './alpaca-venue.js';
import { recordedJson } from './replay-server.js';

const fast = { timeoutMs: 400, lookup: { attempts: 3, delayMs: 20 } } as const;

function alpaca(venue: AlpacaVenue, over: Partial<AlpacaBrokerOptions> = {}): AlpacaBroker {
  return new AlpacaBroker({ keyId: ALPACA_KEY, secretKey: ALPACA_SECRET, baseUrl: venue.url, ...fast, ...over });
}

brokerContract('alpaca (recorded answers)', async () => {
  const venue = await AlpacaVenue.start();
  return {
    broker: alpaca(venue),
    instrument: 'AAPL',
    quantity: '1',
    restingLimit: '1.5',
    venue,
    seeded: { fills: 1, positions: 1 },
    secrets: [ALPACA_KEY, ALPACA_SECRET],
    close: () => venue.close(),
  };
});

const request = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: 'vt0a1b2c3d4e5f60718293a4b5c6d7e8',
  instrument: 'AAPL',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '2.5',
  limitPrice: '187.25',
  timeInForce: 'DAY',
  ...over,
});

describe('AlpacaBroker', () => {
  let venue: AlpacaVenue;
  let broker: AlpacaBroker;
  beforeAll(async () => {
    venue = await AlpacaVenue.start();
    broker = alpaca(venue);
  });
  afterAll(() => venue.close());

  it('posts the order as JSON with the credentials in Alpaca headers and decimals as strings', async () => {
    const order = await broker.submit(request({ clientOrderId: 'vt-post-shape' }));
    const [post] = venue.server.requestsTo('POST', /^\/v2\/orders$/).slice(-1);
    expect(post!.headers['apca-api-key-id']).toBe(ALPACA_KEY);
    expect(post!.headers['apca-api-secret-key']).toBe(ALPACA_SECRET);
    expect(post!.json).toEqual({ symbol: 'AAPL', qty: '2.5', side: 'buy', type: 'limit', time_in_force: 'day', limit_price: '187.25', client_order_id: 'vt-post-shape' });
    expect(order).toMatchObject({ clientOrderId: 'vt-post-shape', status: 'accepted', quantity: '2.5', limitPrice: '187.25', filledQuantity: '0', avgFillPrice: null });
  });

  it('answers a 422 duplicate with the order Alpaca already holds, without a second order', async () => {
    const first = await broker.submit(request({ clientOrderId: 'vt-dup' }));
    // A fresh adapter knows nothing: Alpaca's own refusal is what keeps it to one order.
    const again = await alpaca(venue).submit(request({ clientOrderId: 'vt-dup' }));
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    expect(venue.count('vt-dup')).toBe(1);
    expect(venue.server.requestsTo('POST', /^\/v2\/orders$/).filter((r) => (r.json as { client_order_id: string }).client_order_id === 'vt-dup')).toHaveLength(2);
  });

  it('reads the recorded positions exactly', async () => {
    expect(await broker.positions()).toEqual([{ instrument: 'AAPL', quantity: '5', avgPrice: '100' }]);
  });

  it('reads the recorded fill and resolves its client order id through its order', async () => {
    const fills = await broker.fills(Date.UTC(2022, 2, 4));
    expect(fills).toEqual([
      {
        brokerFillId: '20220304095318500::092cd749-b783-49cb-a36e-4d8666be201f',
        brokerOrderId: RECORDED_FILL_ORDER_ID,
        clientOrderId: RECORDED_FILL_CLIENT_ID,
        instrument: 'GOOGL',
        side: 'BUY',
        quantity: '9',
        price: '2630.95',
        fee: '0',
        feeCurrency: 'USD',
        ts: Date.UTC(2022, 2, 4, 14, 53, 18, 500),
      },
    ]);
    const [call] = venue.server.requestsTo('GET', /activities\/FILL$/).slice(-1);
    expect(call!.url.searchParams.get('after')).toBe('2022-03-03T23:59:59.999Z');
    expect(await broker.fills(Date.UTC(2022, 2, 4, 14, 53, 18, 501))).toEqual([]);
  });

  it('keeps the key and secret out of an error message', async () => {
    const bad = new AlpacaBroker({ keyId: ALPACA_KEY, secretKey: 'wrong-secret-value-123', baseUrl: venue.url, ...fast });
    const e = (await bad.positions().catch((x: unknown) => x)) as BrokerError;
    expect(e).toBeInstanceOf(BrokerError);
    expect(e.code).toBe('BROKER_AUTH');
    expect(e.message).not.toContain('wrong-secret-value-123');
    expect(e.message).not.toContain(ALPACA_KEY);
    expect(e.message).toContain('401');
  });

  it('reads a 403 with a business code as a refusal, not an authentication failure', async () => {
    venue.server.inject('POST', /^\/v2\/orders$/, { kind: 'status', status: 403, body: '{"code":40310000,"message":"insufficient buying power"}' });
    const e = (await broker.submit(request({ clientOrderId: 'vt-poor' })).catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_REJECTED');
    expect(e.message).toContain('insufficient buying power');
    expect(venue.count('vt-poor')).toBe(0);
  });

  it('refuses a client order id longer than Alpaca allows before sending', async () => {
    const before = venue.server.requests.length;
    const e = (await broker.submit(request({ clientOrderId: 'x'.repeat(129) })).catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_REJECTED');
    expect(venue.server.requests.length).toBe(before);
  });

  it('reports a partially filled order as such', async () => {
    const order = await broker.submit(request({ clientOrderId: 'vt-partial' }));
    Object.assign(venue.orders.get(order.brokerOrderId)!, { status: 'partially_filled', filled_qty: '1', filled_avg_price: '187.2' });
    expect(await broker.getOrder('vt-partial')).toMatchObject({ status: 'partially_filled', filledQuantity: '1', avgFillPrice: '187.2' });
  });
});

describe('Alpaca order statuses', () => {
  const r = new AnswerReader('alpaca', 'test');
  const symbols = new SymbolMap();
  const recorded = recordedJson('alpaca/order-market.json');

  it.each(Object.entries(ALPACA_STATUS))('%s', (status, expected) => {
    const order = readAlpacaOrder(r, { ...recorded, status, symbol: 'AAPL' }, '$', symbols);
    expect(order.status).toBe(expected === 'working' ? 'accepted' : expected);
  });

  it('refuses a status it does not know, as a protocol error', () => {
    expect(() => readAlpacaOrder(r, { ...recorded, status: 'teleported' }, '$', symbols)).toThrowError(/unknown order status/);
  });

  it('reads the recorded open order of type stop as a market order, with numbers as decimals', () => {
    const [row] = recordedJson<unknown[]>('alpaca/orders-open.json');
    expect(readAlpacaOrder(r, row, '$', symbols)).toMatchObject({
      brokerOrderId: '0b11f089-722d-4ced-9beb-e2eeed3637dc',
      clientOrderId: 'string',
      instrument: 'SPY',
      type: 'MARKET',
      quantity: '1',
      filledQuantity: '0',
      avgFillPrice: null,
      status: 'accepted',
      updatedAt: Date.UTC(2019, 7, 24, 14, 15, 22),
    });
  });
});
