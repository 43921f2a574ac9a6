/**
 * What a post's body says about its author, read defensively across collectors (the simulator's
 * `followers`/`accountAgeDays`, Reddit's `author`/`author_created_utc`/karma, X's `user.followers_count`/
 * `user.created_at`), and how suspicious such an account is.
 */
const DAY_MS = 86_400_000;

export interface AccountFacts {
  /** The handle, or null when the body names none (or a deleted account). */
  readonly handle: string | null;
  readonly followers: number | null;
  readonly karma: number | null;
  /** Age of the account when it posted, in days. */
  readonly ageDays: number | null;
}

export interface SuspicionThresholds {
  readonly youngAccountDays: number;
  readonly lowFollowers: number;
  readonly lowKarma: number;
}

type Body = Readonly<Record<string, unknown>>;

function child(body: Body, key: string): Body | null {
  const v = body[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function firstNum(body: Body | null, keys: readonly string[]): number | null {
  if (!body) return null;
  for (const k of keys) {
    const v = num(body[k]);
    if (v !== null) return v;
  }
  return null;
}

function firstString(body: Body | null, keys: readonly string[]): string | null {
  if (!body) return null;
  for (const k of keys) {
    const v = body[k];
    if (typeof v === 'string' && v !== '' && v !== '[deleted]' && v !== '[removed]') return v;
  }
  return null;
}

/** Epoch seconds (Reddit's floats), epoch milliseconds, or an ISO-8601 / RFC 2822 date string. */
function timestamp(v: unknown): number | null {
  const n = num(v);
  if (n !== null) return n < 1e11 ? n * 1000 : n;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

const HANDLE_KEYS = ['author', 'username', 'screen_name', 'handle', 'user_name'] as const;
const FOLLOWER_KEYS = ['followers', 'followers_count', 'followersCount', 'author_followers'] as const;
const KARMA_KEYS = ['karma', 'total_karma', 'author_karma', 'totalKarma'] as const;
const AGE_KEYS = ['accountAgeDays', 'account_age_days', 'author_age_days'] as const;
const CREATED_KEYS = ['author_created_utc', 'account_created_at', 'accountCreatedAt', 'author_created_at'] as const;

/** The author facts a body carries, at the time of the post (`tsEvent`). */
export function accountFacts(body: Body, tsEvent: number): AccountFacts {
  // X puts the author in `user` (v1.1) or `author` (expanded v2); Reddit flattens it into the post.
  const user = child(body, 'user') ?? child(body, 'author');
  const metrics = user ? child(user, 'public_metrics') : null;
  const handle = firstString(body, HANDLE_KEYS) ?? firstString(user, ['screen_name', 'username', 'name']);
  const followers = firstNum(body, FOLLOWER_KEYS) ?? firstNum(user, FOLLOWER_KEYS) ?? firstNum(metrics, FOLLOWER_KEYS);
  let karma = firstNum(body, KARMA_KEYS) ?? firstNum(user, KARMA_KEYS);
  if (karma === null) {
    const link = firstNum(body, ['link_karma', 'author_link_karma']);
    const comment = firstNum(body, ['comment_karma', 'author_comment_karma']);
    if (link !== null || comment !== null) karma = (link ?? 0) + (comment ?? 0);
  }
  let ageDays = firstNum(body, AGE_KEYS);
  if (ageDays === null) {
    let created: number | null = null;
    for (const k of CREATED_KEYS) if (created === null) created = timestamp(body[k]);
    if (created === null && user) created = timestamp(user.created_at) ?? timestamp(user.created_utc);
    if (created !== null) ageDays = Math.max(0, (tsEvent - created) / DAY_MS);
  }
  return { handle, followers, karma, ageDays };
}

/** 1 at or below the threshold, 0 at twice it or more, linear between: no cliff at the threshold. */
function below(x: number, threshold: number): number {
  if (x <= threshold) return 1;
  if (threshold <= 0 || x >= 2 * threshold) return 0;
  return 2 - x / threshold;
}

/**
 * Youth weighs most: farms register accounts in bulk just before a campaign, while an old account with few
 * followers is an ordinary lurker. Reach (followers, karma) adds the rest. An unknown fact counts at a
 * prior (a third young, half low-reach), so a source that states nothing about authors can raise
 * suspicion only so far, never to the level of known new accounts.
 */
const YOUTH_WEIGHT = 0.65;
const REACH_WEIGHT = 0.35;
const YOUTH_PRIOR = 0.3;
const REACH_PRIOR = 0.5;

/** How much an account looks like a throwaway, 0..1. */
export function accountSuspicion(facts: AccountFacts, t: SuspicionThresholds): number {
  const young = facts.ageDays === null ? YOUTH_PRIOR : below(facts.ageDays, t.youngAccountDays);
  let reach = REACH_PRIOR;
  if (facts.followers !== null && facts.karma !== null) {
    reach = (below(facts.followers, t.lowFollowers) + below(facts.karma, t.lowKarma)) / 2;
  } else if (facts.followers !== null) reach = below(facts.followers, t.lowFollowers);
  else if (facts.karma !== null) reach = below(facts.karma, t.lowKarma);
  return YOUTH_WEIGHT * young + REACH_WEIGHT * reach;
}
