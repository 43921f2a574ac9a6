/**
 * EthereumSource and the JSON-RPC client end to end, against a JSON-RPC node on the fixture server.
 *
 * The execution-apis `.io` recordings are replayed as recorded (their ids rewritten to the requests').
 * The ethereum-etl answers (mainnet block 483920 from a Parity node, its two ERC-20 transfers) are served
 * as recorded; what no recording holds is derived from them and says so: the block fetched without full
 * transactions, a reorganised version of it, a `removed: true` copy of a real log, a mint made by moving
 * a real transfer's sender to the zero address, and the node's `txpool_status`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/engine/bus/memory.js';
import { Topics } from '../../src/engine/bus/topics.js';
import type { CursorStore } from '../../src/engine/collectors/collector.js';
import { PollingCollector } from '../../src/engine/collectors/polling.js';
import type { SignalIngested } from '../../src/engine/types.js';
import { TestClock } from '../../src/engine/clock.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { EthereumSource, type EthereumCursor, type EthereumSourceOptions } from '../../src/engine/collectors/chain/ethereum.js';
import type { PollResult } from '../../src/engine/collectors/source.js';
import { decodeErc20Transfer, parseBlock, parseLogs } from '../../src/engine/collectors/chain/parse.js';
import { JsonRpcClient, JsonRpcError } from '../../src/engine/collectors/chain/rpc.js';
import { fixture, pollOnce, startFixtureServer, testClient, type FixtureServer } from './market-harness.js';
import { loadIo, replay, rpcNode, type Answer, type Method } from './jsonrpc-replay.js';

const BLOCK_TEXT = fixture('eth_jsonrpc', 'ethereum-etl_eth_getBlockByNumber_0x76250_true.json').toString('utf8');
type Json = Record<string, unknown>;
const BLOCK = (JSON.parse(BLOCK_TEXT) as { result: Json & { transactions: Json[] } }).result;
const LOGS = (JSON.parse(fixture('eth_jsonrpc', 'ethereum-etl_eth_getFilterLogs_erc20_transfers_0x76250.json').toString('utf8')) as { result: Json[] }).result;
const N = 0x76250;
const TOKEN = '0xf4eced2f682ce333f96f2d8966c613ded8fc95dd';
const EXCHANGE = '0x743b8aeedc163c0e3a0fe9f3910d146c48e70da8';
const hex = (n: number) => `0x${n.toString(16)}`;

interface Chain {
  head: number;
  /** By number: the block as served with full transactions, and its text when it is the recording. */
  blocks: Map<number, { block: Json & { transactions: Json[] }; text?: string }>;
  logs: Json[];
  extra: Record<string, Method>;
}
let chain: Chain;
const calls: { method: string; params: unknown[] }[] = [];

const methods: Record<string, Method> = {
  eth_blockNumber: () => ({ result: hex(chain.head) }),
  eth_getBlockByNumber: ([tag, full]) => {
    const entry = chain.blocks.get(Number(tag));
    if (!entry) return { result: null };
    if (full && entry.text) return { recorded: entry.text };
    return { result: full ? entry.block : { ...entry.block, transactions: entry.block.transactions.map((t) => t.hash) } };
  },
  eth_getLogs: ([filter]) => {
    const f = filter as { fromBlock: string; toBlock: string; address: string[]; topics: string[] };
    const inRange = (l: Json) => Number(l.blockNumber) >= Number(f.fromBlock) && Number(l.blockNumber) <= Number(f.toBlock);
    return { result: chain.logs.filter((l) => (inRange(l) || l.removed === true) && f.address.includes(l.address as string) && (l.topics as string[])[0] === f.topics[0]) };
  },
};

let server: FixtureServer;
const http = testClient();
beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/rpc', (req) => rpcNode({ ...methods, ...chain.extra }, calls)(req));
});
afterAll(() => server.close());
beforeEach(() => {
  chain = { head: N, blocks: new Map([[N, { block: BLOCK, text: BLOCK_TEXT }]]), logs: LOGS, extra: {} };
  calls.length = 0;
});

const clock = () => new TestClock(Date.UTC(2024, 0, 2));
const options = (extra: Partial<EthereumSourceOptions> = {}): EthereumSourceOptions => ({
  rpcUrl: `${server.url}/rpc`,
  confirmations: 0,
  startBlock: N,
  nativeWhaleThreshold: '1',
  tokens: [{ address: TOKEN.toUpperCase().replace('0X', '0x'), symbol: 'TKN', decimals: 2, whaleThreshold: '1500', instrument: null }],
  exchangeWallets: [{ address: EXCHANGE.toUpperCase().replace('0X', '0x'), label: 'Exchange hot wallet' }],
  pricesUsd: { ETH: '3000.5' },
  mempool: { enabled: false },
  ...extra,
});

