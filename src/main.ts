/**
 * The `vanta` command.
 *
 *   vanta serve           start the engine and the GraphQL server (the default)
 *   vanta migrate         apply the database migrations and exit
 *   vanta schema [path]   write the GraphQL schema (default ./schema.graphql)
 *   vanta audit verify    re-hash the audit chain and report the first broken entry
 *   vanta train [flags]   train the ensemble on simulated history and write the model bundle
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';

const USAGE = `usage: vanta <serve|migrate|schema [path]|audit verify|train [--out file] [--days n] [--base-seeds a,b] [--stacker-seeds c]>`;

async function main(argv: readonly string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'schema') {
    const { emitSchema } = await import('./api/schema.js');
    const path = rest[0] ?? 'schema.graphql';
    await emitSchema(path);
    console.log(`wrote ${path}`);
    return 0;
  }

  if (command === 'train') {
    const { trainCommand } = await import('./jobs/train.js');
    const { bundleLocation } = await import('./jobs/models.js');
    return trainCommand(rest, bundleLocation());
  }

  const config = loadConfig();
  const log = createLogger(config.logLevel);

  switch (command) {
    case 'serve': {
      const { startServer } = await import('./server.js');
      const server = await startServer(config, { log });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down: draining in-flight events and closing subscriptions');
        server.close().then(
          () => {
            log.info('stopped cleanly');
            process.exit(0);
          },
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      return -1; // keep running
    }
    case 'migrate': {
      const { createStore } = await import('./engine/store/repositories.js');
      const store = await createStore(config.databaseUrl);
      await store.close();
      console.log(`migrations applied (${store.kind})`);
      return 0;
    }
    case 'audit': {
      if (rest[0] !== 'verify') break;
      const { createStore } = await import('./engine/store/repositories.js');
      const store = await createStore(config.databaseUrl);
      try {
        const { describeVerification } = await import('./engine/audit/tail.js');
        const result = await store.audit.verify();
        console.log(describeVerification(result));
        return result.ok ? 0 : 2;
      } finally {
        await store.close();
      }
    }
  }
  console.error(`unknown command: ${[command, ...rest].join(' ')}\n${USAGE}`);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`vanta: ${err.message}`);
      process.exit(78);
    }
    console.error('vanta:', err);
    process.exit(1);
  },
);
