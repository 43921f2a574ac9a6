/**
 * Reads the direction and size a document carries, per kind of signal. Bodies come from many collectors,
 * so every field is read defensively: a missing or non-numeric field counts as "says nothing".
 */
import type { RawSignal } from '../types.js';

function num(body: Readonly<Record<string, unknown>>, key: string): number | null {
  const v = body[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

const clamp = (x: number, lo = -1, hi = 1): number => Math.min(hi, Math.max(lo, x));

/** A bar's return scaled so that a 1% move reads as about 0.76 (tanh(1)). */
const BAR_RETURN_SCALE = 0.01;

export interface Normalized {
  readonly polarity: number;
  readonly magnitude: number;
}

export function normalize(signal: RawSignal): Normalized {
  const b = signal.body;
  switch (signal.kind) {
    case 'bar': {
      const open = num(b, 'open');
      const close = num(b, 'close');
      const ret = open && close && open > 0 ? (close - open) / open : 0;
      return { polarity: Math.tanh(ret / BAR_RETURN_SCALE), magnitude: Math.max(0, num(b, 'volume') ?? 0) };
    }
    case 'insider_filing': {
      const code = typeof b.transactionCode === 'string' ? b.transactionCode.toUpperCase() : '';
      // Only open-market purchases (P) and sales (S) are discretionary; other codes carry no conviction.
      const polarity = code === 'P' ? 1 : code === 'S' ? -1 : 0;
      const value = num(b, 'value') ?? (num(b, 'shares') ?? 0) * (num(b, 'price') ?? 0);
      return { polarity, magnitude: Math.max(0, value) };
    }
    case 'social_mention':
    case 'news':
      return { polarity: clamp(num(b, 'sentiment') ?? 0), magnitude: 1 };
    case 'whale_transfer': {
      // Coins moving onto an exchange are usually there to be sold.
      const toExchange = b.toExchange === true;
      const fromExchange = b.fromExchange === true;
      const polarity = toExchange ? -1 : fromExchange ? 0.5 : 0;
      return { polarity, magnitude: Math.max(0, num(b, 'amountUsd') ?? 0) };
    }
    case 'trade':
    case 'options_flow':
    case 'insider_cluster':
    case 'co_trading_community':
    case 'order_book':
    case 'stablecoin_flow':
      // Collectors of these kinds state the direction they observed (an aggressor side, calls against
      // puts, bid against ask depth, a mint against a burn, a cluster of purchases) and its size in dollars.
      return { polarity: clamp(num(b, 'polarity') ?? 0), magnitude: Math.max(0, num(b, 'notionalUsd') ?? 0) };
    case 'filing':
    case 'institutional_holding':
    case 'macro':
    case 'mempool':
      // Context rather than direction: other stages and models read their bodies.
      return { polarity: 0, magnitude: Math.max(0, num(b, 'magnitude') ?? 1) };
  }
}
