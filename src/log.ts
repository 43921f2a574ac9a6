import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (pipe through `pino-pretty` to read them), at the configured level. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'vanta' }, timestamp: pino.stdTimeFunctions.isoTime });
}
