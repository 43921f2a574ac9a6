/**
 * The full explanation of a stored conviction, from the audit log: the vector itself, each model output it was
 * scored from (with that model's own summary and feature attributions), and the feature values the feature
 * models read (the snapshot each output was computed from). Nothing is recomputed: every part is what was
 * recorded when the conviction was made.
 */
import type { AuditRepository, ConvictionRepository } from '../store/ports.js';
import type { ConvictionVector, FeatureSnapshot, ModelOutput } from '../types.js';

export interface ExplainedOutput {
  /** The `ModelScored` event. */
  readonly eventId: string;
  readonly output: ModelOutput;
  /** The snapshot it was computed from, for a feature model. */
  readonly snapshot: (FeatureSnapshot & { readonly eventId: string }) | null;
}

export interface ConvictionExplanation {
  readonly conviction: ConvictionVector;
  readonly outputs: readonly ExplainedOutput[];
}

export async function explainConviction(
  stores: { readonly audit: AuditRepository; readonly convictions: ConvictionRepository },
  id: string,
): Promise<ConvictionExplanation | null> {
  const conviction = await stores.convictions.get(id);
  if (!conviction) return null;
  const scored = await stores.audit.getByEventId(id);
  if (!scored) return { conviction, outputs: [] };
  const outputs = (await stores.audit.getManyByEventIds(scored.causationIds)).filter((e) => e.type === 'ModelScored');
  const snapshotIds = [...new Set(outputs.flatMap((o) => o.causationIds))];
  const snapshots = new Map((await stores.audit.getManyByEventIds(snapshotIds)).filter((e) => e.type === 'FeaturesComputed').map((e) => [e.eventId, e]));
  const order = new Map(scored.causationIds.map((c, i) => [c, i]));
  return {
    conviction,
    outputs: outputs
      .sort((a, b) => order.get(a.eventId)! - order.get(b.eventId)!)
      .map((o) => {
        const snap = o.causationIds.map((c) => snapshots.get(c)).find((s) => s !== undefined);
        return {
          eventId: o.eventId,
          output: o.payload as ModelOutput,
          snapshot: snap ? { ...(snap.payload as FeatureSnapshot), eventId: snap.eventId } : null,
        };
      }),
  };
}
