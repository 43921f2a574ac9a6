/**
 * What a resolved signal adds to the entity graph: its entities and the relations the document states between
 * them, each stamped with the event that observed it (its provenance) and the event's time.
 *
 * Only relations the document itself asserts are drawn: a Form 4 says its reporting owner is an insider of its
 * issuer, a 13F row that its manager holds the security, a transfer that coins went from one address to another, a
 * post that its author mentioned an instrument. Nothing is inferred here; inferred structure (clusters,
 * communities) is computed by the detectors and published as signals of their own.
 */
import type { RawSignal } from '../types.js';
import type { EdgeKind } from './ids.js';
import type { EdgeUpsert, EntityUpsert, GraphDelta } from './ports.js';
import { entitiesInRole, type Resolution, type ResolvedEntity } from './resolver.js';

/** The event a signal arrived in: its id (the provenance of what it adds) and when it happened. */
export interface ObservedBy {
  readonly id: string;
  readonly tsEvent: number;
}

/** Instrument rules under which the document itself ties its issuer to the instrument. */
const ISSUER_RULES = new Set(['cik', 'company_name', 'ticker']);

export function graphDeltaOf(event: ObservedBy, signal: RawSignal, resolution: Resolution): GraphDelta {
  const stamp = { ts: event.tsEvent, eventId: event.id };
  const entities: EntityUpsert[] = resolution.entities.map((e) => ({
    id: e.id,
    kind: e.kind,
    name: e.name,
    ...(e.kind === 'instrument' ? { attrs: { symbol: e.id.slice(4) } } : {}),
    ...stamp,
  }));
  const edges: EdgeUpsert[] = [];
  const edge = (src: string, kind: EdgeKind, dst: string, attrs?: Record<string, unknown>) =>
    edges.push({ src, kind, dst, ...(attrs ? { attrs } : {}), ...stamp });

  const [instrument] = entitiesInRole(resolution, 'instrument');
  const [issuer] = entitiesInRole(resolution, 'issuer');
  if (issuer && instrument && ISSUER_RULES.has(instrument.rule)) edge(issuer.id, 'issuer_of', instrument.id);

  // An insider is an insider of the issuer; when the issuer's CIK is unknown, of the instrument it trades as.
  const company = issuer ?? instrument;
  if (company) {
    for (const insider of entitiesInRole(resolution, 'insider')) {
      edge(insider.id, 'insider_of', company.id, insider.attrs);
    }
  }

  if (instrument) {
    const cusip = typeof signal.body.cusip === 'string' ? { cusip: signal.body.cusip.trim().toUpperCase() } : undefined;
    for (const holder of entitiesInRole(resolution, 'holder')) edge(holder.id, 'holds', instrument.id, cusip);
    for (const token of entitiesInRole(resolution, 'token')) {
      if (instrument.rule === 'token_address') edge(token.id, 'token_of', instrument.id);
    }
  }

  for (const label of entitiesInRole(resolution, 'label')) {
    const wallet = label.attrs.wallet;
    if (wallet) edge(wallet, 'labelled_as', label.id);
  }
  const [sender] = entitiesInRole(resolution, 'sender');
  const [receiver] = entitiesInRole(resolution, 'receiver');
  if (sender && receiver) edge(sender.id, 'transfers_to', receiver.id, transferAttrs(signal, resolution));

  const [author] = entitiesInRole(resolution, 'author');
  if (author) {
    const mentioned = new Set<string>([
      ...(instrument ? [instrument.id] : []),
      ...entitiesInRole(resolution, 'mentioned').map((e: ResolvedEntity) => e.id),
    ]);
    for (const id of [...mentioned].sort()) edge(author.id, 'mentions', id);
  }
  return { entities, edges };
}

/** What a transfer edge remembers of its latest transfer: the instrument moved. */
function transferAttrs(signal: RawSignal, resolution: Resolution): Record<string, unknown> | undefined {
  const instrument = resolution.instrument ?? signal.instrument;
  return instrument ? { instrument } : undefined;
}
