import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.js';
import { IntentIntake } from './intake.js';
import { MemoryAutotradeQueue } from './queue.js';
import { intent, T0 } from './testing/fixtures.js';

describe('IntentIntake', () => {
  it('persists an intent event once, caused by the event and its causes', async () => {
    const queue = new MemoryAutotradeQueue();
    const intake = new IntentIntake(queue, new TestClock(T0));
    const event = { id: 'int_1', type: 'OrderIntended', tsEvent: T0, tsInit: T0, causationIds: ['cv_1'], payload: intent() };
    const entry = await intake.handle(event);
    await intake.handle(event);
    expect(await queue.list()).toEqual([entry]);
    expect(entry.causationIds).toEqual(['int_1', 'cv_1']);
  });
});
