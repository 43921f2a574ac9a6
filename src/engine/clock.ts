/** Time, passed to every stage so that the same inputs give the same outputs. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock that moves only when told to: for tests, backtests and replay. */
export class TestClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2024, 0, 2, 14, 30)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  set(ms: number): void {
    if (ms < this.#now) throw new Error(`TestClock cannot go back from ${this.#now} to ${ms}`);
    this.#now = ms;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * Wall time sped up by a factor, from a given start: the demo runs the simulator at, say, sixty simulated
 * seconds per real second, and every stage, TTL and `activeOnly` filter agrees because they share this clock.
 */
export class ScaledClock implements Clock {
  readonly #startWall: number;
  readonly #start: number;
  constructor(
    readonly speed: number,
    start = Date.now(),
    private readonly wall: () => number = Date.now,
  ) {
    if (!(speed > 0)) throw new Error(`ScaledClock speed must be positive, got ${speed}`);
    this.#startWall = wall();
    this.#start = start;
  }
  now(): number {
    return this.#start + Math.floor((this.wall() - this.#startWall) * this.speed);
  }
}
