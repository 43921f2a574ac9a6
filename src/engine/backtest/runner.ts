/**
 * The backtest runner: the live stages on a test clock over a bar source, with the vaults, the autotrade queue,
 * pre-trade risk and the paper broker (fees, spread, slippage), all in memory on an in-memory bus.
 *
 * Each bar, in this order (nothing reads the wall clock; the bus is drained between phases, so every stage has
 * seen exactly what it would have live, and nothing more):
 *   1. the clock moves to the bar's end; the bar's events (with the scenarios' injections) are published and
 *      flow through de-duplication, enrichment, features and the models; the bar feed fills the paper venue's
 *      working orders at this bar and updates the market book;
 *   2. the model outputs of the bar are scored, sorted by event time and id (as the scoring harness does, so a
 *      run is reproducible to the byte); each conviction flows to allocation, and its intents to the autotrade
 *      queue, before the next is scored;
 *   3. the executor runs (risk, routing, venue sync, compounding), as the live executor loop would;
 *   4. each vault is marked to market; a vault past the halt drawdown gets its kill switch engaged.
 *
 * The KPI tracker watches the same bus, so the run's PnL attribution is the one the live server reports.
 *
 * With `spec.retrainEveryHours`, after each bar on which a retrain is due the direction classifier is refitted
 * on the run's labelled snapshots so far (walk-forward.ts) and scores from the next bar on.
 */
import { MemoryBus } from '../bus/memory.js';
import { UNIVERSE } from '../collectors/universe.js';
import { Topics } from '../bus/topics.js';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { TestClock } from '../clock.js';
import type { Combiner } from '../conviction/combiner.js';
import { ConvictionScorer } from '../conviction/scorer.js';
import { MemoryContentIndex } from '../enrich/content-index.js';
import { DedupStage } from '../enrich/dedup.js';
import { EnrichStage } from '../enrich/enrich-stage.js';
import type { OrderEvent } from '../execution/events.js';
import { MemoryKillSwitchStore } from '../execution/kill-switch-store.js';
import { MemoryAutotradeQueue } from '../execution/queue.js';
import { MemoryOrderRepository } from '../execution/repository.js';
import type { RiskConfig } from '../execution/risk/composite.js';
import type { FeatureSet } from '../features/definitions.js';
import { FeatureStage } from '../features/feature-stage.js';
import { MemoryOnlineStore } from '../features/online.js';
import { KpiTracker } from '../kpis/tracker.js';
import { EnsembleStage } from '../models/ensemble-stage.js';
import { type FeatureModel, GbdtFeatureModel } from '../models/feature-models.js';
import { GraphStructureModel } from '../models/graph-model.js';
import { ZScoreModel } from '../models/zscore.js';
import { barClose } from '../price-series.js';
import { Random } from '../random.js';
import { runStage, type Stage } from '../stage.js';
import { TradingDesk } from '../trading-desk.js';
import type { Topic } from '../bus/topics.js';
import type { ModelScored } from '../types.js';
import { MemoryVaultRepository } from '../vaults/memory-repository.js';
import { Dec } from '../vaults/decimal.js';
import { OutageBroker, resolveScenarios, ScenarioInjector } from './scenarios.js';
import type { BarSource } from './sources.js';
import { type RetrainRecord, WalkForwardTrainer } from './walk-forward.js';
import {
  BacktestError,
  type BacktestResult,
  type BacktestSpec,
  type EquityPoint,
  type RiskReport,
  type ScenarioReport,
  type TradeRecord,
  type VaultResult,
} from './types.js';

export interface BacktestModels {
  readonly featureSet: FeatureSet;
  readonly featureModels: readonly FeatureModel[];
  readonly combiner: Combiner;
  readonly scoreIntervalMs?: number;
}

export interface PaperCostsConfig {
  readonly seed: number;
  readonly spreadBps: number;
  readonly slippageBps: number;
  readonly feeBps: number;
  readonly latencyMs: number;
}

