/**
 * The KPI tracker: a set of stages, one per topic, that watch the bus and keep what the KPIs are computed
 * from (see `kpis(from, to)` and `/metrics`):
 *
 * - ingest → conviction latency: for each conviction, from the newest ingest time among the raw signals its
 *   causes lead back to, to its scoring time (`tsInit`), on the engine's clock. The newest, because a
 *   conviction is re-scored on every new output while older ones stay active for their horizon: what it
 *   waited on is its latest evidence;
 * - rolling Precision@5 (precision.ts), judged on the enriched bars the market book sees;
 * - PnL attribution (attribution.ts): each `VaultFillApplied`'s realized PnL, traced through its fill's
 *   order events and intent back to the conviction (by causation ids), to the conviction's band, models and
 *   the signal sources of its causes;
 * - counts of events per topic, dead letters, order transitions by status, denials by reason and kill-switch
 *   changes (also as Prometheus series, prometheus.ts).
 *
 * Each topic is its own consumer group, so an effect can arrive before its cause: convictions and fills
 * whose chain is not yet complete wait, and are retried as later events come in (and before every report);
 * after `maxRetries` they are settled with what is known. The same tracker runs live and in backtests.
 */
import { ALL_TOPICS, type Topic, Topics, type TopicEvents } from '../bus/topics.js';
import type { ConvictionScored, Direction, VantaEvent } from '../types.js';
import { Dec } from '../vaults/decimal.js';
import type { OrderEvent } from '../execution/events.js';
import type { Stage } from '../stage.js';
import { type AttributionRow, AttributionBook, type ConvictionFacts, modelWeights } from './attribution.js';
import { CausalIndex } from './causal-index.js';
import { type PrecisionReport, precisionAtK, type JudgedConviction } from './precision.js';
import { barClose, PriceSeries } from '../price-series.js';
import type { KpiMetrics } from './prometheus.js';

export interface KpiTrackerOptions {
  /** Wall milliseconds, for uptime. Default `Date.now`. */
  readonly wallNow?: () => number;
  /** Exported as Prometheus series when given. */
  readonly metrics?: KpiMetrics;
  /** Events remembered for causation walks. Default 200,000. */
  readonly capacity?: number;
  /** Attempts before an incomplete chain is settled with what is known. Default 50. */
  readonly maxRetries?: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface KpiReport {
  readonly from: number | null;
  readonly to: number | null;
  readonly uptimeSeconds: number;
  readonly latency: LatencySummary;
  readonly precision: PrecisionReport;
  readonly attribution: readonly AttributionRow[];
  readonly convictions: number;
  readonly fills: number;
  /** Sum of the realized PnL of the fills in range (decimal string). */
  readonly realizedPnl: string;
  readonly denials: readonly { readonly reason: string; readonly count: number }[];
  readonly killSwitchChanges: number;
}

/** Convictions (and fills) waiting for their causes, at most; the oldest are settled first beyond it. */
const MAX_PENDING = 2_000;

const ORDER_STATUS: Record<OrderEvent['type'], string | null> = {
  OrderInitialized: 'INITIALIZED',
  OrderDenied: 'DENIED',
  OrderSubmitted: 'SUBMITTED',
  OrderAccepted: 'ACCEPTED',
  OrderRejected: 'REJECTED',
  OrderFilled: 'FILLED',
  OrderCancelRequested: 'PENDING_CANCEL',
  OrderCancelRejected: null,
  OrderCanceled: 'CANCELED',
  OrderExpired: 'EXPIRED',
};

interface PendingConviction {
  readonly event: ConvictionScored;
  tries: number;
}
interface PendingFill {
  readonly fillId: string;
  readonly vaultId: string;
  readonly ts: number;
  readonly realizedPnl: string;
  tries: number;
}
interface Sample {
  readonly at: number;
  readonly ms: number;
}

class TopicStage<T extends Topic> implements Stage<T> {
  readonly name: string;
  constructor(
    readonly input: T,
    private readonly onEvent: (event: TopicEvents[T]) => void,
  ) {
    this.name = `kpis:${input}`;
  }
  async handle(event: TopicEvents[T]): Promise<void> {
    this.onEvent(event);
  }
}

export class KpiTracker {
  readonly index: CausalIndex;
  readonly prices = new PriceSeries();
  readonly #book = new AttributionBook();
  readonly #facts = new Map<string, ConvictionFacts>();
  readonly #judged: JudgedConviction[] = [];
  readonly #samples: Sample[] = [];
  readonly #fillConviction = new Map<string, string | null>();
  readonly #denials: { readonly at: number; readonly reason: string }[] = [];
  readonly #killSwitches: number[] = [];
  readonly #topicCounts = new Map<Topic, number>();
  #pendingConvictions: PendingConviction[] = [];
  #pendingFills: PendingFill[] = [];
  readonly #startedAt: number;
  readonly #wallNow: () => number;
  readonly #maxRetries: number;
  readonly #metrics: KpiMetrics | undefined;

