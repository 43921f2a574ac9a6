/**
 * Keeping secrets out of the logs, in two layers:
 * - pino redaction paths: any field named like a credential (`authorization`, `apiKey`, `token`, `password`,
 *   `secretKey`, the broker and collector credentials…) at any depth up to {@link MAX_DEPTH} is replaced;
 * - a scrub of every finished line: passwords in connection strings (`postgres://user:…@host`) wherever they
 *   appear (an error message, a stack), and the exact values of the configured secrets (see {@link configSecrets}),
 *   however they got into the line.
 */
import type { DestinationStream } from 'pino';

export const REDACTED = '[REDACTED]';

/** Field names whose values are credentials, wherever they sit. */
export const SECRET_FIELDS: readonly string[] = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'apiSecret',
  'keyId',
  'secret',
  'secretKey',
  'clientSecret',
  'password',
  'passwd',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'bearerToken',
  'botToken',
  'privateKey',
  'connectionParams',
  'rpcUrl',
];

/** Nesting below the log object's top level that the paths reach (`req.headers.authorization` is depth 2). */
export const MAX_DEPTH = 6;

function accessor(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`;
}

/** pino `redact.paths` for {@link SECRET_FIELDS} at every depth up to {@link MAX_DEPTH}. */
export function redactionPaths(fields: readonly string[] = SECRET_FIELDS): string[] {
  const paths: string[] = [];
  for (const field of fields) {
    const tail = accessor(field);
    // At the top level only plain names are valid pino paths; dashed names are header names, never top-level.
    if (tail.startsWith('.')) paths.push(field);
    for (let depth = 1; depth <= MAX_DEPTH; depth++) paths.push(`${Array(depth).fill('*').join('.')}${tail}`);
  }
  return paths;
}

/** `scheme://user:password@` → `scheme://user:[REDACTED]@`, anywhere in a line. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@"'\\]*):([^@\s"'\\/]+)@/gi;

export function scrubUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${REDACTED}@`);
}

/** Values shorter than this are not scrubbed by value (they would blank ordinary words); paths still redact them. */
const MIN_SECRET_LENGTH = 6;

/** Replaces each of `secrets` (also in its JSON-escaped form) and every URL password in `line`. */
export function scrubLine(line: string, secrets: readonly string[]): string {
  let out = scrubUrlPasswords(line);
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

const SECRET_FIELD = new RegExp(`^(${SECRET_FIELDS.map((f) => f.replace(/[-]/g, '\\-')).join('|')})$`, 'i');
const URL_FIELD = /url$/i;

/**
 * The secret values in a configuration: every string under a credential-named key (the collectors', the
 * brokers', the JWT settings'…) and the password of every connection string (`databaseUrl`, `redisUrl`).
 */
export function configSecrets(config: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 12 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (SECRET_FIELD.test(key)) found.add(value);
      if (URL_FIELD.test(key)) {
        try {
          const url = new URL(value);
          if (url.password) found.add(decodeURIComponent(url.password)).add(url.password);
          if (key === 'rpcUrl') found.add(value);
        } catch {
          // not a URL: nothing to take from it
        }
      }
      return;
    }
    if (typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k, depth + 1);
  };
  walk(config, '', 0);
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** A pino destination that scrubs each line before handing it to `target`. */
export function scrubbingDestination(target: DestinationStream, secrets: readonly string[]): DestinationStream {
  return { write: (line: string) => target.write(scrubLine(line, secrets)) };
}
