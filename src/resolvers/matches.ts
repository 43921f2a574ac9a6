/** Per-event filters for subscriptions: the same semantics as the store's listing filters. */
import type { SignalFilter, SignalRecord } from '../engine/store/ports.js';
import type { ConvictionVector } from '../engine/types.js';
import type { ConvictionMatch } from './args.js';

export function matchesConviction(v: ConvictionVector, m: ConvictionMatch, now: number): boolean {
  if (m.instrument !== null && v.instrument !== m.instrument) return false;
  if (m.minAbsScore !== null && Math.abs(v.convictionScore) < m.minAbsScore) return false;
  if (m.band !== null && m.band !== undefined && v.band !== m.band) return false;
  if (m.routingTag !== null && !v.routingTags.includes(m.routingTag)) return false;
  if (m.activeOnly && v.expiresAt <= now) return false;
  return true;
}

export function matchesSignal(s: SignalRecord, f: SignalFilter): boolean {
  if (f.instrument != null && s.instrument !== f.instrument) return false;
  if (f.kind != null && s.kind !== f.kind) return false;
  if (f.source != null && s.source !== f.source) return false;
  if (f.flag != null && !s.flags.includes(f.flag)) return false;
  return true;
}
