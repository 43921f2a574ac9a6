/**
 * The KPIs in Prometheus' text format, on a prom-client registry of their own (not the global one, so that two
 * servers in one process, as in the tests, never share series):
 *
 * - `vanta_ingest_to_conviction_seconds` (histogram): from a conviction's newest cause being ingested to its
 *   scoring, on the engine's clock;
 * - `vanta_bus_events_total{topic}`, `vanta_dead_letters_total{stage}`, `vanta_orders_total{status}` (order
 *   events by the status they move the order to), `vanta_order_denials_total{reason}`,
 *   `vanta_kill_switch_changes_total{engaged}` (counters);
 * - `vanta_uptime_seconds`, `vanta_precision_at_k{k="5"}` (rolling; absent until a day had five judged calls) and
 *   `vanta_realized_pnl{dimension,key}` (all-time attribution) (gauges, read when scraped).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ScrapeValues {
  readonly uptimeSeconds: number;
  readonly precisionAt5: number | null;
  readonly pnl: readonly { readonly dimension: string; readonly key: string; readonly realizedPnl: string }[];
}

/** Seconds; simulated pipelines answer in milliseconds, real sources in seconds to minutes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export class KpiMetrics {
  readonly registry = new Registry();
  readonly #latency: Histogram<string>;
  readonly #events: Counter<'topic'>;
  readonly #deadLetters: Counter<'stage'>;
  readonly #orders: Counter<'status'>;
  readonly #denials: Counter<'reason'>;
  readonly #killSwitches: Counter<'engaged'>;
  readonly #uptime: Gauge<string>;
  readonly #precision: Gauge<'k'>;
  readonly #pnl: Gauge<'dimension' | 'key'>;
  #values: () => ScrapeValues = () => ({ uptimeSeconds: 0, precisionAt5: null, pnl: [] });

  constructor() {
    const registers = [this.registry];
    this.#latency = new Histogram({
      name: 'vanta_ingest_to_conviction_seconds',
      help: "From a conviction's newest cause being ingested to the conviction being scored (engine clock).",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#events = new Counter({ name: 'vanta_bus_events_total', help: 'Events seen on the bus, by topic.', labelNames: ['topic'], registers });
    this.#deadLetters = new Counter({ name: 'vanta_dead_letters_total', help: 'Events dead-lettered, by the stage that gave up.', labelNames: ['stage'], registers });
    this.#orders = new Counter({ name: 'vanta_orders_total', help: 'Order transitions, by the status they lead to.', labelNames: ['status'], registers });
    this.#denials = new Counter({ name: 'vanta_order_denials_total', help: 'Orders denied by pre-trade risk, by reason.', labelNames: ['reason'], registers });
    this.#killSwitches = new Counter({ name: 'vanta_kill_switch_changes_total', help: 'Kill switches engaged or released.', labelNames: ['engaged'], registers });
    const self = this;
    this.#uptime = new Gauge({
      name: 'vanta_uptime_seconds',
      help: 'Seconds since the server started.',
      registers,
      collect() {
        this.set(self.#values().uptimeSeconds);
      },
    });
    this.#precision = new Gauge({
      name: 'vanta_precision_at_k',
      help: 'Rolling Precision@k: mean over days with k judged calls of the share of the k strongest confirmed by the next horizon; absent until a day had k.',
      labelNames: ['k'],
      registers,
      collect() {
        this.reset();
        const value = self.#values().precisionAt5;
        if (value !== null) this.set({ k: '5' }, value);
      },
    });
    this.#pnl = new Gauge({
      name: 'vanta_realized_pnl',
      help: 'Realized PnL attributed by dimension (band, vault, model, source) and key, since start.',
      labelNames: ['dimension', 'key'],
      registers,
      collect() {
        this.reset();
        for (const row of self.#values().pnl) this.set({ dimension: row.dimension, key: row.key }, Number(row.realizedPnl));
      },
    });
  }

  /** Where the scrape-time gauges read their values. */
  bind(values: () => ScrapeValues): void {
    this.#values = values;
  }

  event(topic: string): void {
    this.#events.inc({ topic });
  }
  deadLetter(stage: string): void {
    this.#deadLetters.inc({ stage });
  }
  order(status: string): void {
    this.#orders.inc({ status });
  }
  denial(reason: string): void {
    this.#denials.inc({ reason });
  }
  killSwitch(engaged: boolean): void {
    this.#killSwitches.inc({ engaged: String(engaged) });
  }
  latency(seconds: number): void {
    this.#latency.observe(seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
