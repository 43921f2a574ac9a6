/**
 * The trading desk built from config: the paper broker (always, the default venue) and the real brokers that
 * have credentials, the risk limits, the vault files created at start, and the executor's loop.
 *
 * Persistence: the order book, autotrade queue, kill switches and vaults (configs with every version, overlays,
 * custom personas, states and growth curves) live in the store when it offers them (the SQL repositories), else in
 * memory. A vault file is created only when its id is new, so a restart keeps the vault as it was changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Bus } from '../engine/bus/bus.js';
import type { Clock } from '../engine/clock.js';
import type { Broker } from '../engine/execution/broker.js';
import { AlpacaBroker } from '../engine/execution/brokers/alpaca.js';
import { CcxtBroker } from '../engine/execution/brokers/ccxt-broker.js';
import { PaperBroker } from '../engine/execution/brokers/paper.js';
import { TradierBroker } from '../engine/execution/brokers/tradier.js';
import { type KillSwitchStore, MemoryKillSwitchStore } from '../engine/execution/kill-switch-store.js';
import { type AutotradeQueue, MemoryAutotradeQueue } from '../engine/execution/queue.js';
import { MemoryOrderRepository, type OrderRepository } from '../engine/execution/repository.js';
import type { EngineLogger } from '../engine/engine.js';
import { Random } from '../engine/random.js';
import { TradingDesk } from '../engine/trading-desk.js';
import type { Instrument } from '../engine/types.js';
import { VaultError } from '../engine/vaults/errors.js';
import { MemoryVaultRepository } from '../engine/vaults/memory-repository.js';
import type { VaultRepository } from '../engine/vaults/ports.js';
import { bundleLocation } from './models.js';

export interface TradingPersistence {
  readonly orders?: OrderRepository;
  readonly autotradeQueue?: AutotradeQueue;
  readonly killSwitches?: KillSwitchStore;
  readonly vaults?: VaultRepository;
}

/** The bundled example vaults: `data/vaults/*.vault.json`. */
export function bundledVaultFiles(): string[] {
  const dir = path.join(path.dirname(path.dirname(bundleLocation())), 'vaults');
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.vault.json'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

function realBrokers(config: Config['trading'], log: EngineLogger): Broker[] {
  const out: Broker[] = [];
  const b = config.brokers;
  if (b.alpaca?.keyId && b.alpaca.secretKey) out.push(new AlpacaBroker({ keyId: b.alpaca.keyId, secretKey: b.alpaca.secretKey, ...(b.alpaca.baseUrl ? { baseUrl: b.alpaca.baseUrl } : {}) }));
  else if (b.alpaca) log.warn({}, 'trading: alpaca is configured without keyId and secretKey; it stays off');
  if (b.tradier?.token && b.tradier.accountId) out.push(new TradierBroker({ token: b.tradier.token, accountId: b.tradier.accountId, ...(b.tradier.baseUrl ? { baseUrl: b.tradier.baseUrl } : {}) }));
  else if (b.tradier) log.warn({}, 'trading: tradier is configured without token and accountId; it stays off');
  for (const c of b.ccxt) {
    if (!c.apiKey || !c.secret) {
      log.warn({ exchange: c.exchange }, 'trading: a ccxt venue is configured without apiKey and secret; it stays off');
      continue;
    }
    out.push(new CcxtBroker({ exchange: c.exchange, apiKey: c.apiKey, secret: c.secret, markets: c.markets, sandbox: c.sandbox }));
  }
  return out;
}

export async function configureTrading(
  config: Config['trading'],
  ports: { readonly bus: Bus; readonly clock: Clock; readonly instruments: readonly Instrument[]; readonly log: EngineLogger; readonly persistence?: TradingPersistence },
): Promise<TradingDesk | null> {
  if (!config.enabled) {
    ports.log.info({}, 'trading: off (trading.enabled); convictions are scored, not traded');
    return null;
  }
  const p = ports.persistence ?? {};
  const desk = new TradingDesk({
    bus: ports.bus,
    clock: ports.clock,
    instruments: ports.instruments,
    vaults: p.vaults ?? new MemoryVaultRepository(),
    orders: p.orders ?? new MemoryOrderRepository(),
    queue: p.autotradeQueue ?? new MemoryAutotradeQueue(),
    killSwitches: p.killSwitches ?? new MemoryKillSwitchStore(),
    paper: new PaperBroker({
      clock: ports.clock,
      random: new Random(config.paper.seed),
      spreadBps: config.paper.spreadBps,
      slippageBps: config.paper.slippageBps,
      feeBps: config.paper.feeBps,
      latencyMs: config.paper.latencyMs,
    }),
    brokers: realBrokers(config, ports.log),
    risk: {
      maxOrderNotional: { default: config.risk.maxOrderNotional },
      maxDailyNotionalPerVault: { default: config.risk.maxDailyNotionalPerVault },
      maxDailyNotionalGlobal: config.risk.maxDailyNotionalGlobal,
      priceCollarPct: config.risk.priceCollarPct,
      maxPriceAgeMs: config.risk.maxPriceAgeMs,
      ordersPerSecond: config.risk.ordersPerSecond,
      orderBurst: config.risk.orderBurst,
      duplicateWindowMs: config.risk.duplicateWindowMs,
    },
    log: ports.log,
  });
  for (const file of config.vaults ?? bundledVaultFiles()) await createVaultFromFile(desk, file, ports.log);
  return desk;
}

/** Creates the vault a file describes unless its id exists; a bad file stops the start with the file and the fields named. */
async function createVaultFromFile(desk: TradingDesk, file: string, log: EngineLogger): Promise<void> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new Error(`vault file ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  try {
    await desk.service.createVault('config', input, `created from ${path.basename(file)}`);
    log.info({ file }, 'trading: vault created');
  } catch (err) {
    if (err instanceof VaultError && err.code === 'VAULT_EXISTS') return;
    if (err instanceof VaultError) throw new Error(`vault file ${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Runs the executor every `tickMs`, one run at a time; returns what stops it (after the run in progress). */
export function startExecutorLoop(desk: TradingDesk, tickMs: number, log: EngineLogger): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = desk
      .tick()
      .catch((err: unknown) => log.warn({ err }, 'executor: a run failed; the next one retries'))
      .finally(() => (running = null));
  }, tickMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
