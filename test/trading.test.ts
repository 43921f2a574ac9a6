/**
 * Conviction becomes capital: a real engine (in-memory PGlite, memory bus, test clock) with the trading desk
 * runs simulated bars; the shipped example vaults allocate on the convictions, orders go through risk to the
 * paper broker, its fills are booked in the vault ledgers, and every step is in the audit log with its causes.
 * A kill switch then blocks new orders and cancels the open ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '../src/engine/bus/topics.js';
import { startTradingRig, type TradingRig } from './api-trading-fixtures.js';
import type { AnyTopicEvent } from './trading-helpers.js';

let rig: TradingRig;
const seen: AnyTopicEvent[] = [];

beforeAll(async () => {
  rig = await startTradingRig(11);
  for (const topic of [Topics.orderEvents, Topics.vaultEvents, Topics.orderIntents, Topics.killSwitches]) {
    rig.bus.subscribe(topic, async (e) => void seen.push(e as AnyTopicEvent), { group: `test-${topic}`, from: 'earliest' });
  }
  await rig.runBars(240);
}, 300_000);

afterAll(async () => {
  await rig?.close();
});

describe('the trading desk in the engine', () => {
  it('allocates on convictions, orders fill at the paper broker, and the fills are booked in the vaults', async () => {
    const intents = seen.filter((e) => e.type === 'OrderIntentCreated');
    const filled = seen.filter((e) => e.type === 'OrderFilled');
    const booked = seen.filter((e) => e.type === 'VaultFillApplied');
    expect(intents.length).toBeGreaterThan(0);
    expect(filled.length).toBeGreaterThan(0);
    expect(booked.length).toBe(filled.length);
    const all = await rig.orders.list();
    expect(all.length).toBeGreaterThan(0);
    // Every order names the conviction that caused it.
    for (const o of all.filter((o) => o.convictionId)) expect(await rig.store.convictions.get(o.convictionId!)).not.toBeNull();
    const states = await Promise.all((await rig.desk.service.listVaults()).map((v) => rig.desk.service.state(v.id)));
    expect(states.some((s) => Number(s.cash) < 100_000)).toBe(true);
    for (const s of states) expect(Number(s.cash)).toBeGreaterThanOrEqual(0);
  });

  it('records every intent, order event and booked fill in the audit log with its causes', async () => {
    const filled = seen.find((e) => e.type === 'OrderFilled')!;
    expect((await rig.store.audit.getByEventId(filled.id))?.type).toBe('OrderFilled');
    const intent = seen.find((e) => e.type === 'OrderIntentCreated')!;
    const audited = await rig.store.audit.getByEventId(intent.id);
    expect(audited?.causationIds.length).toBeGreaterThan(0);
    expect((await rig.store.audit.verify()).ok).toBe(true);
  });

  it('a global kill switch blocks new orders and cancels the open ones', async () => {
    const change = await rig.desk.killSwitches.engage({ kind: 'global' }, 'test', 'drill');
    expect(change.event?.type).toBe('KillSwitchChanged');
    await rig.engine.drain(60_000);
    await rig.runBars(30);
    const open = (await rig.orders.list({ open: true })).filter((o) => o.status !== 'PENDING_CANCEL');
    expect(open).toEqual([]);
    const after = seen.filter((e) => e.type === 'OrderSubmitted' && e.tsInit > change.state.changedAt);
    expect(after).toEqual([]);
    const denied = seen.filter((e) => e.type === 'OrderDenied' && e.tsInit > change.state.changedAt);
    for (const d of denied) expect((d.payload as { reason: string }).reason).toBe('KILL_SWITCH');
  });
});
