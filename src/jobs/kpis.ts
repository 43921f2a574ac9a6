/**
 * The KPIs on a running bus: the tracker's stages subscribed next to the engine's, and the Prometheus registry
 * they feed. The composition root starts it and hands `source` to the API (`kpis(from, to)`, `GET /metrics`).
 */
import type { Bus, Subscription } from '../engine/bus/bus.js';
import { KpiMetrics } from '../engine/kpis/prometheus.js';
import { type KpiReport, KpiTracker } from '../engine/kpis/tracker.js';
import { runStage } from '../engine/stage.js';

export interface KpiSource {
  report(from: number | null, to: number | null): KpiReport;
  /** The Prometheus exposition: its content type and text. */
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
}

export interface RunningKpis {
  readonly tracker: KpiTracker;
  readonly source: KpiSource;
  stop(): Promise<void>;
}

export function startKpis(bus: Bus, options: { readonly wallNow?: () => number } = {}): RunningKpis {
  const metrics = new KpiMetrics();
  const tracker = new KpiTracker({ metrics, ...(options.wallNow ? { wallNow: options.wallNow } : {}) });
  // New groups start at the latest event: what a previous run left on a Redis stream is not this run's KPIs.
  const subscriptions: Subscription[] = tracker.stages().map((stage) => runStage(bus, stage, { from: 'latest' }));
  return {
    tracker,
    source: {
      report: (from, to) => tracker.report(from, to),
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.render() }),
    },
    stop: async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    },
  };
}
