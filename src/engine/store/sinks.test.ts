import { describe, expect, it } from 'vitest';
import type { ConvictionScored, SignalEnriched } from '../types.js';
import type { ConvictionRepository, ConvictionToStore, SignalRepository } from './ports.js';
import { ConvictionSink, SignalSink } from './sinks.js';
import { convictionScored, convictionVector, signalEvent } from './store.fixtures.js';

/** Repositories that remember what they were given and write only ids not seen before. */
function fakeSignals(): SignalRepository & { calls: string[][] } {
  const stored = new Set<string>();
  const calls: string[][] = [];
  const insertMany = async (events: readonly SignalEnriched[]) => {
    calls.push(events.map((e) => e.id));
    return events.map((e) => !stored.has(e.id) && Boolean(stored.add(e.id)));
  };
  return { calls, insertMany } as unknown as SignalRepository & { calls: string[][] };
}

function fakeConvictions(): ConvictionRepository & { calls: string[][] } {
  const stored = new Set<string>();
  const calls: string[][] = [];
  const insertMany = async (items: readonly ConvictionToStore[]) => {
    calls.push(items.map((i) => i.vector.id));
    return items.map((i) => !stored.has(i.vector.id) && Boolean(stored.add(i.vector.id)));
  };
  return { calls, insertMany } as unknown as ConvictionRepository & { calls: string[][] };
}

describe('sinks', () => {
  it('SignalSink stores a batch with one call and reports only the signals it wrote', async () => {
    const repo = fakeSignals();
    const reported: string[] = [];
    const sink = new SignalSink(repo, (e) => reported.push(e.id));
    const [a, b, c] = [1, 2, 3].map((n) => signalEvent(n));
    await sink.handleBatch([a!, b!]);
    await sink.handleBatch([b!, c!]);
    await sink.handle(a!);
    expect(repo.calls).toEqual([[a!.id, b!.id], [b!.id, c!.id], [a!.id]]);
    expect(reported).toEqual([a!.id, b!.id, c!.id]);
  });

  it('ConvictionSink stores a batch with one call and reports only the vectors it wrote', async () => {
    const repo = fakeConvictions();
    const reported: ConvictionScored[] = [];
    const sink = new ConvictionSink(repo, (e) => reported.push(e));
    const [x, y] = [1, 2].map((n) => convictionScored(convictionVector(n), ['m1']));
    await sink.handleBatch([x!, y!, x!]);
    expect(repo.calls).toEqual([[x!.id, y!.id, x!.id]]);
    expect(reported.map((e) => e.id)).toEqual([x!.id, y!.id]);
  });
});
