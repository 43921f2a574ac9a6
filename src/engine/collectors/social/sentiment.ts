/**
 * A baseline sentiment score for finance chatter and headlines, in -1..1.
 *
 * Deliberately simple and deterministic, so that the same text always scores the same and a backtest can
 * rely on it: a hand-made lexicon of bullish and bearish words and phrases, each with a weight; a negator
 * ("not", "never", "isn't") within the three words before a term flips and dampens it ("not bullish" reads
 * as mildly bearish); "very"/"slightly" scale it; the sum is squashed into -1..1 with s / sqrt(s² + 15),
 * the normalisation VADER uses. It knows nothing of sarcasm, context or who is speaking: it is a baseline
 * that the model ensemble weighs along with everything else, and that a learned scorer can replace.
 */

/** Phrases, matched on whole words before single words (so "sell off" is not "sell" plus "off"). */
const PHRASES: ReadonlyArray<readonly [string, number]> = [
  ['to the moon', 3], ['all time high', 2], ['buy the dip', 2], ['short squeeze', 1.5], ['price target raised', 2],
  ['beat estimates', 2], ['beats estimates', 2], ['better than expected', 2], ['record high', 2],
  ['sell off', -2], ['dead cat bounce', -2], ['going to zero', -3], ['missed estimates', -2],
  ['misses estimates', -2], ['worse than expected', -2], ['price target cut', -2], ['rug pull', -3],
  ['record low', -2], ['profit warning', -2.5],
];

const WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    // bullish
    bullish: 2.5, bull: 1.5, bulls: 1.5, buy: 1.5, buying: 1.5, bought: 1, long: 0.8, calls: 1.2, moon: 2,
    mooning: 2.5, rocket: 2, rally: 2, rallies: 2, rallying: 2, rallied: 2, surge: 2, surges: 2, surged: 2,
    surging: 2, soar: 2.5, soars: 2.5, soared: 2.5, soaring: 2.5, jump: 1.5, jumps: 1.5, jumped: 1.5, gain: 1.5,
    gains: 1.5, gained: 1.5, upside: 1.5, breakout: 2, outperform: 2, outperforms: 2, upgrade: 2, upgrades: 2,
    upgraded: 2, beat: 1.5, beats: 1.5, strong: 1.5, stronger: 1.5, strength: 1.2, profit: 1.2, profits: 1.2,
    profitable: 1.5, growth: 1.2, undervalued: 2, cheap: 1, accumulate: 1.5, accumulating: 1.5, adding: 1,
    hodl: 1.5, recover: 1.2, recovers: 1.2, recovery: 1.2, rebound: 1.5, rebounds: 1.5, green: 1, winning: 1.2,
    optimistic: 2, positive: 1.5, boom: 2, booming: 2, tendies: 1.5, lfg: 2, squeeze: 1, bottomed: 1,
    // bearish
    bearish: -2.5, bear: -1.5, bears: -1.5, sell: -1.5, selling: -1.5, sold: -1, short: -1.2, shorting: -1.5,
    shorted: -1.2, puts: -1.2, dump: -2, dumps: -2, dumping: -2, dumped: -2, crash: -3, crashes: -3, crashed: -3,
    crashing: -3, plunge: -2.5, plunges: -2.5, plunged: -2.5, tank: -2, tanks: -2, tanked: -2, tanking: -2,
    drop: -1.5, drops: -1.5, dropped: -1.5, fall: -1.5, falls: -1.5, fell: -1.5, falling: -1.5, decline: -1.5,
    declines: -1.5, declined: -1.5, slump: -2, slumps: -2, loss: -1.5, losses: -1.5, lose: -1.5, losing: -1.5,
    lost: -1.2, downgrade: -2, downgrades: -2, downgraded: -2, miss: -1.5, misses: -1.5, missed: -1.5, weak: -1.5,
    weaker: -1.5, weakness: -1.5, overvalued: -2, expensive: -1, bubble: -2, scam: -3, fraud: -3, bankrupt: -3,
    bankruptcy: -3, lawsuit: -1.5, probe: -1.5, investigation: -1.5, recession: -2, layoffs: -1.5, red: -1,
    worried: -1.5, worry: -1.5, fear: -1.5, fears: -1.5, panic: -2.5, rekt: -2.5, exhausted: -1, ugly: -1.5,
    pessimistic: -2, negative: -1.5, underperform: -2, underperforms: -2, bagholder: -1.5, bagholders: -1.5,
    trimmed: -0.8, overbought: -1.2, oversold: 1,
  }),
);

