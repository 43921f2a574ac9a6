import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ramDirectory } from './ram-directory.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('ramDirectory', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ram-root-'));
    roots.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('makes a private directory named after this process, and removes it with everything in it', () => {
    const r = root();
    const ram = ramDirectory(r, 0)!;
    expect(path.basename(ram.path)).toMatch(new RegExp(`^vanta-pglite-${process.pid}-`));
    writeFileSync(path.join(ram.path, 'file'), 'x');
    ram.remove();
    expect(existsSync(ram.path)).toBe(false);
  });

  it('removes what processes no longer running left behind, and nothing else', () => {
    const r = root();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // has exited by now
    mkdirSync(path.join(r, `vanta-pglite-${dead}-abc`));
    mkdirSync(path.join(r, `vanta-pglite-${process.pid}-mine`));
    mkdirSync(path.join(r, 'someone-else'));
    const ram = ramDirectory(r, 0)!;
    expect(readdirSync(r).sort()).toEqual([path.basename(ram.path), `vanta-pglite-${process.pid}-mine`, 'someone-else'].sort());
  });

  it('declines a root that is missing or short of room', () => {
    expect(ramDirectory(path.join(root(), 'missing'), 0)).toBeUndefined();
    expect(ramDirectory(root(), Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });
});
