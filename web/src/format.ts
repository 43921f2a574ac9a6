/** Number, money, time and colour formatting shared by the views. */

export function signed(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

const moneyFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const moneyFormatCents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal string from the API, for display only (the server keeps the exact value). */
export function money(decimal: string | null | undefined, cents = false): string {
  if (decimal == null || decimal === '') return '–';
  const n = Number(decimal);
  if (!Number.isFinite(n)) return decimal;
  return (cents ? moneyFormatCents : moneyFormat).format(n);
}

export function quantity(decimal: string): string {
  const n = Number(decimal);
  if (!Number.isFinite(n)) return decimal;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(n) < 10 ? 4 : 2 }).format(n);
}

export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function clock(iso: string | number): string {
  const d = new Date(iso);
  return d.toISOString().slice(11, 19);
}

export function dateTime(iso: string | number): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

type Rgb = readonly [number, number, number];
const NEUTRAL: Rgb = [0x1c, 0x23, 0x30];
const SHORT: Rgb = [0xf2, 0x5f, 0x5c];
const LONG: Rgb = [0x2e, 0xc2, 0x7e];

/**
 * The diverging scale of conviction scores: −1 red, 0 the panel's own dark grey, +1 green. The
 * magnitude goes through a square root so that weak convictions (most of them) are still visible.
 */
export function scoreColour(score: number): string {
  const s = Math.max(-1, Math.min(1, score));
  const t = Math.sqrt(Math.abs(s));
  const end = s < 0 ? SHORT : LONG;
  const mix = NEUTRAL.map((c, i) => Math.round(c + (end[i]! - c) * t));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

/** Dark text on bright cells, light text on dark ones. */
export function scoreInk(score: number): string {
  return Math.abs(score) > 0.45 ? '#0b0f16' : '#c9d4e3';
}
