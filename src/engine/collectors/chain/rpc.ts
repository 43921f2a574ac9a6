/**
 * A minimal Ethereum JSON-RPC 2.0 client over the collector's `HttpClient`, for any node URL (a local
 * geth or erigon, or a provider). One request per call, no batching: providers limit batches differently
 * and a failed batch loses every answer in it.
 *
 * Answers are kept as `SourceDocument`s, so one that cannot be read goes to the dead-letter topic whole.
 * An `error` member is a {@link JsonRpcError} naming the method, code and message; it is the node's
 * answer, not a broken document.
 */
import { DocumentError, type SourceDocument } from '../document.js';
import type { HttpClient } from '../http.js';
import { fetchDocument } from '../market/fetch-document.js';
import { Fields, readJson } from '../market/json-document.js';

/** Codes a node uses for "I do not offer this method" (standard, and what geth, erigon and providers send). */
const UNSUPPORTED_CODES = new Set([-32601, -32600, -32004, -32006]);

export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError';
  readonly code = 'JSONRPC_ERROR';
  constructor(
    readonly method: string,
    /** The node's error code (-32601 method not found, -32602 invalid params, -32005 limit exceeded, …). */
    readonly rpcCode: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
  ) {
    super(`${method} failed: JSON-RPC error ${rpcCode}: ${rpcMessage}`);
  }

  /** True when the node does not offer the method (as opposed to failing it). */
  get unsupported(): boolean {
    return UNSUPPORTED_CODES.has(this.rpcCode) || /not (found|supported|available|allowed)|does not exist|unsupported/i.test(this.rpcMessage);
  }
}

export interface RpcAnswer {
  readonly result: unknown;
  readonly document: SourceDocument;
}

/**
 * Reads a JSON-RPC response document: the `result` (which may be `null`), or a thrown `JsonRpcError`
 * for an `error` member. Not JSON-RPC at all is `DOCUMENT_FORMAT`.
 */
export function readRpcResponse(document: SourceDocument, method: string, expectedId?: number | string): unknown {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'a JSON-RPC response');
  if (root.jsonrpc !== '2.0') f.fail('DOCUMENT_FORMAT', `not a JSON-RPC 2.0 response (jsonrpc is ${JSON.stringify(root.jsonrpc)})`, 'jsonrpc');
  if (expectedId !== undefined && root.id !== expectedId) {
    f.fail('DOCUMENT_INVALID', `answers request ${JSON.stringify(root.id)}, expected ${JSON.stringify(expectedId)}`, 'id');
  }
  if ('error' in root && root.error !== null && root.error !== undefined) {
    const e = f.obj(root.error, 'error');
    const code = typeof e.code === 'number' ? e.code : 0;
    const message = typeof e.message === 'string' ? e.message : 'no message';
    throw new JsonRpcError(method, code, message, e.data);
  }
  if (!('result' in root)) f.fail('DOCUMENT_INVALID', 'neither "result" nor "error"', '$');
  return root.result;
}

const documents = new WeakMap<DocumentError, SourceDocument>();

/** The answer a `DocumentError` thrown by {@link JsonRpcClient.call} was about, for the dead letter. */
export function documentOf(error: DocumentError): SourceDocument | undefined {
  return documents.get(error);
}

/**
 * The node URL as it may appear in errors and dead letters: scheme and host only, since providers put
 * API keys in the path (`https://mainnet.example.io/v3/<key>`).
 */
export function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname === '/' || u.pathname === '' ? '' : '/…'}`;
}

export class JsonRpcClient {
  #nextId = 1;
  readonly #display: string;

  constructor(
    readonly url: string,
    /** Extra headers, e.g. a provider's authorization. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    this.#display = displayUrl(url);
  }

  readonly #redact = (text: string): string => text.split(this.url).join(this.#display);

  /**
   * Calls a method. Resolves with the result and the document it came from; rejects with a
   * `JsonRpcError` for an error answer, a `DocumentError` (carrying the document) for an unreadable one,
   * or the client's `HttpError`.
   */
  async call(http: HttpClient, method: string, params: readonly unknown[], signal?: AbortSignal): Promise<RpcAnswer> {
    const id = this.#nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const document = await fetchDocument(http, {
      url: this.url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...this.headers },
      body,
      ...(signal ? { signal } : {}),
    }, { redact: this.#redact });
    // The origin names the method and params, so a dead letter says which call it answered.
    const named: SourceDocument = { ...document, origin: `${document.origin}#${method}(${JSON.stringify(params).slice(1, -1)})` };
    try {
      return { result: readRpcResponse(named, method, id), document: named };
    } catch (error) {
      if (error instanceof DocumentError) documents.set(error, named);
      throw error;
    }
  }
}
