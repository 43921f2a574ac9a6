/**
 * Ethereum over JSON-RPC (any node URL) as a polling source: whale transfers of ETH and configured
 * tokens (`whale_transfer`), stablecoin mints and burns (`stablecoin_flow`), and spikes in pending
 * transactions (`mempool`).
 *
 * Each poll reads the blocks from the cursor up to `head − confirmations` (at most `maxBlocksPerPoll`):
 * one `eth_getLogs` for ERC-20 `Transfer` events of the configured tokens over the range, and each block
 * (with its transactions when native transfers are watched).
 *
 * Reorganisations. The cursor remembers the hash of the last `reorgDepth` blocks read and the signals each
 * produced. Every poll first compares the newest remembered hash with the node's; if it differs, it walks
 * back to the newest block that still matches, retracts every signal from the blocks after it (a draft
 * with `retracts: true`), and reads those heights again. A log the node itself reports as
 * `removed: true` is retracted the same way. With `confirmations` ≥ a few, neither should happen.
 *
 * An answer that cannot be read is rejected with its bytes and the cursor stays before it, so the next
 * poll asks again rather than skipping a block. The pending-transaction count comes from `txpool_status`
 * or, where a node does not offer it, `eth_getBlockTransactionCountByNumber("pending")`; a node that
 * answers neither simply gives no `mempool` signals.
 */
import type { Clock } from '../../clock.js';
import { DocumentError } from '../document.js';
import { HttpError, type HttpClient } from '../http.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { decimalOf, parseDecimal, type Decimal } from '../market/decimal.js';
import { decodeErc20Transfer, ERC20_TRANSFER_TOPIC, parseBlock, parseLogs, parseQuantity, type Block, type Log } from './parse.js';
import { documentOf, JsonRpcClient, JsonRpcError, type RpcAnswer } from './rpc.js';
import { logDraft, logExternalId, nativeTransferDraft, retraction, toUnits, type TokenRule, type TransferRules } from './transfers.js';

export interface EthereumTokenConfig {
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
  /** Whole tokens; transfers at or above it are whale transfers (see also `whaleThresholdUsd`). */
  readonly whaleThreshold?: string | number;
  /** Mints and burns of a stablecoin are `stablecoin_flow` signals. */
  readonly stablecoin?: boolean;
  /** Whole tokens; smaller mints and burns are ignored. Defaults to 0 (all). */
  readonly mintBurnThreshold?: string | number;
  /** The instrument its signals are about. Defaults to none. */
  readonly instrument?: string | null;
}

export interface EthereumSourceOptions {
  readonly rpcUrl: string;
  /** Extra request headers (a provider's authorization). */
  readonly rpcHeaders?: Readonly<Record<string, string>>;
  /** Blocks to wait behind the head. Defaults to 2. */
  readonly confirmations?: number;
  readonly maxBlocksPerPoll?: number;
  /** First block on a first run. Defaults to the confirmed head (no backfill). */
  readonly startBlock?: number | string;
  /** Blocks remembered for reorganisation checks. Defaults to 64. */
  readonly reorgDepth?: number;
  /**
   * Whole ETH; native transfers at or above it are whale transfers. Null: native transfers are not read
   * (blocks are then fetched without their transactions). Defaults to 1000.
   */
  readonly nativeWhaleThreshold?: string | number | null;
  /**
   * A transfer of any watched asset whose USD value (from `pricesUsd`; stablecoins at par) reaches this is
   * a whale transfer too, whatever its own threshold.
   */
  readonly whaleThresholdUsd?: string | number;
  readonly nativeSymbol?: string;
  /** Defaults to `ETH-USD`. */
  readonly nativeInstrument?: string | null;
  readonly tokens?: readonly EthereumTokenConfig[];
  /** Exchange wallets and their labels (`"Binance 14"`), as a map by address or a list. */
  readonly exchangeWallets?: Readonly<Record<string, string>> | readonly { readonly address: string; readonly label: string }[];
  /** USD price per asset symbol (decimal strings), for `amountUsd`. Stablecoins default to 1. */
  readonly pricesUsd?: Readonly<Record<string, string>>;
  readonly mempool?: { readonly enabled?: boolean; readonly spikeRatio?: number; readonly warmup?: number; readonly alpha?: number };
  /** Defaults to 12 seconds, one slot. */
  readonly intervalMs?: number;
  readonly name?: string;
  readonly source?: string;
}

export interface SentSignal {
  readonly id: string;
  readonly kind: SignalDraft['signal']['kind'];
  readonly instrument: string | null;
}

export interface EthereumCursor {
  /** The last block read, as a decimal string; null before the first. */
  readonly block: string | null;
  /** The last blocks read, oldest first, with what each produced. */
  readonly recent: readonly { readonly number: string; readonly hash: string; readonly sent: readonly SentSignal[] }[];
  /** Running mean of the pending-transaction count. */
  readonly mempool?: { readonly mean: number; readonly samples: number };
}

