/** The sections of `bench:ingest`, their settings, and how the parent runs one in a child process. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './child.js';
import type { DedupSettings } from './dedup.js';
import type { EnrichSettings } from './enrich.js';
import type { ParserSettings } from './parsers.js';

export const SECTION_NAMES = ['baseline', 'parsers', 'dedup-memory', 'dedup-redis', 'enrich'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export type Settings = ParserSettings & DedupSettings & EnrichSettings;

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** tsx's loader, resolved from here so that the child finds it whatever the working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

/** Runs a section in `node --import tsx` and returns what it sent; its output goes to this process's. */
export function runSection(section: SectionName, settings: Settings): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHILD, section, JSON.stringify(settings)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message: ChildMessage | null = null;
    child.on('message', (m) => void (message = m as ChildMessage));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message && code === 0) resolve(message);
      else reject(new Error(`section ${section} exited with ${signal ?? `code ${code}`}${message ? '' : ' without a result'}`));
    });
  });
}
