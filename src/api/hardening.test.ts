import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, type DocumentNode, Kind, parse, specifiedRules, validate } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { bucketKey, createHardening, DEFAULT_LIMITS, RequestRefused } from './hardening.js';
import { findNul, withoutSuggestions } from './hardening/graphql-limits.js';
import { MemoryRateLimiter } from './hardening/rate-limit.js';
import { ANONYMOUS } from '../resolvers/context.js';
import { ALL_ROLES } from './roles.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'vanta-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each operation of a folder's .graphql files with the fragments it uses: what a client sends. */
function operations(folder: URL): [string, DocumentNode][] {
  const docs = readdirSync(folder)
    .filter((f) => f.endsWith('.graphql'))
    .map((f): [string, DocumentNode] => [f, parse(readFileSync(new URL(f, folder), 'utf8'), { maxTokens: DEFAULT_LIMITS.maxTokens, noLocation: true })]);
  const fragments = new Map(
    docs.flatMap(([, doc]) => doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : []))),
  );
  return docs.flatMap(([f, doc]) =>
    doc.definitions.flatMap((op): [string, DocumentNode][] => {
      if (op.kind !== 'OperationDefinition') return [];
      const used = new Set<string>();
      const visit = (node: unknown) => {
        if (node === null || typeof node !== 'object') return;
        const n = node as { kind?: string; name?: { value: string } };
        if (n.kind === 'FragmentSpread' && n.name && !used.has(n.name.value)) {
          used.add(n.name.value);
          visit(fragments.get(n.name.value));
        }
        for (const v of Object.values(node)) visit(v);
      };
      visit(op);
      return [[`${f} ${op.name?.value}`, { kind: Kind.DOCUMENT, definitions: [op, ...[...used].map((u) => fragments.get(u)!)] }]];
    }),
  );
}

describe('the default limits', () => {
  const rules = [...specifiedRules, ...createHardening({ production: false }).validationRules];
  const all = [...operations(new URL('../../test/graphql/', import.meta.url)), ...operations(new URL('../../web/src/graphql/', import.meta.url))];

  it('are met by every query the tests and the dashboard send', () => {
    expect(all.length).toBeGreaterThan(40);
    for (const [name, doc] of all) expect(validate(schema, doc, rules).map((e) => `${name}: ${e.message}`)).toEqual([]);
  });

  it('are configurable, and name the limit a query broke', () => {
    const strict = createHardening({ production: false, settings: { limits: { maxDepth: 2, maxAliases: 1, maxCost: 10_000 } } });
    const errors = validate(schema, parse('{ a: health { status } b: health { status } convictionVectors { edges { node { id } } } }'), [
      ...specifiedRules,
      ...strict.validationRules,
    ]);
    expect(errors.map((e) => [e.extensions.limit, e.message])).toEqual([
      ['maxDepth', 'Query depth limit of 2 exceeded, found 4.'],
      ['maxAliases', 'Aliases limit of 1 exceeded, found 2.'],
    ]);
    expect(strict.limits).toEqual({ ...DEFAULT_LIMITS, maxDepth: 2, maxAliases: 1, maxCost: 10_000 });
    expect(strict.parseOptions).toEqual({ maxTokens: DEFAULT_LIMITS.maxTokens });
  });
});

describe('checkBody', () => {
  const h = createHardening({ production: false, settings: { limits: { maxBatch: 3 } } });
  const refusal = (body: unknown) => {
    try {
      h.checkBody(body);
    } catch (error) {
      if (error instanceof RequestRefused) return [error.status, error.code, error.message];
      throw error;
    }
    return null;
  };

  it('counts operations, and refuses oversized and empty batches', () => {
    expect(h.checkBody({ query: '{ health { status } }' })).toBe(1);
    expect(h.checkBody([{ query: 'a' }, { query: 'b' }, { query: 'c' }])).toBe(3);
    expect(refusal(Array(4).fill({ query: 'a' }))).toEqual([400, 'BATCH_TOO_LARGE', 'A batched request may hold at most 3 operations; this one holds 4']);
    expect(refusal([])).toEqual([400, 'BAD_REQUEST', 'A batched request must hold at least one operation']);
  });

  it('names the variable holding a NUL character', () => {
    expect(refusal([{ query: 'a' }, { query: 'b', variables: { filter: { tags: ['ok', 'n\u0000o'] } } }])).toEqual([
      400,
      'BAD_USER_INPUT',
      '[1].variables.filter.tags[1] contains the NUL character (U+0000)',
    ]);
    expect(findNul({ a: 'fine', b: [1, null, { c: 'fine' }] }, 'variables')).toBeNull();
  });
});

