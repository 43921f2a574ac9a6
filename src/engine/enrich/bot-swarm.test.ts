import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatorCore } from '../collectors/simulator/core.js';
import { Random } from '../random.js';
import type { RawSignal } from '../types.js';
import { accountFacts, accountSuspicion } from './account.js';
import type { EnrichmentAnnotations } from './annotations.js';
import { DEFAULT_ENRICHMENT_CONFIG, resolveEnrichmentConfig } from './enrichment-config.js';
import { SignalEnricher } from './enricher.js';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const DAY = 86_400_000;
const SCRIPT = '$GME is about to EXPLODE, get in before it is too late';

interface Author {
  readonly handle: string;
  readonly followers: number;
  readonly accountAgeDays: number;
}

let seq = 0;
function post(ts: number, author: Author, text: string, instrument = 'GME') {
  const id = `p${++seq}`;
  const payload: RawSignal = {
    source: 'x',
    kind: 'social_mention',
    instrument,
    externalId: id,
    body: { platform: 'x', author: author.handle, followers: author.followers, accountAgeDays: author.accountAgeDays, text },
  };
  return { id, tsEvent: ts, tsInit: ts + 200, payload };
}

const bot = (rng: Random, i: number): Author => ({ handle: `pumpking${1000 + i}`, followers: rng.int(0, 40), accountAgeDays: rng.int(0, 10) });
const established = (rng: Random, i: number): Author => ({
  handle: `value_investor${i}`,
  followers: rng.int(300, 20_000),
  accountAgeDays: rng.int(365, 4000),
});

const ORGANIC = [
  '$GME breaking out of the range on real volume, watching closely',
  'What is everyone thinking about $GME this week?',
  'Trimmed my $GME position, this run looks exhausted',
  'Does anyone have a good write-up on $GME?',
];

