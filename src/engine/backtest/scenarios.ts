/**
 * The scenario lab: adversarial conditions injected into a backtest, to see what each vault loses and what the
 * risk layer does about it.
 *
 * - `pump-and-dump`: a bot swarm (young, low-reach accounts posting near-identical bullish text) talks one
 *   instrument up while its price is ramped +30%, then dumped to 5% below where it started;
 * - `insider-surge`: a burst of open-market purchase filings by insiders nobody has seen before, with no price
 *   effect at all (a fake signal);
 * - `flash-crash`: every instrument falls by `depth` (default 15%) within two bars, then recovers over the rest
 *   of the window;
 * - `exchange-outage`: the paper venue fails calls (see OutageBroker): half the submits fail before the venue
 *   acts, the other half after it acted with the answer lost; venue syncs fail. Orders must not double;
 * - `persona-flip`: every vault switches persona (default `contrarian`, `aggressive` for a vault already
 *   contrarian) at the window's start and back at its end.
 *
 * The injections are a pure function of the scenario spec and the step: a run with a scenario is as
 * reproducible as one without. Price changes are applied to the bars as published (the simulator's own state
 * is left alone), so a crash is what every stage sees and nothing else.
 */
import { eventId } from '../canonical.js';
import { INSIDER_SOURCE } from '../collectors/simulator/events.js';
import { SOCIAL_SOURCE } from '../collectors/simulator/social.js';
import { BrokerError, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../execution/broker.js';
import { PaperBroker, type PaperBrokerOptions } from '../execution/brokers/paper.js';
import type { Clock } from '../clock.js';
import type { Bar, Instrument, RawSignal, SignalIngested } from '../types.js';
import { BacktestError, SCENARIO_KINDS, type ScenarioKind, type ScenarioSpec } from './types.js';

export interface ResolvedScenario {
  readonly kind: ScenarioKind;
  readonly fromTs: number;
  readonly toTs: number;
  readonly instrument: string | null;
  readonly persona: string | null;
  readonly depth: number;
  readonly description: string;
}

const DEFAULTS: Record<ScenarioKind, { at: number; bars: number }> = {
  'pump-and-dump': { at: 0.4, bars: 60 },
  'insider-surge': { at: 0.4, bars: 20 },
  'flash-crash': { at: 0.5, bars: 12 },
  'exchange-outage': { at: 0.4, bars: 30 },
  'persona-flip': { at: 0.3, bars: 120 },
};

/** `flash-crash`, `exchange-outage:0.5:20` (kind, optional start fraction and bars), for the command line. */
export function parseScenarioArg(text: string): ScenarioSpec {
  const [kind, at, bars] = text.split(':');
  if (!SCENARIO_KINDS.includes(kind as ScenarioKind)) {
    throw new BacktestError(`--scenario ${JSON.stringify(text)}: unknown scenario; one of ${SCENARIO_KINDS.join(', ')}`);
  }
  const spec: { kind: ScenarioKind; at?: number; bars?: number } = { kind: kind as ScenarioKind };
  if (at !== undefined && at !== '') spec.at = Number(at);
  if (bars !== undefined && bars !== '') spec.bars = Number(bars);
  return spec;
}

export function resolveScenarios(specs: readonly ScenarioSpec[], times: readonly number[], instruments: readonly Instrument[]): ResolvedScenario[] {
  if (specs.length > 0 && times.length < 4) throw new BacktestError('scenarios need a run of at least 4 bars');
  const symbols = instruments.map((i) => i.symbol);
  return specs.map((s, n) => {
    const where = `scenario ${n + 1} (${s.kind})`;
    if (!SCENARIO_KINDS.includes(s.kind)) throw new BacktestError(`${where}: unknown kind; one of ${SCENARIO_KINDS.join(', ')}`);
    const d = DEFAULTS[s.kind];
    const at = s.at ?? d.at;
    if (!(at >= 0 && at < 1)) throw new BacktestError(`${where}: at must be in [0, 1), got ${s.at}`);
    const bars = s.bars ?? d.bars;
    if (!Number.isInteger(bars) || bars < 2) throw new BacktestError(`${where}: bars must be an integer of at least 2, got ${s.bars}`);
    const start = Math.min(times.length - 2, Math.floor(at * times.length));
    const end = Math.min(times.length - 1, start + bars - 1);
    const targeted = s.kind === 'pump-and-dump' || s.kind === 'insider-surge';
    const instrument = targeted ? (s.instrument ?? symbols.find((x) => x === 'TSLA') ?? symbols[0] ?? null) : (s.instrument ?? null);
    if (instrument !== null && !symbols.includes(instrument)) throw new BacktestError(`${where}: instrument ${instrument} is not in the run's universe`);
    const depth = s.depth ?? 0.15;
    if (!(depth > 0 && depth < 1)) throw new BacktestError(`${where}: depth must be in (0, 1), got ${s.depth}`);
    const persona = s.kind === 'persona-flip' ? (s.persona ?? 'contrarian') : null;
    const fromTs = times[start]!;
    const toTs = times[end]!;
    return { kind: s.kind, fromTs, toTs, instrument, persona, depth, description: describe(s.kind, instrument, depth, persona, end - start + 1) };
  });
}

function describe(kind: ScenarioKind, instrument: string | null, depth: number, persona: string | null, bars: number): string {
  switch (kind) {
    case 'pump-and-dump':
      return `a bot swarm talks ${instrument} up over ${bars} bars while its price is ramped +30%, then dumped to −5%`;
    case 'insider-surge':
      return `fake open-market purchases by unknown insiders of ${instrument} over ${bars} bars, with no price effect`;
    case 'flash-crash':
      return `${instrument ?? 'every instrument'} falls ${Math.round(depth * 100)}% within two bars and recovers over ${bars} bars`;
    case 'exchange-outage':
      return `the paper venue fails submits (half before acting, half after with the answer lost) and syncs for ${bars} bars`;
    case 'persona-flip':
      return `every vault flips to persona ${persona} for ${bars} bars, then back`;
  }
}

/** The price factor a scenario applies to `symbol`'s bar ending at `ts` (1 outside its window). */
function priceFactor(s: ResolvedScenario, symbol: string, ts: number): number {
  if (ts < s.fromTs || ts > s.toTs) return 1;
  const p = s.toTs === s.fromTs ? 1 : (ts - s.fromTs) / (s.toTs - s.fromTs);
  if (s.kind === 'pump-and-dump' && symbol === s.instrument) return p <= 0.6 ? 1 + 0.3 * (p / 0.6) : 1.3 - 0.35 * ((p - 0.6) / 0.4);
  if (s.kind === 'flash-crash' && (s.instrument === null || s.instrument === symbol)) {
    const span = s.toTs - s.fromTs;
    const fall = Math.min(1, (ts - s.fromTs) / Math.max(1, span / 6));
    const recovery = p <= 1 / 6 ? 0 : (p - 1 / 6) / (5 / 6);
    return 1 - s.depth * fall * (1 - recovery);
  }
  return 1;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export class ScenarioInjector {
  #seq = 0;
  constructor(readonly scenarios: readonly ResolvedScenario[]) {}

  /** The step's events with the scenarios' changes: bars re-priced, posts and filings added. */
  apply(ts: number, events: readonly SignalIngested[]): SignalIngested[] {
    if (this.scenarios.length === 0) return [...events];
    const out = events.map((e) => this.#reprice(e, ts));
    for (const s of this.scenarios) {
      if (ts < s.fromTs || ts > s.toTs || s.instrument === null) continue;
      const p = s.toTs === s.fromTs ? 1 : (ts - s.fromTs) / (s.toTs - s.fromTs);
      if (s.kind === 'pump-and-dump' && p <= 0.6) {
        for (let i = 0; i < 8; i++) out.push(this.#post(s.instrument, ts - 1 - i));
      }
      if (s.kind === 'insider-surge') out.push(this.#filing(s.instrument, ts - 1, this.#seq % 5));
    }
    return out;
  }

  #reprice(e: SignalIngested, ts: number): SignalIngested {
    if (e.payload.kind !== 'bar' || !e.payload.instrument) return e;
    const symbol = e.payload.instrument;
    let f = 1;
    for (const s of this.scenarios) f *= priceFactor(s, symbol, ts);
    if (f === 1) return e;
    const bar = e.payload.body as unknown as Bar;
    const body = { ...bar, open: round(bar.open * f, 4), high: round(bar.high * f, 4), low: round(bar.low * f, 4), close: round(bar.close * f, 4) };
    return Object.freeze({ ...e, payload: Object.freeze({ ...e.payload, body: Object.freeze(body) }) });
  }

  #event(payload: RawSignal, ts: number): SignalIngested {
    return Object.freeze({ id: eventId('sig', payload.source, payload.kind, payload.externalId, ts, 'scenario'), type: 'SignalIngested', tsEvent: ts, tsInit: ts + 1, causationIds: [], payload: Object.freeze(payload) });
  }

  #post(instrument: string, ts: number): SignalIngested {
    const n = ++this.#seq;
    const text = `$${instrument.split('-')[0]} is about to explode 🚀🚀 get in before it moons, not financial advice #${n % 7}`;
    return this.#event(
      { source: SOCIAL_SOURCE, kind: 'social_mention', instrument, externalId: `scn_post_${n}`, body: { platform: 'x', author: `moonbot${n % 97}_${(n * 7919) % 10007}`, followers: n % 30, accountAgeDays: n % 5, text, sentiment: 0.92 } },
      ts,
    );
  }

  #filing(instrument: string, ts: number, who: number): SignalIngested {
    const n = ++this.#seq;
    const price = 100;
    const shares = 5_000 + 1_000 * who;
    return this.#event(
      {
        source: INSIDER_SOURCE,
        kind: 'insider_filing',
        instrument,
        externalId: `9999${who}-scn-${String(n).padStart(6, '0')}`,
        body: { owner: `Unknown Insider ${who + 1}`, relationship: who === 0 ? 'Director' : 'Officer', transactionCode: 'P', shares, price, value: shares * price },
      },
      ts,
    );
  }

  /** True while an exchange outage is on. */
  outage(ts: number): boolean {
    return this.scenarios.some((s) => s.kind === 'exchange-outage' && ts >= s.fromTs && ts <= s.toTs);
  }

  /** The persona flips due at `ts`: to the scenario's persona at its start, back at its end. */
  flipsAt(ts: number): readonly { readonly persona: string | null; readonly start: boolean }[] {
    const out: { persona: string | null; start: boolean }[] = [];
    for (const s of this.scenarios) {
      if (s.kind !== 'persona-flip') continue;
      if (ts === s.fromTs) out.push({ persona: s.persona, start: true });
      if (ts === s.toTs) out.push({ persona: null, start: false });
    }
    return out;
  }
}

