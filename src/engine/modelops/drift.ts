/**
 * Drift: how far the live distributions of the features and of the model outputs have moved from what the
 * models were trained on, evaluated on a schedule the caller drives (`evaluate(now)`), with alarms that cut a
 * model's weight or halt it.
 *
 * **Windows.** Live values are counted, on arrival, into the bins of their reference (histogram.ts), per key and
 * per slot of event time (`slotMs`). An evaluation at `now` reads the complete slots of the last `windowMs`
 * that end at or before `now`: a slot still filling, or values stamped after `now`, wait for a later
 * evaluation, so a report never rests on anything after its own time. Slots older than the window are dropped;
 * a value arriving for a dropped slot is counted as `late` and ignored.
 *
 * **Full windows only.** Until the window has turned over once since the first live value, every key is
 * `insufficient`: a window that began before the stream did holds only its first hours, which on a pipeline
 * starting cold are features still filling in (a day's volatility from a few bars), not what a full window of
 * training data looks like.
 *
 * **Levels.** Per key, with at least `minSamples` live values (else `insufficient`): `alarm` when PSI or KL
 * reaches its alarm threshold or the mass shift does, `warn` likewise for the warn thresholds, else `ok`.
 *
 * **Mass shift.** What "a shift above 5%" means here: the live distribution has moved at least 5% of its mass,
 * total variation TV ≥ 0.05 measured on the reference's bins. PSI is the industry's severity scale, but it
 * cannot be the detector of such a shift: for a given TV it can be as small as about 4·TV² (Pinsker), 0.01 for
 * TV = 0.05 when the mass moves between well-filled bins, far below the 0.2 alarm. So a third criterion reads TV
 * directly: it fires when TV reaches `shift.alarm` and tests of homogeneity say the difference is not sampling
 * noise (p ≤ `shift.pValue`, see `homogeneity` in histogram.ts). The alarm threshold sits below 0.05 because
 * an estimate of TV = 0.05 from a few thousand values falls short of it about half the time, and a sliding
 * window mixes pre- and post-shift values until it has turned over; the significance floor keeps sampling
 * noise (an expected TV of about 0.02 at a few thousand values, more at the minimum sample) from reaching it.
 * The window (6 h) is short enough to turn over well within a day and long enough to hold the thousands of
 * values the test needs: `drift.detection.test.ts` and `drift.false-alarm.test.ts` measure both sides.
 *
 * **Calibrated keys.** Those thresholds suit independent values. Pipeline features are not (reference.ts): a
 * key whose reference carries its null divergence (the largest PSI, KL and TV of the training data's own windows
 * of this window and slot against the reference) alarms only beyond `calibration.margin` times it, and warns
 * beyond it: each threshold is the larger of the configured one and the calibrated one. The report gives every
 * key's thresholds as applied (`alarmAt`). A reference calibrated for another window or slot is not used for this.
 *
 * **Alarms.** A model is in alarm while any of its keys (the features it reads, its outputs) is; the alarm is
 * raised once (`DriftAlarmRaised`) and cleared (`DriftAlarmCleared`) only when every one of its keys is back
 * to `ok`, a hysteresis that keeps a key hovering at the threshold from flapping. While raised, the model's
 * action applies: `cut_weight` multiplies its stacker weight, `halt` stops it scoring.
 */
import { ModelOpsError } from './errors.js';
import { type DriftAction, type DriftAlarmCleared, type DriftAlarmRaised, type DriftEvent, type DriftKeyAlarm, modelOpsEvent } from './events.js';
import { binCount, binIndex, binInfo, type Divergence, divergence, type ReferenceHistogram } from './histogram.js';
import type { FeatureSnapshot, ModelOutput } from '../types.js';

export interface Thresholds {
  readonly warn: number | null;
  readonly alarm: number | null;
}

export interface DriftConfig {
  readonly psi: Thresholds;
  /** Off by default: PSI already contains it; set it to alarm on the one-sided divergence. */
  readonly kl: Thresholds;
  /** Total variation thresholds, each also requiring the homogeneity p-value at or below `pValue`. */
  readonly shift: Thresholds & { readonly pValue: number };
  readonly minSamples: number;
  readonly windowMs: number;
  readonly slotMs: number;
  /** A calibrated key alarms beyond `margin` times its null divergence (at least 1). */
  readonly calibration: { readonly margin: number };
  /** The action of a model that names none. */
  readonly action: DriftAction;
}

const HOUR = 3_600_000;

export const DEFAULT_DRIFT: DriftConfig = Object.freeze<DriftConfig>({
  psi: { warn: 0.1, alarm: 0.2 },
  kl: { warn: null, alarm: null },
  shift: { warn: 0.025, alarm: 0.035, pValue: 1e-5 },
  minSamples: 500,
  windowMs: 6 * HOUR,
  slotMs: HOUR / 4,
  calibration: { margin: 1.5 },
  action: { kind: 'cut_weight', multiplier: 0.5 },
});

