/**
 * The execution engine's stages on the bus: the intake (order intents into the autotrade queue) and the bar
 * feed (each bar updates the last prices and the market book, and fills the paper broker's working orders).
 */
import { Topics } from '../bus/topics.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { Bar, SignalEnriched } from '../types.js';
import type { MarketBook } from '../vaults/market-book.js';
import type { OrderIntentCreated } from '../vaults/allocation-stage.js';
import { BarFeed } from './bar-feed.js';
import type { PaperBroker } from './brokers/paper.js';
import type { Executor } from './executor.js';
import { IntentIntake } from './intake.js';
import type { MemoryLastPrices } from './ports.js';
import type { AutotradeQueue } from './queue.js';

export class IntakeStage implements Stage<typeof Topics.orderIntents> {
  readonly name = 'execution-intake';
  readonly input = Topics.orderIntents;
  readonly #intake: IntentIntake;

  constructor(queue: AutotradeQueue, clock: Clock) {
    this.#intake = new IntentIntake(queue, clock);
  }

  async handle(event: OrderIntentCreated): Promise<void> {
    const { clientOrderId: _id, ...intent } = event.payload;
    await this.#intake.handle({ ...event, payload: intent });
  }
}

export interface BarStagePorts {
  readonly market: MarketBook;
  readonly prices: MemoryLastPrices;
  readonly paper: PaperBroker | null;
  readonly executor: Executor;
}

export class BarStage implements Stage<typeof Topics.signalsEnriched> {
  readonly name = 'execution-bars';
  readonly input = Topics.signalsEnriched;
  readonly #feed: BarFeed;

  constructor(private readonly ports: BarStagePorts) {
    this.#feed = new BarFeed({ prices: ports.prices, executor: ports.executor, paper: ports.paper });
  }

  async handle(event: SignalEnriched): Promise<void> {
    const s = event.payload;
    if (s.kind !== 'bar' || !s.instrument) return;
    const bar = s.body as unknown as Bar;
    if (!(Number(bar.close) > 0)) return;
    this.ports.market.onBar(s.instrument, bar);
    await this.#feed.onBar(s.instrument, bar, event.tsEvent);
  }
}
