import { describe, expect, it } from 'vitest';
import { personaView, readCrowd } from './crowd.js';
import { conviction } from './fixtures.js';
import type { Persona } from './persona-schema.js';
import { AGGRESSIVE, CONTRARIAN } from './personas.js';

type Reasons = readonly (readonly [string, number, number])[];

describe('readCrowd: what counts as crowd-driven', () => {
  it.each<[string, Reasons, readonly string[] | undefined, boolean, number]>([
    ['social mentions carry the score', [['mentions.zscore', 0.5, 4], ['volume.zscore', 0.1, 2]], undefined, true, 0.833333],
    ['insider buying carries it', [['insider.zscore', 0.5, 4], ['mentions.zscore', 0.2, 3]], undefined, false, 0.285714],
    ['exactly at the share threshold', [['mentions.zscore', 0.6, 4], ['whale.zscore', 0.4, 2]], undefined, true, 0.6],
    ['sentiment and mention features of a feature model', [['sentiment_mean_1h', -0.3, -0.6], ['mentions_1h', -0.2, 40], ['return_1h', -0.2, -0.01]], undefined, true, 0.714286],
    ['bot-swarm evidence, whatever its share', [['insider.zscore', 0.6, 4], ['bot_swarm_share_1h', 0.05, 0.7]], undefined, true, 0.076923],
    ['weak bot-swarm evidence below swarmMin', [['insider.zscore', 0.6, 4], ['bot_swarm_share_1h', 0.05, 0.2]], undefined, false, 0.076923],
    ['tagged as a swarm', [['news.zscore', 0.4, 3]], ['asset:equity', 'bot_swarm'], true, 0],
    ['no reasons, only a mentions anomaly', [], ['asset:equity', 'anomaly:mentions'], true, 0],
    ['no reasons, mentions and insider anomalies', [], ['asset:equity', 'anomaly:insider', 'anomaly:mentions'], false, 0],
    ['no reasons and no tags', [], [], false, 0],
  ])('%s', (_name, reasons, tags, crowdDriven, share) => {
    const c = conviction('AAPL', 0.6, { reasons, ...(tags ? { tags } : {}) });
    const reading = readCrowd(c, CONTRARIAN);
    expect(reading.crowdDriven).toBe(crowdDriven);
    expect(reading.crowdShare).toBeCloseTo(share, 5);
  });

  it('the thresholds are the persona’s', () => {
    const c = conviction('AAPL', 0.6, { reasons: [['mentions.zscore', 0.5, 4], ['insider.zscore', 0.5, 4]] });
    expect(readCrowd(c, CONTRARIAN).crowdDriven).toBe(false);
    const lenient: Persona = { ...CONTRARIAN, flip: { ...CONTRARIAN.flip, crowdShareMin: 0.5 } };
    expect(readCrowd(c, lenient).crowdDriven).toBe(true);
  });
});

describe('personaView: the score a persona trades', () => {
  const crowd = conviction('TSLA', 0.7, { reasons: [['mentions.zscore', 0.7, 5]] });
  const informed = conviction('TSLA', 0.7, { reasons: [['insider.zscore', 0.7, 5]] });
  const only: Persona = { ...CONTRARIAN, id: 'fader', kind: 'custom', flip: { ...CONTRARIAN.flip, mode: 'crowd_only' } };

  it.each<[string, Persona, 'crowd' | 'informed', number | null, boolean]>([
    ['none follows the crowd', AGGRESSIVE, 'crowd', 0.7, false],
    ['none follows the informed', AGGRESSIVE, 'informed', 0.7, false],
    ['crowd fades the crowd', CONTRARIAN, 'crowd', -0.7, true],
    ['crowd follows the informed', CONTRARIAN, 'informed', 0.7, false],
    ['crowd_only fades the crowd', only, 'crowd', -0.7, true],
    ['crowd_only ignores the informed', only, 'informed', null, false],
  ])('%s', (_name, persona, which, score, flipped) => {
    const view = personaView(which === 'crowd' ? crowd : informed, persona);
    if (score === null) {
      expect(view).toMatchObject({ traded: false, why: 'not_crowd_driven' });
    } else {
      expect(view).toMatchObject({ traded: true, score, flipped });
    }
  });
});
