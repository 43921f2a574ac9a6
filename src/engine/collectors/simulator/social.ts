/**
 * Social mentions on Reddit and X, three ways:
 * - a Poisson background at each instrument's base rate, from a fixed pool of established accounts;
 * - organic waves (informed): the rate rises over several minutes then decays over tens of minutes, the
 *   posts share a sentiment, and the price drifts that way starting a few bars after the wave begins;
 * - bot swarms (noise): a burst of near-identical posts from brand-new, low-follower accounts within a
 *   minute or three. Nothing marks them as bots; an enrichment stage has to notice the pattern.
 */
import type { Random } from '../../random.js';
import type { Instrument } from '../../types.js';
import { cashtag } from '../universe.js';
import { botHandle, lognormal, mentionText, organicHandle, swarmScript, swarmVariant } from './text.js';
import { clamp, round, type Draft, type MutableEpisode, type SimInstrument, type StepContext } from './types.js';

export const SOCIAL_SOURCE = 'sim.social';

/** New organic waves per instrument per simulated minute (one every 15 hours). */
const WAVE_RATE = 1 / 900;
/** New bot swarms per instrument per simulated minute. */
const SWARM_RATE = 1 / 900;
const POOL_SIZE = 600;

type Platform = 'reddit' | 'x';

interface Author {
  readonly handle: string;
  readonly platform: Platform;
  readonly followers: number;
  readonly accountAgeDays: number;
}

interface Wave {
  /** Minutes since the wave began; it rises linearly for `rise` minutes, then decays with time constant `tau`. */
  age: number;
  readonly rise: number;
  readonly tau: number;
  /** Extra mentions per minute at the peak. */
  readonly peak: number;
  readonly polarity: 1 | -1;
  readonly episode: MutableEpisode;
}

interface Swarm {
  remaining: number;
  barsLeft: number;
  readonly script: string;
  readonly platform: Platform;
  readonly polarity: 1 | -1;
  readonly episode: MutableEpisode;
}

const waveShape = (w: Wave): number => (w.age < w.rise ? (w.age + 1) / w.rise : Math.exp(-(w.age - w.rise) / w.tau));

export class SocialModel {
  readonly #authors: Author[] = [];
  readonly #waves = new Map<string, Wave[]>();
  readonly #swarms = new Map<string, Swarm[]>();

  constructor(
    private readonly instruments: readonly SimInstrument[],
    private readonly rng: Random,
  ) {
    for (let i = 0; i < POOL_SIZE; i++) {
      this.#authors.push({
        handle: organicHandle(rng),
        platform: rng.chance(0.55) ? 'reddit' : 'x',
        // Median 400 followers with a long tail; accounts months to years old.
        followers: Math.round(lognormal(rng, 400, 1.5)),
        accountAgeDays: rng.int(60, 4000),
      });
    }
  }

  step(ctx: StepContext): Draft[] {
    const { rng } = this;
    const out: Draft[] = [];
    for (const { instrument, params } of this.instruments) {
      const symbol = instrument.symbol;
      const waves = this.#waves.get(symbol) ?? [];
      const swarms = this.#swarms.get(symbol) ?? [];

      if (rng.chance(WAVE_RATE * ctx.dtMin)) {
        const polarity = rng.chance(0.5) ? 1 : -1;
        // The drift: 1 to 2 sigmas of the horizon's own volatility, over 30 to 90 minutes.
        const minutes = rng.int(30, 90);
        const total = polarity * (1 + rng.next()) * ctx.minuteVol(symbol) * Math.sqrt(minutes);
        const drift = { lagMinutes: rng.int(2, 6), minutes, totalLogReturn: total };
        waves.push({
          age: 0,
          rise: rng.int(4, 12),
          tau: 8 + 17 * rng.next(),
          peak: params.mentionRate * (4 + 6 * rng.next()) + 0.5 + rng.next(),
          polarity,
          episode: ctx.episode('mention_wave', symbol, polarity, drift),
        });
      }
      if (rng.chance(SWARM_RATE * ctx.dtMin)) {
        const polarity = rng.chance(0.85) ? 1 : -1;
        swarms.push({
          remaining: rng.int(15, 45),
          barsLeft: ctx.bars(rng.int(1, 3)),
          script: swarmScript(rng, cashtag(instrument), polarity),
          platform: rng.chance(0.7) ? 'x' : 'reddit',
          polarity,
          episode: ctx.episode('bot_swarm', symbol, polarity),
        });
      }

      // Background chatter: sentiment centred slightly positive, as retail chatter is.
      for (let n = rng.poisson(params.mentionRate * ctx.dtMin); n > 0; n--) {
        out.push(this.#organic(ctx, instrument, clamp(0.05 + 0.35 * rng.normal())));
      }
      for (const w of waves) {
        // Linear rise to the peak, then exponential decay.
        const shape = waveShape(w);
        for (let n = rng.poisson(w.peak * shape * ctx.dtMin); n > 0; n--) {
          out.push(this.#organic(ctx, instrument, clamp(0.55 * w.polarity + 0.3 * rng.normal()), w.episode));
        }
        w.age += ctx.dtMin;
      }
      for (const s of swarms) {
        const n = Math.ceil(s.remaining / s.barsLeft);
        for (let i = 0; i < n; i++) out.push(this.#bot(ctx, instrument, s));
        s.remaining -= n;
        s.barsLeft--;
      }
      this.#waves.set(symbol, waves.filter((w) => w.age < w.rise || waveShape(w) > 0.03));
      this.#swarms.set(symbol, swarms.filter((s) => s.barsLeft > 0 && s.remaining > 0));
    }
    return out;
  }

  #organic(ctx: StepContext, instrument: Instrument, sentiment: number, episode?: MutableEpisode): Draft {
    const author = this.rng.pick(this.#authors);
    const text = mentionText(this.rng, cashtag(instrument), sentiment);
    return this.#draft(ctx, instrument, author, text, sentiment, episode);
  }

  #bot(ctx: StepContext, instrument: Instrument, s: Swarm): Draft {
    const { rng } = this;
    const author: Author = {
      handle: botHandle(rng),
      platform: s.platform,
      followers: rng.int(0, 40),
      accountAgeDays: rng.int(0, 10),
    };
    const sentiment = s.polarity * (0.7 + 0.25 * rng.next());
    return this.#draft(ctx, instrument, author, swarmVariant(rng, s.script), sentiment, s.episode);
  }

  #draft(
    ctx: StepContext,
    instrument: Instrument,
    author: Author,
    text: string,
    sentiment: number,
    episode: MutableEpisode | undefined,
  ): Draft {
    const seq = ctx.seq();
    // A Reddit comment id (base 36) or an X post id (a 19-digit snowflake).
    const externalId =
      author.platform === 'reddit'
        ? `t1_${(2_000_000_000 + seq).toString(36)}`
        : String(1_750_000_000_000_000_000n + BigInt(seq));
    return {
      tsEvent: ctx.timeIn(this.rng),
      source: SOCIAL_SOURCE,
      kind: 'social_mention',
      instrument: instrument.symbol,
      externalId,
      body: {
        platform: author.platform,
        author: author.handle,
        followers: author.followers,
        accountAgeDays: author.accountAgeDays,
        text,
        sentiment: round(sentiment, 2),
      },
      ...(episode ? { episode } : {}),
    };
  }
}