describe('rate-limit buckets', () => {
  it('allow a burst, then one request per refill, saying how long to wait', async () => {
    let now = 1_000_000;
    const buckets = new MemoryRateLimiter({ burst: 2, perSecond: 1 }, () => now);
    expect(await buckets.take('k')).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await buckets.take('k')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(await buckets.take('k')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    now += 400;
    expect(await buckets.take('k')).toMatchObject({ allowed: false, retryAfterMs: 600 });
    now += 600;
    expect(await buckets.take('k')).toMatchObject({ allowed: true });
    expect(await buckets.take('other', 2)).toMatchObject({ allowed: true, remaining: 0 });
    now += 60_000;
    expect(await buckets.take('k', 3)).toMatchObject({ allowed: false, retryAfterMs: 1000 }); // never more than the burst
  });

  it('keep at most maxKeys buckets, forgetting the least recently used', async () => {
    const buckets = new MemoryRateLimiter({ burst: 1, perSecond: 0.001 }, () => 0, 2);
    await buckets.take('a');
    await buckets.take('b');
    await buckets.take('a');
    await buckets.take('c'); // forgets b
    expect((await buckets.take('a')).allowed).toBe(false);
    expect((await buckets.take('b')).allowed).toBe(true);
  });

  it('are per API key or token subject when authenticated, else per address', () => {
    expect(bucketKey(ANONYMOUS, '10.0.0.1')).toBe('ip:10.0.0.1');
    expect(bucketKey(null, '10.0.0.1')).toBe('ip:10.0.0.1');
    expect(bucketKey({ id: '0123456789ab', name: 'ci', roles: ALL_ROLES, via: 'api-key' }, '10.0.0.1')).toBe('principal:api-key:0123456789ab');
    expect(bucketKey({ id: 'user@idp', name: 'u', roles: ALL_ROLES, via: 'jwt' }, '10.0.0.1')).toBe('principal:jwt:user@idp');
  });
});

describe('the security config', () => {
  it('defaults to the limits above, rate limits on, plain HTTP, production from NODE_ENV', () => {
    const config = loadConfig({ env: {} });
    expect(config.security.limits).toEqual(DEFAULT_LIMITS);
    expect(config.security.rateLimit).toMatchObject({ enabled: true, burst: 200, perSecond: 50, trustProxy: false });
    expect(config.security.tls).toBeUndefined();
    expect(config.production).toBeUndefined();
    expect(loadConfig({ env: { NODE_ENV: 'production' } }).production).toBe(true);
    expect(loadConfig({ env: { NODE_ENV: 'production', VANTA_PRODUCTION: 'false' } }).production).toBe(false);
  });

  it('names a bad limit', () => {
    const file = join(dir, 'bad-limits.json');
    writeFileSync(file, JSON.stringify({ security: { limits: { maxDepth: 0, maxBatchSize: 3 } } }));
    expect(() => loadConfig({ env: {}, file })).toThrow(/unknown key "security\.limits\.maxBatchSize"/);
    expect(() => loadConfig({ env: {}, file })).toThrow(/"security\.limits\.maxDepth": Too small/i);
  });

  it('reads any variable from NAME_FILE, trimmed, and refuses both or an unreadable file', () => {
    const secret = join(dir, 'fred-key');
    writeFileSync(secret, '  fred-key-from-file\n');
    expect(loadConfig({ env: { VANTA_FRED_API_KEY_FILE: secret } }).collectors.fred.apiKey).toBe('fred-key-from-file');
    expect(() => loadConfig({ env: { VANTA_FRED_API_KEY_FILE: secret, VANTA_FRED_API_KEY: 'x' } })).toThrow(
      'set either VANTA_FRED_API_KEY or VANTA_FRED_API_KEY_FILE, not both',
    );
    expect(() => loadConfig({ env: { VANTA_FRED_API_KEY_FILE: join(dir, 'missing') } })).toThrow(/cannot read VANTA_FRED_API_KEY_FILE .*ENOENT/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => loadConfig({ env: { VANTA_FRED_API_KEY_FILE: empty } })).toThrow(/VANTA_FRED_API_KEY_FILE .* is empty/);
  });
});

it('drops field suggestions from messages', () => {
  expect(withoutSuggestions('Cannot query field "healt" on type "Query". Did you mean "health"?')).toBe('Cannot query field "healt" on type "Query".');
  expect(withoutSuggestions('Value "STRON" does not exist in "ConvictionBand" enum. Did you mean the enum value "STRONG"?')).toBe(
    'Value "STRON" does not exist in "ConvictionBand" enum.',
  );
});
