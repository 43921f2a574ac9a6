/**
 * CcxtBroker on a real ccxt `binance` exchange whose API URLs point at a local server replaying Binance's
 * recorded answers (recorded/ccxt-binance/PROVENANCE.md): ccxt signs every private request (the server
 * checks the HMAC) and parses every answer. The Broker contract, then: the client order id in Binance's
 * `newClientOrderId`, the duplicate refusal, the recorded trade, balance and markets, and error mapping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError, type BrokerOrderRequest } from '../../src/engine/execution/broker.js';
import { brokerContract } from '../../src/engine/execution/brokers/broker.contract.js';
import { CcxtBroker, type CcxtBrokerOptions } from '../../src/engine/execution/brokers/ccxt-broker.js';
import { BINANCE_KEY, BINANCE_SECRET, BinanceVenue, RECORDED_TRADE_CLIENT_ID, RECORDED_TRADE_ORDER_ID } from './binance-venue.js';

const MARKETS = { 'LTC-USD': 'LTC/USDT' };

function binance(venue: BinanceVenue, over: Partial<CcxtBrokerOptions> = {}): CcxtBroker {
  return new CcxtBroker({
    exchange: 'binance',
    apiKey: BINANCE_KEY,
    secret: BINANCE_SECRET,
    markets: MARKETS,
    apiBaseUrl: venue.url,
    // Spot only, no private currency or margin lists at start: the replay serves the spot API.
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    timeoutMs: 400,
    lookup: { attempts: 3, delayMs: 20 },
    ...over,
  });
}

brokerContract('ccxt:binance (recorded answers)', async () => {
  const venue = await BinanceVenue.start();
  const broker = binance(venue);
  return {
    broker,
    instrument: 'LTC-USD',
    quantity: '0.2',
    restingLimit: '50',
    venue,
    seeded: { fills: 1, positions: 1 },
    secrets: [BINANCE_KEY, BINANCE_SECRET],
    close: async () => {
      await broker.close();
      await venue.close();
    },
  };
});

const request = (over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: 'vt0a1b2c3d4e5f60718293a4b5c6d7e8',
  instrument: 'LTC-USD',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.25',
  limitPrice: '50.5',
  timeInForce: 'GTC',
  ...over,
});

describe('CcxtBroker on binance', () => {
  let venue: BinanceVenue;
  let broker: CcxtBroker;
  beforeAll(async () => {
    venue = await BinanceVenue.start();
    broker = binance(venue);
  });
  afterAll(async () => {
    await broker.close();
    await venue.close();
  });

  it('is named after the exchange', () => {
    expect(broker.venue).toBe('ccxt:binance');
  });

  it('sends the client order id as newClientOrderId, signed, with exact decimals', async () => {
    const order = await broker.submit(request({ clientOrderId: 'vt-signed' }));
    const [post] = venue.server.requestsTo('POST', /^\/api\/v3\/order$/).slice(-1);
    expect(post!.params.get('newClientOrderId')).toBe('vt-signed');
    expect(post!.params.get('symbol')).toBe('LTCUSDT');
    expect(post!.params.get('quantity')).toBe('0.25');
    expect(post!.params.get('price')).toBe('50.5');
    expect(post!.params.get('timeInForce')).toBe('GTC');
    expect(post!.params.get('signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(order).toMatchObject({ clientOrderId: 'vt-signed', instrument: 'LTC-USD', status: 'accepted', quantity: '0.25', limitPrice: '50.5', filledQuantity: '0' });
  });

  it('answers Binance\'s "Duplicate order sent." with the order it holds', async () => {
    const first = await broker.submit(request({ clientOrderId: 'vt-dup' }));
    const again = await binance(venue).submit(request({ clientOrderId: 'vt-dup' }));
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    expect(venue.count('vt-dup')).toBe(1);
  });

  it('reads the recorded trade, its fee, and its order\'s client order id', async () => {
    expect(await broker.fills(0)).toEqual([
      {
        brokerFillId: '309520010',
        brokerOrderId: RECORDED_TRADE_ORDER_ID,
        clientOrderId: RECORDED_TRADE_CLIENT_ID,
        instrument: 'LTC-USD',
        side: 'SELL',
        quantity: '0.2',
        price: '69.63',
        fee: '0.013926',
        feeCurrency: 'USDT',
        ts: 1698138992358,
      },
    ]);
  });

  it('reads the recorded spot balance of the traded market as the position', async () => {
    expect(await broker.positions()).toEqual([{ instrument: 'LTC-USD', quantity: '0.919741', avgPrice: '0' }]);
  });

  it('refuses before sending what it cannot express exactly or at all', async () => {
    const before = venue.server.requests.length;
    for (const [bad, why] of [
      [request({ instrument: 'DOGE-USD' }), /not routed/],
      [request({ timeInForce: 'DAY' }), /DAY/],
      [request({ quantity: '0.1234567890123456' }), /significant digits/],
    ] as const) {
      const e = (await broker.submit(bad).catch((x: unknown) => x)) as BrokerError;
      expect(e.code).toBe('BROKER_REJECTED');
      expect(e.message).toMatch(why);
    }
    expect(venue.server.requests.length).toBe(before);
  });

  it('maps a refused key to BROKER_AUTH without the key or secret in the message', async () => {
    const bad = binance(venue, { secret: 'anotherSecretThatIsWrong0000' });
    const e = (await bad.positions().catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_AUTH');
    expect(e.message).not.toContain('anotherSecretThatIsWrong0000');
    expect(e.message).not.toContain(BINANCE_KEY);
    expect(e.message).not.toMatch(/signature=[0-9a-f]{8}/);
  });

  it('maps a market the venue does not list to BROKER_NOT_FOUND', async () => {
    const e = (await binance(venue, { markets: { 'XYZ-USD': 'XYZ/USDT' } }).openOrders().catch((x: unknown) => x)) as BrokerError;
    expect(e.code).toBe('BROKER_NOT_FOUND');
  });
});