const EMOJI: ReadonlyArray<readonly [string, number]> = [
  ['\u{1f680}', 2], ['\u{1f4c8}', 1.5], ['\u{1f402}', 1.5], ['\u{1f48e}', 1], ['\u{1f319}', 1],
  ['\u{1f4c9}', -1.5], ['\u{1f43b}', -1.5], ['\u{1f480}', -1], ['\u{1fa78}', -1.5],
];

const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'nor', 'neither', 'without', 'hardly', 'cannot', 'dont', 'doesnt',
  'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'wont', 'cant', 'couldnt', 'shouldnt', 'wouldnt', 'aint',
]);
const BOOSTERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.3], ['extremely', 1.5], ['super', 1.3], ['really', 1.2], ['incredibly', 1.5], ['hugely', 1.4],
  ['massively', 1.4], ['slightly', 0.6], ['somewhat', 0.7], ['mildly', 0.7], ['barely', 0.5],
]);

/** How far back (in words) a negator reaches, as in VADER. */
const NEGATION_WINDOW = 3;
/** A negated term keeps this share of its weight, with the opposite sign (VADER's value). */
const NEGATION_FACTOR = -0.74;
const ALPHA = 15;

export interface Sentiment {
  /** -1 (bearish) .. 1 (bullish), rounded to three decimals; 0 when no term was found. */
  readonly score: number;
  /** How many lexicon terms (words, phrases, emoji) contributed. */
  readonly terms: number;
}

/** Words in lower case, apostrophes removed ("isn't" → "isnt"); `|` marks a clause break. */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .replace(/[.!?;:,()[\]{}"\u201c\u201d\n]+/g, ' | ')
    .split(/[^\p{L}\p{N}|$-]+/u)
    .flatMap((t) => t.split(/-+/))
    .filter((t) => t !== '');
}

/** Scores a text (plain text, entities already decoded). */
export function scoreSentiment(text: string): Sentiment {
  const words = tokens(text);
  let sum = 0;
  let terms = 0;
  for (let i = 0; i < words.length; ) {
    let weight = 0;
    let span = 1;
    for (const [phrase, w] of PHRASES) {
      const parts = phrase.split(' ');
      if (parts.every((p, k) => words[i + k] === p)) {
        weight = w;
        span = parts.length;
        break;
      }
    }
    if (weight === 0) weight = WORDS.get(words[i]!) ?? 0;
    if (weight !== 0) {
      sum += weight * modifier(words, i);
      terms++;
    }
    i += span;
  }
  for (const [emoji, w] of EMOJI) {
    const count = text.split(emoji).length - 1;
    // Repeating an emoji adds emphasis, not evidence: count it at most twice.
    sum += w * Math.min(count, 2);
    terms += Math.min(count, 1);
  }
  const score = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
  return { score: Math.round(score * 1000) / 1000 || 0, terms };
}

/** The factor the words before position `i` (within its clause) apply to the term there. */
function modifier(words: readonly string[], i: number): number {
  let factor = 1;
  for (let k = i - 1; k >= Math.max(0, i - NEGATION_WINDOW); k--) {
    const w = words[k]!;
    if (w === '|') break;
    if (NEGATORS.has(w)) factor *= NEGATION_FACTOR;
    else if (k === i - 1 && BOOSTERS.has(w)) factor *= BOOSTERS.get(w)!;
  }
  return factor;
}

/** The score alone, for bodies: `sentiment` in -1..1. */
export function sentimentOf(text: string): number {
  return scoreSentiment(text).score;
}
