/**
 * What the source tests share: the project's fixture server and polite HTTP client (so the real client
 * code runs against 127.0.0.1), fixture loading, and a poll runner that stores the cursor as text between
 * polls the way a collector does, so restarts are tested through the same serialisation.
 */
import type { Clock } from '../../src/engine/clock.js';
import { PoliteHttpClient } from '../../src/engine/collectors/http-client.js';
import type { HttpClient } from '../../src/engine/collectors/http.js';
import type { PollingSource, PollResult } from '../../src/engine/collectors/source.js';
import { readFixture, type RecordedRequest, type Reply } from '../fixture-server.js';

export { startFixtureServer, type FixtureServer, type RecordedRequest, type Reply } from '../fixture-server.js';

/** A fixture's bytes; `parts` joined under `test/fixtures/`. */
export function fixture(...parts: string[]): Buffer {
  return readFixture(parts.join('/'));
}

/** JSON with the right content type. */
export function json(value: unknown, status = 200): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** A request's query parameter. */
export const param = (request: RecordedRequest, name: string): string | null => request.url.searchParams.get(name);

/** The polite client, without retries and with rate limits far above what the tests send. */
export function testClient(secrets: readonly string[] = []): HttpClient {
  return new PoliteHttpClient({
    userAgent: 'Vanta source tests (ops@vanta.invalid)',
    maxRetries: 0,
    defaultRequestsPerSecond: 10_000,
    timeoutMs: 10_000,
    secrets,
  });
}

/**
 * Runs one poll as a collector would: the cursor comes from its stored text (parsed by the source's
 * `parseCursor`, else JSON.parse) and the new one is stored as text again.
 */
export async function pollOnce<C>(
  source: PollingSource<C>,
  options: { http: HttpClient; clock: Clock; stored: string | null },
): Promise<{ result: PollResult<C>; stored: string }> {
  const cursor = options.stored === null ? null : source.parseCursor ? source.parseCursor(options.stored) : (JSON.parse(options.stored) as C);
  const result = await source.poll({ cursor, http: options.http, clock: options.clock, signal: new AbortController().signal });
  return { result, stored: JSON.stringify(result.cursor) };
}
