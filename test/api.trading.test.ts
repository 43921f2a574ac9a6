/**
 * Vaults, personas, orders, fills and kill switches over the real API: a real engine with the trading desk
 * (in-memory PGlite, memory bus, test clock, paper broker, the shipped vaults) runs simulated bars, and the
 * server is queried over HTTP and subscribed to over graphql-ws with the typed documents in test/gql.
 * The tests run in order: the global kill switch is engaged last.
 */
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { type HttpResult, post, subscribe, until, wsClient } from './api-client.js';
import { MIN, SHIPPED_VAULTS, shippedVault, startTradingRig, type TradingRig } from './api-trading-fixtures.js';
import {
  CancelOrderDocument,
  CreateVaultDocument,
  FillsDocument,
  KillSwitchChangedDocument,
  KillSwitchesDocument,
  OrderDocument,
  OrdersDocument,
  type OrdersQuery,
  OrderUpdatedDocument,
  SetKillSwitchDocument,
  SetVaultOverlayDocument,
  VaultDocument,
  VaultHistoryDocument,
  VaultsDocument,
  VaultUpdatedDocument,
} from './gql/graphql.js';

let rig: TradingRig;
let api: ApiServer;
const unexpected: unknown[] = [];

beforeAll(async () => {
  rig = await startTradingRig();
  api = await createApiServer(
    rig.apiDependencies(),
    { port: 0, host: '127.0.0.1', onError: (e) => unexpected.push(e) },
  );
  await rig.runBars(150);
}, 300_000);

afterAll(async () => {
  await api?.close();
  await rig?.close();
});

const ids = (r: { data?: OrdersQuery | null }) => r.data?.orders.edges.map((e) => e.node.clientOrderId) ?? [];

describe('vaults', () => {
  it('lists the shipped vaults with their positions marked at the latest prices', async () => {
    const { data, errors } = await post(api.url, VaultsDocument, {});
    expect(errors).toBeUndefined();
    const vaults = data!.vaults;
    expect(vaults.map((v) => v.id)).toEqual([...SHIPPED_VAULTS]);
    const core = vaults.find((v) => v.id === 'risk-averse-core')!;
    expect(core).toMatchObject({ status: 'ACTIVE', version: 1, overlay: null, persona: { id: 'risk-averse', kind: 'RISK_AVERSE', builtIn: true } });
    expect(core.settings).toMatchObject({ startingCapital: '100000', caps: { perInstrument: 0.05, perSector: 0.15 }, paused: false });
    expect(vaults.find((v) => v.id === 'aggressive-tech-loan')!.loan).toMatchObject({ principal: expect.any(String) });
    const held = vaults.flatMap((v) => v.positions);
    expect(held.length).toBeGreaterThan(0);
    for (const p of held) {
      expect(p.price).toBe(rig.desk.market.price(p.instrument));
      expect(p.priceStale).toBe(false);
      expect(new Decimal(p.marketValue).eq(new Decimal(p.quantity).mul(p.price))).toBe(true);
    }
    for (const v of vaults) {
      const marked = v.positions.reduce((s, p) => s.add(p.marketValue), new Decimal(v.cash));
      expect(new Decimal(v.equity).eq(marked)).toBe(true);
      const state = await rig.desk.service.state(v.id);
      expect(v.cash).toBe(state.cash);
      expect(v.realizedPnl).toBe(state.realizedPnl);
    }
  });

  it('finds a vault with its growth curve, and answers null for an unknown id', async () => {
    const all = await post(api.url, VaultDocument, { id: 'risk-averse-core' });
    const curve = all.data!.vault!.growthCurve;
    expect(curve.length).toBeGreaterThan(1);
    expect(curve.map((p) => Date.parse(p.at))).toEqual([...curve.map((p) => Date.parse(p.at))].sort((a, b) => a - b));
    const from = curve[1]!.at;
    const some = await post(api.url, VaultDocument, { id: 'risk-averse-core', from, to: from });
    expect(some.data!.vault!.growthCurve.map((p) => p.at)).toEqual([from]);
    expect((await post(api.url, VaultDocument, { id: 'nope' })).data).toEqual({ vault: null });
    expect((await post(api.url, VaultHistoryDocument, { id: 'nope' })).data).toEqual({ vaultHistory: null });
  });
});

