/**
 * What every data source looks like to the engine: a named thing that can be started and stopped.
 * Collectors publish `SignalIngested` events on `signals.raw`; they never call a stage directly.
 */

export interface Collector {
  readonly name: string;
  /** Begins collecting; resolves once the collector is running (not when it has finished). */
  start(): Promise<void>;
  /** Stops collecting and persists whatever it needs to resume; resolves when nothing is in flight. */
  stop(): Promise<void>;
}

/**
 * Where a collector keeps its resume point between runs. The store's `CursorRepository` satisfies it;
 * tests use a Map.
 */
export interface CursorStore {
  get(collector: string): Promise<string | null>;
  set(collector: string, cursor: string): Promise<void>;
}

/**
 * A document a collector could not turn into a signal. Shaped like the `DeadLettered` payload so the
 * composition root can forward it to the dead-letter topic unchanged.
 */
export interface CollectorErrorReport {
  /** The collector's name (the `stage` of a dead letter). */
  readonly stage: string;
  /** What was wrong, naming the file and line when there is one. */
  readonly error: string;
  /** The offending input, as read. */
  readonly source: unknown;
}

export type CollectorErrorHandler = (report: CollectorErrorReport) => void;
