import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const noFile = join(tmpdir(), 'vanta-no-such-config.json');
function withFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vanta-config-'));
  const path = join(dir, 'vanta.config.json');
  writeFileSync(path, content);
  return path;
}

describe('loadConfig', () => {
  it('gives embedded defaults with an empty environment', () => {
    const c = loadConfig({ env: {}, file: withFile('{}') });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.port).toBe(4000);
    expect(c.sources).toEqual(['simulator']);
    expect(c.simulator.seed).toBe(42);
  });

  it('reads the environment and lets it win over the file', () => {
    const file = withFile(JSON.stringify({ port: 5000, simulator: { seed: 7 } }));
    const c = loadConfig({
      env: { PORT: '4100', DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://127.0.0.1:6379', VANTA_SOURCES: 'simulator, replay' },
      file,
    });
    expect(c.port).toBe(4100);
    expect(c.simulator.seed).toBe(7);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.sources).toEqual(['simulator', 'replay']);
  });

  it('is frozen, nested objects included', () => {
    const c = loadConfig({ env: {}, file: withFile('{}') });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.simulator)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names an unknown key, top level and nested', () => {
    expect(() => loadConfig({ env: {}, file: withFile('{"prot": 4000}') })).toThrow(/unknown key "prot"/);
    expect(() => loadConfig({ env: {}, file: withFile('{"simulator": {"sed": 1}}') })).toThrow(
      /unknown key "simulator.sed"/,
    );
  });

  it('names an invalid value and the variable it came from', () => {
    const run = () => loadConfig({ env: { PORT: 'forty' }, file: noFile.replace('no-such', 'x') });
    expect(() => loadConfig({ env: { PORT: 'forty' }, file: withFile('{}') })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { PORT: 'forty' }, file: withFile('{}') })).toThrow(
      /"port" \(from environment variable PORT\)/,
    );
    expect(run).toThrow(ConfigError); // a missing file named explicitly is an error too
    expect(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' }, file: withFile('{}') })).toThrow(/databaseUrl/);
    expect(() => loadConfig({ env: { VANTA_SOURCES: 'simulator,tarot' }, file: withFile('{}') })).toThrow(/sources\.1/);
  });

  it('rejects a config file that is not a JSON object', () => {
    expect(() => loadConfig({ env: {}, file: withFile('[1,2]') })).toThrow(/must be a JSON object/);
    expect(() => loadConfig({ env: {}, file: withFile('{port: 1}') })).toThrow(/is not valid/);
  });
});
