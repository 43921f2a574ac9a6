/**
 * Settings of the enrichment stage, as a strict zod schema: the composition root can nest it in the
 * process config (unknown keys and bad values are refused and named), and tests can override one value.
 */
import { z } from 'zod';

const ms = () => z.number().int().min(0);
const unit = () => z.number().min(0).max(1);

const NearDuplicateSchema = z
  .object({
    /** Largest Jaccard distance between word shingles still called a near-duplicate (0.5: half the shingles shared). */
    maxDistance: unit().default(0.5),
    /** How far apart in event time two texts may be and still match. */
    windowMs: ms().default(3_600_000),
    /** Hard cap on texts remembered, whatever the rate; the oldest go first. */
    maxEntries: z.number().int().min(1).default(100_000),
    /**
     * LSH banding: `bands` × `rowsPerBand` min-hashes per text. Two texts become candidates when all rows of
     * one band agree, with probability 1 − (1 − J^rows)^bands for Jaccard similarity J: with 16 × 2 that is
     * 0.99 at J = 0.5 and 0.9992 at J = 0.6, while unrelated texts (J ≈ 0.1) collide only 15% of the time.
     */
    bands: z.number().int().min(1).max(64).default(16),
    rowsPerBand: z.number().int().min(1).max(8).default(2),
    /** Words read from a text; the rest is ignored (keeps the cost of a long article bounded). */
    maxTokens: z.number().int().min(1).max(4096).default(256),
    /**
     * Weight given to a near-duplicate. 1 (flag only): retail chatter repeats stock phrases and syndicated
     * news repeats headlines; the swarm detector decides when repetition is manufactured.
     */
    weight: unit().default(1),
  })
  .strict();

const SwarmSchema = z
  .object({
    /** A burst is the posts of one near-duplicate cluster about one instrument within this span of event time. */
    windowMs: ms().default(300_000),
    /** Distinct accounts at which the burst factor reaches 1 (it is 0 for a single account). */
    fullSwarmAccounts: z.number().int().min(2).default(6),
    /** Score from which a post is flagged `bot_swarm` and down-weighted. */
    flagScore: unit().default(0.5),
    /** Score from which the evidence is attached even when not flagged, to explain near misses. */
    reportScore: unit().default(0.25),
    /** Weight of a post with score 1; weight falls linearly from 1 at score 0 to this. */
    minWeight: unit().default(0.05),
    /** Accounts at most this old are young; suspicion fades to 0 at twice the age. */
    youngAccountDays: z.number().min(0).default(30),
    /** Accounts with at most this many followers (or karma) have little reach; fades to 0 at twice as many. */
    lowFollowers: z.number().min(0).default(100),
    lowKarma: z.number().min(0).default(100),
    /** Accounts named in the evidence. */
    maxSampleAccounts: z.number().int().min(0).max(100).default(10),
  })
  .strict();

const TimeSchema = z
  .object({
    /** How far behind the newest event time of its stream a signal may be and still count as on time. */
    allowedLatenessMs: ms().default(300_000),
    /** Per source, overriding `allowedLatenessMs` (a feed known to deliver in batches). */
    latenessBySource: z.record(z.string(), ms()).default({}),
    /** How far in the future (tsEvent after tsInit) a source's clock may run before the signal is flagged. */
    clockSkewToleranceMs: ms().default(60_000),
  })
  .strict();

export const EnrichmentConfigSchema = z
  .object({
    nearDuplicate: NearDuplicateSchema.prefault({}),
    swarm: SwarmSchema.prefault({}),
    time: TimeSchema.prefault({}),
  })
  .strict()
  .refine((c) => c.swarm.reportScore <= c.swarm.flagScore, {
    message: 'must not exceed swarm.flagScore',
    path: ['swarm', 'reportScore'],
  });

export type EnrichmentConfig = Readonly<z.infer<typeof EnrichmentConfigSchema>>;
export type EnrichmentConfigInput = z.input<typeof EnrichmentConfigSchema>;

export class EnrichmentConfigError extends Error {
  readonly code = 'ENRICHMENT_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EnrichmentConfigError';
  }
}

/** Validates `input` (defaults fill what is missing) and freezes the result. */
export function resolveEnrichmentConfig(input: EnrichmentConfigInput = {}): EnrichmentConfig {
  const parsed = EnrichmentConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new EnrichmentConfigError(`enrichment config: ${key}: ${issue?.message ?? 'invalid'}`);
  }
  return freezeEnrichmentConfig(parsed.data);
}

/** Freezes a parsed config, nested objects included. */
export function freezeEnrichmentConfig(c: z.infer<typeof EnrichmentConfigSchema>): EnrichmentConfig {
  return Object.freeze({
    nearDuplicate: Object.freeze(c.nearDuplicate),
    swarm: Object.freeze(c.swarm),
    time: Object.freeze({ ...c.time, latenessBySource: Object.freeze({ ...c.time.latenessBySource }) }),
  });
}

export const DEFAULT_ENRICHMENT_CONFIG: EnrichmentConfig = resolveEnrichmentConfig();
