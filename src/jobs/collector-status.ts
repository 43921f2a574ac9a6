/**
 * The collector jobs' statuses as the API reads them: the current list, and each change as it happens.
 * `startCollectorJobs` takes `notify` as its `onChange` before the jobs exist, and `follow` points the list at
 * the jobs once they run, so the API server can be built before or after them.
 */
import type { CollectorStatus, StatusListener } from '../engine/collectors/status.js';
import type { CollectorJobs } from './collectors.js';

export class CollectorStatusFeed {
  readonly #listeners = new Set<StatusListener>();
  #jobs: Pick<CollectorJobs, 'collectors'> | null = null;

  /** Pass as `startCollectorJobs({ onChange })`. */
  readonly notify: StatusListener = (status) => {
    for (const listener of [...this.#listeners]) listener(status);
  };

  /** Lists the statuses of these jobs from now on. */
  follow(jobs: Pick<CollectorJobs, 'collectors'>): void {
    this.#jobs = jobs;
  }

  list(): readonly CollectorStatus[] {
    return this.#jobs?.collectors ?? [];
  }

  subscribe(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
