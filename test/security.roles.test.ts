/**
 * The role × operation matrix. Every root field of Query, Mutation and Subscription is called by a principal of
 * each role (and by one with no role, and by nobody), through real HTTP and graphql-ws against a real server on
 * embedded defaults with authentication required, with the field's required arguments filled in from its type.
 * A call is FORBIDDEN or it is not (an allowed mutation may still fail for business reasons); which one is
 * checked against the table below, and the table against each field's `@Authorized` roles. A root field without
 * `@Authorized` fails the suite, as does a field of this table that has gone.
 */
import { generateKeyPair, exportSPKI, SignJWT, type CryptoKey } from 'jose';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  isScalarType,
  type GraphQLFormattedError,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootFieldRules, type RootFieldRule } from '../src/api/auth/rules.js';
import { Role } from '../src/api/roles.js';
import { buildVantaSchema } from '../src/api/schema.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';

const { Alpha: A, Markets: M, Executor: E, Viewer: V } = Role;
const ANY = 'any authenticated principal';

/** Who may call each root field: the policy, written out. `ANY`: every authenticated principal, whatever its roles. */
const POLICY: Record<string, readonly Role[] | typeof ANY> = {
  // Markets: signals, convictions, lineage, entities, filings, collectors, features, explain/replay.
  'Query.signals': [M, V],
  'Query.signal': [M, V],
  'Subscription.signalIngested': [M, V],
  'Query.convictionVectors': [M, V],
  'Query.conviction': [M, V],
  'Subscription.convictionUpdated': [M, V],
  'Query.lineage': [M],
  'Query.entity': [M],
  'Query.entities': [M],
  'Query.insiderTransactions': [M],
  'Query.institutionalHoldings': [M],
  'Query.insiderClusters': [M],
  'Query.collectors': [M, V],
  'Subscription.collectorStatusChanged': [M, V],
  'Query.features': [M],
  'Query.explainConviction': [M],
  'Query.replayConviction': [M],
  // Alpha: vaults, overlays, personas, models.
  'Query.vaults': [A, V],
  'Query.vault': [A, V],
  'Query.vaultHistory': [A, V],
  'Subscription.vaultUpdated': [A, V],
  'Mutation.createVault': [A],
  'Mutation.setVaultOverlay': [A],
  'Mutation.setPersona': [A],
  'Query.personas': [A],
  'Query.persona': [A],
  'Mutation.definePersona': [A],
  'Query.models': [A, V],
  'Query.modelVersion': [A, V],
  // Executor: orders, fills; kill switches with Alpha.
  'Query.orders': [E, V],
  'Query.order': [E, V],
  'Query.fills': [E],
  'Mutation.cancelOrder': [E],
  'Subscription.orderUpdated': [E, V],
  'Query.killSwitches': [A, E, V],
  'Mutation.setKillSwitch': [A, E],
  'Subscription.killSwitchChanged': [A, E, V],
  // Open to every authenticated principal.
  'Query.health': ANY,
  'Query.instruments': ANY,
  'Query.me': ANY,
};

const ROLES: readonly Role[] = [A, M, E, V];
const ISSUER = 'https://id.vanta.test/';
const AUDIENCE = 'vanta-api';

// ---- operations built from the schema ---------------------------------------------------------------------