describe('bot swarms', () => {
  it('flags a burst of near-identical posts from new, small accounts among organic chatter, and down-weights it', () => {
    const rng = new Random(5);
    const enricher = new SignalEnricher();
    const out: { swarm: boolean; a: EnrichmentAnnotations; author: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const ts = T0 + i * 4000;
      const organic = post(ts, established(rng, i), rng.pick(ORGANIC));
      out.push({ swarm: false, a: enricher.annotate(organic, organic.id), author: '' });
      if (i >= 20 && i < 50) {
        const b = bot(rng, i);
        const text = `${rng.chance(0.3) ? SCRIPT.toUpperCase() : SCRIPT} ${rng.pick(['🚀', '🔥🔥', '!!!'])}${rng.chance(0.4) ? ' #stocks' : ''}`;
        const p = post(ts + 1000, b, text);
        out.push({ swarm: true, a: enricher.annotate(p, p.id), author: b.handle });
      }
    }
    const swarm = out.filter((o) => o.swarm);
    const flagged = swarm.filter((o) => o.a.flags.includes('bot_swarm'));
    // Only the first few posts, before the burst has formed, can pass.
    expect(flagged.length).toBeGreaterThanOrEqual(swarm.length - 5);
    expect(out.filter((o) => !o.swarm && o.a.flags.includes('bot_swarm'))).toEqual([]);
    for (const { a, author } of flagged) {
      expect(a.weight).toBeLessThan(1);
      expect(a.weight).toBeGreaterThan(0);
      expect(a.nearDuplicateOf).not.toBeNull();
      const ev = a.swarm!;
      expect(ev.score).toBeGreaterThanOrEqual(DEFAULT_ENRICHMENT_CONFIG.swarm.flagScore);
      expect(ev.accounts).toBeGreaterThanOrEqual(3);
      expect(ev.suspiciousAccounts).toBe(ev.accounts);
      expect(ev.similarity).toBeGreaterThan(0.8);
      expect(ev.windowEnd - ev.windowStart).toBeLessThanOrEqual(DEFAULT_ENRICHMENT_CONFIG.swarm.windowMs);
      expect(ev.sampleAccounts.length).toBeGreaterThan(0);
      expect(ev.sampleAccounts.every((h) => h.startsWith('pumpking'))).toBe(true);
      expect(ev.clusterId).toBe(a.nearDuplicateOf!.clusterId);
      expect(author).toMatch(/^pumpking/);
    }
    // The more the burst grows, the surer the score: the last member scores at least as high as the first flagged.
    expect(flagged.at(-1)!.a.swarm!.score).toBeGreaterThanOrEqual(flagged[0]!.a.swarm!.score);
  });

  it('does not flag an organic burst: the same words from many distinct, established accounts', () => {
    const rng = new Random(6);
    const enricher = new SignalEnricher();
    const results = Array.from({ length: 40 }, (_, i) => {
      const p = post(T0 + i * 2000, established(rng, i), `${ORGANIC[0]}${i % 2 ? ' 📈' : ''}`);
      return enricher.annotate(p, p.id);
    });
    expect(results.slice(1).every((a) => a.flags.includes('near_duplicate'))).toBe(true);
    expect(results.some((a) => a.flags.includes('bot_swarm'))).toBe(false);
    expect(results.every((a) => a.weight === 1)).toBe(true);
  });

  it('needs both many accounts and the same words', () => {
    const rng = new Random(7);
    const enricher = new SignalEnricher();
    const one = bot(rng, 1);
    const repeats = Array.from({ length: 20 }, (_, i) => post(T0 + i * 1000, one, SCRIPT));
    expect(repeats.map((p) => enricher.annotate(p, p.id)).some((a) => a.flags.includes('bot_swarm'))).toBe(false);

    const varied = Array.from({ length: 20 }, (_, i) =>
      post(T0 + 60_000 + i * 1000, bot(rng, 100 + i), `${i} ${VARIED[i % VARIED.length]} ${['alpha', 'beta', 'gamma', 'delta'][i % 4]}`),
    );
    expect(varied.map((p) => enricher.annotate(p, p.id)).some((a) => a.flags.includes('bot_swarm'))).toBe(false);
  });

  it('keeps swarms per instrument and forgets bursts once the window has passed', () => {
    const rng = new Random(8);
    const enricher = new SignalEnricher(resolveEnrichmentConfig({ swarm: { windowMs: 60_000 } }));
    for (let i = 0; i < 30; i++) {
      const p = post(T0 + i * 1000, bot(rng, i), SCRIPT, i % 2 ? 'GME' : 'AMC');
      enricher.annotate(p, p.id);
    }
    expect(enricher.stateSize.bursts).toBeGreaterThan(0);
    for (let i = 0; i < 600; i++) {
      const p = post(T0 + 10 * DAY + i * 1000, established(rng, i), `${randomWord(rng)} ${randomWord(rng)} ${randomWord(rng)}`, 'AAPL');
      enricher.annotate(p, p.id);
    }
    // Bursts are swept in passes: held never exceeds twice those active within a window (60 here), plus 256.
    expect(enricher.stateSize.bursts).toBeLessThanOrEqual(2 * 61 + 256);
    // The old swarm is gone: the same script ten days later starts afresh, from one account.
    const late = post(T0 + 10 * DAY + 700_000, bot(rng, 999), SCRIPT, 'GME');
    expect(enricher.annotate(late, late.id).flags).not.toContain('bot_swarm');
  });
});

const VARIED = [
  'Bought some shares this morning',
  'Earnings next week could be interesting',
  'The chart has a clean support line',
  'Options volume is unusually quiet',
  'Anyone here holding since last year',
];
const randomWord = (rng: Random) => `w${rng.int(0, 1e9).toString(36)}`;

