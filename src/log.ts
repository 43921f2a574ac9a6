import { type DestinationStream, pino, type Logger } from 'pino';
import { REDACTED, redactionPaths, scrubbingDestination } from './api/hardening/redaction.js';

export type { Logger };

export interface LoggerOptions {
  /** Values scrubbed from every line, wherever they appear: `configSecrets(config)` (src/api/hardening/redaction.ts). */
  readonly secrets?: readonly string[];
  /** Where lines go. Default stdout. */
  readonly destination?: DestinationStream;
}

/**
 * JSON logs on stdout (pipe through `pino-pretty` to read them), at the configured level. Credential fields
 * are redacted at any depth, and connection-string passwords and `secrets` are scrubbed from every line.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  return pino(
    { level, base: { service: 'vanta' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: redactionPaths(), censor: REDACTED } },
    scrubbingDestination(options.destination ?? pino.destination(1), options.secrets ?? []),
  );
}
