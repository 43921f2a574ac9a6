/**
 * The co-trading job: every `intervalMs` of wall time, runs Louvain community detection over the activity window
 * the entity stage fills, and publishes each community it finds as a `co_trading_community` signal on
 * `signals.raw`, caused by the member activity behind it, so that it is de-duplicated, stored, audited and
 * traced like any other signal.
 *
 * A community is re-published only when it changes (its members or its latest activity: the signal's id is
 * derived from both); the job remembers what it published, and de-duplication would drop a repeat anyway.
 * Detection runs on the engine's thread: its cost grows with the window (see `maxActivities`), and each run's
 * duration is logged.
 */
import type { Bus } from '../engine/bus/bus.js';
import { Topics } from '../engine/bus/topics.js';
import type { Clock } from '../engine/clock.js';
import type { ActivityWindow } from '../engine/entities/activity-window.js';
import type { CoTradingDetector, CommunityReport } from '../engine/entities/co-trading.js';
import { coTradingDraft, entitySignalEvent } from '../engine/entities/signals.js';
import type { SignalIngested } from '../engine/types.js';

export interface CoTradingJobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface CoTradingJobOptions {
  readonly bus: Bus;
  /** Stamps `tsInit` on what the job publishes (the engine's clock). */
  readonly clock: Clock;
  readonly window: ActivityWindow;
  readonly detector: CoTradingDetector;
  /** Wall milliseconds between runs. */
  readonly intervalMs: number;
  readonly log: CoTradingJobLogger;
}

export interface CoTradingRun {
  readonly report: CommunityReport;
  /** The signals this run published (communities new or changed since the last run). */
  readonly published: readonly SignalIngested[];
  readonly durationMs: number;
}

/** How many published signal ids are remembered to skip unchanged communities. */
const REMEMBERED = 10_000;

export class CoTradingJob {
  readonly #published = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;

  constructor(private readonly options: CoTradingJobOptions) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#running) return; // a slow run is never overlapped by the next
      this.#running = this.runOnce()
        .catch((err: unknown) => this.options.log.warn({ err }, 'co-trading detection failed; retrying next interval'))
        .finally(() => (this.#running = null));
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a run in flight. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One detection over the window as it is now. */
  async runOnce(): Promise<CoTradingRun> {
    const { bus, clock, window, detector, log } = this.options;
    const started = performance.now();
    const activities = window.snapshot();
    const report = detector.detect(activities);
    const fresh = report.communities
      .map((community) => entitySignalEvent(coTradingDraft(community, report), clock.now()))
      .filter((event) => !this.#published.has(event.id));
    await bus.publishMany(Topics.signalsRaw, fresh);
    for (const event of fresh) this.#remember(event.id);
    const durationMs = performance.now() - started;
    log.info(
      {
        activities: activities.length,
        nodes: report.nodes,
        edges: report.edges,
        communities: report.communities.length,
        published: fresh.length,
        modularity: Number(report.modularity.toFixed(4)),
        durationMs: Math.round(durationMs),
      },
      'co-trading communities detected',
    );
    return { report, published: fresh, durationMs };
  }

  #remember(id: string): void {
    this.#published.add(id);
    if (this.#published.size > REMEMBERED) {
      const oldest = this.#published.values().next().value;
      if (oldest !== undefined) this.#published.delete(oldest);
    }
  }
}
