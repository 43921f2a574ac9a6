/**
 * Words for the simulator: people, handles, post texts, headlines, wallets. Everything is drawn from the
 * seeded Random passed in, so the same seed writes the same posts.
 */
import type { Random } from '../../random.js';

const FIRST = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Susan', 'Richard', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Lisa',
  'Matthew', 'Nancy', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily', 'Andrew', 'Michelle',
  'Kenneth', 'Amanda', 'Kevin', 'Melissa', 'Brian', 'Rebecca', 'Priya', 'Wei', 'Rajesh', 'Elena',
];
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson',
  'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Chen', 'Patel',
];

export function personName(rng: Random): string {
  return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

/** The officers and directors who file Form 4s for a company, most senior first. */
export const INSIDER_ROLES = ['CEO', 'CFO', 'COO', 'General Counsel', 'Director', 'Director', 'Director'] as const;

const HANDLE_A = ['quiet', 'value', 'theta', 'macro', 'dividend', 'chart', 'deep', 'long', 'gamma', 'index',
  'bagel', 'lazy', 'boring', 'candle', 'yield', 'alpha', 'tape', 'float', 'rust', 'cold'];
const HANDLE_B = ['investor', 'trader', 'dad', 'capital', 'reader', 'hands', 'owl', 'bear', 'bull', 'nerd',
  'monk', 'chad', 'fund', 'notes', 'ape', 'wolf', 'guy', 'lab', 'desk', 'watcher'];

/** A long-standing account: a readable handle, sometimes with a year. */
export function organicHandle(rng: Random): string {
  const base = `${rng.pick(HANDLE_A)}${rng.chance(0.5) ? '_' : ''}${rng.pick(HANDLE_B)}`;
  return rng.chance(0.3) ? `${base}${rng.int(70, 99)}` : base;
}

const BOT_A = ['moon', 'rocket', 'crypto', 'stonk', 'gem', 'pump', 'lambo', 'diamond', 'alpha', 'signal'];
const BOT_B = ['king', 'boss', 'hunter', 'whale', 'guru', 'master', 'calls', 'daily', 'news', 'hub'];

/** A freshly made account: two words and a run of digits, the way registration forms suggest them. */
export function botHandle(rng: Random): string {
  return `${rng.pick(BOT_A)}${rng.pick(BOT_B)}${rng.int(1000, 99_999)}`;
}

const BULLISH = [
  'Loading up more {T} on this dip, fundamentals have not changed',
  '{T} breaking out of the range on real volume, watching closely',
  'Really like how {T} is setting up here, adding to my position',
  'Bought {T} calls this morning, the chart looks strong',
  '{T} keeps surprising to the upside, long and staying long',
  'Quietly accumulating {T}, this will look cheap in a year',
];
const BEARISH = [
  'Trimmed my {T} position, this run looks exhausted',
  '{T} looks heavy here, not touching it until it finds support',
  'Anyone else worried about {T}? Guidance felt weak to me',
  'Shorted {T} into the close, risk/reward is ugly up here',
  'Getting out of {T}, too much hype and not enough earnings',
];
const NEUTRAL = [
  'What is everyone thinking about {T} this week?',
  'Holding {T} through whatever happens, not selling',
  '{T} flat again today, boring but fine',
  'Does anyone have a good write-up on {T}?',
  'Added {T} to my watchlist, waiting for a better entry',
];

/** An organic post about `tag` whose wording matches its sentiment. */
export function mentionText(rng: Random, tag: string, sentiment: number): string {
  const pool = sentiment > 0.2 ? BULLISH : sentiment < -0.2 ? BEARISH : NEUTRAL;
  return rng.pick(pool).replace('{T}', tag);
}

const PUMP = [
  '{T} is about to EXPLODE, get in before it is too late',
  '{T} 100x incoming, whales are loading, do not miss this',
  'Last chance to buy {T} under this price, huge news coming',
  '{T} to the moon, this is the one, trust me',
];
const DUMP = [
  '{T} is collapsing, insiders are selling everything, get out now',
  '{T} going to zero, sell before the announcement',
];

/** The script a bot swarm posts, in the swarm's direction. */
export function swarmScript(rng: Random, tag: string, polarity: 1 | -1): string {
  return rng.pick(polarity > 0 ? PUMP : DUMP).replace('{T}', tag);
}

const TAILS = ['🚀', '🚀🚀', '🚀🚀🚀', '🔥', '💎🙌', '!!', '!!!', '📈'];

/** One bot's copy of the script: the same words with a different tail, so exact-hash dedup misses it. */
export function swarmVariant(rng: Random, script: string): string {
  const tail = rng.pick(TAILS);
  const tag = rng.chance(0.4) ? ` #${rng.pick(['crypto', 'stocks', 'investing', 'trading'])}` : '';
  return `${rng.chance(0.3) ? script.toUpperCase() : script} ${tail}${tag}`;
}

const NEWS_UP = [
  '{N} beats estimates as demand holds up',
  'Analyst upgrades {N}, citing margin expansion',
  '{N} announces expanded share buyback',
  '{N} wins large multi-year contract',
];
const NEWS_DOWN = [
  '{N} faces regulatory scrutiny over business practices',
  'Analyst downgrades {N} on slowing growth',
  '{N} cuts full-year outlook',
  '{N} hit by executive departure',
];
const NEWS_FLAT = [
  '{N} to present at industry conference next week',
  '{N} shares in focus ahead of sector data',
  '{N} names new board member',
];
const CRYPTO_UP = [
  '{N} network activity climbs to a monthly high',
  'Major asset manager adds {N} exposure',
  '{N} upgrade goes live without issues',
];
const CRYPTO_DOWN = [
  '{N} slides as exchange outflows stall',
  'Regulators question {N} listings at offshore exchanges',
  '{N} developers delay planned upgrade',
];
const CRYPTO_FLAT = ['{N} trades sideways as volatility fades', '{N} community debates fee changes'];

export const NEWS_SOURCES = ['Reuters', 'Bloomberg', 'MarketWatch', 'Barron\'s', 'CNBC'] as const;
export const CRYPTO_NEWS_SOURCES = ['CoinDesk', 'The Block', 'Decrypt', 'Reuters'] as const;

export function headline(rng: Random, name: string, crypto: boolean, sentiment: number): string {
  const pools = crypto ? [CRYPTO_UP, CRYPTO_DOWN, CRYPTO_FLAT] : [NEWS_UP, NEWS_DOWN, NEWS_FLAT];
  const pool = sentiment > 0.25 ? pools[0] : sentiment < -0.25 ? pools[1] : pools[2];
  return rng.pick(pool as readonly string[]).replace('{N}', name);
}

export const EXCHANGES = ['Binance', 'Coinbase', 'Kraken', 'OKX', 'Bitfinex'] as const;

const HEX = '0123456789abcdef';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** A wallet address in the chain's usual form. */
export function walletAddress(rng: Random, bitcoin: boolean): string {
  const [prefix, alphabet, length] = bitcoin ? ['bc1q', BECH32, 38] : ['0x', HEX, 40];
  let s = prefix;
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** Lognormal draw with the given median and log-sd. */
export function lognormal(rng: Random, median: number, sd: number): number {
  return median * Math.exp(sd * rng.normal());
}
