/**
 * Which source class each `collectors.<key>` section builds, and how its config maps onto the class's
 * options. `startCollectorJobs` calls these only for sections that are enabled and have their credentials.
 */
import { secUserAgent } from '../config.js';
import { EthereumSource } from '../engine/collectors/chain/ethereum.js';
import type { HttpClient, HttpRequest } from '../engine/collectors/http.js';
import type { PollingSource } from '../engine/collectors/source.js';
import { FredSource } from '../engine/collectors/macro/fred.js';
import { AlpacaSource } from '../engine/collectors/market/alpaca.js';
import { CryptoMarketSource } from '../engine/collectors/market/crypto.js';
import { TradierSource } from '../engine/collectors/market/tradier.js';
import { FeedSource } from '../engine/collectors/news/feeds.js';
import { SecEdgarSource } from '../engine/collectors/sec/edgar.js';
import { RedditSource } from '../engine/collectors/social/reddit.js';
import { TelegramSource } from '../engine/collectors/social/telegram.js';
import { XSearchSource } from '../engine/collectors/social/x.js';
import { XStreamSource } from '../engine/collectors/social/x-stream.js';
import type { SourceFactories } from './collectors.js';

const WEI_PER_ETH_DIGITS = 18;

/** A wei amount (decimal integer string) as whole ETH, exactly: `1500000000000000000000` → `1500`. */
export function weiToEth(wei: string): string {
  const digits = wei.replace(/^0+(?=\d)/, '').padStart(WEI_PER_ETH_DIGITS + 1, '0');
  const whole = digits.slice(0, -WEI_PER_ETH_DIGITS);
  const fraction = digits.slice(-WEI_PER_ETH_DIGITS).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** The shared client, with a source's own User-Agent on every request (SEC and Reddit ask for their own forms). */
function withUserAgent(http: HttpClient, userAgent: string): HttpClient {
  const sign = (request: HttpRequest): HttpRequest => ({ ...request, headers: { 'User-Agent': userAgent, ...request.headers } });
  return { request: (request) => http.request(sign(request)), stream: (request) => http.stream(sign(request)) };
}

/**
 * The factories for every real source. `symbols` are the instruments mentions are matched against (the
 * configured universe).
 */
export function sourceFactories(symbols: readonly string[]): SourceFactories {
  return {
    sec: ({ config, collectors, http }) => {
      const source = new SecEdgarSource({
        baseUrl: config.baseUrl,
        feedUrl: config.feedUrl,
        forms: config.forms,
        intervalMs: config.pollMs,
      });
      return withSourceHttp(source, withUserAgent(http, secUserAgent(collectors)));
    },
    reddit: ({ config, collectors }) =>
      new RedditSource({
        clientId: config.clientId!,
        clientSecret: config.clientSecret!,
        userAgent: config.userAgent ?? collectors.http.userAgent,
        subreddits: config.subreddits,
        symbols,
        intervalMs: config.pollMs,
        baseUrl: config.baseUrl,
        tokenUrl: config.tokenUrl,
      }),
    x: ({ config }) =>
      config.stream || !config.query
        ? new XStreamSource({ bearerToken: config.bearerToken!, rules: config.rules, symbols, baseUrl: config.baseUrl })
        : new XSearchSource({
            bearerToken: config.bearerToken!,
            query: config.query,
            symbols,
            intervalMs: config.pollMs,
            baseUrl: config.baseUrl,
          }),
    telegram: ({ config }) =>
      new TelegramSource({ botToken: config.botToken!, symbols, intervalMs: config.pollMs, baseUrl: config.baseUrl }),
    news: ({ config }) => new FeedSource({ feeds: config.feeds, symbols, intervalMs: config.pollMs }),
    fred: ({ config }) =>
      new FredSource({ apiKey: config.apiKey!, series: config.series, intervalMs: config.pollMs, baseUrl: config.baseUrl }),
    ccxt: ({ config }) =>
      new CryptoMarketSource({
        exchange: config.exchange,
        ccxt: config.baseUrl ? { apiBaseUrl: config.baseUrl } : {},
        markets: config.symbols,
        blockMinUsd: config.blockTradeUsd,
        intervalMs: config.pollMs,
      }),
    alpaca: ({ config }) =>
      new AlpacaSource({
        keyId: config.keyId!,
        secretKey: config.secretKey!,
        symbols: config.symbols,
        feed: config.feed,
        baseUrl: config.dataUrl,
        intervalMs: config.pollMs,
      }),
    tradier: ({ config }) =>
      new TradierSource({ token: config.token!, underlyings: config.symbols, baseUrl: config.baseUrl, intervalMs: config.pollMs }),
    ethereum: ({ config }) =>
      new EthereumSource({
        rpcUrl: config.rpcUrl!,
        whaleThresholdUsd: config.whaleThresholdUsd,
        ...(config.whaleThresholdWei ? { nativeWhaleThreshold: weiToEth(config.whaleThresholdWei) } : {}),
        tokens: config.stablecoins.map((coin) => ({ ...coin, stablecoin: true })),
        exchangeWallets: config.exchangeWallets,
        intervalMs: config.pollMs,
      }),
  };
}

/**
 * The source with its requests sent through `http` instead of the client the job hands every source: SEC
 * requests must carry the SEC's User-Agent.
 */
function withSourceHttp<C>(source: PollingSource<C>, http: HttpClient): PollingSource<C> {
  return {
    name: source.name,
    intervalMs: source.intervalMs,
    poll: (context) => source.poll({ ...context, http }),
    ...(source.parseCursor ? { parseCursor: (stored: string) => source.parseCursor!(stored) } : {}),
  };
}