  constructor(options: KpiTrackerOptions = {}) {
    this.#wallNow = options.wallNow ?? Date.now;
    this.#startedAt = this.#wallNow();
    this.#maxRetries = options.maxRetries ?? 50;
    this.#metrics = options.metrics;
    this.index = new CausalIndex(options.capacity ?? 200_000);
    options.metrics?.bind(() => {
      const report = this.report();
      return {
        uptimeSeconds: report.uptimeSeconds,
        precisionAt5: report.precision.rolling,
        pnl: totalsByKey(report.attribution),
      };
    });
  }

  /** One stage per topic; run them on the bus (`runStage`) next to the engine's. */
  stages(): Stage<Topic>[] {
    return ALL_TOPICS.map((topic) => new TopicStage(topic, (e) => this.observe(topic, e as VantaEvent)) as unknown as Stage<Topic>);
  }

  /** Takes one event of `topic` (what the stages call; a backtest may call it directly). */
  observe(topic: Topic, event: VantaEvent): void {
    this.#metrics?.event(topic);
    this.#topicCounts.set(topic, (this.#topicCounts.get(topic) ?? 0) + 1);
    switch (event.type) {
      case 'SignalIngested':
        this.index.add(event.id, { causes: event.causationIds, ingestedAt: event.tsInit, source: event.payload.source });
        break;
      case 'SignalEnriched': {
        this.index.add(event.id, { causes: event.causationIds });
        const bar = barClose(event.payload);
        if (bar) this.prices.add(bar.instrument, event.tsEvent, bar.close);
        break;
      }
      case 'ConvictionScored':
        this.index.add(event.id, { causes: event.causationIds, conviction: true });
        this.#pendingConvictions.push({ event, tries: 0 });
        break;
      case 'DeadLettered':
        this.#metrics?.deadLetter(event.payload.stage);
        break;
      case 'KillSwitchChanged':
        this.#killSwitches.push(event.tsEvent);
        this.#metrics?.killSwitch(event.payload.engaged);
        break;
      case 'VaultFillApplied':
        this.#pendingFills.push({ fillId: event.payload.fillId, vaultId: event.payload.vaultId, ts: event.tsEvent, realizedPnl: event.payload.realizedPnl, tries: 0 });
        break;
      default:
        if (topic === Topics.orderEvents) this.#order(event as OrderEvent);
        else this.index.add(event.id, { causes: event.causationIds });
    }
    if (event.type === 'ConvictionScored' || event.type === 'VaultFillApplied' || event.type === 'OrderFilled') this.settle();
  }

  #order(event: OrderEvent): void {
    this.index.add(event.id, { causes: event.causationIds });
    const status = event.type === 'OrderFilled' ? (Number(event.payload.leavesQuantity) > 0 ? 'PARTIALLY_FILLED' : 'FILLED') : ORDER_STATUS[event.type];
    if (status && !(event.type === 'OrderDenied' && event.payload.reason === 'DUPLICATE_CLIENT_ORDER_ID' && event.payload.check === 'Duplicate')) {
      this.#metrics?.order(status);
    }
    if (event.type === 'OrderDenied') {
      this.#denials.push({ at: event.tsEvent, reason: event.payload.reason });
      this.#metrics?.denial(event.payload.reason);
    }
    if (event.type === 'OrderFilled') this.#fillConviction.set(event.id, event.payload.convictionId);
  }

  /** Events seen per topic since start. */
  topicCounts(): ReadonlyMap<Topic, number> {
    return this.#topicCounts;
  }

