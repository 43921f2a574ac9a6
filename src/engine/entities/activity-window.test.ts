import { describe, expect, it } from 'vitest';
import { ActivityWindow } from './activity-window.js';
import type { Activity } from './co-trading.js';

const HOUR = 3_600_000;
const act = (n: number, ts: number, actorId = `aut:x:a${n}`): Activity => ({
  actorId,
  instrument: 'GME',
  ts,
  eventId: `e${n}`,
  kind: 'mention',
});

describe('ActivityWindow', () => {
  it('keeps what is within the span of the newest activity, and counts a redelivered event once', () => {
    const w = new ActivityWindow({ spanMs: 2 * HOUR, maxActivities: 100 });
    w.add([act(1, 0), act(2, HOUR)]);
    w.add([act(1, 0)]);
    expect(w.size).toBe(2);
    w.add([act(3, 2.5 * HOUR)]);
    expect(w.snapshot().map((a) => a.eventId)).toEqual(['e2', 'e3']);
    expect(w.newest).toBe(2.5 * HOUR);
  });

  it('drops a late arrival older than the span when read, even behind newer ones', () => {
    const w = new ActivityWindow({ spanMs: HOUR, maxActivities: 100 });
    w.add([act(1, 10 * HOUR)]);
    w.add([act(2, 2 * HOUR)]); // hours late
    w.add([act(3, 10.5 * HOUR)]);
    expect(w.snapshot().map((a) => a.eventId)).toEqual(['e1', 'e3']);
    expect(w.size).toBe(2);
  });

  it('never holds more than its cap: the oldest arrivals go first', () => {
    const w = new ActivityWindow({ spanMs: 1000 * HOUR, maxActivities: 3 });
    for (let i = 1; i <= 10; i++) w.add([act(i, i * 1000)]);
    expect(w.size).toBe(3);
    expect(w.snapshot().map((a) => a.eventId)).toEqual(['e8', 'e9', 'e10']);
  });

  it('refuses a window that could hold nothing', () => {
    expect(() => new ActivityWindow({ spanMs: 0, maxActivities: 10 })).toThrow(RangeError);
    expect(() => new ActivityWindow({ spanMs: HOUR, maxActivities: 0 })).toThrow(RangeError);
  });
});
