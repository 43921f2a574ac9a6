import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { DEFAULT_ENRICHMENT_CONFIG } from './enrichment-config.js';
import { NearDuplicateIndex, type NearDuplicateIndexOptions } from './near-dup.js';
import { jaccardDistance, normalizeText, shingleSet, signalText } from './shingles.js';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const shingles = (text: string) => shingleSet(normalizeText(text));
const index = (over: Partial<NearDuplicateIndexOptions> = {}) =>
  new NearDuplicateIndex({ ...DEFAULT_ENRICHMENT_CONFIG.nearDuplicate, ...over });

const BASE = 'Loading up more $NVDA on this dip, the fundamentals have not changed at all since last quarter';

describe('normalizeText', () => {
  it('lower-cases, replaces URLs, handles and numbers, and drops punctuation and emoji', () => {
    const words = normalizeText('BUY $NVDA NOW!!! 🚀🚀 see https://t.co/AbC123?x=1 via @Moon_King99 and u/someone, target 1,250.50');
    expect(words).toEqual(['buy', 'nvda', 'now', 'see', '_url_', 'via', '_user_', 'and', '_user_', 'target', '_num_']);
  });

  it('folds styled letters and decodes the entities Reddit escapes', () => {
    expect(normalizeText('𝐁𝐔𝐘 Q&amp;A &quot;now&quot;')).toEqual(['buy', 'q', 'a', 'now']);
  });

  it('keeps an e-mail address from reading as a handle, and stops at maxTokens', () => {
    expect(normalizeText('mail ir@nvidia.com')).not.toContain('_user_');
    expect(normalizeText('a b c d e f', 3)).toEqual(['a', 'b', 'c']);
  });

  it('reads the text fields of posts and articles only', () => {
    const post = { source: 'reddit', kind: 'social_mention', instrument: 'NVDA', externalId: null } as const;
    expect(signalText({ ...post, body: { title: 'Title', selftext: 'body text' } })).toBe('Title body text');
    expect(signalText({ ...post, body: { text: '[removed]' } })).toBeNull();
    expect(signalText({ ...post, kind: 'news', body: { headline: 'NVIDIA beats' } })).toBe('NVIDIA beats');
    expect(signalText({ ...post, kind: 'bar', body: { text: 'not a text signal' } })).toBeNull();
  });
});