describe('orders and fills', () => {
  it('lists orders newest first, filtered, and in pages without overlap', async () => {
    const stored = await rig.orders.list();
    expect(stored.length).toBeGreaterThan(2);
    const all = await post(api.url, OrdersDocument, { first: 500 });
    expect(all.errors).toBeUndefined();
    expect(all.data!.orders.totalCount).toBe(stored.length);
    const created = all.data!.orders.edges.map((e) => Date.parse(e.node.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: HttpResult<OrdersQuery> = await post(api.url, OrdersDocument, { first: 2, after });
      paged.push(...ids(r));
      if (!r.data!.orders.pageInfo.hasNextPage) break;
      after = r.data!.orders.pageInfo.endCursor!;
    }
    expect(paged).toEqual(ids(all));

    const vaultId = stored[0]!.vaultId;
    const byVault = await post(api.url, OrdersDocument, { filter: { vaultId }, first: 500 });
    expect(byVault.data!.orders.totalCount).toBe(stored.filter((o) => o.vaultId === vaultId).length);
    expect(byVault.data!.orders.edges.every((e) => e.node.vaultId === vaultId)).toBe(true);
    const filled = await post(api.url, OrdersDocument, { filter: { status: 'FILLED', instrument: stored[0]!.instrument }, first: 500 });
    expect(filled.data!.orders.edges.every((e) => e.node.status === 'FILLED' && e.node.instrument === stored[0]!.instrument)).toBe(true);
    const open = await post(api.url, OrdersDocument, { filter: { openOnly: true, venue: 'paper' } });
    expect(open.data!.orders.totalCount).toBe(stored.filter((o) => ['INITIALIZED', 'SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL'].includes(o.status)).length);
  });

  it('finds an order with its events, and lists its fills newest first', async () => {
    const filled = (await rig.orders.list({ statuses: ['FILLED'] })).at(-1)!;
    const { data } = await post(api.url, OrderDocument, { clientOrderId: filled.clientOrderId });
    const order = data!.order!;
    expect(order).toMatchObject({ status: 'FILLED', open: false, leavesQuantity: '0', filledQuantity: filled.quantity, version: filled.version });
    expect(order.events.map((e) => e.type)[0]).toBe('ORDER_INITIALIZED');
    expect(order.events.map((e) => e.type)).toContain('ORDER_FILLED');
    expect(order.events).toHaveLength(filled.version);
    expect((await post(api.url, OrderDocument, { clientOrderId: 'vt_unknown' })).data).toEqual({ order: null });

    const fills = await post(api.url, FillsDocument, { filter: { clientOrderId: filled.clientOrderId } });
    expect(fills.data!.fills.map((f) => f.eventId).sort()).toEqual(order.events.filter((e) => e.type === 'ORDER_FILLED').map((e) => e.id).sort());
    const vaultFills = await post(api.url, FillsDocument, { filter: { vaultId: filled.vaultId }, first: 3 });
    const times = vaultFills.data!.fills.map((f) => Date.parse(f.at));
    expect(times.length).toBeGreaterThan(0);
    expect(times.length).toBeLessThanOrEqual(3);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(vaultFills.data!.fills.every((f) => f.vaultId === filled.vaultId)).toBe(true);
    const late = await post(api.url, FillsDocument, { filter: { since: new Date(rig.clock.now() + MIN).toISOString() } });
    expect(late.data!.fills).toEqual([]);
  });

  it('answers a cancel of an unknown order with ORDER_NOT_FOUND in the payload', async () => {
    const r = await post(api.url, CancelOrderDocument, { clientOrderId: 'vt_unknown' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.cancelOrder).toEqual({ order: null, errors: [{ code: 'ORDER_NOT_FOUND', path: null, message: 'no order vt_unknown' }] });
  });
});

describe('changing vaults', () => {
  it('refuses an invalid vault document with every bad field path and creates nothing', async () => {
    const doc = { ...(await shippedVault('risk-averse-core') as object), id: 'broken', caps: { perInstrument: 0.5, perSector: 0.2, leverage: 1 }, universe: { instruments: ['AAPL', 'NOPE'], tags: [] }, colour: 'red' };
    const r = await post(api.url, CreateVaultDocument, { input: doc });
    expect(r.errors).toBeUndefined();
    expect(r.data!.createVault.vault).toBeNull();
    const paths = r.data!.createVault.errors.map((e) => [e.code, e.path]);
    expect(paths).toEqual(expect.arrayContaining([['VAULT_INVALID', 'colour']]));
    const fixed = await post(api.url, CreateVaultDocument, { input: { ...doc, colour: undefined } });
    expect(fixed.data!.createVault.errors.map((e) => e.path).sort()).toEqual(['caps.perInstrument', 'universe.instruments[1]']);
    expect((await rig.desk.service.listVaults()).map((v) => v.id)).toEqual([...SHIPPED_VAULTS]);
  });

  it('creates a vault from a good document and announces it with the actor `api`', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, VaultUpdatedDocument, { vaultId: 'api-made' });
      await until(() => api.activeSubscriptions() === 1);
      const doc = { ...(await shippedVault('risk-averse-core') as object), id: 'api-made', name: 'Made over the API' };
      const r = await post(api.url, CreateVaultDocument, { input: doc, reason: 'new strategy' });
      expect(r.data!.createVault).toMatchObject({ errors: [], vault: { id: 'api-made', version: 1, cash: '100000', positions: [] } });
      const [created] = await feed.received(1);
      expect(created!.vaultUpdated).toMatchObject({ type: 'VAULT_CREATED', vaultId: 'api-made', version: 1, actor: 'api', reason: 'new strategy', vault: { id: 'api-made', version: 1 } });
      const again = await post(api.url, CreateVaultDocument, { input: doc });
      expect(again.data!.createVault.errors.map((e) => e.code)).toEqual(['VAULT_EXISTS']);
      feed.dispose();
      await until(() => api.activeSubscriptions() === 0);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a stale version and a bad overlay, changing nothing; a good overlay bumps the version into the history', async () => {
    const before = (await post(api.url, VaultDocument, { id: 'risk-averse-core' })).data!.vault!;
    const stale = await post(api.url, SetVaultOverlayDocument, { vaultId: 'risk-averse-core', overlay: { deny: ['KO'] }, expectedVersion: 7 });
    expect(stale.data!.setVaultOverlay.vault).toBeNull();
    expect(stale.data!.setVaultOverlay.errors.map((e) => e.code)).toEqual(['VAULT_VERSION_CONFLICT']);
    const bad = await post(api.url, SetVaultOverlayDocument, { vaultId: 'risk-averse-core', overlay: { caps: { perInstrument: 0.5 }, deny: ['NOPE'] }, expectedVersion: 1 });
    expect(bad.data!.setVaultOverlay.errors.map((e) => [e.code, e.path]).sort()).toEqual([
      ['VAULT_OVERLAY_INVALID', 'caps.perInstrument'],
      ['VAULT_OVERLAY_INVALID', 'deny[0]'],
    ]);
    const unchanged = (await post(api.url, VaultDocument, { id: 'risk-averse-core' })).data!.vault!;
    expect({ version: unchanged.version, config: unchanged.config, overlay: unchanged.overlay }).toEqual({ version: before.version, config: before.config, overlay: null });

    const good = await post(api.url, SetVaultOverlayDocument, { vaultId: 'risk-averse-core', overlay: { deny: ['KO'], cashBuffer: 0.2 }, expectedVersion: 1, reason: 'earnings week' });
    expect(good.data!.setVaultOverlay).toMatchObject({ errors: [], vault: { version: 2, overlay: { deny: ['KO'], cashBuffer: 0.2 }, settings: { deny: ['KO'], cashBuffer: 0.2 } } });
    const history = (await post(api.url, VaultHistoryDocument, { id: 'risk-averse-core' })).data!.vaultHistory!;
    expect(history.map((v) => [v.version, v.kind, v.actor])).toEqual([[1, 'CREATED', 'test'], [2, 'OVERLAY_SET', 'api']]);
    expect(history[1]!.reason).toBe('earnings week');
    await rig.engine.drain(60_000);
    const audited = await rig.store.audit.getByEventId(history[1]!.eventId);
    expect(audited).toMatchObject({ type: 'VaultOverlaySet', payload: { actor: 'api', vaultId: 'risk-averse-core', version: 2 } });

    const omitted = await post(api.url, SetVaultOverlayDocument, { vaultId: 'risk-averse-core', expectedVersion: 2 });
    expect(omitted.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'overlay' });
    const cleared = await post(api.url, SetVaultOverlayDocument, { vaultId: 'risk-averse-core', overlay: null, expectedVersion: 2 });
    expect(cleared.data!.setVaultOverlay.vault).toMatchObject({ version: 3, overlay: null, settings: { deny: [] } });
  });
});

