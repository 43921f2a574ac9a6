/**
 * HTTPS and WSS from one server, and mutual TLS, with a CA and certificates made by `openssl` at test time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { tlsServerOptions } from '../src/api/hardening/tls.js';
import { loadConfig } from '../src/config.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { HEALTH, NOW } from './api-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vanta-tls-'));
const file = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, and a certificate it signs for `name` with the given extensions. */
function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`);
}
function makeCert(name: string, ca: string, ext: string): void {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  writeFileSync(file(`${name}.ext`), ext);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
}

let store: DrizzleStore;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  execFileSync('openssl', ['version']); // fails the suite with a clear message where openssl is missing
  makeCa('ca');
  makeCa('rogue-ca');
  makeCert('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeCert('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeCert('rogue', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  store = await createStore('memory://');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function server(requestClientCert: boolean): Promise<ApiServer> {
  const bus = new MemoryBus();
  const api = await createApiServer(
    { store, bus, health: async () => HEALTH, lineage: async () => null, now: () => NOW },
    {
      port: 0,
      host: '127.0.0.1',
      hardening: { settings: { tls: { certPath: file('server.crt'), keyPath: file('server.key'), caPath: file('ca.crt'), requestClientCert } } },
    },
  );
  closers.push(() => bus.close(), () => api.close());
  return api;
}

interface ClientCert {
  readonly cert?: Buffer;
  readonly key?: Buffer;
}
const ca = () => readFileSync(file('ca.crt'));
const identity = (name: string): ClientCert => ({ cert: readFileSync(file(`${name}.crt`)), key: readFileSync(file(`${name}.key`)) });

function post(url: string, client: ClientCert): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: ca(), ...client, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ health { status } }' }));
  });
}

/** Runs `{ health { status } }` over graphql-ws; resolves with the result, rejects when the connection fails. */
function wsHealth(url: string, client: ClientCert): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { ca: ca(), ...client });
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed with ${code}`)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (m.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ health { status } }' } }));
      if (m.type === 'next') {
        resolve(m.payload);
        ws.close();
      }
    });
  });
}

const OK = { data: { health: { status: 'OK' } } };

describe('TLS', () => {
  it('serves HTTPS and WSS from one server', async () => {
    const api = await server(false);
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(api.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const r = await post(api.url, {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(OK);
    expect(await wsHealth(api.wsUrl, {})).toEqual(OK);
    // Plain HTTP to the TLS port gets no GraphQL answer.
    await expect(fetch(api.url.replace('https:', 'http:'), { method: 'POST', body: '{}' }).then((res) => res.status)).rejects.toThrow();
  });
});

describe('mutual TLS', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await server(true);
  });

  it('answers a client with a certificate the CA signed, over HTTPS and WSS', async () => {
    const r = await post(api.url, identity('client'));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual(OK);
    expect(await wsHealth(api.wsUrl, identity('client'))).toEqual(OK);
  });

  it('refuses a client without a certificate', async () => {
    await expect(post(api.url, {})).rejects.toThrow(/certificate|socket hang up|ECONNRESET/i);
    await expect(wsHealth(api.wsUrl, {})).rejects.toThrow(/certificate|socket hang up|ECONNRESET|closed with/i);
  });

  it('refuses a client whose certificate another CA signed', async () => {
    await expect(post(api.url, identity('rogue'))).rejects.toThrow(/certificate|unknown ca|socket hang up|ECONNRESET/i);
  });
});

describe('TLS settings', () => {
  it('names an unreadable file and a missing CA', () => {
    expect(() => tlsServerOptions({ certPath: file('nope.crt'), keyPath: file('server.key'), requestClientCert: false })).toThrow(
      /security\.tls\.certPath: cannot read .*nope\.crt \(ENOENT\)/,
    );
    expect(() => tlsServerOptions({ certPath: file('server.crt'), keyPath: file('server.key'), requestClientCert: true })).toThrow(
      /requestClientCert needs security\.tls\.caPath/,
    );
  });

  it('reads the TLS settings from the environment, and refuses mTLS without a CA', () => {
    const config = loadConfig({ env: { VANTA_TLS_CERT: 'a.crt', VANTA_TLS_KEY: 'a.key', VANTA_TLS_CA: 'ca.crt', VANTA_TLS_REQUEST_CLIENT_CERT: 'true' } });
    expect(config.security.tls).toEqual({ certPath: 'a.crt', keyPath: 'a.key', caPath: 'ca.crt', requestClientCert: true });
    expect(() => loadConfig({ env: { VANTA_TLS_CERT: 'a.crt', VANTA_TLS_KEY: 'a.key', VANTA_TLS_REQUEST_CLIENT_CERT: 'true' } })).toThrow(
      /"security\.tls".*requestClientCert needs caPath/,
    );
  });
});
