/**
 * The brokers' HTTP layer against a real server on 127.0.0.1: every outcome becomes the right typed
 * error, bodies go out as JSON or form, nothing is retried, and credentials never reach a message or a
 * log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/engine/execution/broker.js';
import { BrokerHttp, BrokerHttpError, codeForStatus, venueMessage, type BrokerLogger } from '../../src/engine/execution/brokers/http.js';
import { AnswerReader, isoMs } from '../../src/engine/execution/brokers/http-fields.js';
import { lookUpPatiently, submitIdempotently } from '../../src/engine/execution/brokers/http-submit.js';
import { ReplayServer } from './replay-server.js';

const SECRET = 'sk_live_abcdef0123456789';

let server: ReplayServer;
const lines: { level: string; obj: Record<string, unknown> }[] = [];
const log: BrokerLogger = {
  info: (obj) => lines.push({ level: 'info', obj: obj as Record<string, unknown> }),
  warn: (obj) => lines.push({ level: 'warn', obj: obj as Record<string, unknown> }),
};

beforeAll(async () => {
  server = await ReplayServer.start([
    { method: 'GET', path: /^\/ok$/, handle: () => ({ json: { ok: true } }) },
    { method: 'POST', path: /^\/echo$/, handle: (req) => ({ json: { type: req.headers['content-type'], body: req.body } }) },
    { method: 'DELETE', path: /^\/gone$/, handle: () => ({ status: 204 }) },
    { method: 'GET', path: /^\/status\/(\d+)$/, handle: (_req, m) => ({ status: Number(m[1]), body: `{"message":"status ${m[1]} for key ${SECRET}"}` }) },
    { method: 'GET', path: /^\/slow$/, handle: () => ({ json: { late: true } }) },
  ]);
});
afterAll(() => server.close());

function client(over: Partial<ConstructorParameters<typeof BrokerHttp>[0]> = {}): BrokerHttp {
  return new BrokerHttp({ venue: 'testvenue', baseUrl: server.url, headers: { 'X-Key': SECRET }, secrets: [SECRET], timeoutMs: 300, log, ...over });
}

async function error(run: Promise<unknown>): Promise<BrokerHttpError> {
  const e = await run.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(BrokerHttpError);
  return e as BrokerHttpError;
}

describe('BrokerHttp', () => {
  it('sends JSON and form bodies with their content types, and reads JSON and empty answers', async () => {
    const http = client();
    const json = await http.request({ method: 'POST', path: '/echo', json: { qty: '1.5' } });
    expect(json.body).toEqual({ type: 'application/json', body: '{"qty":"1.5"}' });
    const form = await http.request({ method: 'POST', path: '/echo', form: { a: '1', b: undefined, tag: 'vt-1' } });
    expect(form.body).toEqual({ type: 'application/x-www-form-urlencoded', body: 'a=1&tag=vt-1' });
    expect((await http.request({ method: 'DELETE', path: '/gone' })).body).toBeNull();
    expect(server.requestsTo('POST', /^\/echo$/)[0]!.headers['x-key']).toBe(SECRET);
  });

  it.each([
    [500, 'BROKER_UNAVAILABLE'],
    [502, 'BROKER_UNAVAILABLE'],
    [503, 'BROKER_UNAVAILABLE'],
    [429, 'BROKER_UNAVAILABLE'],
    [401, 'BROKER_AUTH'],
    [403, 'BROKER_AUTH'],
    [404, 'BROKER_NOT_FOUND'],
    [400, 'BROKER_REJECTED'],
    [422, 'BROKER_REJECTED'],
  ])('maps HTTP %i to %s, once, with the secret redacted', async (status, code) => {
    const before = server.requests.length;
    const e = await error(client().request({ method: 'GET', path: `/status/${status}` }));
    expect(e.code).toBe(code);
    expect(codeForStatus(status)).toBe(code);
    expect(e.status).toBe(status);
    expect(e.message).toContain(String(status));
    expect(e.message).not.toContain(SECRET);
    expect(server.requests.length - before).toBe(1);
  });

  it('answers an accepted status instead of raising it', async () => {
    const res = await client().request({ method: 'GET', path: '/status/422', accept: [422] });
    expect(res.status).toBe(422);
    expect(venueMessage(res.body)).toContain('status 422');
  });

  it('reports a deadline passed as BROKER_TIMEOUT, which is uncertain', async () => {
    server.inject('GET', /^\/slow$/, { kind: 'delay', ms: 800 });
    const e = await error(client().request({ method: 'GET', path: '/slow' }));
    expect(e.code).toBe('BROKER_TIMEOUT');
    expect(e.uncertain).toBe(true);
  });

  it('reports a dropped connection and a refused one as BROKER_UNAVAILABLE', async () => {
    server.inject('GET', /^\/ok$/, { kind: 'drop' });
    expect((await error(client().request({ method: 'GET', path: '/ok' }))).code).toBe('BROKER_UNAVAILABLE');
    const closed = await ReplayServer.start([]);
    const url = closed.url;
    await closed.close();
    expect((await error(client({ baseUrl: url }).request({ method: 'GET', path: '/ok' }))).code).toBe('BROKER_UNAVAILABLE');
  });

  it('reports a 2xx that is not JSON as BROKER_PROTOCOL', async () => {
    server.inject('GET', /^\/ok$/, { kind: 'garbage' });
    const e = await error(client().request({ method: 'GET', path: '/ok' }));
    expect(e.code).toBe('BROKER_PROTOCOL');
    expect(e.message).toContain('not JSON');
  });

  it('redacts secrets in the query string, bearer tokens and literal credentials, in messages and logs', async () => {
    lines.length = 0;
    const e = await error(client().request({ method: 'GET', path: '/status/401', query: { api_key: 'querysecret123', signature: 'abcdef123456' } }));
    for (const text of [e.message, JSON.stringify(lines)]) {
      expect(text).not.toContain('querysecret123');
      expect(text).not.toContain('abcdef123456');
      expect(text).not.toContain(SECRET);
    }
    expect(lines.at(-1)).toMatchObject({ level: 'warn', obj: { venue: 'testvenue', status: 401, code: 'BROKER_AUTH' } });
    const http = client();
    expect(http.redact(`Authorization: Bearer ${SECRET}`)).toBe('Authorization: Bearer ***');
  });
});

describe('submitIdempotently', () => {
  const uncertain = () => new BrokerError('BROKER_TIMEOUT', 'no answer', 'v');
  const order = { brokerOrderId: 'o1' } as never;
  const noSleep = async () => {};

  it('returns the order a look-up finds after an uncertain failure, without sending again', async () => {
    let places = 0;
    const result = await submitIdempotently({ place: async () => { places += 1; throw uncertain(); }, lookup: async () => order, venueDeduplicates: false, sleep: noSleep });
    expect(result).toBe(order);
    expect(places).toBe(1);
  });

  it('sends once more after a miss when the venue refuses duplicates, or when the failure was no timeout', async () => {
    for (const [deduplicates, error] of [[true, uncertain()], [false, new BrokerError('BROKER_UNAVAILABLE', '503', 'v')]] as const) {
      let places = 0;
      const result = await submitIdempotently({ place: async () => { places += 1; if (places === 1) throw error; return order; }, lookup: async () => null, venueDeduplicates: deduplicates, sleep: noSleep });
      expect(result).toBe(order);
      expect(places).toBe(2);
    }
  });

  it('keeps the timeout when the venue takes duplicates: the order may still arrive', async () => {
    let places = 0;
    const e = await submitIdempotently({ place: async () => { places += 1; throw uncertain(); }, lookup: async () => null, venueDeduplicates: false, sleep: noSleep }).catch((x: unknown) => x);
    expect((e as BrokerError).code).toBe('BROKER_TIMEOUT');
    expect(places).toBe(1);
  });

  it('passes a final refusal through at once', async () => {
    let lookups = 0;
    const refusal = new BrokerError('BROKER_REJECTED', 'no', 'v');
    const e = await submitIdempotently({ place: async () => { throw refusal; }, lookup: async () => { lookups += 1; return null; }, venueDeduplicates: true, sleep: noSleep }).catch((x: unknown) => x);
    expect(e).toBe(refusal);
    expect(lookups).toBe(0);
  });

  it('retries an uncertain look-up and gives up as unknown', async () => {
    let lookups = 0;
    expect(await lookUpPatiently({ lookup: async () => { lookups += 1; throw uncertain(); }, policy: { attempts: 3, delayMs: 0 }, sleep: noSleep })).toBeUndefined();
    expect(lookups).toBe(3);
  });
});

describe('answer reading', () => {
  const r = new AnswerReader('v', 'GET /x');

  it('reads decimals exactly from strings and JSON numbers', () => {
    expect(r.dec('0.00031000', '$').toFixed()).toBe('0.00031');
    expect(r.dec(50.0, '$').toFixed()).toBe('50');
    expect(r.dec(387.2796, '$').div(4).toFixed()).toBe('96.8199');
    expect(() => r.dec('12,5', '$.qty')).toThrowError(/GET \/x: \$\.qty: expected a decimal/);
  });

  it('reads ISO times with any number of fractional digits, and epoch ms', () => {
    expect(isoMs('2022-10-14T15:28:33.474853941Z')).toBe(Date.UTC(2022, 9, 14, 15, 28, 33, 474));
    expect(isoMs('2019-08-24T14:15:22Z')).toBe(Date.UTC(2019, 7, 24, 14, 15, 22));
    expect(r.ms('1698138992358', '$')).toBe(1698138992358);
    expect(() => r.ms('0001-01-0', '$.t')).toThrowError(BrokerError);
  });

  it('reads a collection sent as a list, a single object, null, or "null"', () => {
    expect(r.list([1, 2], '$')).toEqual([1, 2]);
    expect(r.list({ id: 1 }, '$')).toEqual([{ id: 1 }]);
    expect(r.list('null', '$')).toEqual([]);
    expect(r.list(null, '$')).toEqual([]);
  });
});
