/**
 * What the social and news source tests share: the real collectors and HTTP client wired to a capture bus,
 * a cursor store that outlives collectors (so a restart is a new source and collector reading the same
 * store), and fixture JSON edited for a scenario.
 */
import { TestClock } from '../src/engine/clock.js';
import type { CursorStore } from '../src/engine/collectors/collector.js';
import { PoliteHttpClient } from '../src/engine/collectors/http-client.js';
import { PollingCollector } from '../src/engine/collectors/polling.js';
import type { PollingSource } from '../src/engine/collectors/source.js';
import { Topics } from '../src/engine/bus/topics.js';
import type { Bus } from '../src/engine/bus/bus.js';
import type { DeadLettered, SignalIngested } from '../src/engine/types.js';
import { CaptureBus } from './capture-bus.js';
import { readFixture } from './fixture-server.js';

export class MapCursors implements CursorStore {
  readonly saved = new Map<string, string>();
  async get(name: string): Promise<string | null> {
    return this.saved.get(name) ?? null;
  }
  async set(name: string, cursor: string): Promise<void> {
    this.saved.set(name, cursor);
  }
}

export function testHttp(): PoliteHttpClient {
  return new PoliteHttpClient({
    userAgent: 'Vanta/test (ops@vanta.test)',
    hosts: { '127.0.0.1': { requestsPerSecond: 1000 } },
    maxRetries: 0,
    timeoutMs: 5_000,
  });
}

export interface Rig {
  readonly bus: CaptureBus;
  readonly cursors: MapCursors;
  readonly clock: TestClock;
  readonly http: PoliteHttpClient;
  signals(): SignalIngested[];
  deadLetters(): DeadLettered[];
  /** A collector for `source` on this rig's bus, store and clock. */
  collector<C>(source: PollingSource<C>): PollingCollector<C>;
}

export function rig(start: number): Rig {
  const bus = new CaptureBus();
  const cursors = new MapCursors();
  const clock = new TestClock(start);
  const http = testHttp();
  return {
    bus,
    cursors,
    clock,
    http,
    signals: () => bus.on(Topics.signalsRaw),
    deadLetters: () => bus.on(Topics.deadLetter),
    collector: (source) => new PollingCollector({ source, bus: bus as Bus, clock, http, cursors, secrets: ['s3cret-value'] }),
  };
}

/** A JSON fixture, parsed, for a test to edit. */
export function fixtureJson(relative: string): any {
  return JSON.parse(readFixture(relative).toString('utf8'));
}

/** Waits until `check` holds, polling every 10 ms. */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
