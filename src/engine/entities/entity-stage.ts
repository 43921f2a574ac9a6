/**
 * The entity stage: for each enriched signal, resolve its identifiers, record what it says in the entity graph,
 * and feed insider purchases to the cluster detector; a cluster that opens or grows is handed to `emit` as a
 * signal draft, which the engine publishes on `signals.raw`. When given an activity window, the stage also adds each
 * signal's activities (insider trades, wallet transfers, author mentions) for the co-trading job to cluster.
 *
 * The detector keeps its window in memory, so the stage is deterministic for a given order of events, and
 * redeliveries are harmless (graph upserts are idempotent, the detector counts a transaction once). Scaled out,
 * it must see every insider filing of an issuer: run it as one consumer, or partition its input by issuer.
 */
import { Topics } from '../bus/topics.js';
import type { Stage } from '../stage.js';
import type { SignalEnriched } from '../types.js';
import type { ActivityWindow } from './activity-window.js';
import { activitiesOf } from './co-trading.js';
import { graphDeltaOf } from './graph.js';
import { type InsiderClusterDetector, insiderTransactionOf } from './insider-clusters.js';
import type { EntityGraphRepository } from './ports.js';
import type { EntityResolver } from './resolver.js';
import { type EntitySignalDraft, insiderClusterDraft } from './signals.js';

export class EntityStage implements Stage<typeof Topics.signalsEnriched> {
  readonly name = 'entities';
  readonly input = Topics.signalsEnriched;

  constructor(
    private readonly resolver: EntityResolver,
    private readonly graph: EntityGraphRepository,
    private readonly clusters: InsiderClusterDetector,
    private readonly emit: (draft: EntitySignalDraft) => Promise<void>,
    private readonly activities?: ActivityWindow,
  ) {}

  async handle(event: SignalEnriched): Promise<void> {
    const signal = event.payload;
    const resolution = this.resolver.resolveSignal(signal);
    const delta = graphDeltaOf(event, signal, resolution);
    if (delta.entities.length > 0) await this.graph.record(delta);
    this.activities?.add(activitiesOf(event, signal, resolution));
    const tx = insiderTransactionOf(event, signal, resolution);
    const cluster = tx ? this.clusters.observe(tx) : null;
    if (cluster) await this.emit(insiderClusterDraft(cluster, this.clusters.name));
  }
}
