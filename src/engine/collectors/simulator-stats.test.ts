/**
 * Statistical properties of the simulated market, over one long run with a fixed seed (about 2 s):
 * volatility clustering, fat tails, correlated moves, volume reacting to moves, and informed alt data
 * leading prices while noise does not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../types.js';
import { type Episode, SimulatorCore } from './simulator.js';
import { UNIVERSE } from './universe.js';

const START = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const STEPS = 3000;

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
function autocorr(x: readonly number[], lag: number): number {
  const m = mean(x);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - m) ** 2;
    if (i >= lag) num += (x[i]! - m) * (x[i - lag]! - m);
  }
  return num / den;
}
function kurtosis(x: readonly number[]): number {
  const m = mean(x);
  const v = mean(x.map((r) => (r - m) ** 2));
  return mean(x.map((r) => (r - m) ** 4)) / (v * v);
}
function corr(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

let closes: Map<string, number[]>;
let volumes: Map<string, number[]>;
let returns: Map<string, number[]>;
let episodes: readonly Episode[];

beforeAll(() => {
  const core = new SimulatorCore({ seed: 2024 });
  closes = new Map(UNIVERSE.map((i) => [i.symbol, [core.price(i.symbol)]]));
  volumes = new Map(UNIVERSE.map((i) => [i.symbol, []]));
  for (let k = 1; k <= STEPS; k++) {
    for (const e of core.step(START + k * MIN)) {
      if (e.payload.kind !== 'bar') continue;
      const bar = e.payload.body as unknown as Bar;
      closes.get(e.payload.instrument!)!.push(bar.close);
      volumes.get(e.payload.instrument!)!.push(bar.volume);
    }
  }
  returns = new Map([...closes].map(([s, c]) => [s, c.slice(1).map((v, i) => Math.log(v / c[i]!))]));
  episodes = core.episodes;
});

describe('simulated market', () => {
  it('clusters volatility: squared returns are autocorrelated, returns are not', () => {
    const all = [...returns.values()];
    const sq = mean(all.map((r) => autocorr(r.map((x) => x * x), 1)));
    const raw = mean(all.map((r) => autocorr(r, 1)));
    expect(sq).toBeGreaterThan(0.05);
    expect(Math.abs(raw)).toBeLessThan(0.03);
  });

  it('has fat tails', () => {
    expect(mean([...returns.values()].map(kurtosis))).toBeGreaterThan(3.5);
  });

  it('makes crypto more volatile than equities', () => {
    const sd = (r: number[]) => Math.sqrt(mean(r.map((x) => x * x)));
    const cls = (c: string) => UNIVERSE.filter((i) => i.assetClass === c).map((i) => sd(returns.get(i.symbol)!));
    expect(mean(cls('crypto'))).toBeGreaterThan(2 * mean(cls('equity')));
  });

  it('moves instruments together through market and sector factors', () => {
    const r = (s: string) => returns.get(s)!;
    const sameSector = corr(r('XOM'), r('CVX'));
    const crossSector = corr(r('XOM'), r('PG'));
    expect(sameSector).toBeGreaterThan(0.25);
    expect(sameSector).toBeGreaterThan(crossSector + 0.1);
    expect(crossSector).toBeGreaterThan(0);
    expect(corr(r('BTC-USD'), r('ETH-USD'))).toBeGreaterThan(0.4);
  });

  it('trades more volume on bigger moves', () => {
    const cs = [...returns].map(([s, r]) => corr(r.map(Math.abs), volumes.get(s)!));
    expect(mean(cs)).toBeGreaterThan(0.2);
  });
});

describe('planted alternative data', () => {
  /** Polarity times the log return from the close of the episode's first bar to the end of its horizon. */
  function signedForward(e: Episode): number | null {
    const i0 = (e.startTs - START) / MIN;
    const i1 = (e.effectToTs - START) / MIN;
    const c = closes.get(e.instrument)!;
    if (i1 >= c.length) return null;
    return e.polarity * Math.log(c[i1]! / c[i0]!);
  }
  const signed = (list: readonly Episode[]) => list.map(signedForward).filter((x): x is number => x !== null);

  it('informed episodes lead the price their way; noise does not', () => {
    const informed = signed(episodes.filter((e) => e.informed));
    const noise = signed(episodes.filter((e) => !e.informed));
    expect(informed.length).toBeGreaterThan(100);
    expect(noise.length).toBeGreaterThan(1000);
    expect(mean(informed)).toBeGreaterThan(0.01);
    expect(mean(informed)).toBeGreaterThan(mean(noise) + 0.01);
    expect(Math.abs(mean(noise))).toBeLessThan(0.003);
    // Each informed family leads on its own, and bot swarms in particular do not.
    for (const kind of ['insider_cluster', 'mention_wave', 'whale_deposit', 'whale_withdrawal'] as const) {
      expect(mean(signed(episodes.filter((e) => e.kind === kind))), kind).toBeGreaterThan(0.005);
    }
    expect(Math.abs(mean(signed(episodes.filter((e) => e.kind === 'bot_swarm'))))).toBeLessThan(0.006);
  });

  it('plants drifts only after the episode has begun, with the event first', () => {
    for (const e of episodes) {
      expect(e.effectFromTs).toBeGreaterThan(e.startTs);
      expect(e.effectToTs).toBeGreaterThanOrEqual(e.effectFromTs);
      if (e.informed) expect(Math.sign(e.driftLogReturn)).toBe(e.polarity);
      else expect(e.driftLogReturn).toBe(0);
    }
    const clusters = episodes.filter((e) => e.kind === 'insider_cluster');
    expect(clusters.some((e) => e.eventIds.length >= 2)).toBe(true);
  });
});