type Recent = EthereumCursor['recent'][number];
const hex = (n: bigint): string => `0x${n.toString(16)}`;

interface Call {
  readonly http: HttpClient;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly rejected: RejectedDocument[];
}

export class EthereumSource implements PollingSource<EthereumCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #o: EthereumSourceOptions;
  readonly #rpc: JsonRpcClient;
  readonly #rules: TransferRules;
  /** Whether native transfers can be whales (a threshold in ETH, or in USD with an ETH price). */
  readonly #watchNative: boolean;
  /** Which pending-count method the node answers; learnt on the first poll. */
  #mempoolMethod: 'txpool_status' | 'eth_getBlockTransactionCountByNumber' | 'none' | undefined;

  constructor(options: EthereumSourceOptions) {
    this.#o = options;
    this.#rpc = new JsonRpcClient(options.rpcUrl, options.rpcHeaders);
    this.name = options.name ?? 'ethereum';
    this.intervalMs = options.intervalMs ?? 12_000;
    const tokens = new Map<string, TokenRule>(
      (options.tokens ?? []).map((t) => {
        const address = t.address.toLowerCase();
        const rule: TokenRule = {
          address,
          symbol: t.symbol,
          decimals: t.decimals,
          whaleUnits: t.whaleThreshold === undefined ? null : toUnits(t.whaleThreshold, t.decimals, `tokens.${t.symbol}.whaleThreshold`),
          flowUnits: t.stablecoin ? toUnits(t.mintBurnThreshold ?? '0', t.decimals, `tokens.${t.symbol}.mintBurnThreshold`) : null,
          instrument: t.instrument ?? null,
        };
        return [address, rule];
      }),
    );
    const prices = Object.entries(options.pricesUsd ?? {}).map(([symbol, text]) => {
      const price = parseDecimal(text);
      if (!price) throw new Error(`EthereumSource: pricesUsd.${symbol} must be a decimal string, got ${JSON.stringify(text)}`);
      return [symbol, price] as const;
    });
    const native = options.nativeWhaleThreshold === undefined ? '1000' : options.nativeWhaleThreshold;
    const wallets = Array.isArray(options.exchangeWallets)
      ? (options.exchangeWallets as readonly { address: string; label: string }[]).map((w) => [w.address, w.label] as const)
      : Object.entries(options.exchangeWallets ?? {});
    let whaleUsd: Decimal | null = null;
    if (options.whaleThresholdUsd !== undefined) {
      whaleUsd = decimalOf(options.whaleThresholdUsd);
      if (!whaleUsd) throw new Error(`EthereumSource: whaleThresholdUsd must be a decimal, got ${JSON.stringify(options.whaleThresholdUsd)}`);
    }
    this.#rules = {
      source: options.source ?? 'ethereum',
      nativeSymbol: options.nativeSymbol ?? 'ETH',
      nativeInstrument: options.nativeInstrument === undefined ? 'ETH-USD' : options.nativeInstrument,
      nativeWhaleWei: native === null ? null : toUnits(native, 18, 'nativeWhaleThreshold'),
      whaleUsd,
      tokens,
      exchanges: new Map(wallets.map(([a, label]) => [a.toLowerCase(), label])),
      pricesUsd: new Map(prices),
    };
    this.#watchNative = this.#rules.nativeWhaleWei !== null || (whaleUsd !== null && this.#rules.pricesUsd.has(this.#rules.nativeSymbol));
  }

  async poll(context: PollContext<EthereumCursor>): Promise<PollResult<EthereumCursor>> {
    const call: Call = { http: context.http, signal: context.signal, clock: context.clock, rejected: [] };
    const drafts: SignalDraft[] = [];
    const unchanged = { drafts, rejected: call.rejected, cursor: context.cursor ?? { block: null, recent: [] } };
    const headAnswer = await this.#call(call, 'eth_blockNumber', []);
    const head = headAnswer && this.#parse(call, headAnswer, () => parseQuantity(headAnswer.result, headAnswer.document.origin));
    if (head === null) return unchanged;
    const confirmed = head - BigInt(this.#o.confirmations ?? 2);
    let recent: Recent[] = [...(context.cursor?.recent ?? [])];
    let last: bigint;
    if (context.cursor && context.cursor.block !== null) {
      last = BigInt(context.cursor.block);
      const orphaned = await this.#orphaned(call, recent);
      if (orphaned === null) return unchanged;
      if (orphaned.length > 0) {
        const now = context.clock.now();
        for (const block of orphaned) {
          for (const s of block.sent) drafts.push(retraction({ kind: s.kind, instrument: s.instrument, externalId: s.id }, `block ${block.number} (${block.hash}) left the canonical chain`, now, this.#rules.source));
        }
        recent = recent.slice(0, recent.length - orphaned.length);
        last = BigInt(orphaned[0]!.number) - 1n;
      }
    } else {
      const start = this.#o.startBlock === undefined ? confirmed : BigInt(this.#o.startBlock);
      last = (start < 0n ? 0n : start) - 1n;
    }
    const end = [confirmed, last + BigInt(this.#o.maxBlocksPerPoll ?? 20)].reduce((a, b) => (a < b ? a : b));
    if (end > last) {
      const read = await this.#readRange(call, last + 1n, end, recent, drafts);
      last = read.last;
      recent = read.recent.slice(-(this.#o.reorgDepth ?? 64));
    }
    const mempool = await this.#mempool(call, context.cursor?.mempool, head, drafts);
    return { drafts, rejected: call.rejected, cursor: { block: last.toString(), recent, ...(mempool ? { mempool } : {}) } };
  }

  parseCursor(stored: string): EthereumCursor | null {
    try {
      const value = JSON.parse(stored) as EthereumCursor | null;
      if (!value || (value.block !== null && !/^-?\d+$/.test(String(value.block))) || !Array.isArray(value.recent)) return null;
      const ok = value.recent.every((r) => /^\d+$/.test(r.number) && /^0x[0-9a-f]{64}$/.test(r.hash) && Array.isArray(r.sent));
      return ok ? value : null;
    } catch {
      return null;
    }
  }

  /** Calls the node; an unreadable answer is rejected and yields null. */
  async #call(call: Call, method: string, params: readonly unknown[]): Promise<RpcAnswer | null> {
    try {
      return await this.#rpc.call(call.http, method, params, call.signal);
    } catch (error) {
      const document = error instanceof DocumentError ? documentOf(error) : undefined;
      if (!document) throw error;
      call.rejected.push({ document, error });
      return null;
    }
  }

  /** Parses an answer; a result of the wrong shape is rejected (with the answer) and yields null. */
  #parse<T>(call: Call, answer: RpcAnswer, parse: () => T): T | null {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      call.rejected.push({ document: answer.document, error });
      return null;
    }
  }

  async #block(call: Call, n: bigint | string, full: boolean): Promise<Block | null | undefined> {
    const answer = await this.#call(call, 'eth_getBlockByNumber', [typeof n === 'string' ? n : hex(n), full]);
    if (!answer) return undefined;
    const block = this.#parse(call, answer, () => parseBlock(answer.result, answer.document.origin));
    return block === null && answer.result !== null ? undefined : block;
  }

  /**
   * The remembered blocks no longer on the canonical chain, oldest first (empty when the newest still
   * matches). Null when the node's answer could not be read.
   */
  async #orphaned(call: Call, recent: readonly Recent[]): Promise<Recent[] | null> {
    const orphaned: Recent[] = [];
    for (let i = recent.length - 1; i >= 0; i -= 1) {
      const known = recent[i]!;
      const block = await this.#block(call, BigInt(known.number), false);
      // Unreadable, or unknown to this node (a lagging node behind a load balancer): check again next poll
      // rather than retract on a guess.
      if (!block) return null;
      if (block.hash === known.hash) break;
      orphaned.unshift(known);
    }
    return orphaned;
  }

  /** Reads blocks `from..to`; stops early (and says where) when a block is not available or not readable. */
  async #readRange(call: Call, from: bigint, to: bigint, recent: Recent[], drafts: SignalDraft[]): Promise<{ last: bigint; recent: Recent[] }> {
    const out = [...recent];
    let last = from - 1n;
    const logsByBlock = new Map<bigint, Log[]>();
    if (this.#rules.tokens.size > 0) {
      const filter = { fromBlock: hex(from), toBlock: hex(to), address: [...this.#rules.tokens.keys()], topics: [ERC20_TRANSFER_TOPIC] };
      const answer = await this.#call(call, 'eth_getLogs', [filter]);
      const logs = answer && this.#parse(call, answer, () => parseLogs(answer.result, answer.document.origin));
      if (!logs) return { last, recent: out };
      for (const log of logs) {
        if (log.removed) {
          const original = logDraft(this.#rules, log, call.clock.now());
          if (original) drafts.push(retraction({ ...original.signal, externalId: logExternalId(log) }, 'log removed by a chain reorganisation', original.tsEvent, this.#rules.source));
          continue;
        }
        logsByBlock.set(log.blockNumber, [...(logsByBlock.get(log.blockNumber) ?? []), log]);
      }
    }
    for (let n = from; n <= to; n += 1n) {
      const block = await this.#block(call, n, this.#watchNative);
      if (!block) break; // not there yet (null) or unreadable (rejected): ask again next poll
      const parent = out[out.length - 1];
      const logs = logsByBlock.get(n) ?? [];
      // A parent or log from another version of the chain means a reorganisation is under way: stop
      // here, and the next poll's check sorts it out.
      if (parent && BigInt(parent.number) === n - 1n && parent.hash !== block.parentHash) break;
      if (logs.some((l) => l.blockHash !== block.hash)) break;
      const tsEvent = Number(block.timestamp) * 1000;
      const found: SignalDraft[] = [];
      for (const tx of block.transactions) {
        const draft = nativeTransferDraft(this.#rules, tx, block.number, tsEvent);
        if (draft) found.push(draft);
      }
      for (const log of [...logs].sort((a, b) => (a.logIndex < b.logIndex ? -1 : 1))) {
        if (!decodeErc20Transfer(log)) continue; // ERC-721 and odd contracts share the topic
        const draft = logDraft(this.#rules, log, tsEvent);
        if (draft) found.push(draft);
      }
      drafts.push(...found);
      out.push({
        number: n.toString(),
        hash: block.hash,
        sent: found.map((d) => ({ id: d.signal.externalId!, kind: d.signal.kind, instrument: d.signal.instrument })),
      });
      last = n;
    }
    return { last, recent: out };
  }

  /** The pending-transaction count, by whichever method the node answers; null if none. */
  async #pending(call: Call): Promise<{ pending: bigint; queued: bigint | null; method: string } | null> {
    // A node that refuses the method (an RPC error, or an HTTP 4xx from a provider's gateway) declines it
    // for good; a timeout or network failure only skips this poll's reading.
    const declined = (e: unknown): boolean => e instanceof JsonRpcError || (e instanceof HttpError && e.code === 'HTTP_STATUS');
    const transient = (e: unknown): boolean => e instanceof HttpError && e.code !== 'HTTP_STATUS';
    if (this.#mempoolMethod === undefined || this.#mempoolMethod === 'txpool_status') {
      try {
        const answer = await this.#call(call, 'txpool_status', []);
        if (!answer) return null;
        const status = answer.result as { pending?: unknown; queued?: unknown } | null;
        const parsed = this.#parse(call, answer, () => ({
          pending: parseQuantity(status?.pending, answer.document.origin, 'result.pending'),
          queued: parseQuantity(status?.queued, answer.document.origin, 'result.queued'),
        }));
        this.#mempoolMethod = 'txpool_status';
        return parsed && { ...parsed, method: 'txpool_status' };
      } catch (error) {
        if (transient(error)) return null;
        if (!declined(error)) throw error;
        this.#mempoolMethod = 'eth_getBlockTransactionCountByNumber';
      }
    }
    if (this.#mempoolMethod !== 'none') {
      try {
        const answer = await this.#call(call, 'eth_getBlockTransactionCountByNumber', ['pending']);
        if (!answer || answer.result === null) return null;
        const pending = this.#parse(call, answer, () => parseQuantity(answer.result, answer.document.origin));
        this.#mempoolMethod = 'eth_getBlockTransactionCountByNumber';
        return pending === null ? null : { pending, queued: null, method: 'eth_getBlockTransactionCountByNumber' };
      } catch (error) {
        if (transient(error)) return null;
        if (!declined(error)) throw error;
        this.#mempoolMethod = 'none';
      }
    }
    return null;
  }

  /** Sends a `mempool` signal when the pending count jumps above its running mean; returns the new mean. */
  async #mempool(call: Call, state: EthereumCursor['mempool'], head: bigint, drafts: SignalDraft[]): Promise<EthereumCursor['mempool']> {
    const o = this.#o.mempool ?? {};
    if (o.enabled === false) return state;
    const found = await this.#pending(call);
    if (!found) return state;
    const pending = Number(found.pending);
    const mean = state?.mean ?? pending;
    const samples = state?.samples ?? 0;
    const ratio = mean > 0 ? pending / mean : pending > 0 ? Infinity : 1;
    if (samples >= (o.warmup ?? 5) && ratio >= (o.spikeRatio ?? 2)) {
      const now = call.clock.now();
      drafts.push({
        tsEvent: now,
        signal: {
          source: this.#rules.source,
          kind: 'mempool',
          instrument: this.#rules.nativeInstrument,
          externalId: `eth:mempool:${head}:${now}`,
          body: {
            pending: found.pending.toString(),
            queued: found.queued === null ? null : found.queued.toString(),
            baseline: mean,
            ratio: Number.isFinite(ratio) ? ratio : null,
            magnitude: Number.isFinite(ratio) ? ratio : pending,
            method: found.method,
            headBlock: head.toString(),
          },
        },
      });
    }
    const alpha = o.alpha ?? 0.2;
    return { mean: samples === 0 ? pending : mean + alpha * (pending - mean), samples: samples + 1 };
  }
}