export interface BacktestDeps {
  readonly source: BarSource;
  readonly models: BacktestModels;
  /** Vault documents (as in `vault.json` files), by the id they declare. */
  readonly vaults: readonly { readonly id: string; readonly document: unknown }[];
  readonly risk: RiskConfig;
  readonly paper: PaperCostsConfig;
  /** Told after each bar: bars done and bars in all (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Wall milliseconds, only for the run's metadata (created at, wall time). Default `Date.now`. */
  readonly wallNow?: () => number;
}

/** The decisions a run took, in order: what a test compares between runs. */
export interface Decision {
  readonly ts: number;
  readonly kind: 'conviction' | 'intent' | 'order' | 'fill' | 'denial';
  readonly id: string;
  readonly detail: string;
}

export interface BacktestRun {
  readonly result: BacktestResult;
  readonly decisions: readonly Decision[];
  /** Input events (bars and alternative data) published during the run. */
  readonly events: number;
  /** Events on every topic of the bus during the run (what the stages handled). */
  readonly busEvents: number;
  /** Model outputs during the run, by `<model>@<version>` (a walk-forward run shows each retrained version). */
  readonly outputsByModel: Readonly<Record<string, number>>;
}

const MAX_CURVE_POINTS = 1_000;
const silentLog = { warn: () => {}, info: () => {}, error: () => {} };

