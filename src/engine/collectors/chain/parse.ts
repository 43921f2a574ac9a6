/**
 * Parsers for Ethereum JSON-RPC results: blocks (`eth_getBlockByNumber`), logs (`eth_getLogs`, and the
 * `logs` of receipts) and quantities. Every quantity is a hex string read as a BigInt: values in wei and
 * token amounts exceed 2^53 routinely.
 *
 * Fields differ by era and client (Parity's `author` and `sealFields`, no `baseFeePerGas` before London,
 * blob fields since Cancun, `blockTimestamp` on newer logs); only the fields used here are read, so the
 * others pass. `to` is null on contract creation. A log's `removed: true` (or Parity's `type: "removed"`)
 * marks a log undone by a reorganisation.
 */
import { Fields } from '../market/json-document.js';

export const ERC20_TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

export interface Transaction {
  readonly hash: string;
  readonly from: string;
  /** Null when the transaction creates a contract. */
  readonly to: string | null;
  /** Wei. */
  readonly value: bigint;
  readonly type: bigint | null;
}

export interface Block {
  readonly number: bigint;
  readonly hash: string;
  readonly parentHash: string;
  /** Seconds since the epoch. */
  readonly timestamp: bigint;
  readonly baseFeePerGas: bigint | null;
  /** Full transactions when asked for; empty when the block was fetched with hashes only. */
  readonly transactions: readonly Transaction[];
  readonly transactionCount: number;
}

export interface Log {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly blockNumber: bigint;
  readonly blockHash: string;
  readonly transactionHash: string;
  readonly logIndex: bigint;
  readonly removed: boolean;
}

export interface Erc20Transfer {
  readonly token: string;
  readonly from: string;
  readonly to: string;
  /** In the token's smallest unit. */
  readonly amount: bigint;
}

const QUANTITY = /^0x[0-9a-fA-F]+$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DATA = /^0x([0-9a-fA-F]{2})*$/;

export function quantity(f: Fields, value: unknown, path: string): bigint {
  const text = f.str(value, path);
  if (!QUANTITY.test(text)) f.fail('DOCUMENT_INVALID', `expected a hex quantity, got ${JSON.stringify(text)}`, path);
  return BigInt(text);
}

function optQuantity(f: Fields, value: unknown, path: string): bigint | null {
  return value === undefined || value === null ? null : quantity(f, value, path);
}

function hash(f: Fields, value: unknown, path: string): string {
  const text = f.str(value, path);
  if (!HASH.test(text)) f.fail('DOCUMENT_INVALID', `expected a 32-byte hash, got ${JSON.stringify(text)}`, path);
  return text.toLowerCase();
}

function address(f: Fields, value: unknown, path: string): string {
  const text = f.str(value, path);
  if (!ADDRESS.test(text)) f.fail('DOCUMENT_INVALID', `expected a 20-byte address, got ${JSON.stringify(text)}`, path);
  return text.toLowerCase();
}

/** Reads a hex quantity result (`eth_blockNumber`, a transaction count). */
export function parseQuantity(result: unknown, origin: string, path = 'result'): bigint {
  return quantity(new Fields(origin), result, path);
}

function parseTransaction(f: Fields, value: unknown, path: string): Transaction {
  const t = f.obj(value, path);
  return {
    hash: hash(f, t.hash, `${path}.hash`),
    from: address(f, t.from, `${path}.from`),
    to: t.to === null || t.to === undefined ? null : address(f, t.to, `${path}.to`),
    value: quantity(f, t.value, `${path}.value`),
    type: optQuantity(f, t.type, `${path}.type`),
  };
}

/** Reads an `eth_getBlockByNumber` result; null (an unknown block) stays null. */
export function parseBlock(result: unknown, origin: string): Block | null {
  if (result === null) return null;
  const f: Fields = new Fields(origin);
  const b = f.obj(result, 'result');
  const txs = f.arr(b.transactions, 'result.transactions');
  const full = txs.filter((t) => typeof t !== 'string');
  return {
    number: quantity(f, b.number, 'result.number'),
    hash: hash(f, b.hash, 'result.hash'),
    parentHash: hash(f, b.parentHash, 'result.parentHash'),
    timestamp: quantity(f, b.timestamp, 'result.timestamp'),
    baseFeePerGas: optQuantity(f, b.baseFeePerGas, 'result.baseFeePerGas'),
    transactions: full.map((t, i) => parseTransaction(f, t, `result.transactions[${i}]`)),
    transactionCount: txs.length,
  };
}

/** Reads a list of logs (an `eth_getLogs` result, or a receipt's `logs`). Pending logs (no block yet) are left out. */
export function parseLogs(result: unknown, origin: string, path = 'result'): Log[] {
  const f: Fields = new Fields(origin);
  return f.arr(result, path).flatMap((value, i): Log[] => {
    const p = `${path}[${i}]`;
    const l = f.obj(value, p);
    if (l.blockNumber === null || l.logIndex === null) return [];
    const data = f.str(l.data, `${p}.data`);
    if (!DATA.test(data)) f.fail('DOCUMENT_INVALID', 'expected hex data', `${p}.data`);
    return [
      {
        address: address(f, l.address, `${p}.address`),
        topics: f.arr(l.topics, `${p}.topics`).map((t, j) => hash(f, t, `${p}.topics[${j}]`)),
        data: data.toLowerCase(),
        blockNumber: quantity(f, l.blockNumber, `${p}.blockNumber`),
        blockHash: hash(f, l.blockHash, `${p}.blockHash`),
        transactionHash: hash(f, l.transactionHash, `${p}.transactionHash`),
        logIndex: quantity(f, l.logIndex, `${p}.logIndex`),
        removed: l.removed === true || l.type === 'removed',
      },
    ];
  });
}

/** The address in a 32-byte topic, if its upper 12 bytes are zero as an ABI-encoded address's are. */
function topicAddress(topic: string): string | null {
  return /^0x0{24}[0-9a-f]{40}$/.test(topic) ? `0x${topic.slice(26)}` : null;
}

/**
 * The ERC-20 `Transfer(address indexed from, address indexed to, uint256 value)` in a log, or null.
 * ERC-721 emits the same event signature with the token id indexed too: four topics, no data. Only
 * exactly three topics and one 32-byte word of data is an ERC-20 amount.
 */
export function decodeErc20Transfer(log: Log): Erc20Transfer | null {
  if (log.topics.length !== 3 || log.topics[0] !== ERC20_TRANSFER_TOPIC) return null;
  if (log.data.length !== 2 + 64) return null;
  const from = topicAddress(log.topics[1]!);
  const to = topicAddress(log.topics[2]!);
  if (!from || !to) return null;
  return { token: log.address, from, to, amount: BigInt(log.data) };
}
