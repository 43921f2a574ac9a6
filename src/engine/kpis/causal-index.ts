/**
 * What the KPIs need of the event graph, kept from the bus as events pass: each event's causes, and for raw
 * signals (the roots) when they were ingested and from which source. A conviction's latency and signal
 * sources, and a fill's conviction, are found by walking `causationIds` back, the way lineage is built.
 *
 * The stages that feed it run in their own consumer groups, one per topic, so an effect can be seen before
 * its cause; a walk therefore reports whether it reached every root (`complete`), and the caller retries
 * an incomplete one later. Memory is bounded: beyond `capacity` events the oldest are forgotten.
 */

export interface CausalNode {
  readonly causes: readonly string[];
  /** For raw signals: the envelope's `tsInit`, when Vanta first saw the document. */
  readonly ingestedAt?: number;
  /** For raw signals: the collector source (`sim.social`, `sec`, ...). */
  readonly source?: string;
  /** Set on conviction events, so that a walk from an order stops there. */
  readonly conviction?: boolean;
}

export interface Origin {
  /** The newest ingest time among the raw signals reached, or null when none was. */
  readonly latestIngest: number | null;
  /** Raw signals reached, by source. */
  readonly sources: ReadonlyMap<string, number>;
  /** True when every path ended at a raw signal (nothing was missing from the index). */
  readonly complete: boolean;
}

export class CausalIndex {
  readonly #nodes = new Map<string, CausalNode>();
  readonly #origins = new Map<string, Origin>();

  constructor(readonly capacity = 200_000) {}

  get size(): number {
    return this.#nodes.size;
  }

  add(id: string, node: CausalNode): void {
    if (this.#nodes.has(id)) return;
    this.#nodes.set(id, node);
    if (this.#nodes.size > this.capacity) {
      const oldest = this.#nodes.keys().next().value;
      if (oldest !== undefined) this.#nodes.delete(oldest);
    }
  }

  get(id: string): CausalNode | undefined {
    return this.#nodes.get(id);
  }

  /**
   * Walks the causes of `ids` back to raw signals. An event's origin, once complete, is remembered, so a walk
   * stops at events resolved before (a feature snapshot caused by hundreds of signals is walked once, not once
   * per conviction that reads it). Sources are counted per path through the causes.
   */
  origin(ids: readonly string[]): Origin {
    return merge([...new Set(ids)].map((id) => this.#resolve(id, 0)));
  }

  #resolve(id: string, depth: number): Origin | null {
    const cached = this.#origins.get(id);
    if (cached) return cached;
    const node = this.#nodes.get(id);
    if (!node) return null;
    if (node.ingestedAt !== undefined) {
      // A raw signal is a root, a derived one (an insider cluster) too: its source is the deriving stage.
      const own: Origin = { latestIngest: node.ingestedAt, sources: new Map(node.source ? [[node.source, 1]] : []), complete: true };
      this.#remember(id, own);
      return own;
    }
    if (depth > 32) return { latestIngest: null, sources: new Map(), complete: false };
    const origin = merge([...new Set(node.causes)].map((cause) => this.#resolve(cause, depth + 1)));
    if (origin.complete) this.#remember(id, origin);
    return origin;
  }

  #remember(id: string, origin: Origin): void {
    this.#origins.set(id, origin);
    if (this.#origins.size > this.capacity) {
      const oldest = this.#origins.keys().next().value;
      if (oldest !== undefined) this.#origins.delete(oldest);
    }
  }

  /**
   * The conviction an order event (or an intent) descends from: the first conviction reached walking its
   * causes back, breadth first. `complete` is false when the walk met an event not (yet) in the index, so a
   * null conviction may still turn up.
   */
  convictionOf(id: string, maxSteps = 64): { readonly conviction: string | null; readonly complete: boolean } {
    const queue = [id];
    const seen = new Set<string>();
    let complete = true;
    for (let steps = 0; queue.length > 0 && steps < maxSteps; steps++) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const node = this.#nodes.get(next);
      if (!node) {
        complete = false;
        continue;
      }
      if (node.conviction) return { conviction: next, complete: true };
      queue.push(...node.causes);
    }
    return { conviction: null, complete };
  }
}

/** The origin of several causes together: the latest ingest of any, sources summed, complete when all are known and complete. */
function merge(origins: readonly (Origin | null)[]): Origin {
  const sources = new Map<string, number>();
  let latest: number | null = null;
  let complete = true;
  for (const o of origins) {
    if (!o) {
      complete = false;
      continue;
    }
    if (!o.complete) complete = false;
    if (o.latestIngest !== null) latest = latest === null ? o.latestIngest : Math.max(latest, o.latestIngest);
    for (const [k, n] of o.sources) sources.set(k, (sources.get(k) ?? 0) + n);
  }
  return { latestIngest: latest, sources, complete };
}
