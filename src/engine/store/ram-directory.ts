/**
 * Where an in-memory PGlite (`memory://`) keeps its files.
 *
 * PGlite's own in-memory file system (emscripten's MEMFS) keeps each file in one array and, when the file
 * outgrows it, copies the whole file into an array an eighth larger. A table that grows by megabytes a second
 * is copied again and again, and each copy stops the database for longer as the table grows: measured on the
 * pipeline at 5,000 signals/s, regular stalls of 50–120 ms after ten seconds, and a third more time per row
 * than on a real file system. So where the operating system has a RAM file system with room to spare (Linux's
 * /dev/shm), the database lives in a directory of its own there instead: still memory, still gone when the
 * store closes, and the kernel grows files without copying them. Elsewhere PGlite's own memory it is.
 *
 * A process that dies without closing its store leaves its directory behind; the next process that opens one
 * removes the directories of processes no longer running (the directory name carries the owner's pid).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import path from 'node:path';

const RAM_ROOT = '/dev/shm';
const PREFIX = 'vanta-pglite-';
/** Below this much free space (containers often get 64 MB of /dev/shm) the database stays in PGlite's memory. */
const MIN_FREE_BYTES = 2 * 1024 ** 3;

export interface RamDirectory {
  readonly path: string;
  /** Deletes the directory and everything in it. */
  remove(): void;
}

/** A fresh directory on the RAM file system, or undefined when there is none with room to spare. */
export function ramDirectory(root = RAM_ROOT, minFreeBytes = MIN_FREE_BYTES): RamDirectory | undefined {
  try {
    if (process.platform !== 'linux' || !existsSync(root)) return undefined;
    const { bavail, bsize } = statfsSync(root);
    if (bavail * bsize < minFreeBytes) return undefined;
    removeOrphans(root);
    const dir = mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
    return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch {
    return undefined; // not writable, or anything else unusual: PGlite's own memory works everywhere
  }
}

/** Removes the directories left by processes that are no longer running. */
function removeOrphans(root: string): void {
  for (const name of readdirSync(root)) {
    const owner = name.startsWith(PREFIX) ? Number.parseInt(name.slice(PREFIX.length), 10) : NaN;
    if (Number.isInteger(owner) && !isRunning(owner)) rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, just not ours to signal
  }
}