/** A value of an input type: the smallest that coerces. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sample(f.type);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return '2026-01-05T12:00:00.000Z';
      case 'LocalDate':
        return '2026-01-05';
      case 'JSON':
        return {};
      default:
        return 'x';
    }
  }
  throw new Error(`no sample for input type ${String(type)}`);
}

const required = (a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined;

/** `query ($a: T!) { field(a: $a) { __typename } }` with only the required arguments, and their values. */
function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): { query: string; variables: Record<string, unknown> } {
  const args = field.args.filter(required);
  const decl = args.length ? `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? ' { __typename }' : '';
  const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type)]));
  return { query: `${kind} Probe${decl} { ${field.name}${call}${selection} }`, variables };
}

// ---- the server and its principals -----------------------------------------------------------------------

let server: RunningServer;
let schema: GraphQLSchema;
let rules: RootFieldRule[];
let privateKey: CryptoKey;
const tokens = new Map<string, string>();

async function token(sub: string, roles: readonly string[]): Promise<string> {
  return new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  const config = loadConfig({
    env: {
      PORT: '0',
      DATABASE_URL: 'memory://',
      VANTA_SOURCES: 'none',
      LOG_LEVEL: 'silent',
      VANTA_AUTH_REQUIRED: 'true',
      VANTA_JWT_ISSUER: ISSUER,
      VANTA_JWT_AUDIENCE: AUDIENCE,
      VANTA_JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
    },
  });
  server = await startServer(config, { log: createLogger('silent'), print: () => {} });
  for (const role of ROLES) tokens.set(role, await token(`probe-${role.toLowerCase()}`, [role]));
  tokens.set('none', await token('probe-none', []));
  schema = await buildVantaSchema();
  rules = rootFieldRules(schema);
});
afterAll(async () => {
  await server?.close();
});

async function http(query: string, variables: Record<string, unknown>, bearer: string | null) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
}

const codes = (errors: readonly GraphQLFormattedError[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

function expectedAllowed(rule: RootFieldRule, who: string): boolean {
  const policy = POLICY[`${rule.operation}.${rule.field}`];
  const roles = policy ?? rule.roles!; // a field of another domain: its own declaration
  if (policy === ANY || roles.length === 0) return true;
  return (roles as readonly string[]).includes(who);
}

describe('every root field has a rule', () => {
  it('carries @Authorized, and this table agrees with the roles it names', () => {
    const undecorated = rules.filter((r) => r.roles === undefined).map((r) => `${r.operation}.${r.field}`);
    expect(undecorated, 'root fields without @Authorized').toEqual([]);
    for (const rule of rules) {
      const policy = POLICY[`${rule.operation}.${rule.field}`];
      if (policy === undefined) continue;
      if (policy === ANY) expect(rule.roles, `${rule.operation}.${rule.field}`).toEqual([]);
      else expect([...rule.roles!].sort(), `${rule.operation}.${rule.field}`).toEqual([...policy].sort());
    }
    const present = new Set(rules.map((r) => `${r.operation}.${r.field}`));
    expect(Object.keys(POLICY).filter((k) => !present.has(k)), 'fields of the table missing from the schema').toEqual([]);
  });
});

describe('queries and mutations over HTTP', () => {
  const fieldsOf = (operation: 'Query' | 'Mutation') => rules.filter((r) => r.operation === operation);

  it('refuses every field to a request without credentials with UNAUTHENTICATED', async () => {
    for (const rule of [...fieldsOf('Query'), ...fieldsOf('Mutation')]) {
      const type = rule.operation === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
      const op = operationFor(rule.operation === 'Query' ? 'query' : 'mutation', type.getFields()[rule.field]!);
      const body = await http(op.query, op.variables, null);
      expect(codes(body.errors), `${rule.operation}.${rule.field}`).toContain('UNAUTHENTICATED');
      expect(codes(body.errors)).not.toContain('FORBIDDEN');
    }
  });

  for (const who of [...ROLES, 'none']) {
    it(`lets ${who === 'none' ? 'a principal with no role' : who} call what the table allows, FORBIDDEN elsewhere`, async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const rule of [...fieldsOf('Query'), ...fieldsOf('Mutation')]) {
        const type = rule.operation === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
        const op = operationFor(rule.operation === 'Query' ? 'query' : 'mutation', type.getFields()[rule.field]!);
        const body = await http(op.query, op.variables, tokens.get(who)!);
        const got = codes(body.errors);
        const name = `${rule.operation}.${rule.field}`;
        // The operation must have run: a request-level error (no path) would prove nothing either way. A
        // non-null field that fails nulls `data` whole, so the field's error path says it ran.
        const ran = (body.data != null && rule.field in body.data) || (body.errors ?? []).some((e) => e.path?.[0] === rule.field);
        expect(ran, `${name}: ${JSON.stringify(body.errors)}`).toBe(true);
        expect(got, name).not.toContain('UNAUTHENTICATED');
        outcomes.push(`${name}: ${got.includes('FORBIDDEN') ? 'FORBIDDEN' : 'allowed'}`);
        expected.push(`${name}: ${expectedAllowed(rule, who) ? 'allowed' : 'FORBIDDEN'}`);
        if (got.includes('FORBIDDEN')) {
          const refusal = body.errors!.find((e) => e.extensions?.code === 'FORBIDDEN')!;
          expect(refusal.path, name).toEqual([rule.field]);
          expect(refusal.extensions?.stacktrace, `${name}: a refusal carries no stack`).toBeUndefined();
        }
      }
      expect(outcomes).toEqual(expected);
    });
  }
});

describe('subscriptions over graphql-ws', () => {
  function connect(bearer: string): Client {
    return createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization: `Bearer ${bearer}` } });
  }

  /** Completes once the server answered a query sent on the connection (so it has handled what came before). */
  function roundTrip(client: Client): Promise<void> {
    return new Promise((resolve, reject) => {
      client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve });
    });
  }

  for (const who of [...ROLES, 'none']) {
    it(`lets ${who === 'none' ? 'a principal with no role' : who} subscribe where the table allows, FORBIDDEN elsewhere`, async () => {
      const client = connect(tokens.get(who)!);
      const subs = rules.filter((r) => r.operation === 'Subscription');
      const refused = new Map<string, unknown[]>();
      const disposers: (() => void)[] = [];
      try {
        for (const rule of subs) {
          const op = operationFor('subscription', schema.getSubscriptionType()!.getFields()[rule.field]!);
          const errors: unknown[] = [];
          refused.set(rule.field, errors);
          disposers.push(
            client.subscribe(op, {
              next: (r) => void (r.errors && errors.push(...r.errors)),
              error: (e) => void errors.push(...(Array.isArray(e) ? e : [e])),
              complete: () => {},
            }),
          );
        }
        // The authorization of a subscription does no I/O: two round trips later, every refusal has arrived.
        await roundTrip(client);
        await roundTrip(client);
        const outcomes = subs.map((r) => {
          const errors = refused.get(r.field)!;
          const forbidden = errors.some((e) => (e as GraphQLFormattedError).extensions?.code === 'FORBIDDEN');
          expect(forbidden || errors.length === 0, `${r.field}: ${JSON.stringify(errors)}`).toBe(true);
          return `${r.field}: ${forbidden ? 'FORBIDDEN' : 'allowed'}`;
        });
        expect(outcomes).toEqual(subs.map((r) => `${r.field}: ${expectedAllowed(r, who) ? 'allowed' : 'FORBIDDEN'}`));
      } finally {
        for (const dispose of disposers) dispose();
        await client.dispose();
      }
    });
  }
});
