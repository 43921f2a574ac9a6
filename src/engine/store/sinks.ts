/** The stages that persist what the pipeline produces. Inserts are idempotent by event id. */
import { Topics } from '../bus/topics.js';
import type { Stage } from '../stage.js';
import type { ConvictionScored, SignalEnriched } from '../types.js';
import type { ConvictionRepository, SignalRepository } from './ports.js';

export class SignalSink implements Stage<typeof Topics.signalsEnriched> {
  readonly name = 'store-signals';
  readonly input = Topics.signalsEnriched;
  constructor(private readonly signals: SignalRepository) {}

  async handle(event: SignalEnriched): Promise<void> {
    await this.signals.insert(event);
  }
}

export class ConvictionSink implements Stage<typeof Topics.convictions> {
  readonly name = 'store-convictions';
  readonly input = Topics.convictions;
  constructor(
    private readonly convictions: ConvictionRepository,
    /** Called after each new vector is stored (metrics, latency tracking). */
    private readonly onStored?: (event: ConvictionScored) => void,
  ) {}

  async handle(event: ConvictionScored): Promise<void> {
    const written = await this.convictions.insert(event.payload, event.causationIds);
    if (written) this.onStored?.(event);
  }
}
