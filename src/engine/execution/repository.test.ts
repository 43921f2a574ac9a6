import { describe } from 'vitest';
import { MemoryOrderRepository } from './repository.js';
import { orderRepositoryContract } from './repository.contract.js';

describe('MemoryOrderRepository', () => {
  orderRepositoryContract('memory', () => new MemoryOrderRepository());
});