describe('the .io recordings through the JSON-RPC client', () => {
  const rpc = () => new JsonRpcClient(`${server.url}/rpc`);

  it('get-latest.io: a Prague-era geth block, contract creations with `to: null`', async () => {
    const [recorded] = loadIo('execution-apis_eth_getBlockByNumber_get-latest.io');
    chain.extra = { eth_getBlockByNumber: replay([recorded!]) };
    const { result, document } = await rpc().call(http, 'eth_getBlockByNumber', ['latest', true]);
    const block = parseBlock(result, document.origin)!;
    expect(block.number).toBe(0x36n);
    expect(block.baseFeePerGas).toBe(0x1a21397n);
    expect(block.transactions.map((t) => t.to)).toEqual([null, null, null, '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df']);
    expect(block.transactions.map((t) => t.value)).toEqual([0n, 0n, 0n, 2n]);
  });

  it('get-block-receipts-latest.io and topic-exact-match.io: modern logs, none of them an ERC-20 transfer', async () => {
    const receipts = loadIo('execution-apis_eth_getBlockReceipts_get-block-receipts-latest.io');
    const exact = loadIo('execution-apis_eth_getLogs_topic-exact-match.io');
    chain.extra = { eth_getBlockReceipts: replay(receipts), eth_getLogs: replay(exact) };
    const got = await rpc().call(http, 'eth_getBlockReceipts', ['latest']);
    const logs = (got.result as { logs: unknown }[]).flatMap((r, i) => parseLogs(r.logs, got.document.origin, `result[${i}].logs`));
    expect(logs).toHaveLength(11);
    expect(logs.map((l) => l.logIndex)).toEqual([...Array(11).keys()].map(BigInt));
    expect(logs.every((l) => !l.removed && decodeErc20Transfer(l) === null)).toBe(true);
    const one = await rpc().call(http, 'eth_getLogs', exact[0]!.params);
    const [log] = parseLogs(one.result, one.document.origin);
    expect(log!.topics).toHaveLength(2);
    expect(log!.blockNumber).toBe(4n);
    expect(decodeErc20Transfer(log!)).toBeNull();
  });

  it('runs the source over the recorded block: a 2-wei transfer is a whale at a 2-wei threshold, creations are not', async () => {
    const [latest] = loadIo('execution-apis_eth_getBlockByNumber_get-latest.io');
    chain.head = 0x36;
    chain.extra = { eth_getBlockByNumber: ([tag, full]) => (tag === '0x36' && full ? { recorded: latest!.response } : { result: null }) };
    const source = new EthereumSource(options({ startBlock: 0x36, tokens: [], nativeWhaleThreshold: '0.000000000000000002' }));
    const { result } = await pollOnce(source, { http, clock: clock(), stored: null });
    expect(result.drafts.map((d) => [d.signal.kind, d.signal.body.amountRaw, d.signal.body.to, d.tsEvent])).toEqual([['whale_transfer', '2', '0x7dcd17433742f4c0ca53122ab541d0ba67fc27df', 0x21c * 1000]]);
    expect(result.cursor.block).toBe(String(0x36));
  });
});