describe('NearDuplicateIndex', () => {
  it.each([
    ['a word changed', BASE.replace('dip', 'drop')],
    ['a URL added', `${BASE} https://example.com/nvda-thesis`],
    ['upper case', BASE.toUpperCase()],
    ['an emoji tail and a hashtag', `${BASE} 🚀🚀 #investing`],
    ['a number changed', BASE.replace('quarter', 'quarter, up 12%')],
  ])('finds a near-duplicate across %s', (_, edited) => {
    const idx = index();
    expect(idx.observe('a', 'NVDA', T0, shingles(BASE))).toBeNull();
    const match = idx.observe('b', 'NVDA', T0 + MIN, shingles(edited));
    expect(match?.entry.id).toBe('a');
    expect(match?.entry.clusterId).toBe('a');
    expect(match?.distance).toBeLessThanOrEqual(DEFAULT_ENRICHMENT_CONFIG.nearDuplicate.maxDistance);
  });

  it('does not match unrelated texts about the same instrument', () => {
    const idx = index();
    const texts = [
      BASE,
      '$NVDA looks heavy here, not touching it until it finds support',
      'What is everyone thinking about $NVDA this week?',
      'Trimmed my $NVDA position, this run looks exhausted',
      'NVIDIA to present at industry conference next week',
      'Does anyone have a good write-up on $NVDA and its data center margins?',
    ];
    texts.forEach((t, i) => expect(idx.observe(`t${i}`, 'NVDA', T0 + i, shingles(t))).toBeNull());
  });

  it('matches only within the same instrument', () => {
    const idx = index();
    idx.observe('a', 'NVDA', T0, shingles(BASE));
    expect(idx.observe('b', 'AMD', T0 + 1, shingles(BASE))).toBeNull();
    expect(idx.observe('c', 'NVDA', T0 + 2, shingles(BASE))?.entry.id).toBe('a');
  });

  it('chains copies of copies into the first text\'s cluster, and prefers the closest earlier text', () => {
    const idx = index();
    idx.observe('a', 'NVDA', T0, shingles(BASE));
    const b = `${BASE} and I am buying more`;
    idx.observe('b', 'NVDA', T0 + 1, shingles(b));
    const m = idx.observe('c', 'NVDA', T0 + 2, shingles(`${b} today`));
    expect(m?.entry.id).toBe('b');
    expect(m?.entry.clusterId).toBe('a');
    // Exact copies tie at distance 0: the earliest wins.
    expect(idx.observe('d', 'NVDA', T0 + 3, shingles(BASE))?.entry.id).toBe('a');
  });

  it('forgets texts older than the window and never holds more than maxEntries', () => {
    const idx = index({ windowMs: 10 * MIN, maxEntries: 50 });
    const rng = new Random(3);
    for (let i = 0; i < 200; i++) {
      idx.expire(T0 + i * 1000);
      idx.observe(`x${i}`, 'NVDA', T0 + i * 1000, shingles(randomText(rng, 12)));
      expect(idx.size).toBeLessThanOrEqual(50);
    }
    idx.observe('a', 'NVDA', T0 + 300_000, shingles(BASE));
    idx.expire(T0 + 300_000 + 11 * MIN);
    expect(idx.size).toBe(0);
    expect(idx.bucketCount).toBe(0);
    // A text already older than the window is looked up but not kept.
    idx.observe('old', 'NVDA', T0, shingles(BASE));
    expect(idx.size).toBe(0);
    expect(idx.observe('b', 'NVDA', T0 + 300_000 + 11 * MIN, shingles(BASE))).toBeNull();
  });

  it('finds through LSH what a brute-force scan finds, on a generated corpus of edited copies', () => {
    const rng = new Random(11);
    const idx = index();
    const originals: string[][] = [];
    const sets = new Map<string, Uint32Array>();
    let withMatch = 0;
    let sameAnswer = 0;
    let borderline = 0;
    for (let i = 0; i < 2000; i++) {
      const words =
        originals.length > 0 && rng.chance(0.6)
          ? edit(rng, rng.pick(originals), rng.int(0, 8))
          : randomWords(rng, rng.int(6, 30));
      if (originals.length < 400) originals.push(words);
      const set = shingleSet(normalizeText(words.join(' ')));
      const scope = rng.chance(0.5) ? 'AAA' : 'BBB';
      const ts = T0 + i * 500;
      const brute = idx.scan(scope, ts, set);
      const lsh = idx.find(scope, ts, set);
      if (lsh) {
        // LSH verifies exactly, so whatever it returns is a true match, never better than the best one.
        expect(lsh.distance).toBe(jaccardDistance(set, sets.get(lsh.entry.id)!));
        expect(brute).not.toBeNull();
        expect(lsh.distance).toBeGreaterThanOrEqual(brute!.distance);
        expect(lsh.distance).toBeLessThanOrEqual(DEFAULT_ENRICHMENT_CONFIG.nearDuplicate.maxDistance);
      }
      if (brute) {
        withMatch++;
        if (lsh && lsh.entry.id === brute.entry.id) sameAnswer++;
        if (brute.distance > 0.35) borderline++;
      }
      idx.observe(`d${i}`, scope, ts, set);
      sets.set(`d${i}`, set);
    }
    // The corpus must exercise the threshold, not only easy copies.
    expect(withMatch).toBeGreaterThan(600);
    expect(borderline).toBeGreaterThan(60);
    expect(sameAnswer / withMatch).toBeGreaterThanOrEqual(0.98);
  });
});

const VOCAB = Array.from({ length: 600 }, (_, i) => `w${i.toString(36)}${'xyzq'[i % 4]}`);
const randomWords = (rng: Random, n: number) => Array.from({ length: n }, () => rng.pick(VOCAB));
const randomText = (rng: Random, n: number) => randomWords(rng, n).join(' ');

/** Small edits of the kinds people and bots make: a word swapped, added or dropped, a URL, shouting. */
function edit(rng: Random, words: readonly string[], edits: number): string[] {
  const out = [...words];
  for (let e = 0; e < edits; e++) {
    const at = rng.int(0, out.length - 1);
    const kind = rng.int(0, 4);
    if (kind === 0) out[at] = rng.pick(VOCAB);
    else if (kind === 1) out.splice(at, 0, rng.pick(VOCAB));
    else if (kind === 2 && out.length > 3) out.splice(at, 1);
    else if (kind === 3) out.push(`https://x.co/${rng.int(1, 1e6)}`);
    else out[at] = (out[at] ?? '').toUpperCase();
  }
  return out;
}
