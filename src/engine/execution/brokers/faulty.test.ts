import { describe, expect, it } from 'vitest';
import { TestClock } from '../../clock.js';
import { Random } from '../../random.js';
import type { BrokerOrderRequest } from '../broker.js';
import { FaultyBroker } from './faulty.js';
import { PaperBroker } from './paper.js';

const req: BrokerOrderRequest = { clientOrderId: 'c1', instrument: 'AAPL', side: 'BUY', type: 'MARKET', quantity: '1', limitPrice: null, timeInForce: 'GTC' };
const make = () => {
  const paper = new PaperBroker({ clock: new TestClock(), random: new Random(1) });
  return { paper, faulty: new FaultyBroker(paper) };
};

describe('FaultyBroker', () => {
  it('drop: the venue acts, the caller gets an uncertain error', async () => {
    const { paper, faulty } = make();
    faulty.inject('submit', { kind: 'drop' });
    await expect(faulty.submit(req)).rejects.toMatchObject({ code: 'BROKER_TIMEOUT', uncertain: true });
    expect(await paper.getOrder('c1')).not.toBeNull();
  });

  it.each([
    [{ kind: 'timeout' } as const, 'BROKER_TIMEOUT'],
    [{ kind: 'unavailable' } as const, 'BROKER_UNAVAILABLE'],
    [{ kind: 'error', code: 'BROKER_AUTH' } as const, 'BROKER_AUTH'],
  ])('%o fails before the venue acts', async (fault, code) => {
    const { paper, faulty } = make();
    faulty.inject('submit', fault);
    await expect(faulty.submit(req)).rejects.toMatchObject({ code });
    expect(await paper.getOrder('c1')).toBeNull();
  });

  it('fails N times, then passes calls through, counting them all', async () => {
    const { faulty } = make();
    faulty.failTimes('getOrder', 2, { kind: 'unavailable' });
    await expect(faulty.getOrder('c1')).rejects.toBeDefined();
    await expect(faulty.getOrder('c1')).rejects.toBeDefined();
    expect(await faulty.getOrder('c1')).toBeNull();
    expect(faulty.calls('getOrder')).toBe(3);
    expect(faulty.queued('getOrder')).toBe(0);
  });

  it('hang never answers (the venue acts when forwarded); delay answers late', async () => {
    const { paper, faulty } = make();
    faulty.inject('submit', { kind: 'hang', forward: true });
    const pending = faulty.submit(req);
    const raced = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(() => r('silent'), 30))]);
    expect(raced).toBe('silent');
    expect(await paper.getOrder('c1')).not.toBeNull();
    faulty.inject('getOrder', { kind: 'delay', ms: 20 });
    const start = performance.now();
    expect(await faulty.getOrder('c1')).not.toBeNull();
    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
  });
});