describe('EthereumSource on mainnet block 483920', () => {
  it('reports the ETH whale onto a labelled exchange and the token whale, amounts exact, logs under threshold left out', async () => {
    const { result } = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    expect(result.rejected).toEqual([]);
    const [eth, token, ...rest] = result.drafts;
    expect(rest).toEqual([]);
    const tx = BLOCK.transactions[3]!;
    expect(eth!.signal).toMatchObject({ kind: 'whale_transfer', instrument: 'ETH-USD', externalId: `eth:tx:${tx.hash as string}` });
    expect(eth!.signal.body).toMatchObject({ asset: 'ETH', amountRaw: BigInt(tx.value as string).toString(), amount: '1.53021962', amountUsd: '4591.42396981', toExchange: true, toLabel: 'Exchange hot wallet', fromExchange: false });
    expect(eth!.tsEvent).toBe(Number(BLOCK.timestamp) * 1000);
    const log = LOGS[1]!;
    expect(token!.signal).toMatchObject({ kind: 'whale_transfer', externalId: `eth:log:${log.transactionHash as string}:1` });
    expect(token!.signal.body).toMatchObject({ asset: 'TKN', amountRaw: BigInt(log.data as string).toString(), amount: '2000', decimals: 2, amountUsd: null });
    expect(result.cursor).toMatchObject({ block: String(N), recent: [{ number: String(N), hash: BLOCK.hash }] });
  });

  it('restarts from its cursor repeating nothing', async () => {
    const first = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    calls.length = 0;
    const again = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: first.stored });
    expect(again.result.drafts).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['eth_blockNumber', 'eth_getBlockByNumber']); // the head, and the reorg check
  });

  it('retracts what a reorganised block had produced, and reads the new version', async () => {
    const first = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    const sent = first.result.drafts.map((d) => d.signal.externalId);
    // Derived: another block at the same height, without those transactions.
    const replacement = { ...BLOCK, hash: `0x${'ab'.repeat(32)}`, transactions: [] };
    chain.blocks.set(N, { block: replacement });
    chain.logs = [];
    const second = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: first.stored });
    expect(second.result.drafts.every((d) => d.retracts === true)).toBe(true);
    expect(second.result.drafts.map((d) => d.signal.body.retracts)).toEqual(sent);
    expect(second.result.drafts.map((d) => d.signal.externalId)).toEqual(sent.map((id) => `${id}:retracted`));
    expect(second.result.drafts.map((d) => d.signal.kind)).toEqual(first.result.drafts.map((d) => d.signal.kind));
    expect(second.result.cursor.recent).toEqual([{ number: String(N), hash: replacement.hash, sent: [] }]);
  });

  it('through the PollingCollector: signals, then their retractions after a reorganisation, each once', async () => {
    const bus = new MemoryBus();
    const raw: SignalIngested[] = [];
    bus.subscribe(Topics.signalsRaw, async (e) => void raw.push(e), { group: 'test' });
    const saved = new Map<string, string>();
    const cursors: CursorStore = { get: async (k) => saved.get(k) ?? null, set: async (k, v) => void saved.set(k, v) };
    const run = async () => {
      const collector = new PollingCollector({ source: new EthereumSource(options()), bus, clock: clock(), http, cursors });
      expect(await collector.pollOnce()).toBe(true);
      await bus.drain();
    };
    try {
      await run();
      expect(raw.map((e) => e.payload.kind)).toEqual(['whale_transfer', 'whale_transfer']);
      chain.blocks.set(N, { block: { ...BLOCK, hash: `0x${'ef'.repeat(32)}`, transactions: [] } });
      chain.logs = [];
      await run();
      await run();
      expect(raw).toHaveLength(4);
      expect(raw.slice(2).map((e) => e.payload.body.retracts)).toEqual(raw.slice(0, 2).map((e) => e.payload.externalId));
      expect(new Set(raw.map((e) => e.id)).size).toBe(4);
    } finally {
      await bus.close();
    }
  });

  it('retracts a log the node reports as `removed: true`', async () => {
    const first = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    const child = { ...BLOCK, number: hex(N + 1), hash: `0x${'cd'.repeat(32)}`, parentHash: BLOCK.hash, transactions: [] };
    chain.head = N + 1;
    chain.blocks.set(N + 1, { block: child });
    chain.logs = [{ ...LOGS[1]!, removed: true }]; // derived from the real log
    const { result } = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: first.stored });
    expect(result.drafts).toHaveLength(1);
    expect(result.drafts[0]).toMatchObject({ retracts: true, signal: { kind: 'whale_transfer', body: { retracts: `eth:log:${LOGS[1]!.transactionHash as string}:1` } } });
    expect(result.cursor.block).toBe(String(N + 1));
  });

  it('reports stablecoin mints (+) and burns (−) instead of whale transfers', async () => {
    const zero = `0x${'0'.repeat(64)}`;
    const [a, b] = LOGS as [Json & { topics: string[] }, Json & { topics: string[] }];
    chain.logs = [{ ...a, topics: [a.topics[0], zero, a.topics[2]] }, { ...b, topics: [b.topics[0], b.topics[1], zero] }]; // derived
    const source = new EthereumSource(options({ nativeWhaleThreshold: null, tokens: [{ address: TOKEN, symbol: 'USDX', decimals: 2, stablecoin: true, whaleThreshold: '1', instrument: null }] }));
    const { result } = await pollOnce(source, { http, clock: clock(), stored: null });
    expect(result.drafts.map((d) => [d.signal.kind, d.signal.body.flow, d.signal.body.polarity, d.signal.body.notionalUsd])).toEqual([
      ['stablecoin_flow', 'mint', 1, '1000'],
      ['stablecoin_flow', 'burn', -1, '2000'],
    ]);
  });

  it('waits when the node does not have the block yet (`result: null`), and names JSON-RPC errors', async () => {
    const first = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    chain.head = N + 1; // the head moved, but this node does not serve the block yet
    const waiting = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: first.stored });
    expect(waiting.result.drafts).toEqual([]);
    expect(waiting.result.cursor.block).toBe(String(N));
    chain.extra = { eth_getLogs: () => ({ error: { code: -32005, message: 'query returned more than 10000 results' } }) };
    const err = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: first.stored }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonRpcError);
    expect((err as JsonRpcError).message).toBe('eth_getLogs failed: JSON-RPC error -32005: query returned more than 10000 results');
  });

  it('reads back only cursors it wrote', () => {
    const source = new EthereumSource(options());
    expect(source.parseCursor('{"block":"12","recent":[{"number":"12","hash":"0x12","sent":[]}]}')).toBeNull();
    expect(source.parseCursor('{"block":"twelve","recent":[]}')).toBeNull();
    expect(source.parseCursor('{"block":null,"recent":[]}')).toEqual({ block: null, recent: [] });
  });

  it('rejects an unreadable block with its bytes and asks again next poll', async () => {
    chain.extra = { eth_getBlockByNumber: () => ({ recorded: BLOCK_TEXT.slice(0, 2000) }) };
    const { result } = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    expect(result.rejected).toHaveLength(1);
    expect((result.rejected[0]!.error as DocumentError).code).toBe('DOCUMENT_MALFORMED');
    expect(result.rejected[0]!.document.origin).toContain('eth_getBlockByNumber("0x76250",true)');
    expect(result.drafts).toEqual([]);
    expect(result.cursor.block).toBe(String(N - 1));

    chain.extra = { eth_blockNumber: () => ({ result: 'latest' }) };
    const first = await pollOnce(new EthereumSource(options()), { http, clock: clock(), stored: null });
    expect((first.result.rejected[0]!.error as DocumentError).code).toBe('DOCUMENT_INVALID');
    expect(first.result.cursor).toEqual({ block: null, recent: [] }); // starts afresh next time
  });
});