/** How far the training data's own windows stray from their reference: the largest of each divergence. */
export interface NullDivergence {
  readonly windowMs: number;
  readonly slotMs: number;
  /** Windows measured. */
  readonly windows: number;
  readonly psi: number;
  readonly kl: number;
  readonly tv: number;
}

export interface DriftKey {
  readonly key: string;
  readonly kind: 'feature' | 'output';
  readonly reference: ReferenceHistogram;
  readonly calibration?: NullDivergence;
}

/** The key's null divergence when it was measured on windows of this length and slot, else null. */
export function calibrationFor(key: DriftKey, at: { readonly windowMs: number; readonly slotMs: number }): NullDivergence | null {
  const cal = key.calibration;
  return cal && cal.windowMs === at.windowMs && cal.slotMs === at.slotMs ? cal : null;
}

/** A model version under watch, and the keys whose drift counts against it. */
export interface MonitoredModel {
  readonly model: string;
  readonly version: string;
  readonly keys: readonly string[];
  readonly action?: DriftAction;
}

export type DriftLevel = 'ok' | 'warn' | 'alarm' | 'insufficient';

export interface DriftBinStat {
  readonly label: string;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Unsmoothed share of the reference sample in this bin. */
  readonly reference: number;
  readonly live: number;
  readonly liveCount: number;
}

/** One feature's or model output's divergence from its training reference, and the level it reaches. */
export interface DriftStat extends Divergence {
  readonly key: string;
  readonly kind: 'feature' | 'output';
  readonly n: number;
  readonly referenceN: number;
  readonly level: DriftLevel;
  /** The criteria at the level reported (`psi`, `kl`, `shift`). */
  readonly criteria: readonly string[];
  /** Whether the key's null divergence set its thresholds. */
  readonly calibrated: boolean;
  /** The alarm thresholds applied to this key (null: that criterion is off). */
  readonly alarmAt: { readonly psi: number | null; readonly kl: number | null; readonly tv: number | null };
  readonly bins: readonly DriftBinStat[];
}

export interface ModelDriftStatus {
  readonly model: string;
  readonly version: string;
  readonly level: DriftLevel;
  readonly alarmed: boolean;
  /** The event that raised the standing alarm. */
  readonly raisedBy: string | null;
  readonly action: DriftAction;
  /** What the model's stacker weight is multiplied by now: 1 without an alarm, 0 when halted. */
  readonly weightMultiplier: number;
  readonly scoring: boolean;
}

export interface DriftReport {
  readonly asOf: number;
  /** The window read: [windowStart, windowEnd), whole slots, windowEnd ≤ asOf. */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly keys: readonly DriftStat[];
  readonly models: readonly ModelDriftStatus[];
  /** The alarms raised and cleared by this evaluation, for the caller to publish. */
  readonly events: readonly DriftEvent[];
  /** Values that arrived for slots already dropped, since the monitor was built. */
  readonly late: number;
}

/** The key a model output is watched under: `modelId@version`, with the series for z-score outputs. */
export function outputKey(output: ModelOutput): string {
  const id = output.modelId.startsWith('ZScore(') ? `${output.modelId}:${output.series}` : output.modelId;
  return `${id}@${output.modelVersion}`;
}

/** The value of a model output that is watched: its signed evidence when it has one, else its score. */
export function outputValue(output: ModelOutput): number {
  return output.signal ?? output.score;
}

function checkConfig(c: DriftConfig): void {
  const bad = (why: string) => new ModelOpsError('DRIFT_CONFIG_INVALID', why);
  for (const [name, t] of [['psi', c.psi], ['kl', c.kl], ['shift', c.shift]] as const) {
    for (const v of [t.warn, t.alarm]) if (v !== null && !(v > 0 && Number.isFinite(v))) throw bad(`${name} thresholds must be positive or null`);
    if (t.warn !== null && t.alarm !== null && t.warn > t.alarm) throw bad(`${name}.warn must not exceed ${name}.alarm`);
  }
  if (!(c.shift.pValue > 0 && c.shift.pValue < 1)) throw bad('shift.pValue must be in (0, 1)');
  if (!(c.calibration.margin >= 1 && Number.isFinite(c.calibration.margin))) throw bad('calibration.margin must be at least 1');
  if (!(Number.isSafeInteger(c.minSamples) && c.minSamples >= 1)) throw bad('minSamples must be a positive integer');
  if (!(Number.isSafeInteger(c.slotMs) && c.slotMs > 0)) throw bad('slotMs must be a positive integer');
  if (!(Number.isSafeInteger(c.windowMs) && c.windowMs >= c.slotMs && c.windowMs % c.slotMs === 0)) throw bad('windowMs must be a whole number of slots');
  checkAction(c.action);
}

