/**
 * Where bars meet execution: each bar (from the simulator or a replayed series) updates the last trade the
 * risk checks read, is fed to the paper broker so resting orders can fill, and then the paper venue is
 * synced so the fills and expiries reach the store, the ledger and the bus at once.
 */
import type { Bar } from '../types.js';
import type { PaperBroker } from './brokers/paper.js';
import type { Executor } from './executor.js';
import { text, dec } from './money.js';
import type { MemoryLastPrices } from './ports.js';
import type { VenueSyncReport } from './order-sync.js';

export class BarFeed {
  constructor(
    private readonly o: {
      readonly prices: MemoryLastPrices;
      readonly executor: Executor;
      /** The paper venue, when one is routed. */
      readonly paper: PaperBroker | null;
    },
  ) {}

  /** `ts` is the end of the bar, as bar signals are stamped. Returns the paper venue's sync, if it ran. */
  async onBar(instrument: string, bar: Bar, ts: number): Promise<VenueSyncReport | null> {
    this.o.prices.update(instrument, text(dec(bar.close)), ts);
    const paper = this.o.paper;
    if (!paper) return null;
    paper.onBar(instrument, bar, ts);
    const open = await this.o.executor.journal.orders.list({ venue: paper.venue, instrument, open: true });
    if (open.length === 0) return null;
    return this.o.executor.syncVenue(paper.venue);
  }
}
