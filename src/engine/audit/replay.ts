/**
 * Replay: a conviction recomputed from what the audit log recorded of its making — the model outputs it names
 * as its causes, the combiner version it names among its contributing models, the instrument, and the time it
 * was scored — through the same scoring code, then compared field by field with the vector that was recorded.
 * The core is deterministic (DESIGN rule 3), so an honest log replays identical; a difference says the log, the
 * code or the model version differs from what made the conviction.
 */
import { canonicalJson } from '../canonical.js';
import type { Combiner } from '../conviction/combiner.js';
import { inputVector } from '../conviction/inputs.js';
import { scoreConviction } from '../conviction/scorer.js';
import type { AuditRepository, InstrumentRepository } from '../store/ports.js';
import type { ConvictionVector, ModelOutput, ModelScored } from '../types.js';
import { eventId } from '../canonical.js';

export interface FieldDifference {
  /** A JSON path into the vector, e.g. `reasonVector[0].contribution`. */
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

export type ReplayResult =
  | { readonly status: 'identical'; readonly conviction: ConvictionVector; readonly inputs: number }
  | { readonly status: 'different'; readonly conviction: ConvictionVector; readonly replayed: ConvictionVector; readonly differences: readonly FieldDifference[] }
  | { readonly status: 'unavailable'; readonly reason: string };

export interface ReplayPorts {
  readonly audit: AuditRepository;
  readonly instruments: InstrumentRepository;
  /** The combiner with this name and version, when it can still be built; null when that version is gone. */
  readonly combiner: (name: string, version: string) => Combiner | null;
}

export async function replayConviction(ports: ReplayPorts, id: string): Promise<ReplayResult> {
  const entry = await ports.audit.getByEventId(id);
  if (!entry || entry.type !== 'ConvictionScored') return { status: 'unavailable', reason: `no ConvictionScored event ${id} in the audit log` };
  const recorded = entry.payload as ConvictionVector;
  const causes = await ports.audit.getManyByEventIds(entry.causationIds);
  const outputs = causes.filter((c) => c.type === 'ModelScored');
  if (outputs.length !== entry.causationIds.length) {
    return { status: 'unavailable', reason: `${entry.causationIds.length - outputs.length} of the model outputs it was scored from are missing from the audit log` };
  }
  const events: ModelScored[] = outputs.map((o) => ({
    id: o.eventId,
    type: 'ModelScored',
    tsEvent: o.tsEvent,
    tsInit: o.tsInit,
    causationIds: o.causationIds,
    payload: o.payload as ModelOutput,
  }));
  const trigger = events.find((e) => eventId('cnv', e.id) === id);
  if (!trigger) return { status: 'unavailable', reason: 'none of its causes is the output that triggered it' };
  const named = recorded.contributingModels.at(-1);
  const combiner = named ? ports.combiner(named.modelId, named.version) : null;
  if (!combiner) return { status: 'unavailable', reason: `combiner ${named?.modelId ?? '?'}@${named?.version ?? '?'} is not available to this server` };
  const active = [...events]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => ({ eventId: e.id, output: e.payload, expiresAtEvent: e.tsEvent + e.payload.horizonMs, trigger: e.causationIds.at(-1) ?? e.id }));
  const instrument = (await ports.instruments.get(recorded.instrument)) ?? undefined;
  const replayed = scoreConviction(trigger, active, inputVector(active.map((a) => a.output)), combiner, recorded.createdAt, instrument);
  const differences = diff(JSON.parse(canonicalJson(recorded)), JSON.parse(canonicalJson(replayed)), '');
  return differences.length === 0
    ? { status: 'identical', conviction: recorded, inputs: active.length }
    : { status: 'different', conviction: recorded, replayed, differences };
}

function diff(a: unknown, b: unknown, path: string): FieldDifference[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: FieldDifference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diff(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return canonicalJson(a ?? null) === canonicalJson(b ?? null) ? [] : [{ path: path || '.', recorded: a, replayed: b }];
}
