/** The vault repository contract in memory; SQL implementations run the same suite. */
import { describe } from 'vitest';
import { MemoryVaultRepository } from './memory-repository.js';
import { vaultRepositoryContract } from './repository.contract.js';

describe('MemoryVaultRepository', () => {
  vaultRepositoryContract('memory', () => new MemoryVaultRepository());
});
