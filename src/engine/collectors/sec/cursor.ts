/**
 * Where the EDGAR source has read up to, and which feed entries are new.
 *
 * The latest-filings feed is ordered by acceptance time, newest first, but that order is not a strict
 * sequence: many filings share a second, and a filing can be disseminated a little after later ones.
 * So besides the newest acceptance time and accession, the cursor keeps the accessions already handled
 * within a window before that time (`SEEN_WINDOW_MS`): an entry is new when it is inside the window and
 * not in that list, or newer than the window. A restart from the saved cursor neither repeats a filing
 * nor misses one that arrives late within the window.
 */
import { z } from 'zod';

/** How far behind the newest acceptance time a late filing is still picked up. */
export const SEEN_WINDOW_MS = 30 * 60_000;
/** A bound on the list, far above what a 30-minute window holds on a busy day's feed page. */
const MAX_SEEN = 2_000;

export interface SecEdgarCursor {
  /** Validators of the first feed page, for a conditional GET. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** The newest filing handled: its accession and acceptance time (epoch ms). */
  readonly newestAccession: string | null;
  readonly newestUpdated: number | null;
  /** `[accession, acceptance time]` of the filings handled inside the window, newest first. */
  readonly seen: readonly (readonly [string, number])[];
}

export const EMPTY_CURSOR: SecEdgarCursor = { etag: null, lastModified: null, newestAccession: null, newestUpdated: null, seen: [] };

const schema = z.object({
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  newestAccession: z.string().nullable(),
  newestUpdated: z.number().nullable(),
  seen: z.array(z.tuple([z.string(), z.number()])),
});

/** A stored cursor, or null (start afresh) when it is not one. */
export function parseSecCursor(stored: string): SecEdgarCursor | null {
  try {
    const parsed = schema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** True when an entry accepted at `updated` with this accession has not been handled. */
export function isNew(cursor: SecEdgarCursor, accession: string, updated: number): boolean {
  if (cursor.newestUpdated === null) return true;
  if (updated < cursor.newestUpdated - SEEN_WINDOW_MS) return false;
  return !cursor.seen.some(([a]) => a === accession);
}

/** The cursor after handling `handled` (all filings read this poll, new or not). */
export function advance(
  cursor: SecEdgarCursor,
  handled: readonly { readonly accessionNumber: string; readonly updated: number }[],
  validators: { readonly etag: string | null; readonly lastModified: string | null },
): SecEdgarCursor {
  const all = new Map<string, number>(cursor.seen);
  for (const f of handled) all.set(f.accessionNumber, Math.max(all.get(f.accessionNumber) ?? f.updated, f.updated));
  const sorted = [...all.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  const newest = sorted[0] ?? null;
  const newestUpdated = Math.max(newest?.[1] ?? -Infinity, cursor.newestUpdated ?? -Infinity);
  const floor = newestUpdated - SEEN_WINDOW_MS;
  return {
    etag: validators.etag,
    lastModified: validators.lastModified,
    newestAccession: newest && newest[1] === newestUpdated ? newest[0] : cursor.newestAccession,
    newestUpdated: Number.isFinite(newestUpdated) ? newestUpdated : null,
    seen: sorted.filter(([, t]) => t >= floor).slice(0, MAX_SEEN),
  };
}
