/**
 * HTTPS (and so WSS, on the same server) from `security.tls`. With `requestClientCert` every client must
 * present a certificate signed by `caPath`: the TLS handshake refuses the others before any HTTP is read.
 */
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { TlsSettings } from './defaults.js';

export class TlsConfigError extends Error {
  readonly code = 'TLS_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TlsConfigError';
  }
}

function read(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TlsConfigError(`security.tls.${key}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The `https.createServer` options for `settings`; throws {@link TlsConfigError} naming the unreadable file. */
export function tlsServerOptions(settings: TlsSettings): ServerOptions {
  if (settings.requestClientCert && !settings.caPath) {
    throw new TlsConfigError('security.tls.requestClientCert needs security.tls.caPath (the CA that signs client certificates)');
  }
  return {
    cert: read('certPath', settings.certPath),
    key: read('keyPath', settings.keyPath),
    ...(settings.caPath ? { ca: read('caPath', settings.caPath) } : {}),
    requestCert: settings.requestClientCert,
    rejectUnauthorized: settings.requestClientCert,
    minVersion: 'TLSv1.2',
  };
}