describe('EthereumSource mempool', () => {
  const mempool = { warmup: 3, spikeRatio: 2 };
  const pendingSeries = (values: number[], method: 'txpool' | 'count'): Method => {
    let i = 0;
    return () => {
      const v = values[Math.min(i++, values.length - 1)]!;
      const answer: Answer = method === 'txpool' ? { result: { pending: hex(v), queued: '0x7' } } : { result: hex(v) };
      return answer;
    };
  };

  async function run(extra: Record<string, Method>, polls: number) {
    chain.extra = extra;
    let stored: string | null = null;
    const source = new EthereumSource(options({ mempool, tokens: [], nativeWhaleThreshold: null }));
    const found = [];
    for (let p = 0; p < polls; p += 1) {
      const r: { result: PollResult<EthereumCursor>; stored: string } = await pollOnce(source, { http, clock: clock(), stored });
      stored = r.stored;
      found.push(...r.result.drafts.filter((d) => d.signal.kind === 'mempool'));
    }
    return found;
  }

  it('reports a jump in pending transactions from txpool_status after a warm-up', async () => {
    const found = await run({ txpool_status: pendingSeries([100, 110, 90, 450, 100], 'txpool') }, 5);
    expect(found).toHaveLength(1);
    expect(found[0]!.signal.body).toMatchObject({ pending: '450', queued: '7', method: 'txpool_status' });
    expect(found[0]!.signal.body.ratio as number).toBeGreaterThanOrEqual(2);
  });

  it('falls back to the pending block’s transaction count, and to nothing, without failing', async () => {
    const viaCount = await run({ eth_getBlockTransactionCountByNumber: pendingSeries([100, 100, 100, 300], 'count') }, 4);
    expect(viaCount.map((d) => [d.signal.body.pending, d.signal.body.method])).toEqual([['300', 'eth_getBlockTransactionCountByNumber']]);
    calls.length = 0;
    const none = await run({}, 3);
    expect(none).toEqual([]);
    // Tried once each, then left alone.
    expect(calls.filter((c) => c.method === 'txpool_status')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'eth_getBlockTransactionCountByNumber')).toHaveLength(1);
  });
});
