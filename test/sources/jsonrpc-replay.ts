/**
 * JSON-RPC for the Ethereum source tests: a loader for the execution-apis `.io` recordings (`>>` request
 * and `<<` response lines, `//` comments; not one JSON document), and a node on the fixture server that
 * answers each method from a script or a recording, with the id of the request it answers.
 */
import type { RecordedRequest, Reply } from '../fixture-server.js';
import { fixture } from './market-harness.js';

export interface RecordedCall {
  readonly method: string;
  readonly params: readonly unknown[];
  /** The `<<` line as recorded. */
  readonly response: string;
}

/** The request/response pairs of a `.io` file under `test/fixtures/eth_jsonrpc/`. */
export function loadIo(file: string): RecordedCall[] {
  const calls: RecordedCall[] = [];
  let pending: { method: string; params: unknown[] } | null = null;
  for (const [i, line] of fixture('eth_jsonrpc', file).toString('utf8').split('\n').entries()) {
    if (line.startsWith('>>')) {
      if (pending) throw new Error(`${file}:${i + 1}: a request follows a request`);
      pending = JSON.parse(line.slice(2)) as { method: string; params: unknown[] };
    } else if (line.startsWith('<<')) {
      if (!pending) throw new Error(`${file}:${i + 1}: a response without a request`);
      calls.push({ method: pending.method, params: pending.params, response: line.slice(2).trim() });
      pending = null;
    } else if (line.trim() !== '' && !line.startsWith('//')) {
      throw new Error(`${file}:${i + 1}: neither >>, << nor a comment`);
    }
  }
  if (pending) throw new Error(`${file}: a request without a response`);
  return calls;
}

/** What a method answers: a result, an error, or a recorded response line (its id is rewritten). */
export type Answer = { result: unknown } | { error: { code: number; message: string } } | { recorded: string };
export type Method = (params: readonly unknown[]) => Answer;

/** A fixture-server route acting as a JSON-RPC node. Unknown methods answer -32601, as nodes do. */
export function rpcNode(methods: Readonly<Record<string, Method>>, calls: { method: string; params: unknown[] }[] = []): (req: RecordedRequest) => Reply {
  return (req) => {
    const request = JSON.parse(req.body) as { id: number; method: string; params: unknown[] };
    calls.push({ method: request.method, params: request.params });
    const handler = methods[request.method];
    const answer: Answer = handler ? handler(request.params) : { error: { code: -32601, message: `the method ${request.method} does not exist/is not available` } };
    const headers = { 'content-type': 'application/json' };
    if ('recorded' in answer) return { headers, body: answer.recorded.replace(/"id":\s*1\b/, `"id":${request.id}`) };
    return { headers, body: JSON.stringify({ jsonrpc: '2.0', id: request.id, ...answer }) };
  };
}

/** Answers a method from recordings whose params match exactly. */
export function replay(recorded: readonly RecordedCall[]): Method {
  return (params) => {
    const hit = recorded.find((c) => JSON.stringify(c.params) === JSON.stringify(params));
    if (!hit) return { error: { code: -32602, message: `no recording for params ${JSON.stringify(params)}` } };
    return { recorded: hit.response };
  };
}