describe('live feeds while bars run', () => {
  it('delivers order events with the order as it was after each, and the fills booked in the vaults', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const orders = subscribe(client, OrderUpdatedDocument, {});
      const contrarian = subscribe(client, OrderUpdatedDocument, { vaultId: 'contrarian-crypto' });
      const vaults = subscribe(client, VaultUpdatedDocument, {});
      await until(() => api.activeSubscriptions() === 3);
      const before = (await rig.orders.list()).length;
      await rig.runBars(45);
      await until(async () => (await rig.orders.list()).length > before && vaults.results.length > 0, 30_000);
      await rig.engine.drain(60_000);
      await until(() => orders.results.length > 0);
      const seen = orders.results.map((r) => r.orderUpdated);
      expect(seen.map((u) => u.event.type)).toContain('ORDER_INITIALIZED');
      for (const { event, order } of seen) {
        const stored = await rig.orders.events(event.clientOrderId);
        const at = stored.findIndex((e) => e.id === event.id);
        if (at < 0) continue; // a duplicate intent's denial is not one of the order's own events
        expect(order!.version).toBe(at + 1);
        if (event.type === 'ORDER_INITIALIZED') expect(order!.status).toBe('INITIALIZED');
        if (event.type === 'ORDER_SUBMITTED') expect(order!.status).toBe('SUBMITTED');
        if (event.type === 'ORDER_FILLED') expect(['FILLED', 'PARTIALLY_FILLED', 'PENDING_CANCEL']).toContain(order!.status);
      }
      const contrarianIds = seen.filter((u) => u.event.vaultId === 'contrarian-crypto').map((u) => u.event.id);
      await until(() => contrarian.results.length >= contrarianIds.length);
      expect(contrarian.results.map((r) => r.orderUpdated.event.id)).toEqual(contrarianIds);
      const fills = vaults.results.map((r) => r.vaultUpdated).filter((u) => u.type === 'VAULT_FILL_APPLIED');
      expect(fills.length).toBeGreaterThan(0);
      expect(fills[0]!.revision).toBeGreaterThan(0);
      expect(fills[0]!.vault?.id).toBe(fills[0]!.vaultId);
      expect([...orders.errors, ...contrarian.errors, ...vaults.errors]).toEqual([]);
      for (const f of [orders, contrarian, vaults]) f.dispose();
      await until(() => api.activeSubscriptions() === 0);
    } finally {
      await client.dispose();
    }
  }, 120_000);
});

