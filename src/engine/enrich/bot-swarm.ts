/**
 * Bot swarms: a burst of near-identical posts about one instrument from many throwaway accounts.
 *
 * A burst is the set of posts of one near-duplicate cluster (see near-dup.ts) about one instrument whose
 * event times lie within `windowMs` of the newest. Each post is scored when it arrives, from the burst as
 * it stands then:
 *
 *   score = burst × suspicion × similarity
 *   burst      = (distinct accounts − 1) / (fullSwarmAccounts − 1), capped at 1: one account is no swarm
 *   suspicion  = mean over the distinct accounts of how young / low-reach each is (account.ts)
 *   similarity = mean 1 − distance of the posts to the ones they copied
 *
 * All three are needed: many established accounts repeating a stock phrase during real excitement (an
 * organic wave) have low suspicion; one new account posting twice has no burst; new accounts posting
 * different things are not in one cluster. Scores only look back, so the first few posts of a swarm score
 * low: a stream cannot know the fifth post is coming when it sees the first.
 *
 * State is one record per (instrument, cluster) with posts inside the window, swept as event time moves on.
 */
import { type AccountFacts, accountSuspicion, type SuspicionThresholds } from './account.js';
import { round4, type SwarmEvidence } from './annotations.js';

export interface SwarmOptions extends SuspicionThresholds {
  readonly windowMs: number;
  readonly fullSwarmAccounts: number;
  readonly flagScore: number;
  readonly reportScore: number;
  readonly maxSampleAccounts: number;
}

export interface SwarmPost {
  readonly eventId: string;
  readonly instrument: string;
  readonly clusterId: string;
  readonly ts: number;
  readonly account: AccountFacts;
  /** 1 − distance to the post it copied; null for the first post of a cluster. */
  readonly similarity: number | null;
}

export interface SwarmVerdict {
  readonly score: number;
  readonly flagged: boolean;
  /** Attached when the score reaches `reportScore`. */
  readonly evidence: SwarmEvidence | null;
}

interface Post {
  readonly ts: number;
  readonly accountKey: string;
  readonly similarity: number | null;
}

interface AccountState {
  posts: number;
  readonly suspicion: number;
  readonly named: boolean;
}

interface Burst {
  readonly instrument: string;
  readonly clusterId: string;
  /** Sorted by event time. */
  readonly posts: Post[];
  /** Insertion order is first-seen order, which the evidence samples. */
  readonly accounts: Map<string, AccountState>;
  newest: number;
  suspicionSum: number;
  suspiciousCount: number;
  similaritySum: number;
  similarityCount: number;
}

/** Calls between sweeps at least; at most as many as bursts were left by the last sweep (see `expire`). */
const MIN_SWEEP_INTERVAL = 256;

const NO_SWARM: SwarmVerdict = Object.freeze({ score: 0, flagged: false, evidence: null });

export class SwarmDetector {
  readonly #bursts = new Map<string, Burst>();
  #sinceSweep = 0;
  #sweepEvery = MIN_SWEEP_INTERVAL;

  constructor(private readonly opts: SwarmOptions) {}

  /** Bursts held (for memory checks). */
  get burstCount(): number {
    return this.#bursts.size;
  }

  observe(post: SwarmPost): SwarmVerdict {
    const key = `${post.instrument}\u0000${post.clusterId}`;
    let burst = this.#bursts.get(key);
    if (!burst) {
      burst = {
        instrument: post.instrument,
        clusterId: post.clusterId,
        posts: [],
        accounts: new Map(),
        newest: post.ts,
        suspicionSum: 0,
        suspiciousCount: 0,
        similaritySum: 0,
        similarityCount: 0,
      };
      this.#bursts.set(key, burst);
    }
    // A post older than the burst's window is not part of this burst; it says nothing about a swarm now.
    if (post.ts < burst.newest - this.opts.windowMs) return NO_SWARM;

    // Anonymous posts each count as their own account: no evidence that they share one.
    const accountKey = post.account.handle ?? `#${post.eventId}`;
    this.#add(burst, { ts: post.ts, accountKey, similarity: post.similarity }, post.account);
    return this.#verdict(burst);
  }

  /**
   * Drops bursts that have gone quiet for a window. A full pass runs once per max(256, bursts left by the
   * previous pass) calls, so its cost is O(1) per call, and the bursts held never exceed
   * 2 × (bursts active within a window) + 256.
   */
  expire(now: number): void {
    if (++this.#sinceSweep < this.#sweepEvery) return;
    this.#sinceSweep = 0;
    const horizon = now - this.opts.windowMs;
    for (const [key, burst] of this.#bursts) if (burst.newest < horizon) this.#bursts.delete(key);
    this.#sweepEvery = Math.max(MIN_SWEEP_INTERVAL, this.#bursts.size);
  }

  #add(burst: Burst, post: Post, facts: AccountFacts): void {
    const posts = burst.posts;
    let at = posts.length;
    while (at > 0 && (posts[at - 1] as Post).ts > post.ts) at--;
    if (at === posts.length) posts.push(post);
    else posts.splice(at, 0, post);
    if (post.similarity !== null) {
      burst.similaritySum += post.similarity;
      burst.similarityCount++;
    }
    const account = burst.accounts.get(post.accountKey);
    if (account) account.posts++;
    else {
      const suspicion = accountSuspicion(facts, this.opts);
      burst.accounts.set(post.accountKey, { posts: 1, suspicion, named: facts.handle !== null });
      burst.suspicionSum += suspicion;
      if (suspicion >= 0.5) burst.suspiciousCount++;
    }
    if (post.ts > burst.newest) burst.newest = post.ts;

    const horizon = burst.newest - this.opts.windowMs;
    let drop = 0;
    while (drop < posts.length && (posts[drop] as Post).ts < horizon) {
      const old = posts[drop++] as Post;
      if (old.similarity !== null) {
        burst.similaritySum -= old.similarity;
        burst.similarityCount--;
      }
      const state = burst.accounts.get(old.accountKey) as AccountState;
      if (--state.posts === 0) {
        burst.accounts.delete(old.accountKey);
        burst.suspicionSum -= state.suspicion;
        if (state.suspicion >= 0.5) burst.suspiciousCount--;
      }
    }
    if (drop > 0) posts.splice(0, drop);
  }

  #verdict(burst: Burst): SwarmVerdict {
    const { opts } = this;
    const accounts = burst.accounts.size;
    if (accounts < 2) return NO_SWARM;
    const factor = Math.min(1, (accounts - 1) / (opts.fullSwarmAccounts - 1));
    const suspicion = Math.max(0, burst.suspicionSum / accounts);
    const similarity = burst.similarityCount > 0 ? burst.similaritySum / burst.similarityCount : 1;
    const score = round4(Math.min(1, factor * suspicion * similarity));
    const flagged = score >= opts.flagScore;
    if (score < opts.reportScore || score === 0) return { score, flagged, evidence: null };

    const sampleAccounts: string[] = [];
    for (const [key, state] of burst.accounts) {
      if (sampleAccounts.length >= opts.maxSampleAccounts) break;
      if (state.named) sampleAccounts.push(key);
    }
    const evidence: SwarmEvidence = {
      score,
      instrument: burst.instrument,
      clusterId: burst.clusterId,
      posts: burst.posts.length,
      accounts,
      suspiciousAccounts: burst.suspiciousCount,
      suspicion: round4(suspicion),
      similarity: round4(similarity),
      windowStart: (burst.posts[0] as Post).ts,
      windowEnd: burst.newest,
      sampleAccounts,
    };
    return { score, flagged, evidence };
  }
}
