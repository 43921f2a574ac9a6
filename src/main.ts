/**
 * The `vanta` command.
 *
 *   vanta serve           start the engine and the GraphQL server (the default)
 *   vanta migrate         apply the database migrations and exit
 *   vanta schema [path]   write the GraphQL schema (default ./schema.graphql)
 *   vanta audit verify    re-hash the audit chain and report the first broken entry
 *   vanta audit export --from <date> --to <date> [--out file]   write a compliance bundle (tar.gz)
 *   vanta audit verify-bundle <file>                            check a bundle offline
 *   vanta train [flags]   train the ensemble on simulated history; write the model bundle and its drift reference
 *   vanta replay <id>     recompute a conviction from its recorded inputs; exit 0 identical, 3 different, 4 unavailable
 *   vanta backtest --from <iso> --to <iso> [--vaults ids|all] [--seed n] [--data csv] [--scenario kind]   run a backtest
 *   vanta keys create --name <n> --role ROLE [--role ...] | keys list | keys revoke <id>   manage API keys
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config.js';
import { configSecrets } from './api/hardening/redaction.js';
import { createLogger } from './log.js';

const USAGE = `usage: vanta <serve|migrate|schema [path]|audit verify|audit export --from --to [--out]|audit verify-bundle <file>|replay <conviction id>|keys create --name --role [--role]|keys list|keys revoke <id>|backtest --from --to [--vaults] [--seed] [--data] [--scenario]|train [--out file] [--days n] [--base-seeds a,b] [--stacker-seeds c]|reference [--bundle file] [--out file]>`;

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

  if (command === 'audit' && rest[0] === 'verify-bundle') {
    if (!rest[1]) {
      console.error(`usage: vanta audit verify-bundle <file>`);
      return 64;
    }
    const { verifyBundle } = await import('./engine/audit/bundle.js');
    const result = await verifyBundle(rest[1]);
    if (result.ok) console.log(`bundle intact: entries ${result.manifest!.fromSeq}–${result.manifest!.toSeq} (${result.entries}), head ${result.manifest!.head.hash}`);
    else for (const p of result.problems) console.log(`BROKEN: ${p}`);
    return result.ok ? 0 : 2;
  }

  const config = loadConfig();
  // Every secret the config holds is scrubbed from every log line, wherever a library puts it.
  const log = createLogger(config.logLevel, { secrets: configSecrets(config) });

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
    case 'train': {
      const { trainCommand } = await import('./jobs/train.js');
      const { bundleLocation } = await import('./jobs/models.js');
      return trainCommand(rest, bundleLocation(), config);
    }
    case 'reference': {
      const { referenceCommand } = await import('./jobs/reference.js');
      return referenceCommand(rest, config);
    }
    case 'backtest': {
      const { backtestCommand } = await import('./jobs/backtest.js');
      const { createStore } = await import('./engine/store/repositories.js');
      const store = await createStore(config.databaseUrl);
      try {
        return await backtestCommand(rest, { config, log, repository: store.backtests });
      } finally {
        await store.close();
      }
    }
    case 'keys': {
      const { keysCommand } = await import('./jobs/keys.js');
      return keysCommand(rest, config.databaseUrl);
    }
    case 'migrate': {
      const { createStore } = await import('./engine/store/repositories.js');
      const store = await createStore(config.databaseUrl);
      await store.close();
      console.log(`migrations applied (${store.kind})`);
      return 0;
    }
    case 'replay': {
      if (!rest[0]) break;
      const { createStore } = await import('./engine/store/repositories.js');
      const { replayConviction } = await import('./engine/audit/replay.js');
      const { configureModels } = await import('./jobs/models.js');
      const store = await createStore(config.databaseUrl);
      try {
        const models = await configureModels(config.models, { redisPrefix: config.redisPrefix, log });
        const result = await replayConviction({ audit: store.audit, instruments: store.instruments, combiner: models.combinerFor }, rest[0]);
        if (result.status === 'identical') console.log(`${rest[0]}: identical (recomputed from ${result.inputs} recorded model outputs)`);
        else if (result.status === 'unavailable') console.log(`${rest[0]}: cannot be replayed: ${result.reason}`);
        else {
          console.log(`${rest[0]}: DIFFERENT in ${result.differences.length} field(s):`);
          for (const d of result.differences) console.log(`  ${d.path}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}`);
        }
        return result.status === 'identical' ? 0 : result.status === 'different' ? 3 : 4;
      } finally {
        await store.close();
      }
    }
    case 'audit': {
      if (rest[0] === 'export') return auditExport(rest.slice(1), config.databaseUrl);
      if (rest[0] !== 'verify') break;
      const { createStore } = await import('./engine/store/repositories.js');
      const store = await createStore(config.databaseUrl);
      try {
        const { describeVerification } = await import('./engine/audit/tail.js');
        const result = await store.audit.verify();
        console.log(describeVerification(result));
        // The stored Merkle checkpoints too: each root recomputed from the entries of its block.
        const { describeCheckpoints, verifyCheckpoints } = await import('./engine/audit/checkpoints.js');
        const checkpoints = await verifyCheckpoints(store.audit, store.auditCheckpoints);
        console.log(describeCheckpoints(checkpoints));
        return result.ok && checkpoints.ok ? 0 : 2;
      } finally {
        await store.close();
      }
    }
  }
  console.error(`unknown command: ${[command, ...rest].join(' ')}\n${USAGE}`);
  return 64;
}

async function auditExport(argv: readonly string[], databaseUrl: string | undefined): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ args: [...argv], options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } } });
  const from = Date.parse(values.from ?? '');
  const to = Date.parse(values.to ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    console.error('usage: vanta audit export --from <ISO date> --to <ISO date> [--out file.tar.gz]  (--to not before --from)');
    return 64;
  }
  const out = values.out ?? `audit-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.tar.gz`;
  const { createStore } = await import('./engine/store/repositories.js');
  const { exportBundle } = await import('./engine/audit/bundle.js');
  const store = await createStore(databaseUrl);
  try {
    const m = await exportBundle(store.audit, from, to, out);
    console.log(`wrote ${out}: entries ${m.fromSeq}–${m.toSeq} (${m.entries}), head ${m.head.hash}`);
    return 0;
  } finally {
    await store.close();
  }
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