describe('invalid arguments', () => {
  it.each([
    ['a scope kind that is not one', SetKillSwitchDocument, { scope: { kind: 'EVERYTHING' }, engaged: true, reason: 'x' }, null],
    ['a vault switch without its id', SetKillSwitchDocument, { scope: { kind: 'VAULT' }, engaged: true, reason: 'x' }, 'scope.id'],
    ['an empty reason', SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: true, reason: ' ' }, 'reason'],
    ['an empty order id', CancelOrderDocument, { clientOrderId: '' }, 'clientOrderId'],
    ['an empty vault id', VaultDocument, { id: ' ' }, 'id'],
    ['a status that is not one', OrdersDocument, { filter: { status: 'DONE' } }, null],
    ['first above 500', OrdersDocument, { first: 501 }, 'first'],
    ['a cursor this server did not issue', OrdersDocument, { after: 'not a cursor!' }, 'after'],
    ['growth from after to', VaultDocument, { id: 'risk-averse-core', from: '2024-01-03T00:00:00Z', to: '2024-01-02T00:00:00Z' }, 'from'],
  ] as const)('refuses %s as BAD_USER_INPUT', async (_name, doc, variables, argumentName) => {
    const r = await post(api.url, doc as typeof OrdersDocument, variables as never);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    if (argumentName) expect(r.errors![0]!.extensions?.argumentName).toBe(argumentName);
  });

  it('refuses to engage a switch for a vault that does not exist', async () => {
    const r = await post(api.url, SetKillSwitchDocument, { scope: { kind: 'VAULT', id: 'nope' }, engaged: true, reason: 'typo' });
    expect(r.data!.setKillSwitch).toMatchObject({ killSwitch: null, changed: false, errors: [{ code: 'VAULT_NOT_FOUND' }] });
    expect((await post(api.url, KillSwitchesDocument, {})).data!.killSwitches).toEqual([]);
  });
});

