/**
 * `vanta keys`: API keys from the command line.
 *
 *   vanta keys create --name <name> --role ALPHA [--role MARKETS ...]   prints the key, once
 *   vanta keys list                                                     id, name, roles, created, last used, revoked
 *   vanta keys revoke <id>
 */
import { parseArgs } from 'node:util';
import { ApiKeys, AuthError, parseRoles } from '../api/auth/index.js';
import type { ApiKeyRecord } from '../engine/store/api-keys.repo.js';
import type { OpenOptions } from '../engine/store/db.js';
import { createStore } from '../engine/store/repositories.js';

export const KEYS_USAGE = 'usage: vanta keys create --name <name> --role <ALPHA|MARKETS|EXECUTOR|VIEWER> [--role ...] | vanta keys list | vanta keys revoke <id>';

export interface KeysIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function row(k: ApiKeyRecord): string {
  return [k.id, k.name, k.roles.join(','), when(k.createdAt), when(k.lastUsedAt), k.revokedAt === null ? 'active' : `revoked ${when(k.revokedAt)}`].join('\t');
}

function parseKeysArgs(args: readonly string[]) {
  return parseArgs({ args: [...args], allowPositionals: true, options: { name: { type: 'string' }, role: { type: 'string', multiple: true } } });
}

/** Runs one `vanta keys` command against the database at `databaseUrl`; returns the exit code. */
export async function keysCommand(
  argv: readonly string[],
  databaseUrl: string | undefined,
  io: KeysIo = { out: console.log, err: console.error },
  openOptions: OpenOptions = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed: ReturnType<typeof parseKeysArgs>;
  try {
    parsed = parseKeysArgs(rest);
  } catch (error) {
    io.err(`${(error as Error).message}\n${KEYS_USAGE}`);
    return 64;
  }
  const { values, positionals } = parsed;
  if (sub === 'create' && (!values.name || !values.role?.length)) {
    io.err(`keys create needs --name and at least one --role\n${KEYS_USAGE}`);
    return 64;
  }
  if (sub === 'revoke' && positionals.length !== 1) {
    io.err(`keys revoke needs the key's id\n${KEYS_USAGE}`);
    return 64;
  }
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    io.err(KEYS_USAGE);
    return 64;
  }

  let roles: ReturnType<typeof parseRoles> = [];
  try {
    if (sub === 'create') roles = parseRoles(values.role!);
  } catch (error) {
    io.err(`vanta keys: ${(error as Error).message}`);
    return 64;
  }

  const store = await createStore(databaseUrl, openOptions);
  try {
    const keys = new ApiKeys(store.apiKeys);
    if (sub === 'create') {
      const issued = await keys.create(values.name!, roles);
      io.out(`created API key ${issued.record.id} (${issued.record.name}: ${issued.record.roles.join(', ')}); it is shown only this once:`);
      io.out(issued.key);
      return 0;
    }
    if (sub === 'list') {
      const list = await keys.list();
      io.out(['id', 'name', 'roles', 'created', 'last used', 'state'].join('\t'));
      for (const k of list) io.out(row(k));
      return 0;
    }
    const revoked = await keys.revoke(positionals[0]!);
    io.out(`revoked API key ${revoked.id} (${revoked.name}) at ${when(revoked.revokedAt)}`);
    return 0;
  } catch (error) {
    if (error instanceof AuthError) {
      io.err(`vanta keys: ${error.message}`);
      return error.code === 'KEY_NOT_FOUND' ? 2 : 64;
    }
    throw error;
  } finally {
    await store.close();
  }
}
