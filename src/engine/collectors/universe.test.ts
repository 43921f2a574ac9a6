import { describe, expect, it } from 'vitest';
import { cashtag, SIM_PARAMS, UNIVERSE } from './universe.js';

describe('universe', () => {
  it('holds at least 50 instruments of both asset classes with unique symbols', () => {
    expect(UNIVERSE.length).toBeGreaterThanOrEqual(50);
    expect(new Set(UNIVERSE.map((i) => i.symbol)).size).toBe(UNIVERSE.length);
    const equities = UNIVERSE.filter((i) => i.assetClass === 'equity');
    const crypto = UNIVERSE.filter((i) => i.assetClass === 'crypto');
    expect(equities.length).toBeGreaterThanOrEqual(30);
    expect(crypto.length).toBeGreaterThanOrEqual(10);
    expect(new Set(equities.map((i) => i.sector)).size).toBeGreaterThanOrEqual(6);
    for (const e of equities) expect(['XNAS', 'XNYS']).toContain(e.venue);
    for (const c of crypto) {
      expect(c.sector).toBe('crypto');
      expect(c.symbol).toMatch(/^[A-Z]+-USD$/);
    }
  });

  it('gives every instrument sane simulation parameters, crypto more volatile than equities', () => {
    for (const i of UNIVERSE) {
      const p = SIM_PARAMS.get(i.symbol);
      expect(p, i.symbol).toBeDefined();
      expect(p!.price).toBeGreaterThan(0);
      expect(p!.vol).toBeGreaterThan(0.1);
      expect(p!.vol).toBeLessThan(1.2);
      expect(p!.beta).toBeGreaterThan(0);
      expect(p!.mentionRate).toBeGreaterThan(0);
      expect(p!.volume).toBeGreaterThan(0);
    }
    const meanVol = (cls: string) => {
      const vols = UNIVERSE.filter((i) => i.assetClass === cls).map((i) => SIM_PARAMS.get(i.symbol)!.vol);
      return vols.reduce((a, b) => a + b, 0) / vols.length;
    };
    expect(meanVol('crypto')).toBeGreaterThan(2 * meanVol('equity'));
  });

  it('writes cashtags the way people do', () => {
    expect(cashtag(UNIVERSE.find((i) => i.symbol === 'AAPL')!)).toBe('$AAPL');
    expect(cashtag(UNIVERSE.find((i) => i.symbol === 'BTC-USD')!)).toBe('$BTC');
  });
});
