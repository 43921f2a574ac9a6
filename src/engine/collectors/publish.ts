/**
 * How a collector turns what a source found into events: a draft becomes a `SignalIngested` on
 * `signals.raw`, a rejected document a `DeadLettered` on the dead-letter topic. Both ids are derived from
 * the content, so a document published again after a crash (the cursor was not saved yet) is the same
 * event, which downstream drops as a repeat. Also here: the saved cursor, shared by both collectors.
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
 * A collector's resume point in the cursor store. Read on first use with `parse` (JSON by default): a
 * cursor that cannot be read is logged and the source starts afresh, while a store failure is thrown, so
 * the caller retries later rather than forget where it was. Saved only by the collector, after everything
 * that came before it was published; the status shows the stored text, redacted.
 */
export class SavedCursor<C> {
  #value: C | null = null;
  #loaded = false;

  constructor(
    private readonly cursors: CursorStore,
    private readonly name: string,
    private readonly parse: ((stored: string) => C | null) | undefined,
    private readonly log: CollectorLogger | undefined,
    private readonly status: StatusTracker,
    private readonly redact: (text: string) => string,
  ) {}

  /** The cursor last saved (read from the store the first time), or null to start afresh. */
  async current(): Promise<C | null> {
    if (this.#loaded) return this.#value;
    const stored = await this.cursors.get(this.name);
    let cursor: C | null = null;
    if (stored !== null) {
      try {
        cursor = this.parse ? this.parse(stored) : (JSON.parse(stored) as C | null);
      } catch {
        cursor = null;
      }
      if (cursor === null) this.log?.warn({ collector: this.name }, `${this.name}: the saved cursor is unreadable; starting afresh`);
    }
    this.#loaded = true;
    this.#value = cursor;
    this.status.setCursor(cursor === null ? null : this.redact(stored!));
    return cursor;
  }

  /** Stores `cursor` and makes it current; resolves to its stored text, redacted, for the status. */
  async save(cursor: C): Promise<string> {
    const stored = JSON.stringify(cursor ?? null);
    await this.cursors.set(this.name, stored);
    this.#value = cursor;
    this.#loaded = true;
    return this.redact(stored);
  }
}
