/**
 * Field masking by role over the real API, authentication required with real API keys: broker identifiers of
 * orders are `••••` + their last 4 characters for Viewer (Executor sees them whole, on orders and fills), and social
 * authors' handles in signal bodies are masked for Viewer (Markets sees them whole). A real engine with the
 * trading desk (in-memory PGlite, memory bus, test clock, paper broker) runs simulated bars first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys, Authenticator } from '../src/api/auth/index.js';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { Role } from '../src/api/roles.js';
import { startTradingRig, type TradingRig } from './api-trading-fixtures.js';

let rig: TradingRig;
let api: ApiServer;
const keys = new Map<Role, string>();

beforeAll(async () => {
  rig = await startTradingRig();
  const apiKeys = new ApiKeys(rig.store.apiKeys);
  for (const role of [Role.Alpha, Role.Markets, Role.Executor, Role.Viewer]) keys.set(role, (await apiKeys.create(`${role} key`, [role])).key);
  const authenticator = new Authenticator({ required: true, apiKeys });
  api = await createApiServer(
    rig.apiDependencies(),
    { port: 0, host: '127.0.0.1', authenticate: (h) => authenticator.fromAuthorization(h) },
  );
  await rig.runBars(90);
}, 300_000);

afterAll(async () => {
  await api?.close();
  await rig?.close();
});

async function gql(role: Role, query: string) {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(role)}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: Record<string, any> | null; errors?: unknown[] };
}

const ORDERS = '{ orders(first: 100) { edges { node { clientOrderId brokerOrderId } } } }';
const SIGNALS = '{ signals(first: 100, filter: { kind: SOCIAL_MENTION }) { edges { node { id body } } } }';

describe('broker identifiers', () => {
  it('are whole for Executor and masked to the last 4 characters for Viewer', async () => {
    const whole = await gql(Role.Executor, ORDERS);
    const masked = await gql(Role.Viewer, ORDERS);
    expect(whole.errors).toBeUndefined();
    expect(masked.errors).toBeUndefined();
    const real = new Map<string, string | null>(whole.data!.orders.edges.map((e: any) => [e.node.clientOrderId, e.node.brokerOrderId]));
    const shown = new Map<string, string | null>(masked.data!.orders.edges.map((e: any) => [e.node.clientOrderId, e.node.brokerOrderId]));
    const sent = [...real].filter(([, b]) => b !== null);
    expect(sent.length).toBeGreaterThan(0);
    for (const [id, brokerOrderId] of sent) {
      expect(brokerOrderId).toMatch(/^paper-[0-9a-f]{16}$/);
      expect(shown.get(id)).toBe(`••••${brokerOrderId!.slice(-4)}`);
    }
  });

  it('are whole on fills for Executor', async () => {
    const r = await gql(Role.Executor, '{ fills(first: 50) { brokerOrderId brokerFillId } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.fills.length).toBeGreaterThan(0);
    for (const f of r.data!.fills) {
      expect(f.brokerOrderId).toMatch(/^paper-[0-9a-f]{16}$/);
      expect(f.brokerFillId).toMatch(/^paper-[0-9a-f]{16}-\d+$/);
    }
  });
});

describe('social author handles', () => {
  it('are whole for Markets and masked for Viewer; the rest of the body is unchanged', async () => {
    const markets = await gql(Role.Markets, SIGNALS);
    const viewer = await gql(Role.Viewer, SIGNALS);
    expect(markets.errors).toBeUndefined();
    expect(viewer.errors).toBeUndefined();
    const byId = new Map<string, Record<string, unknown>>(viewer.data!.signals.edges.map((e: any) => [e.node.id, e.node.body]));
    const posts = markets.data!.signals.edges.map((e: any) => e.node) as { id: string; body: Record<string, unknown> }[];
    const authored = posts.filter((p) => typeof p.body.author === 'string');
    expect(authored.length).toBeGreaterThan(0);
    for (const post of authored) {
      const seen = byId.get(post.id)!;
      const author = post.body.author as string;
      expect(seen.author).toBe(`••••${author.slice(-4)}`);
      expect(seen.author).not.toBe(author);
      expect({ ...seen, author: null }).toEqual({ ...post.body, author: null });
    }
  });
});
