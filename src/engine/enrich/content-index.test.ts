import { describe } from 'vitest';
import { MemoryContentIndex } from './content-index.js';
import { contentIndexContract } from './content-index.contract.js';

describe('MemoryContentIndex', () => {
  contentIndexContract('memory', () => new MemoryContentIndex());
});