describe('account facts', () => {
  it('reads the simulator, Reddit and X ways of describing an author', () => {
    const ts = Date.UTC(2024, 5, 1);
    expect(accountFacts({ author: 'moonking123', followers: 12, accountAgeDays: 3 }, ts)).toEqual({
      handle: 'moonking123', followers: 12, karma: null, ageDays: 3,
    });
    const reddit = accountFacts(
      { author: 'quiet_owl', author_created_utc: (ts - 400 * DAY) / 1000 + 0.5, link_karma: 1200, comment_karma: '300' },
      ts,
    );
    expect(reddit.handle).toBe('quiet_owl');
    expect(reddit.karma).toBe(1500);
    expect(reddit.ageDays).toBeCloseTo(400, 3);
    const x = accountFacts({ user: { screen_name: 'gem_hub', followers_count: 8, created_at: 'Fri May 31 10:00:00 +0000 2024' } }, ts);
    expect(x.handle).toBe('gem_hub');
    expect(x.followers).toBe(8);
    expect(x.ageDays).toBeGreaterThan(0.5);
    expect(x.ageDays).toBeLessThan(1);
    expect(accountFacts({ author: '[deleted]' }, ts)).toEqual({ handle: null, followers: null, karma: null, ageDays: null });
  });

  it('finds a new small account more suspicious than an old small one, and that more than an established one', () => {
    const t = DEFAULT_ENRICHMENT_CONFIG.swarm;
    const s = (followers: number, ageDays: number) => accountSuspicion({ handle: 'h', followers, karma: null, ageDays }, t);
    expect(s(10, 2)).toBeGreaterThan(s(10, 2000));
    expect(s(10, 2000)).toBeGreaterThan(s(5000, 2000));
    expect(s(10, 2)).toBeGreaterThanOrEqual(0.5);
    expect(s(5000, 2000)).toBeLessThan(0.5);
    // Knowing nothing about an account never makes it as suspicious as a known throwaway.
    expect(accountSuspicion({ handle: null, followers: null, karma: null, ageDays: null }, t)).toBeLessThan(s(10, 2));
  });
});

describe('bot swarms planted by the simulator', () => {
  const START = Date.UTC(2024, 0, 2, 14, 30);
  let flagged: Map<string, EnrichmentAnnotations>;
  let swarmEpisodes: { eventIds: readonly string[] }[];
  let swarmIds: Set<string>;
  let waveIds: Set<string>;

  beforeAll(() => {
    const core = new SimulatorCore({ seed: 7 });
    const enricher = new SignalEnricher();
    flagged = new Map();
    for (let k = 1; k <= 1200; k++) {
      for (const e of core.step(START + k * 60_000)) {
        const a = enricher.annotate(e, e.id);
        if (a.flags.includes('bot_swarm')) flagged.set(e.id, a);
      }
    }
    swarmEpisodes = core.episodes.filter((e) => e.kind === 'bot_swarm');
    swarmIds = new Set(swarmEpisodes.flatMap((e) => e.eventIds));
    waveIds = new Set(core.episodes.filter((e) => e.kind === 'mention_wave').flatMap((e) => e.eventIds));
  });

  it('finds the planted swarm posts with high precision and recall', () => {
    expect(swarmEpisodes.length).toBeGreaterThan(20);
    const tp = [...flagged.keys()].filter((id) => swarmIds.has(id)).length;
    const precision = tp / flagged.size;
    const recall = tp / swarmIds.size;
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    // Every swarm is caught, even if its first posts slip through.
    const missed = swarmEpisodes.filter((ep) => !ep.eventIds.some((id) => flagged.has(id)));
    expect(missed).toEqual([]);
  });

  it('leaves organic mention waves alone', () => {
    const wrongly = [...waveIds].filter((id) => flagged.has(id));
    expect(waveIds.size).toBeGreaterThan(500);
    expect(wrongly.length / waveIds.size).toBeLessThan(0.005);
  });

  it('down-weights what it flags, never to nothing', () => {
    for (const a of flagged.values()) {
      expect(a.weight).toBeLessThan(1);
      expect(a.weight).toBeGreaterThanOrEqual(DEFAULT_ENRICHMENT_CONFIG.swarm.minWeight);
    }
  });
});
