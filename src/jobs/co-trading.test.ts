import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../test/capture-bus.js';
import { Topics } from '../engine/bus/topics.js';
import { TestClock } from '../engine/clock.js';
import { ActivityWindow } from '../engine/entities/activity-window.js';
import { type Activity, CoTradingDetector } from '../engine/entities/co-trading.js';
import { CoTradingJob } from './co-trading.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 2, 1);
const GROUP = ['aut:reddit:ann', 'aut:reddit:bob', 'aut:reddit:cy', 'aut:reddit:dee'];

let n = 0;
const act = (actorId: string, instrument: string, ts: number): Activity => ({
  actorId,
  instrument,
  ts,
  eventId: `e${String(++n).padStart(5, '0')}`,
  kind: 'mention',
});

/** The group mentions GME within minutes of each other on `days` days; loners mention other tickers. */
function together(days: readonly number[]): Activity[] {
  return days.flatMap((d) => [
    ...GROUP.map((actor, i) => act(actor, 'GME', T0 + d * DAY + i * 60_000)),
    act(`aut:reddit:loner${d}`, 'AMC', T0 + d * DAY + 5 * HOUR),
  ]);
}

function job(window: ActivityWindow) {
  const bus = new CaptureBus();
  const logged: object[] = [];
  const j = new CoTradingJob({
    bus,
    clock: new TestClock(T0 + 30 * DAY),
    window,
    detector: new CoTradingDetector({ windowMs: HOUR, minEdgeWeight: 2, minCommunitySize: 3 }),
    intervalMs: 60_000,
    log: { info: (obj) => void logged.push(obj), warn: () => {} },
  });
  return { bus, job: j, logged };
}

describe('CoTradingJob', () => {
  it('publishes a community as a co_trading_community signal caused by its members activity', async () => {
    const window = new ActivityWindow({ spanMs: 30 * DAY, maxActivities: 10_000 });
    window.add(together([0, 1, 2]));
    const { bus, job: j, logged } = job(window);
    const run = await j.runOnce();
    expect(run.report.communities).toHaveLength(1);
    const [signal] = bus.on(Topics.signalsRaw);
    expect(signal?.payload).toMatchObject({ kind: 'co_trading_community', instrument: 'GME', source: 'entities.co-trading' });
    expect(signal?.payload.body.members).toEqual([...GROUP].sort());
    expect(signal?.causationIds.length).toBeGreaterThanOrEqual(GROUP.length);
    expect(signal?.tsInit).toBe(T0 + 30 * DAY);
    expect(logged[0]).toMatchObject({ communities: 1, published: 1 });
  });

  it('publishes an unchanged community once, and again when it acts again', async () => {
    const window = new ActivityWindow({ spanMs: 30 * DAY, maxActivities: 10_000 });
    window.add(together([0, 1]));
    const { bus, job: j } = job(window);
    await j.runOnce();
    await j.runOnce();
    expect(bus.on(Topics.signalsRaw)).toHaveLength(1);
    window.add(together([3]));
    await j.runOnce();
    const published = bus.on(Topics.signalsRaw);
    expect(published).toHaveLength(2);
    expect(published[1]!.tsEvent).toBeGreaterThan(published[0]!.tsEvent);
  });

  it('finds nothing in an empty window, and a failing bus leaves the job able to run again', async () => {
    const window = new ActivityWindow({ spanMs: 3 * DAY, maxActivities: 100 });
    const { bus, job: j } = job(window);
    expect((await j.runOnce()).published).toEqual([]);
    window.add(together([0, 1]));
    const publishMany = bus.publishMany.bind(bus);
    bus.publishMany = async () => {
      throw new Error('bus closed');
    };
    await expect(j.runOnce()).rejects.toThrow('bus closed');
    bus.publishMany = publishMany;
    // Not remembered as published, so the next run publishes it.
    expect((await j.runOnce()).published).toHaveLength(1);
  });
});
