/**
 * Feature definitions, in code: what each feature measures, over which window of event time, how long a
 * value stays usable (TTL), and a version. A definition is data, not a function, so that it can be hashed:
 * a `FeatureSet` derives its version from its definitions, and models record that version with what they
 * were trained on, so scoring can refuse features computed differently.
 *
 * How a value is computed (see compute.ts): each signal of one of the feature's `kinds` about an instrument
 * adds an entry to the feature's window (its `measure`, weighted by `weighting`); the window keeps the
 * entries of the last `windowMs` of event time; the `reducer` turns them into the value.
 */
import { canonicalJson, sha256Hex } from '../canonical.js';
import { SIGNAL_KINDS, type SignalKind } from '../types.js';
import { FeatureError } from './errors.js';

export const ENTITY_TYPES = ['instrument'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const MEASURES = [
  /** 1: the signal counts. */
  'one',
  /** The direction hint the signal carries: a post's or an article's sentiment. */
  'polarity',
  /** 1 when enrichment flagged the signal as part of a bot swarm, else 0. */
  'bot_swarm',
  /** The magnitude with the sign of the polarity: an insider purchase +value, a sale −value; coins leaving an exchange +USD, arriving −USD. */
  'signed_magnitude',
  /** A bar's close. */
  'close',
  /** A bar's log return, ln(close / open). */
  'log_return',
  /** A bar's volume. */
  'volume',
] as const;
export type Measure = (typeof MEASURES)[number];

/** `one`: every signal counts alike; `signal`: each counts for its enrichment weight (suspect signals less). */
export const WEIGHTINGS = ['one', 'signal'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export const REDUCERS = [
  /** Σ weight·value; 0 for an empty window. */
  'sum',
  /** Σ weight·value / Σ weight; undefined when the window holds no weight. */
  'mean',
  /** Sample standard deviation of the values; undefined below `minCount` entries. */
  'std',
  /** Latest value / the latest value at or before the window's start − 1 (a simple return); undefined without both. */
  'change',
  /** The latest value against the mean and standard deviation of the window's other entries. */
  'zscore_latest',
] as const;
export type Reducer = (typeof REDUCERS)[number];

export interface FeatureDefinition {
  /** Lower-case letters, digits and `_`, starting with a letter. */
  readonly name: string;
  readonly entity: EntityType;
  readonly description: string;
  /** Bumped by hand when the code computing the feature changes its results. */
  readonly version: number;
  /** Length of the window, in event-time milliseconds. */
  readonly windowMs: number;
  /** How long a value stays usable after its event time; older values are reported missing. */
  readonly ttlMs: number;
  /** The kinds of signal that add to the window. */
  readonly kinds: readonly SignalKind[];
  readonly measure: Measure;
  readonly weighting: Weighting;
  readonly reducer: Reducer;
  /**
   * Entries the window needs before the value is defined; default 1 (2 for `std`, 10 for `zscore_latest`).
   * A `sum` is always defined: 0 for an empty window.
   */
  readonly minCount?: number;
}

/** A definition as a feature set holds it: defaults filled in, with the version id its values are stored under. */
export interface Feature extends FeatureDefinition {
  readonly minCount: number;
  /** `v<version>-<hash of what the values depend on>`: the `version` column of stored values. */
  readonly versionId: string;
}

/** What the offline store needs to know of a feature to look its values up. */
export interface FeatureRef {
  readonly name: string;
  readonly versionId: string;
  readonly ttlMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The instrument features the pipeline computes. */
export const INSTRUMENT_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'mentions_1h',
    entity: 'instrument',
    description: 'Social posts about the instrument in the last hour.',
    version: 1,
    windowMs: HOUR,
    ttlMs: HOUR,
    kinds: ['social_mention'],
    measure: 'one',
    weighting: 'one',
    reducer: 'sum',
  },
  {
    name: 'mentions_weighted_1h',
    entity: 'instrument',
    description: 'Social posts in the last hour, each counting for its enrichment weight: near-duplicates and bot-swarm posts count less.',
    version: 1,
    windowMs: HOUR,
    ttlMs: HOUR,
    kinds: ['social_mention'],
    measure: 'one',
    weighting: 'signal',
    reducer: 'sum',
  },
  {
    name: 'sentiment_mean_1h',
    entity: 'instrument',
    description: 'Mean sentiment (-1..1) of the last hour of posts, each weighted by its enrichment weight.',
    version: 1,
    windowMs: HOUR,
    ttlMs: HOUR,
    kinds: ['social_mention'],
    measure: 'polarity',
    weighting: 'signal',
    reducer: 'mean',
  },
  {
    name: 'bot_swarm_share_1h',
    entity: 'instrument',
    description: 'Share (0..1) of the last hour of posts that enrichment flagged as part of a bot swarm.',
    version: 1,
    windowMs: HOUR,
    ttlMs: HOUR,
    kinds: ['social_mention'],
    measure: 'bot_swarm',
    weighting: 'one',
    reducer: 'mean',
  },
  {
    name: 'news_6h',
    entity: 'instrument',
    description: 'News items about the instrument in the last six hours.',
    version: 1,
    windowMs: 6 * HOUR,
    ttlMs: 6 * HOUR,
    kinds: ['news'],
    measure: 'one',
    weighting: 'one',
    reducer: 'sum',
  },
  {
    name: 'insider_net_buy_30d',
    entity: 'instrument',
    description: 'USD value of open-market insider purchases minus sales over the last 30 days.',
    version: 1,
    windowMs: 30 * DAY,
    ttlMs: 7 * DAY,
    kinds: ['insider_filing'],
    measure: 'signed_magnitude',
    weighting: 'one',
    reducer: 'sum',
  },
  {
    name: 'whale_net_flow_24h',
    entity: 'instrument',
    description: 'USD of whale transfers over the last 24 hours: off exchanges (+) minus onto exchanges (−).',
    version: 1,
    windowMs: DAY,
    ttlMs: DAY,
    kinds: ['whale_transfer'],
    measure: 'signed_magnitude',
    weighting: 'one',
    reducer: 'sum',
  },
  {
    name: 'return_1h',
    entity: 'instrument',
    description: 'Simple return from the close an hour ago to the latest close.',
    version: 1,
    windowMs: HOUR,
    ttlMs: HOUR,
    kinds: ['bar'],
    measure: 'close',
    weighting: 'one',
    reducer: 'change',
  },
  {
    name: 'return_1d',
    entity: 'instrument',
    description: 'Simple return from the close a day ago to the latest close.',
    version: 1,
    windowMs: DAY,
    ttlMs: DAY,
    kinds: ['bar'],
    measure: 'close',
    weighting: 'one',
    reducer: 'change',
  },
  {
    name: 'volatility_1d',
    entity: 'instrument',
    description: 'Standard deviation of the bar log returns, ln(close/open), of the last day (not annualized).',
    version: 1,
    windowMs: DAY,
    ttlMs: DAY,
    kinds: ['bar'],
    measure: 'log_return',
    weighting: 'one',
    reducer: 'std',
    minCount: 5,
  },
  {
    name: 'volume_zscore_1d',
    entity: 'instrument',
    description: 'Volume of the latest bar against the other bars of the last day, in standard deviations.',
    version: 1,
    windowMs: DAY,
    ttlMs: HOUR,
    kinds: ['bar'],
    measure: 'volume',
    weighting: 'one',
    reducer: 'zscore_latest',
    minCount: 10,
  },
];

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

const DEFAULT_MIN_COUNT: Record<Reducer, number> = { sum: 1, mean: 1, std: 2, change: 1, zscore_latest: 10 };
const LEAST_MIN_COUNT: Record<Reducer, number> = { sum: 1, mean: 1, std: 2, change: 1, zscore_latest: 3 };

function invalid(name: string, why: string): FeatureError {
  return new FeatureError('FEATURE_DEFINITION_INVALID', `feature ${JSON.stringify(name)}: ${why}`);
}

const isPositiveInt = (n: number) => Number.isSafeInteger(n) && n > 0;

/** Checks a definition and fills in its defaults and version id. */
export function resolveFeature(def: FeatureDefinition): Feature {
  if (!NAME.test(def.name)) throw invalid(def.name, 'name must be lower-case letters, digits and _, starting with a letter');
  if (!(ENTITY_TYPES as readonly string[]).includes(def.entity)) throw invalid(def.name, `unknown entity type ${def.entity}`);
  if (!isPositiveInt(def.version)) throw invalid(def.name, 'version must be a positive integer');
  if (!isPositiveInt(def.windowMs)) throw invalid(def.name, 'windowMs must be a positive integer');
  if (!isPositiveInt(def.ttlMs)) throw invalid(def.name, 'ttlMs must be a positive integer');
  if (def.kinds.length === 0) throw invalid(def.name, 'kinds must name at least one kind of signal');
  for (const kind of def.kinds) {
    if (!(SIGNAL_KINDS as readonly string[]).includes(kind)) throw invalid(def.name, `unknown signal kind ${kind}`);
  }
  if (!(MEASURES as readonly string[]).includes(def.measure)) throw invalid(def.name, `unknown measure ${def.measure}`);
  if (!(WEIGHTINGS as readonly string[]).includes(def.weighting)) throw invalid(def.name, `unknown weighting ${def.weighting}`);
  if (!(REDUCERS as readonly string[]).includes(def.reducer)) throw invalid(def.name, `unknown reducer ${def.reducer}`);
  const minCount = def.minCount ?? DEFAULT_MIN_COUNT[def.reducer];
  if (!isPositiveInt(minCount) || minCount < LEAST_MIN_COUNT[def.reducer]) {
    throw invalid(def.name, `minCount must be an integer >= ${LEAST_MIN_COUNT[def.reducer]} for ${def.reducer}`);
  }
  // What the values depend on. Neither the description nor the TTL does: rewording one or changing the
  // other keeps the stored history (the TTL still changes the feature set's version).
  const { name, entity, version, windowMs, measure, weighting, reducer } = def;
  const kinds = [...def.kinds].sort();
  const computed = { name, entity, version, windowMs, kinds, measure, weighting, reducer, minCount };
  const versionId = `v${version}-${sha256Hex(canonicalJson(computed)).slice(0, 10)}`;
  return Object.freeze({ ...computed, description: def.description, ttlMs: def.ttlMs, kinds: Object.freeze(kinds), versionId });
}

/** A group of features computed and stored together; its `version` changes whenever one of them does. */
export class FeatureSet {
  /** `fs-` and a hash of the features' names, version ids and TTLs. */
  readonly version: string;
  readonly features: readonly Feature[];
  readonly #byName: ReadonlyMap<string, Feature>;

  constructor(definitions: readonly FeatureDefinition[]) {
    const byName = new Map<string, Feature>();
    for (const def of definitions) {
      if (byName.has(def.name)) throw invalid(def.name, 'defined twice in one feature set');
      byName.set(def.name, resolveFeature(def));
    }
    this.#byName = byName;
    this.features = Object.freeze([...byName.values()]);
    const identity = [...byName.keys()].sort().map((name) => {
      const { versionId, ttlMs } = byName.get(name)!;
      return [name, versionId, ttlMs];
    });
    this.version = `fs-${sha256Hex(canonicalJson(identity)).slice(0, 16)}`;
  }

  get names(): readonly string[] {
    return this.features.map((f) => f.name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  get(name: string): Feature {
    const feature = this.#byName.get(name);
    if (!feature) throw new FeatureError('FEATURE_UNKNOWN', `no feature ${JSON.stringify(name)} in feature set ${this.version}`);
    return feature;
  }

  /** The subset a model uses, in the order given (its version is that of the subset). */
  select(names: readonly string[]): FeatureSet {
    return new FeatureSet(names.map((name) => this.get(name)));
  }

  refs(): readonly FeatureRef[] {
    return this.features.map(({ name, versionId, ttlMs }) => ({ name, versionId, ttlMs }));
  }
}

/** The pipeline's instrument feature set. */
export function instrumentFeatureSet(): FeatureSet {
  return new FeatureSet(INSTRUMENT_FEATURES);
}
