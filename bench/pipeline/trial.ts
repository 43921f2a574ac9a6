/**
 * One trial: a fresh deployment, the real engine with no collectors, warm-up bars published and drained,
 * then the measured events published on `signals.raw` at a target rate for a fixed time.
 *
 * Latency is wall clock from the moment an event is published (the engine's latency tracker is marked just
 * before `publish`) to the moment its enriched signal, and the conviction it triggered, are stored.
 *
 * Throughput is judged by the backlog: `bus.lag()` is sampled while publishing, and after the last event the
 * trial waits (up to a cap) for the bus to drain. Processed events are those every consumer group of
 * `signals.raw` and `signals.enriched` has handled; the achieved rate is processed events over the time
 * from the first publish to the drain (or to the cap).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus, TopicLag } from '../../src/engine/bus/bus.js';
import { Topics } from '../../src/engine/bus/topics.js';
import { LiveClock } from '../../src/engine/clock.js';
import { UNIVERSE } from '../../src/engine/collectors/universe.js';
import { Engine } from '../../src/engine/engine.js';
import { LatencyTracker, type Percentiles } from '../../src/engine/metrics.js';
import type { SignalIngested } from '../../src/engine/types.js';
import { deploy, type Mode } from './deployments.js';
import { buildWorkload } from './workload.js';

export interface TrialSettings {
  readonly mode: Mode;
  /** Signals per second offered. */
  readonly rate: number;
  readonly seconds: number;
  readonly warmupBars: number;
  readonly seed: number;
  /** How long to wait for the backlog to clear after the last publish. */
  readonly drainCapSeconds: number;
}

export interface LagSample {
  /** Milliseconds since the first measured publish. */
  readonly atMs: number;
  readonly published: number;
  /** Events waiting at the slowest consumer group of the signal topics. */
  readonly backlog: number;
}

export interface TrialResult {
  readonly mode: Mode;
  readonly targetRate: number;
  readonly seconds: number;
  readonly published: number;
  /** Published events over the publishing window: below the target when the publisher itself fell behind. */
  readonly offeredRate: number;
  readonly processed: number;
  readonly achievedRate: number;
  /** Backlog when the last event was published. */
  readonly backlogAtEnd: number;
  readonly backlogPeak: number;
  /** Milliseconds from the last publish until the bus drained; null when it had not within the cap. */
  readonly drainMs: number | null;
  /**
   * The pipeline kept up: the offered rate within 5% of the target, the achieved rate within 3%, and less than a
   * quarter of a second's input waiting when publishing stopped (a backlog that grows is not kept up with).
   */
  readonly sustained: boolean;
  readonly ingestToConviction: Percentiles | null;
  readonly ingestToSignalStored: Percentiles | null;
  readonly busErrors: number;
  /** The machine's 1-minute load average when publishing began: other work on the machine skews results. */
  readonly loadAverage: number;
  readonly stored: { readonly signals: number; readonly convictions: number; readonly auditEntries: number } | null;
  readonly lag: readonly LagSample[];
  readonly lagByGroupAtEnd: readonly TopicLag[];
}

const SIGNAL_TOPICS: ReadonlySet<string> = new Set([Topics.signalsRaw, Topics.signalsDeduplicated, Topics.signalsEnriched]);
const LAG_EVERY_MS = 500;
const SILENT = { info() {}, warn() {}, error() {} };

function backlogOf(lag: readonly TopicLag[]): number {
  return lag.filter((l) => SIGNAL_TOPICS.has(l.topic)).reduce((max, l) => Math.max(max, l.pending), 0);
}

export async function runTrial(settings: TrialSettings): Promise<TrialResult> {
  const { rate, seconds } = settings;
  const total = Math.round(rate * seconds);
  const workload = buildWorkload(settings.seed, settings.warmupBars, total);
  const deployment = await deploy(settings.mode, { streamLength: Math.max(100_000, 2 * (total + workload.warmup.length)) });
  const { bus, store } = deployment;
  // Remember every signal in flight and keep every sample of the run, whatever the backlog.
  const latency = new LatencyTracker({ capacity: total + workload.warmup.length, sampleCapacity: total });
  const engine = new Engine({
    bus,
    store,
    clock: new LiveClock(),
    contentIndex: deployment.contentIndex,
    instruments: UNIVERSE,
    collectors: [],
    log: SILENT,
    latency,
  });
  try {
    await engine.start();
    for (const event of workload.warmup) await bus.publish(Topics.signalsRaw, event);
    await engine.drain(300_000);
    latency.reset();

    const loadAverage = loadavg()[0] ?? 0;
    const t0 = performance.now();
    const lag = await publishPaced(bus, latency, workload.measured, rate, t0);
    const publishedMs = performance.now() - t0;
    const lastLag = await bus.lag();
    const backlogAtEnd = backlogOf(lastLag);

    let drainMs: number | null = null;
    let processed = total;
    try {
      await bus.drain(settings.drainCapSeconds * 1000);
      drainMs = performance.now() - t0 - publishedMs;
    } catch {
      processed = total - backlogOf(await bus.lag());
    }
    const elapsedMs = performance.now() - t0;
    const offeredRate = total / (publishedMs / 1000);
    const achievedRate = processed / (elapsedMs / 1000);
    const sustained = offeredRate >= 0.95 * rate && achievedRate >= 0.97 * rate && backlogAtEnd <= 0.25 * rate;
    const stored =
      drainMs === null
        ? null
        : { signals: await store.signals.count(), convictions: await store.convictions.count(), auditEntries: await store.audit.count() };
    return {
      mode: settings.mode,
      targetRate: rate,
      seconds,
      published: total,
      offeredRate,
      processed,
      achievedRate,
      backlogAtEnd,
      backlogPeak: Math.max(backlogAtEnd, ...lag.map((s) => s.backlog)),
      drainMs,
      sustained,
      ingestToConviction: latency.toConviction.percentiles(),
      ingestToSignalStored: latency.toSignal.percentiles(),
      busErrors: deployment.errors(),
      loadAverage,
      stored,
      lag,
      lagByGroupAtEnd: lastLag,
    };
  } finally {
    await engine.stop({ drainTimeoutMs: 1_000 });
    await deployment.close();
  }
}

/**
 * Publishes `events` so that by time t the first rate·t are out, marking each in the latency tracker just
 * before it goes. Events that fall due together are published together (the Redis bus pipelines them).
 */
async function publishPaced(
  bus: Bus,
  latency: LatencyTracker,
  events: readonly SignalIngested[],
  rate: number,
  t0: number,
): Promise<LagSample[]> {
  const samples: LagSample[] = [];
  let sent = 0;
  let nextLagAt = LAG_EVERY_MS;
  while (sent < events.length) {
    const elapsed = performance.now() - t0;
    const due = Math.min(events.length, Math.floor((elapsed / 1000) * rate));
    if (due > sent) {
      const batch = events.slice(sent, due);
      const at = performance.now();
      for (const event of batch) latency.markIngested(event.id, at);
      await Promise.all(batch.map((event) => bus.publish(Topics.signalsRaw, event)));
      sent = due;
    }
    if (elapsed >= nextLagAt) {
      samples.push({ atMs: Math.round(elapsed), published: sent, backlog: backlogOf(await bus.lag()) });
      nextLagAt += LAG_EVERY_MS;
    }
    await sleep(1);
  }
  return samples;
}