describe('the global kill switch', () => {
  it('engages: subscribers hear of it, new orders are denied with KILL_SWITCH and open ones cancelled', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, KillSwitchChangedDocument, {});
      await until(() => api.activeSubscriptions() === 1);
      const r = await post(api.url, SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: true, reason: 'drill' });
      const set = r.data!.setKillSwitch;
      expect(set).toMatchObject({ errors: [], changed: true, killSwitch: { key: 'global', scope: { kind: 'GLOBAL', id: null }, engaged: true, actor: 'api', reason: 'drill' } });
      expect(set.sweep).toMatchObject({ failed: [] });
      const [heard] = await feed.received(1);
      expect(heard!.killSwitchChanged).toEqual(set.killSwitch);
      expect((await post(api.url, KillSwitchesDocument, {})).data!.killSwitches).toEqual([set.killSwitch]);
      const again = await post(api.url, SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: true, reason: 'drill' });
      expect(again.data!.setKillSwitch.changed).toBe(false);

      const engagedAt = Date.parse(set.killSwitch!.changedAt);
      const before = (await rig.orders.list()).length;
      await rig.runBars(30);
      const after = (await rig.orders.list()).filter((o) => o.createdAt > engagedAt);
      expect((await rig.orders.list()).length).toBeGreaterThanOrEqual(before);
      for (const o of after) expect(o.statusReason).toMatch(/^KILL_SWITCH/);
      const open = await post(api.url, OrdersDocument, { filter: { openOnly: true } });
      expect(open.data!.orders.edges.filter((e) => e.node.status !== 'PENDING_CANCEL')).toEqual([]);

      const released = await post(api.url, SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: false, reason: 'drill over' });
      expect(released.data!.setKillSwitch).toMatchObject({ changed: true, sweep: null, killSwitch: { engaged: false, actor: 'api' } });
      const [, off] = await feed.received(2);
      expect(off!.killSwitchChanged.engaged).toBe(false);
      feed.dispose();
    } finally {
      await client.dispose();
    }
    expect(unexpected).toEqual([]);
  }, 120_000);
});