  /** Settles what waits on causes seen since; `force` settles everything with what is known. */
  settle(force = false): void {
    const convictions = this.#pendingConvictions;
    this.#pendingConvictions = [];
    // A backlog this large means causes that will never come (forgotten, or from before the start).
    const overflow = convictions.length - MAX_PENDING;
    for (const [i, p] of convictions.entries()) {
      if (i < overflow) p.tries = this.#maxRetries;
      const origin = this.index.origin(p.event.causationIds);
      if (!origin.complete && !force && ++p.tries < this.#maxRetries) {
        this.#pendingConvictions.push(p);
        continue;
      }
      const v = p.event.payload;
      if (origin.latestIngest !== null) {
        const ms = Math.max(0, p.event.tsInit - origin.latestIngest);
        this.#push(this.#samples, { at: p.event.tsInit, ms }, 100_000);
        this.#metrics?.latency(ms / 1000);
      }
      this.#facts.set(v.id, { id: v.id, instrument: v.instrument, band: v.band, models: modelWeights(v.contributingModels), sources: origin.sources });
      if (this.#facts.size > 50_000) this.#facts.delete(this.#facts.keys().next().value as string);
      this.#push(this.#judged, judged(p.event), 100_000);
    }
    const fills = this.#pendingFills;
    this.#pendingFills = [];
    const fillOverflow = fills.length - MAX_PENDING;
    for (const [i, p] of fills.entries()) {
      if (i < fillOverflow) p.tries = this.#maxRetries;
      const known = this.#fillConviction.has(p.fillId);
      const walk = known ? this.index.convictionOf(p.fillId) : { conviction: null, complete: false };
      const convictionId = walk.conviction ?? this.#fillConviction.get(p.fillId) ?? null;
      const facts = convictionId ? this.#facts.get(convictionId) : undefined;
      const waiting = !known || (convictionId === null && !walk.complete) || (convictionId !== null && !facts);
      if (waiting && !force && ++p.tries < this.#maxRetries) {
        this.#pendingFills.push(p);
        continue;
      }
      this.#book.add({ fillId: p.fillId, vaultId: p.vaultId, ts: p.ts, realizedPnl: p.realizedPnl, conviction: facts ?? null });
    }
  }

  #push<T>(list: T[], item: T, capacity: number): void {
    list.push(item);
    if (list.length > capacity * 1.25) list.splice(0, list.length - capacity);
  }

  /** The KPIs over `[from, to)` (engine-clock epoch ms; open-ended when null). */
  report(from: number | null = null, to: number | null = null): KpiReport {
    this.settle(true);
    const lo = from ?? Number.NEGATIVE_INFINITY;
    const hi = to ?? Number.POSITIVE_INFINITY;
    const inRange = (t: number) => t >= lo && t < hi;
    const latencies = this.#samples.filter((s) => inRange(s.at)).map((s) => s.ms).sort((a, b) => a - b);
    const at = (q: number) => (latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
    const judgedInRange = this.#judged.filter((j) => inRange(j.scoredAt));
    const fills = this.#book.fills(lo, hi);
    const denials = new Map<string, number>();
    for (const d of this.#denials) if (inRange(d.at)) denials.set(d.reason, (denials.get(d.reason) ?? 0) + 1);
    const attribution = this.#book.rows(lo, hi);
    return {
      from,
      to,
      uptimeSeconds: Math.max(0, Math.round((this.#wallNow() - this.#startedAt) / 1000)),
      latency: {
        count: latencies.length,
        meanMs: latencies.length === 0 ? null : latencies.reduce((s, x) => s + x, 0) / latencies.length,
        p50Ms: at(0.5),
        p90Ms: at(0.9),
        p99Ms: at(0.99),
        maxMs: latencies.length === 0 ? null : latencies[latencies.length - 1]!,
      },
      precision: precisionAtK(judgedInRange, this.prices, 5),
      attribution,
      convictions: judgedInRange.length,
      fills: fills.length,
      realizedPnl: attribution.filter((r) => r.dimension === 'vault').reduce((s, r) => addDecimal(s, r.realizedPnl), '0'),
      denials: [...denials].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, count]) => ({ reason, count })),
      killSwitchChanges: this.#killSwitches.filter(inRange).length,
    };
  }
}

function judged(event: ConvictionScored): JudgedConviction {
  const v = event.payload;
  const direction: Direction = v.direction;
  return { instrument: v.instrument, score: v.convictionScore, direction, scoredAt: event.tsEvent, horizonMs: v.ttl * 1000 };
}

function addDecimal(a: string, b: string): string {
  return new Dec(a).plus(b).toFixed();
}

/** All-time totals per dimension and key, for the Prometheus gauge. */
function totalsByKey(rows: readonly AttributionRow[]): { dimension: string; key: string; realizedPnl: string }[] {
  const acc = new Map<string, { dimension: string; key: string; realizedPnl: string }>();
  for (const r of rows) {
    const k = `${r.dimension}|${r.key}`;
    const prev = acc.get(k);
    acc.set(k, { dimension: r.dimension, key: r.key, realizedPnl: prev ? addDecimal(prev.realizedPnl, r.realizedPnl) : r.realizedPnl });
  }
  return [...acc.values()];
}
