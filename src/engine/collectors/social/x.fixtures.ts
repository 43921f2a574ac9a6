/**
 * X API v2 answers for tests. No recorded X document is available to the project, so these are shaped
 * after the public API reference (docs.x.com: "Search Posts: recent", "Filtered stream", "Rules"), field
 * for field, not recorded from the API: posts in `data`, authors in `includes.users`, paging in `meta`.
 */

export interface XPostSpec {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
  readonly createdAt: string;
}

export interface XUserSpec {
  readonly id: string;
  readonly username: string;
  readonly createdAt: string;
  readonly followers: number;
}

export const xPost = (p: XPostSpec) => ({
  id: p.id,
  text: p.text,
  author_id: p.authorId,
  created_at: p.createdAt,
  edit_history_tweet_ids: [p.id],
  public_metrics: { retweet_count: 2, reply_count: 1, like_count: 10, quote_count: 0, bookmark_count: 0, impression_count: 340 },
});

export const xUser = (u: XUserSpec) => ({
  id: u.id,
  name: u.username.replace(/_/g, ' '),
  username: u.username,
  created_at: u.createdAt,
  public_metrics: { followers_count: u.followers, following_count: 180, tweet_count: 5120, listed_count: 3, like_count: 900 },
});

/** A `/2/tweets/search/recent` page. */
export function xSearchPage(posts: readonly XPostSpec[], users: readonly XUserSpec[], nextToken?: string) {
  const ids = posts.map((p) => p.id);
  return {
    ...(posts.length ? { data: posts.map(xPost), includes: { users: users.map(xUser) } } : {}),
    meta: {
      ...(posts.length ? { newest_id: ids[0], oldest_id: ids.at(-1) } : {}),
      result_count: posts.length,
      ...(nextToken ? { next_token: nextToken } : {}),
    },
  };
}

/** One line of the filtered stream, without its `\r\n`. */
export function xStreamLine(post: XPostSpec, user: XUserSpec, rule = { id: '1585282465000000001', tag: 'tickers' }): string {
  return JSON.stringify({ data: xPost(post), includes: { users: [xUser(user)] }, matching_rules: [rule] });
}

export const USERS = {
  quiet: { id: '2244994945', username: 'quiet_capital', createdAt: '2013-12-14T04:35:55.000Z', followers: 5400 },
  fresh: { id: '1790000000000000001', username: 'moonking48213', createdAt: '2024-01-01T10:00:00.000Z', followers: 3 },
} satisfies Record<string, XUserSpec>;
