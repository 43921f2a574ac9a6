/**
 * One section of `bench:ingest` in a process of its own, so that its peak memory is its own:
 *
 *   node --import tsx bench/ingest/child.ts <section> '<settings as JSON>'
 *
 * Starts the memory sampler first, loads only the modules the section needs, runs it, and sends
 * `{ result, memory }` to the parent over IPC. The "baseline" section loads no product code and idles for
 * a second: the same launcher, loader and sampler, measured the same way, to subtract from the others.
 */
import { MemorySampler, type MemoryReport } from './memory.js';
import type { SectionName, Settings } from './sections.js';

export interface ChildMessage {
  readonly section: SectionName;
  readonly result: unknown;
  readonly memory: MemoryReport;
}

const SECTIONS: Record<SectionName, (settings: Settings, log: (line: string) => void) => Promise<unknown>> = {
  baseline: () => new Promise((resolve) => setTimeout(() => resolve(null), 1000)),
  parsers: async (s, log) => (await import('./parsers.js')).run(s, log),
  'dedup-memory': async (s, log) => (await import('./dedup.js')).runMemory(s, log),
  'dedup-redis': async (s, log) => (await import('./dedup.js')).runRedis(s, log),
  enrich: async (s, log) => (await import('./enrich.js')).run(s, log),
};

const sampler = new MemorySampler(2).start();
const [name, json] = process.argv.slice(2);
const section = SECTIONS[name as SectionName];
if (!section || !json || !process.send) throw new Error(`usage: child.ts <${Object.keys(SECTIONS).join('|')}> <settings JSON>, with an IPC channel`);

const result = await section(JSON.parse(json) as Settings, (line) => console.log(line));
const message: ChildMessage = { section: name as SectionName, result, memory: sampler.stop() };
process.send(message, () => process.disconnect());
