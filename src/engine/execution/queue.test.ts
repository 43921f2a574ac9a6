import { describe } from 'vitest';
import { MemoryAutotradeQueue } from './queue.js';
import { autotradeQueueContract } from './queue.contract.js';

describe('MemoryAutotradeQueue', () => {
  autotradeQueueContract('memory', () => new MemoryAutotradeQueue());
});
