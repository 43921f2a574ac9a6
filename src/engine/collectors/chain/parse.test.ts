import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { decodeErc20Transfer, ERC20_TRANSFER_TOPIC, parseBlock, parseLogs, type Log } from './parse.js';
import { JsonRpcError, readRpcResponse } from './rpc.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/eth_jsonrpc/', import.meta.url));
const BLOCK = 'ethereum-etl_eth_getBlockByNumber_0x76250_true.json';
const LOGS = 'ethereum-etl_eth_getFilterLogs_erc20_transfers_0x76250.json';
const RECEIPT = 'ethereum-etl_eth_getTransactionReceipt_0x04cbcb23.json';
const load = (file: string): SourceDocument => ({ origin: `fixtures/eth_jsonrpc/${file}`, body: readFileSync(DIR + file) });
const raw = (file: string) => JSON.parse(readFileSync(DIR + file, 'utf8')) as { result: Record<string, unknown> & { transactions?: { value: string }[] } };
const doc = (text: string): SourceDocument => ({ origin: 'test://rpc', body: Buffer.from(text) });

describe('Ethereum parsers on the recorded ethereum-etl answers (Parity, block 483920)', () => {
  it('reads the block with every quantity as a BigInt and Parity’s extra fields passing', () => {
    const block = parseBlock(readRpcResponse(load(BLOCK), 'eth_getBlockByNumber', 1), BLOCK)!;
    const recorded = raw(BLOCK).result;
    expect(block.number).toBe(BigInt(recorded.number as string));
    expect(block.number).toBe(483920n);
    expect(block.timestamp).toBe(BigInt(recorded.timestamp as string));
    expect(block.baseFeePerGas).toBeNull(); // before London
    expect(block.transactions.map((t) => t.value)).toEqual(recorded.transactions!.map((t) => BigInt(t.value)));
    expect(block.transactions[3]!.value).toBe(1530219620000000000n); // 1.53021962 ETH, beyond 2^53 wei
    expect(block.transactions[3]!.value > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('reads the two ERC-20 Transfer logs and their amounts as BigInt', () => {
    const logs = parseLogs(readRpcResponse(load(LOGS), 'eth_getLogs'), LOGS);
    expect(logs.map((l) => l.removed)).toEqual([false, false]); // Parity's `type: "mined"`
    const transfers = logs.map(decodeErc20Transfer);
    expect(transfers).toEqual([
      { token: '0xf4eced2f682ce333f96f2d8966c613ded8fc95dd', from: '0x1b63142628311395ceafeea5667e7c9026c862ca', to: '0xac4df82fe37ea2187bc8c011a23d743b4f39019a', amount: 0x186a0n },
      { token: '0xf4eced2f682ce333f96f2d8966c613ded8fc95dd', from: '0x9b22a80d5c7b3374a05b446081f97d0a34079e7f', to: '0x66f183060253cfbe45beff1e6e7ebbe318c81e56', amount: 0x30d40n },
    ]);
    expect(transfers.map((t) => t!.amount)).toEqual([100000n, 200000n]);
  });

  it('reads the logs inside the pre-Byzantium receipt', () => {
    const receipt = readRpcResponse(load(RECEIPT), 'eth_getTransactionReceipt') as { logs: unknown };
    const [log] = parseLogs(receipt.logs, RECEIPT, 'result.logs');
    expect(decodeErc20Transfer(log!)?.amount).toBe(100000n);
  });
});

describe('what is not an ERC-20 transfer, and reorged logs', () => {
  const [real] = parseLogs(readRpcResponse(load(LOGS), 'eth_getLogs'), LOGS) as [Log];

  it('skips an ERC-721 Transfer: same topic0, four topics (the token id indexed), no data', () => {
    const erc721: Log = { ...real, topics: [...real.topics, `0x${(0x186a0).toString(16).padStart(64, '0')}`], data: '0x' };
    expect(erc721.topics[0]).toBe(ERC20_TRANSFER_TOPIC);
    expect(decodeErc20Transfer(erc721)).toBeNull();
    expect(decodeErc20Transfer({ ...real, topics: [real.topics[0]!] })).toBeNull();
    expect(decodeErc20Transfer({ ...real, topics: ['0x' + 'ab'.repeat(32), real.topics[1]!, real.topics[2]!] })).toBeNull();
  });

  it('marks a log undone by a reorganisation (`removed: true`, or Parity’s `type: "removed"`)', () => {
    const answer = JSON.parse(readFileSync(DIR + LOGS, 'utf8')) as { result: Record<string, unknown>[] };
    answer.result[0]!.removed = true;
    answer.result[1]!.type = 'removed';
    expect(parseLogs(answer.result, 'derived').map((l) => l.removed)).toEqual([true, true]);
  });
});

describe('broken and unexpected answers', () => {
  const code = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      if (e instanceof DocumentError) return `${e.code} ${e.path ?? ''}`.trim();
      throw e;
    }
    return 'no error';
  };

  it('reads `result: null` (an unknown block) as null', () => {
    expect(parseBlock(readRpcResponse(doc('{"jsonrpc":"2.0","id":1,"result":null}'), 'eth_getBlockByNumber'), 'x')).toBeNull();
  });

  it('turns a JSON-RPC error member into a JsonRpcError naming the method', () => {
    const run = () => readRpcResponse(doc('{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"query returned more than 10000 results"}}'), 'eth_getLogs');
    expect(run).toThrow(JsonRpcError);
    expect(run).toThrow('eth_getLogs failed: JSON-RPC error -32005: query returned more than 10000 results');
    const missing = new JsonRpcError('txpool_status', -32601, 'the method txpool_status does not exist/is not available');
    expect(missing.unsupported).toBe(true);
    expect(new JsonRpcError('eth_getLogs', -32005, 'limit exceeded').unsupported).toBe(false);
  });

  it('rejects truncated, non-JSON-RPC and malformed quantities with the right code and path', () => {
    const block = readFileSync(DIR + BLOCK);
    expect(code(() => readRpcResponse({ origin: 'x', body: block.subarray(0, 900) }, 'eth_getBlockByNumber'))).toBe('DOCUMENT_MALFORMED');
    expect(code(() => readRpcResponse(doc('{"result":"0x1"}'), 'eth_blockNumber'))).toBe('DOCUMENT_FORMAT jsonrpc');
    expect(code(() => readRpcResponse(doc('<html>bad gateway</html>'), 'eth_blockNumber'))).toBe('DOCUMENT_FORMAT');
    expect(code(() => readRpcResponse(doc('{"jsonrpc":"2.0","id":7,"result":"0x1"}'), 'eth_blockNumber', 1))).toBe('DOCUMENT_INVALID id');
    const answer = raw(BLOCK);
    answer.result.transactions![2]!.value = '12345';
    expect(code(() => parseBlock(answer.result, 'x'))).toBe('DOCUMENT_INVALID result.transactions[2].value');
  });
});