function checkAction(a: DriftAction): void {
  if (a.kind === 'halt') return;
  if (a.kind !== 'cut_weight' || !(a.multiplier >= 0 && a.multiplier < 1)) {
    throw new ModelOpsError('DRIFT_CONFIG_INVALID', 'an action is halt, or cut_weight with a multiplier in [0, 1)');
  }
}

interface ModelState {
  readonly spec: MonitoredModel;
  readonly action: DriftAction;
  raisedBy: string | null;
  level: DriftLevel;
}

export class DriftMonitor {
  readonly config: DriftConfig;
  readonly #keys = new Map<string, DriftKey>();
  /** Per key, counts per slot index. */
  readonly #slots = new Map<string, Map<number, number[]>>();
  readonly #models = new Map<string, ModelState>();
  /** Slots below this index have been dropped. */
  #floor = Number.NEGATIVE_INFINITY;
  /** The slot of the first live value observed (any key); null before any. */
  #firstSlot: number | null = null;
  #lastEvaluated = Number.NEGATIVE_INFINITY;
  #late = 0;

  constructor(keys: readonly DriftKey[], models: readonly MonitoredModel[], config: Partial<DriftConfig> = {}) {
    this.config = Object.freeze({ ...DEFAULT_DRIFT, ...config });
    checkConfig(this.config);
    for (const k of keys) {
      if (this.#keys.has(k.key)) throw new ModelOpsError('DRIFT_CONFIG_INVALID', `key ${k.key} is watched twice`);
      this.#keys.set(k.key, k);
      this.#slots.set(k.key, new Map());
    }
    for (const m of models) {
      const id = `${m.model}@${m.version}`;
      for (const key of m.keys) if (!this.#keys.has(key)) throw new ModelOpsError('DRIFT_CONFIG_INVALID', `${id} names key ${key}, which has no reference`);
      if (this.#models.has(id)) throw new ModelOpsError('DRIFT_CONFIG_INVALID', `${id} is watched twice`);
      const action = m.action ?? this.config.action;
      checkAction(action);
      this.#models.set(id, { spec: m, action, raisedBy: null, level: 'insufficient' });
    }
  }

  /** Counts one live value of `key` at event time `ts`; false when the key is not watched or the value is late. */
  observe(key: string, value: number | null, ts: number): boolean {
    const slots = this.#slots.get(key);
    if (!slots) return false;
    const slot = Math.floor(ts / this.config.slotMs);
    if (slot < this.#floor) {
      this.#late++;
      return false;
    }
    if (this.#firstSlot === null || slot < this.#firstSlot) this.#firstSlot = slot;
    const reference = this.#keys.get(key)!.reference;
    let counts = slots.get(slot);
    if (!counts) slots.set(slot, (counts = new Array<number>(binCount(reference)).fill(0)));
    counts[binIndex(reference, value)]!++;
    return true;
  }

  /** Counts every watched feature of a snapshot at its `asOf`. */
  observeSnapshot(snapshot: FeatureSnapshot): void {
    for (const [name, value] of Object.entries(snapshot.values)) this.observe(name, value, snapshot.asOf);
  }

  /** Counts a model output at the event time of its `ModelScored` event. */
  observeOutput(output: ModelOutput, tsEvent: number): void {
    this.observe(outputKey(output), outputValue(output), tsEvent);
  }

  /**
   * Takes back an alarm that stood when the process stopped (the latest stored report said so): it stands, and
   * acts, until an evaluation finds every key of the model back to `ok`. False for a model not watched here.
   */
  restoreAlarm(model: string, version: string, raisedBy: string): boolean {
    const state = this.#models.get(`${model}@${version}`);
    if (!state) return false;
    state.raisedBy = raisedBy;
    state.level = 'alarm';
    return true;
  }

  status(model: string, version: string): ModelDriftStatus | null {
    const state = this.#models.get(`${model}@${version}`);
    return state ? statusOf(state) : null;
  }

  evaluate(now: number, options: { readonly tsInit?: number } = {}): DriftReport {
    if (now < this.#lastEvaluated) throw new ModelOpsError('DRIFT_TIME_INVALID', `evaluation at ${now} after one at ${this.#lastEvaluated}`);
    this.#lastEvaluated = now;
    const { slotMs, windowMs } = this.config;
    const endSlot = Math.floor(now / slotMs); // exclusive: the slot holding `now` is still filling
    const startSlot = endSlot - windowMs / slotMs;
    this.#floor = Math.max(this.#floor, startSlot);
    const stats = new Map<string, DriftStat>();
    const full = this.#firstSlot !== null && startSlot >= this.#firstSlot;
    for (const [key, spec] of this.#keys) {
      const slots = this.#slots.get(key)!;
      const live = new Array<number>(binCount(spec.reference)).fill(0);
      for (const [slot, counts] of slots) {
        if (slot < startSlot) slots.delete(slot);
        else if (slot < endSlot) counts.forEach((c, i) => (live[i]! += c));
      }
      stats.set(key, this.#stat(spec, live, full));
    }
    const events: DriftEvent[] = [];
    const tsInit = options.tsInit ?? now;
    const windowStart = startSlot * slotMs;
    const windowEnd = endSlot * slotMs;
    for (const state of this.#models.values()) {
      const keyStats = state.spec.keys.map((k) => stats.get(k)!);
      state.level = worst(keyStats.map((s) => s.level));
      const { model, version } = state.spec;
      if (state.raisedBy === null && state.level === 'alarm') {
        const alarms: DriftKeyAlarm[] = keyStats
          .filter((s) => s.level === 'alarm')
          .map((s) => ({ key: s.key, kind: s.kind, psi: s.psi, kl: s.kl, tv: s.tv, n: s.n, criteria: s.criteria }));
        const event = modelOpsEvent<DriftAlarmRaised>('DriftAlarmRaised', [model, version, windowEnd], now, tsInit, {
          model, version, action: state.action, alarms, windowStart, windowEnd,
        });
        state.raisedBy = event.id;
        events.push(event);
      } else if (state.raisedBy !== null && keyStats.length > 0 && keyStats.every((s) => s.level === 'ok')) {
        const raisedBy = state.raisedBy;
        events.push(
          modelOpsEvent<DriftAlarmCleared>('DriftAlarmCleared', [model, version, windowEnd, raisedBy], now, tsInit, { model, version, raisedBy, windowStart, windowEnd }, [raisedBy]),
        );
        state.raisedBy = null;
      }
    }
    return {
      asOf: now,
      windowStart,
      windowEnd,
      keys: [...stats.values()],
      models: [...this.#models.values()].map(statusOf),
      events,
      late: this.#late,
    };
  }

  #stat(spec: DriftKey, live: readonly number[], full: boolean): DriftStat {
    const ref = spec.reference;
    const n = live.reduce((a, b) => a + b, 0);
    const d = divergence(ref, live);
    const c = this.config;
    const cal = calibrationFor(spec, c);
    // A configured threshold, raised to the key's null divergence (warn) or the margin over it (alarm).
    const at = (t: number | null, nul: number | undefined, which: 'warn' | 'alarm') =>
      t === null || nul === undefined ? t : Math.max(t, which === 'alarm' ? c.calibration.margin * nul : nul);
    const thresholds = (which: 'warn' | 'alarm') => ({
      psi: at(c.psi[which], cal?.psi, which),
      kl: at(c.kl[which], cal?.kl, which),
      tv: at(c.shift[which], cal?.tv, which),
    });
    const met = (which: 'warn' | 'alarm') => {
      const t = thresholds(which);
      return [
        t.psi !== null && d.psi >= t.psi && 'psi',
        t.kl !== null && d.kl >= t.kl && 'kl',
        t.tv !== null && d.tv >= t.tv && d.pValue <= c.shift.pValue && 'shift',
      ].filter((x): x is string => typeof x === 'string');
    };
    let level: DriftLevel = 'ok';
    let criteria: string[] = [];
    if (n < c.minSamples || !full) level = 'insufficient';
    else if ((criteria = met('alarm')).length > 0) level = 'alarm';
    else if ((criteria = met('warn')).length > 0) level = 'warn';
    const bins = binInfo(ref).map((b, i) => ({
      ...b,
      reference: ref.counts[i]! / ref.n,
      live: n > 0 ? live[i]! / n : 0,
      liveCount: live[i]!,
    }));
    return { key: spec.key, kind: spec.kind, ...d, n, referenceN: ref.n, level, criteria, calibrated: cal !== null, alarmAt: thresholds('alarm'), bins };
  }
}

const RANK: Record<DriftLevel, number> = { insufficient: 0, ok: 1, warn: 2, alarm: 3 };

function worst(levels: readonly DriftLevel[]): DriftLevel {
  return levels.reduce<DriftLevel>((w, l) => (RANK[l] > RANK[w] ? l : w), 'insufficient');
}

function statusOf(state: ModelState): ModelDriftStatus {
  const alarmed = state.raisedBy !== null;
  const a = state.action;
  return {
    model: state.spec.model,
    version: state.spec.version,
    level: state.level,
    alarmed,
    raisedBy: state.raisedBy,
    action: a,
    weightMultiplier: !alarmed ? 1 : a.kind === 'halt' ? 0 : a.multiplier,
    scoring: !(alarmed && a.kind === 'halt'),
  };
}
