/**
 * The simulator as a collector: a timer drives {@link SimulatorCore} and publishes what each step
 * produces on `signals.raw`.
 *
 * Two ways to keep time:
 * - fixed (default): every `tickMs` of wall time, `barsPerTick` bars of `barMs` each. The speed-up over
 *   real time is barsPerTick·barMs / tickMs (60× with the defaults: a 1-minute bar every second). Pair it
 *   with a `ScaledClock` of the same speed so tsInit and tsEvent agree.
 * - followClock: each tick emits every bar whose end the clock has passed (at most `maxBarsPerTick`),
 *   so bars are never stamped ahead of the clock whatever clock is used.
 *
 * With a cursor store, the end of the last bar published is saved after every tick, and
 * {@link planSimulatorRun} starts the next run after it: a restart over a persistent store continues
 * simulated time instead of publishing the same minutes again.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { sha256Hex } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { CursorRepository } from '../store/ports.js';
import type { Collector } from './collector.js';
import { SimulatorCore, type SimulatorOptions } from './simulator/core.js';

export { MARKET_SOURCE, SimulatorCore, type SimulatorOptions } from './simulator/core.js';
export { SOCIAL_SOURCE } from './simulator/social.js';
export { CHAIN_SOURCE, INSIDER_SOURCE, NEWS_SOURCE } from './simulator/events.js';
export type { Episode, EpisodeKind } from './simulator/types.js';

export interface SimulatorCollectorOptions extends SimulatorOptions {
  readonly bus: Bus;
  /** Stamps `tsInit`; in followClock mode also decides which bars are due. */
  readonly clock: Clock;
  /** Wall-clock milliseconds between ticks. Defaults to 1000. */
  readonly tickMs?: number;
  /** Bars simulated per tick in fixed mode. Defaults to 1. */
  readonly barsPerTick?: number;
  /** Emit the bars the clock has passed rather than a fixed number per tick. Defaults to false. */
  readonly followClock?: boolean;
  /** In followClock mode, the most bars one tick catches up. Defaults to 60. */
  readonly maxBarsPerTick?: number;
  /** Start of the first bar (epoch ms). Defaults to the clock's time, floored to a whole bar. */
  readonly startMs?: number;
  /** Name of the collector. Defaults to `simulator`. */
  readonly name?: string;
  /** Called when publishing a step fails; the timer keeps running. */
  readonly onError?: (err: unknown) => void;
  /** Where the end of the last published bar is saved after each tick (see {@link planSimulatorRun}). */
  readonly cursors?: CursorRepository;
}

/** Where a simulator run starts, and with which seed. */
export interface SimulatorRunPlan {
  readonly seed: number;
  /** Start of the first bar (epoch ms). */
  readonly startMs: number;
  /** End of the last bar published by an earlier run, if one was recorded. */
  readonly resumedAfter: number | null;
}

/**
 * Plans a run that starts `warmupBars` bars before `now` (so the models are warm at once), or right after
 * the last bar an earlier run published if that is later. A run that follows another one gets a seed
 * derived from the configured seed and its start, so its posts and filings are new documents rather than
 * replays of the first run's; the same seed and start always give the same run.
 */
export async function planSimulatorRun(options: {
  readonly cursors: CursorRepository;
  readonly name?: string;
  readonly seed: number;
  readonly barMs: number;
  readonly now: number;
  readonly warmupBars: number;
}): Promise<SimulatorRunPlan> {
  const { seed, barMs, now, warmupBars } = options;
  const fresh = Math.floor(now / barMs) * barMs - warmupBars * barMs;
  const stored = await options.cursors.get(options.name ?? 'simulator');
  const resumedAfter = stored === null ? null : parseCursor(stored);
  if (resumedAfter === null) return { seed, startMs: fresh, resumedAfter: null };
  const startMs = Math.max(fresh, resumedAfter);
  const derived = Number.parseInt(sha256Hex(`${seed}:${startMs}`).slice(0, 8), 16) | 0;
  return { seed: derived, startMs, resumedAfter };
}

function parseCursor(cursor: string): number | null {
  try {
    const lastTs = (JSON.parse(cursor) as { lastTs?: unknown }).lastTs;
    return typeof lastTs === 'number' && Number.isSafeInteger(lastTs) ? lastTs : null;
  } catch {
    return null;
  }
}

export class SimulatorCollector implements Collector {
  readonly name: string;
  readonly core: SimulatorCore;
  readonly #tickMs: number;
  readonly #barsPerTick: number;
  readonly #followClock: boolean;
  readonly #maxBarsPerTick: number;
  #startMs: number | undefined;
  readonly #onError: (err: unknown) => void;
  readonly #cursors: CursorRepository | undefined;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #running = false;
  #published = 0;
  private readonly bus: Bus;
  private readonly clock: Clock;

  constructor(options: SimulatorCollectorOptions) {
    this.bus = options.bus;
    this.clock = options.clock;
    this.name = options.name ?? 'simulator';
    this.core = new SimulatorCore(options);
    this.#tickMs = options.tickMs ?? 1000;
    this.#barsPerTick = options.barsPerTick ?? 1;
    this.#followClock = options.followClock ?? false;
    this.#maxBarsPerTick = options.maxBarsPerTick ?? 60;
    this.#startMs = options.startMs;
    this.#onError = options.onError ?? (() => {});
    this.#cursors = options.cursors;
    if (!(this.#tickMs > 0)) throw new Error(`tickMs must be positive, got ${this.#tickMs}`);
    if (!(this.#barsPerTick >= 1)) throw new Error(`barsPerTick must be at least 1, got ${this.#barsPerTick}`);
  }

  /** Events published since construction. */
  get published(): number {
    return this.#published;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops the timer and waits for the tick in flight to finish publishing. Can be started again. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#inFlight;
  }

  /**
   * Runs one tick now: simulates the bars due and publishes their events in order. The timer calls
   * this; tests and backtests may call it directly.
   */
  async tick(): Promise<number> {
    let bars = 0;
    let next = this.#nextBarEnd();
    const limit = this.#followClock ? this.#maxBarsPerTick : this.#barsPerTick;
    while (bars < limit && (!this.#followClock || next <= this.clock.now())) {
      for (const event of this.core.step(next, this.clock.now())) {
        await this.bus.publish(Topics.signalsRaw, event);
        this.#published++;
      }
      bars++;
      next += this.core.barMs;
    }
    if (bars > 0 && this.#cursors) await this.#cursors.set(this.name, JSON.stringify({ lastTs: this.core.lastTs }));
    return bars;
  }

  #nextBarEnd(): number {
    const last = this.core.lastTs;
    if (last !== null) return last + this.core.barMs;
    // The first bar starts where it was told to, or at the bar boundary the clock was in when first asked.
    const barMs = this.core.barMs;
    this.#startMs ??= Math.floor(this.clock.now() / barMs) * barMs;
    return this.#startMs + barMs;
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#inFlight = this.tick()
        .then(
          () => undefined,
          (err: unknown) => this.#onError(err),
        )
        .finally(() => {
          this.#inFlight = null;
          this.#schedule();
        });
    }, this.#tickMs);
  }
}