/**
 * The paper venue with an outage switch: while `down()` says so, submits fail (alternately before the venue
 * acts, and after it acted with the answer lost, the case that doubles orders when a client retries blindly),
 * and the venue-wide reads a sync makes fail. Looking one order up keeps working, as a venue's status endpoint
 * often does, so that an executor can find out what became of a lost submit.
 */
export class OutageBroker extends PaperBroker {
  #submits = 0;
  errors = 0;
  /** Orders the venue created, by client order id: more than one for an id would be a double. */
  readonly created = new Map<string, number>();

  constructor(
    options: PaperBrokerOptions,
    private readonly down: () => boolean,
    private readonly clock: Clock,
  ) {
    super(options);
  }

  #fail(what: string): never {
    this.errors++;
    throw new BrokerError('BROKER_UNAVAILABLE', `exchange outage at ${new Date(this.clock.now()).toISOString()}: ${what}`, this.venue);
  }

  override async submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    const known = await super.getOrder(request.clientOrderId);
    if (this.down()) {
      if (++this.#submits % 2 === 1) this.#fail(`submit ${request.clientOrderId} not received`);
      const order = await super.submit(request);
      if (!known) this.created.set(request.clientOrderId, (this.created.get(request.clientOrderId) ?? 0) + 1);
      this.errors++;
      throw new BrokerError('BROKER_TIMEOUT', `exchange outage: the answer to submit ${order.clientOrderId} was lost`, this.venue);
    }
    const order = await super.submit(request);
    if (!known) this.created.set(request.clientOrderId, (this.created.get(request.clientOrderId) ?? 0) + 1);
    return order;
  }

  override async cancel(clientOrderId: string): Promise<BrokerOrder> {
    if (this.down()) this.#fail(`cancel ${clientOrderId}`);
    return super.cancel(clientOrderId);
  }

  override async openOrders(): Promise<readonly BrokerOrder[]> {
    if (this.down()) this.#fail('open orders');
    return super.openOrders();
  }

  override async fills(since: number): Promise<readonly BrokerFill[]> {
    if (this.down()) this.#fail('fills');
    return super.fills(since);
  }

  override async positions(): Promise<readonly BrokerPosition[]> {
    if (this.down()) this.#fail('positions');
    return super.positions();
  }
}
