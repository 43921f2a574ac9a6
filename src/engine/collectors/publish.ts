/**
 * How a collector turns what a source found into events: a draft becomes a `SignalIngested` on
 * `signals.raw`, a rejected document a `DeadLettered` on the dead-letter topic. Both ids are derived from
 * the content, so a document published again after a crash (the cursor was not saved yet) is the same
 * event, which downstream drops as a repeat. Also here: reading a saved cursor back, shared by both collectors.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId, sha256Hex } from '../canonical.js';
import type { DeadLettered, RawSignal, SignalIngested } from '../types.js';
import { deadLetterOf } from './document.js';
import type { RejectedDocument, SignalDraft } from './source.js';
import type { CursorStore } from './collector.js';
import type { CollectorLogger, StatusTracker } from './status.js';

/** The envelope of a draft: the id is the simulator's pattern, `eventId('sig', source, kind, externalId, tsEvent)`. */
export function signalEvent(draft: SignalDraft, tsInit: number): SignalIngested {
  const { signal, tsEvent } = draft;
  const payload: RawSignal = Object.freeze({
    source: signal.source,
    kind: signal.kind,
    instrument: signal.instrument,
    externalId: signal.externalId,
    body: Object.freeze({ ...signal.body }),
    ...(draft.retracts ? { retracts: true } : {}),
  });
  return Object.freeze({
    id: eventId('sig', signal.source, signal.kind, signal.externalId, tsEvent),
    type: 'SignalIngested',
    tsEvent,
    tsInit,
    causationIds: [],
    payload,
  });
}

/**
 * The dead letter of a document `stage` could not use: the payload is `deadLetterOf`'s (the document's exact
 * bytes in base64), with credentials kept out of its origin and error message.
 */
export function documentDeadLetter(
  stage: string,
  rejected: RejectedDocument,
  now: number,
  redact: (text: string) => string,
): DeadLettered {
  const document = { ...rejected.document, origin: redact(rejected.document.origin) };
  const payload = deadLetterOf(stage, document, rejected.error);
  const bodyHash = sha256Hex(payload.source.bodyBase64);
  return Object.freeze({
    id: eventId('dl', stage, document.origin, bodyHash),
    type: 'DeadLettered',
    tsEvent: now,
    tsInit: now,
    causationIds: [],
    payload: Object.freeze({ ...payload, error: redact(payload.error) }),
  });
}

/** Publishes one draft and counts it. */
export async function publishDraft(bus: Bus, draft: SignalDraft, now: number, status: StatusTracker): Promise<void> {
  await bus.publish(Topics.signalsRaw, signalEvent(draft, now));
  status.published(draft.tsEvent);
}

/** Publishes one rejected document's dead letter and counts it. */
export async function publishRejected(
  bus: Bus,
  stage: string,
  rejected: RejectedDocument,
  now: number,
  status: StatusTracker,
  redact: (text: string) => string,
): Promise<void> {
  await bus.publish(Topics.deadLetter, documentDeadLetter(stage, rejected, now, redact));
  status.deadLettered();
}

/**
 * The cursor `name` saved last, read with `parse` (JSON by default); null when there is none or it cannot be
 * read (logged, then the source starts afresh). A store failure is thrown: the caller retries later rather
 * than forget where it was.
 */
export async function loadCursor<C>(
  cursors: CursorStore,
  name: string,
  parse: ((stored: string) => C | null) | undefined,
  log: CollectorLogger | undefined,
): Promise<{ readonly cursor: C | null; readonly stored: string | null }> {
  const stored = await cursors.get(name);
  if (stored === null) return { cursor: null, stored: null };
  let cursor: C | null = null;
  try {
    cursor = parse ? parse(stored) : (JSON.parse(stored) as C | null);
  } catch {
    cursor = null;
  }
  if (cursor === null) log?.warn({ collector: name }, `${name}: the saved cursor is unreadable; starting afresh`);
  return { cursor, stored: cursor === null ? null : stored };
}
