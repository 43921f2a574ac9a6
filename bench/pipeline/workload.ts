/**
 * The benchmark's input: simulator events generated before the clock starts, so generating them costs the
 * pipeline nothing. About 75 events per simulated 1-minute bar over the 52-instrument universe.
 *
 * The warm-up bars come first and are published as fast as the pipeline takes them: the z-score model needs
 * 20 closed buckets of each series before it scores, so without them no conviction would flow. The measured
 * events continue the same simulated timeline.
 */
import { SimulatorCore } from '../../src/engine/collectors/simulator/core.js';
import type { SignalIngested } from '../../src/engine/types.js';

/** Start of the simulated timeline: fixed, so every run publishes the same documents. */
const START_MS = Date.UTC(2024, 0, 2, 14, 30);

export interface Workload {
  readonly warmup: readonly SignalIngested[];
  readonly measured: readonly SignalIngested[];
}

export function buildWorkload(seed: number, warmupBars: number, measuredEvents: number): Workload {
  const sim = new SimulatorCore({ seed });
  let ts = START_MS;
  const next = (): SignalIngested[] => sim.step((ts += sim.barMs));
  const warmup: SignalIngested[] = [];
  for (let i = 0; i < warmupBars; i++) warmup.push(...next());
  const measured: SignalIngested[] = [];
  while (measured.length < measuredEvents) measured.push(...next());
  return { warmup, measured: measured.slice(0, measuredEvents) };
}