export async function runBacktest(spec: BacktestSpec, deps: BacktestDeps): Promise<BacktestRun> {
  const wallNow = deps.wallNow ?? Date.now;
  const wallStart = wallNow();
  if (!(Number.isSafeInteger(spec.from) && Number.isSafeInteger(spec.to))) throw new BacktestError('from and to must be epoch milliseconds');
  if (spec.to <= spec.from) throw new BacktestError(`to (${new Date(spec.to).toISOString()}) must be after from (${new Date(spec.from).toISOString()})`);
  const { source } = deps;
  const times = source.times(spec.from, spec.to);
  if (times.length === 0) throw new BacktestError('no bars between from and to');
  const known = new Map(deps.vaults.map((v) => [v.id, v]));
  const wanted = spec.vaults === 'all' ? [...known.keys()] : [...spec.vaults];
  for (const id of wanted) if (!known.has(id)) throw new BacktestError(`--vaults: no vault ${id}; known: ${[...known.keys()].join(', ')}`);
  if (wanted.length === 0) throw new BacktestError('--vaults: no vault to run');
  const scenarios = resolveScenarios(spec.scenarios ?? [], times, source.instruments);
  const injector = new ScenarioInjector(scenarios);

  const clock = new TestClock(times[0]! - 1);
  const bus = new MemoryBus({ clock, retention: 1_000 });
  // The vaults are validated against the whole known universe; the source's own instruments (CSV tickers) join it.
  const instruments = [...new Map([...UNIVERSE, ...source.instruments].map((i) => [i.symbol, i])).values()];
  const index = new Map(instruments.map((i) => [i.symbol, i]));
  const barMs = times.length > 1 ? times[1]! - times[0]! : 60_000;

  const paper = new OutageBroker(
    {
      clock,
      random: new Random(deps.paper.seed),
      spreadBps: deps.paper.spreadBps,
      slippageBps: deps.paper.slippageBps,
      feeBps: deps.paper.feeBps,
      latencyMs: deps.paper.latencyMs,
    },
    () => injector.outage(clock.now()),
    clock,
  );
  // Bars may be coarser than a minute: a reference price is as fresh as the last bar.
  const risk: RiskConfig = { ...deps.risk, maxPriceAgeMs: Math.max(deps.risk.maxPriceAgeMs, 2 * barMs) };
  const killSwitches = new MemoryKillSwitchStore();
  const desk = new TradingDesk({
    bus,
    clock,
    instruments,
    vaults: new MemoryVaultRepository(),
    orders: new MemoryOrderRepository(),
    queue: new MemoryAutotradeQueue(),
    killSwitches,
    paper,
    risk,
    log: silentLog,
  });
  for (const id of wanted) {
    try {
      await desk.service.createVault('backtest', known.get(id)!.document, 'backtest');
    } catch (err) {
      throw new BacktestError(`vault ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const kpis = new KpiTracker({ wallNow });
  const pending: ModelScored[] = [];
  const decisions: Decision[] = [];
  const trades: TradeRecord[] = [];
  const killLog: { ts: number; key: string; engaged: boolean; reason: string }[] = [];
  let rejections = 0;
  let orders = 0;
  let events = 0;
  const scorer = new ConvictionScorer(bus, clock, (s) => index.get(s), () => deps.models.combiner);
  const m = deps.models;
  let featureModels = m.featureModels;
  const walkForward = walkForwardOf(spec, featureModels);
  const retrains: RetrainRecord[] = [];
  const outputsByModel: Record<string, number> = {};
  const stages: Stage<Topic>[] = [
    new DedupStage(bus, clock, new MemoryContentIndex()),
    new EnrichStage(bus, clock),
    new FeatureStage(
      { featureSet: m.featureSet, online: new MemoryOnlineStore(), clock, publish: (evs) => bus.publishMany(Topics.featuresComputed, evs) },
      { scoreIntervalMs: m.scoreIntervalMs },
    ),
    new ZScoreModel(bus, clock),
    new GraphStructureModel(bus, clock),
    new EnsembleStage(bus, clock, () => featureModels),
    ...desk.stages(),
    ...kpis.stages(),
  ] as Stage<Topic>[];
  const subs = stages.map((s) => runStage(bus, s));
  subs.push(
    bus.subscribe(Topics.modelOutputs, async (e) => {
      pending.push(e);
      const id = `${e.payload.modelId}@${e.payload.modelVersion}`;
      outputsByModel[id] = (outputsByModel[id] ?? 0) + 1;
    }, { group: 'backtest-outputs' }),
    bus.subscribe(Topics.convictions, async (e) => {
      decisions.push({ ts: e.tsEvent, kind: 'conviction', id: e.id, detail: `${e.payload.instrument} ${e.payload.convictionScore}` });
    }, { group: 'backtest-convictions' }),
    bus.subscribe(Topics.orderIntents, async (e) => {
      const i = e.payload;
      decisions.push({ ts: e.tsInit, kind: 'intent', id: i.clientOrderId, detail: `${i.vaultId} ${i.side} ${i.quantity} ${i.instrument}` });
    }, { group: 'backtest-intents' }),
    bus.subscribe(Topics.orderEvents, async (e: OrderEvent) => {
      if (e.type === 'OrderInitialized') {
        orders++;
        decisions.push({ ts: e.tsEvent, kind: 'order', id: e.payload.clientOrderId, detail: `${e.payload.vaultId} ${e.payload.side} ${e.payload.quantity} ${e.payload.instrument}` });
      } else if (e.type === 'OrderDenied') {
        decisions.push({ ts: e.tsEvent, kind: 'denial', id: e.id, detail: `${e.payload.vaultId} ${e.payload.clientOrderId} ${e.payload.reason}` });
      } else if (e.type === 'OrderRejected') {
        rejections++;
      } else if (e.type === 'OrderFilled') {
        const f = e.payload;
        decisions.push({ ts: e.tsEvent, kind: 'fill', id: e.id, detail: `${f.side} ${f.quantity} ${f.instrument} @ ${f.price}` });
        trades.push({ ts: e.tsEvent, vaultId: f.vaultId, clientOrderId: f.clientOrderId, instrument: f.instrument, side: f.side, quantity: f.quantity, price: f.price, fee: f.fee, convictionId: f.convictionId });
      }
    }, { group: 'backtest-orders' }),
    bus.subscribe(Topics.killSwitches, async (e) => {
      killLog.push({ ts: e.tsEvent, key: e.payload.key, engaged: e.payload.engaged, reason: e.payload.reason });
    }, { group: 'backtest-kill-switches' }),
  );
  if (walkForward) subs.push(bus.subscribe(Topics.featuresComputed, async (e) => walkForward.observeSnapshot(e.payload), { group: 'backtest-walk-forward' }));

  const curves = new Map<string, EquityPoint[]>(wanted.map((id) => [id, []]));
  const peaks = new Map<string, Dec>();
  const halted = new Set<string>();
  const originalPersona = new Map<string, string>();
  let executorErrors = 0;
  const drain = () => bus.drain(120_000);
  try {
    await desk.start();
    for (let k = 0; k < times.length; k++) {
      const ts = times[k]!;
      clock.set(ts);
      for (const flip of injector.flipsAt(ts)) await flipPersonas(desk, wanted, flip.persona, originalPersona);
      const stepEvents = injector.apply(ts, source.step(ts));
      events += stepEvents.length;
      if (walkForward) {
        for (const e of stepEvents) {
          const bar = barClose(e.payload);
          if (bar) walkForward.observeBar(bar.instrument, e.tsEvent, bar.close);
        }
      }
      await bus.publishMany(Topics.signalsRaw, stepEvents);
      await drain();
      const outputs = pending.splice(0).sort((a, b) => a.tsEvent - b.tsEvent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // One conviction at a time, allocated and queued before the next is scored: live, allocation and the
      // queue intake race (a second conviction may plan again before the first intent is queued); here the
      // intake always keeps up, so which orders exist never depends on scheduling.
      for (const o of outputs) {
        await scorer.handle(o);
        await drain();
      }
      try {
        await desk.tick();
      } catch {
        executorErrors++;
      }
      await drain();
      const { prices } = desk.market.snapshot();
      for (const id of wanted) {
        const { point } = await desk.service.recordGrowth(id, prices, ts);
        curves.get(id)!.push({ ts, equity: point.equity });
        const equity = new Dec(point.equity);
        const peak = peaks.get(id);
        if (!peak || equity.gt(peak)) peaks.set(id, equity);
        const limit = spec.haltDrawdownPct;
        if (limit != null && !halted.has(id) && peak && peak.gt(0) && peak.minus(equity).div(peak).times(100).gte(limit)) {
          halted.add(id);
          await desk.killSwitches.engage({ kind: 'vault', id }, 'backtest-risk', `drawdown reached ${limit}% of peak equity`);
          await drain();
        }
      }
      if (walkForward?.due(ts)) {
        const { record, model } = walkForward.retrain(ts);
        retrains.push(record);
        if (model) featureModels = featureModels.map((f) => (f instanceof GbdtFeatureModel ? model : f));
      }
      deps.onProgress?.(k + 1, times.length);
    }
  } finally {
    await Promise.all(subs.map((s) => s.close()));
    await bus.close();
  }

  const report = kpis.report();
  const vaults: VaultResult[] = [];
  for (const id of wanted) {
    const view = await desk.service.getVault(id);
    const curve = curves.get(id)!;
    const start = new Dec(String((view.vault.config as { startingCapital?: string }).startingCapital ?? curve[0]?.equity ?? '0'));
    const end = new Dec(curve[curve.length - 1]?.equity ?? start.toFixed());
    const own = trades.filter((t) => t.vaultId === id);
    vaults.push({
      vaultId: id,
      name: view.vault.config.name,
      persona: originalPersona.get(id) ?? view.vault.config.personaId,
      startEquity: start.toFixed(),
      endEquity: end.toFixed(),
      returnPct: start.gt(0) ? end.minus(start).div(start).toNumber() : 0,
      maxDrawdown: maxDrawdown(curve),
      trades: own.length,
      fees: own.reduce((s, t) => s.plus(t.fee), new Dec(0)).toFixed(),
      realizedPnl: report.attribution.filter((r) => r.dimension === 'vault' && r.key === id).reduce((s, r) => s.plus(r.realizedPnl), new Dec(0)).toFixed(),
      equity: downsample(curve, MAX_CURVE_POINTS),
    });
  }
  const scenarioReports: ScenarioReport[] = scenarios.map((s) => ({
    kind: s.kind,
    fromTs: s.fromTs,
    toTs: s.toTs,
    instrument: s.instrument,
    description: s.description,
    drawdowns: wanted.map((id) => ({ vaultId: id, maxDrawdown: maxDrawdown(curves.get(id)!.filter((p) => p.ts >= s.fromTs)) })),
  }));
  const duplicateOrders = [...paper.created.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  const riskReport: RiskReport = {
    denials: report.denials,
    rejections,
    killSwitches: killLog,
    brokerErrors: paper.errors,
    executorErrors,
    duplicateOrders,
  };
  const createdAt = wallNow();
  const result: BacktestResult = {
    id: `bt_${sha256Hex(canonicalJson({ spec, createdAt })).slice(0, 16)}`,
    createdAt,
    status: 'completed',
    spec,
    summary: {
      bars: times.length,
      events,
      convictions: decisions.filter((d) => d.kind === 'conviction').length,
      intents: new Set(decisions.filter((d) => d.kind === 'intent').map((d) => d.id)).size,
      orders,
      fills: trades.length,
      wallMs: createdAt - wallStart,
      precisionAt5: report.precision,
      scenarios: scenarioReports,
      ...(walkForward ? { retrains } : {}),
    },
    vaults,
    trades,
    attribution: report.attribution,
    risk: riskReport,
    reportPath: null,
    error: null,
  };
  // The recorders run in their own consumer groups, so their interleaving is not meaningful: order canonically.
  const rank = { conviction: 0, intent: 1, order: 2, denial: 3, fill: 4 } as const;
  // An intent planned again before the first reached the queue has the same id (and is one order): keep one.
  const unique = [...new Map(decisions.map((d) => [`${d.kind}|${d.id}`, d])).values()];
  decisions.splice(0, decisions.length, ...unique);
  decisions.sort((a, b) => a.ts - b.ts || rank[a.kind] - rank[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0));
  const busEvents = [...kpis.topicCounts().values()].reduce((a, b) => a + b, 0);
  return { result, decisions, events, busEvents, outputsByModel };
}

/** The walk-forward trainer the spec asks for: it retrains the ensemble's gradient-boosted classifier. */
function walkForwardOf(spec: BacktestSpec, models: readonly FeatureModel[]): WalkForwardTrainer | null {
  const hours = spec.retrainEveryHours;
  if (hours == null) return null;
  if (!(hours > 0 && Number.isFinite(hours))) throw new BacktestError(`--retrain-every must be a positive number of hours, got ${hours}`);
  const gbdt = models.find((f): f is GbdtFeatureModel => f instanceof GbdtFeatureModel);
  if (!gbdt) throw new BacktestError('--retrain-every needs the trained ensemble (its gradient-boosted classifier is what is retrained); none is loaded');
  const everyMs = Math.round(hours * 3_600_000);
  return new WalkForwardTrainer(gbdt.features, gbdt.horizonMs, { everyMs, firstAt: spec.from + everyMs, gbdt: { ...gbdt.model.params } });
}

async function flipPersonas(desk: TradingDesk, vaults: readonly string[], persona: string | null, original: Map<string, string>): Promise<void> {
  for (const id of vaults) {
    const { vault } = await desk.service.getVault(id);
    if (!original.has(id)) original.set(id, vault.config.personaId);
    const target = persona === null ? original.get(id)! : persona === vault.config.personaId ? (persona === 'contrarian' ? 'aggressive' : 'contrarian') : persona;
    if (target === vault.config.personaId) continue;
    await desk.service.setPersona('backtest-scenario', id, target, vault.version, persona === null ? 'scenario: persona flipped back' : 'scenario: persona flip');
  }
}

/** Largest fall from a running peak, as a fraction of the peak. */
export function maxDrawdown(curve: readonly EquityPoint[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const p of curve) {
    const e = Number(p.equity);
    if (e > peak) peak = e;
    if (peak > 0) worst = Math.max(worst, (peak - e) / peak);
  }
  return worst;
}

/** At most `max` points: evenly spaced, always keeping the last, and the lowest point so drawdowns stay visible. */
function downsample(curve: readonly EquityPoint[], max: number): EquityPoint[] {
  if (curve.length <= max) return [...curve];
  const step = curve.length / (max - 2);
  const keep = new Set<number>();
  for (let i = 0; i < max - 2; i++) keep.add(Math.floor(i * step));
  keep.add(curve.length - 1);
  let low = 0;
  curve.forEach((p, i) => {
    if (Number(p.equity) < Number(curve[low]!.equity)) low = i;
  });
  keep.add(low);
  return [...keep].sort((a, b) => a - b).map((i) => curve[i]!);
}
