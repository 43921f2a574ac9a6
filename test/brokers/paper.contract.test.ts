/**
 * The in-memory paper broker passes the same Broker contract as the real adapters. It has no wire, so the
 * contract's fault cases (which need a venue that counts orders and drops answers) do not apply; its fills
 * come from the bars it is fed.
 */
import { TestClock } from '../../src/engine/clock.js';
import { brokerContract } from '../../src/engine/execution/brokers/broker.contract.js';
import { PaperBroker } from '../../src/engine/execution/brokers/paper.js';
import { Random } from '../../src/engine/random.js';

brokerContract('paper', async () => {
  const clock = new TestClock(Date.UTC(2024, 0, 2, 14, 30));
  const broker = new PaperBroker({ clock, random: new Random(7) });
  return {
    broker,
    instrument: 'AAPL',
    quantity: '10',
    restingLimit: '1',
    fill: async () => {
      clock.advance(60_000);
      broker.onBar('AAPL', { open: 100, high: 101, low: 99, close: 100, volume: 1_000_000, intervalMs: 60_000 }, clock.now());
    },
  };
});
