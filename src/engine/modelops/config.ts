/**
 * The `modelops` section of the config: the registry's start-up, shadow versions, the drift schedule and its
 * action, and the promotion schedule. Validated with the rest of the config (src/config.ts): an unknown key or
 * a value out of range stops the start with the key's path.
 */
import { z } from 'zod';
import { DEFAULT_DRIFT } from './drift.js';
import { DEFAULT_REINFORCEMENT } from '../conviction/reinforcement.js';
import { DEFAULT_PROMOTION } from './promotion.js';

const Threshold = z.number().positive().nullable();
const ms = (min: number, fallback: number) => z.number().int().min(min).default(fallback);

const DriftSchema = z
  .object({
    /** Off: nothing is watched, no weight is ever cut. */
    enabled: z.boolean().default(true),
    /** Wall-clock milliseconds between two evaluations. */
    intervalMs: ms(100, 15_000),
    /** The trailing event-time window compared with the reference, a whole number of slots. */
    windowMs: ms(1000, DEFAULT_DRIFT.windowMs),
    slotMs: ms(1000, DEFAULT_DRIFT.slotMs),
    minSamples: ms(1, DEFAULT_DRIFT.minSamples),
    psi: z.object({ warn: Threshold.default(DEFAULT_DRIFT.psi.warn), alarm: Threshold.default(DEFAULT_DRIFT.psi.alarm) }).strict().prefault({}),
    kl: z.object({ warn: Threshold.default(DEFAULT_DRIFT.kl.warn), alarm: Threshold.default(DEFAULT_DRIFT.kl.alarm) }).strict().prefault({}),
    shift: z
      .object({
        warn: Threshold.default(DEFAULT_DRIFT.shift.warn),
        alarm: Threshold.default(DEFAULT_DRIFT.shift.alarm),
        pValue: z.number().gt(0).lt(1).default(DEFAULT_DRIFT.shift.pValue),
      })
      .strict()
      .prefault({}),
    /** A key calibrated on its training windows alarms beyond this multiple of their largest divergence (drift.ts). */
    calibrationMargin: z.number().min(1).default(DEFAULT_DRIFT.calibration.margin),
    /** What an alarm does while it stands: `cut_weight` multiplies the model's stacker weight by `cutMultiplier`; `halt` stops it scoring. */
    action: z.enum(['cut_weight', 'halt']).default('cut_weight'),
    cutMultiplier: z.number().min(0).lt(1).default(0.5),
    /** On an alarm against a live version, also move it to shadow (an audited demotion caused by the alarm). */
    demoteOnAlarm: z.boolean().default(false),
    /** How a version's training reference is rebuilt when the registry has none (see modelops/reference.ts). */
    reference: z
      .object({
        hours: z.number().positive().max(24 * 14).default(24),
        /** The training seeds replayed; default every seed the bundle was trained on. */
        seeds: z.array(z.number().int()).min(1).optional(),
        skipHours: z.number().min(0).max(24 * 14).default(0),
        bins: z.number().int().min(2).max(100).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((d) => d.windowMs % d.slotMs === 0, { message: 'windowMs must be a whole number of slotMs', path: ['windowMs'] });

const PromotionSchema = z
  .object({
    /** Off: the rule is still what `promoteModel` checks, but nothing is promoted on a schedule. */
    enabled: z.boolean().default(true),
    /** Wall-clock milliseconds between two evaluations of the rule. */
    intervalMs: ms(100, 60_000),
    windowDays: z.number().int().min(1).max(365).default(DEFAULT_PROMOTION.windowDays),
    minDays: z.number().int().min(2).max(365).default(DEFAULT_PROMOTION.minDays),
    k: z.number().int().min(1).max(100).default(DEFAULT_PROMOTION.k),
    resamples: z.number().int().min(100).max(100_000).default(DEFAULT_PROMOTION.resamples),
    alpha: z.number().gt(0).lt(0.5).default(DEFAULT_PROMOTION.alpha),
    margins: z
      .object({
        precisionAtK: z.number().default(DEFAULT_PROMOTION.margins.precisionAtK),
        ic: z.number().default(DEFAULT_PROMOTION.margins.ic),
      })
      .strict()
      .prefault({}),
    seed: z.number().int().default(DEFAULT_PROMOTION.seed),
  })
  .strict()
  .refine((p) => p.minDays <= p.windowDays, { message: 'minDays must not exceed windowDays', path: ['minDays'] });

/** The reinforcement bias on live traffic (reinforcement.ts): the live stacker's input weights nudged by each model's realized hit rate. */
const ReinforcementSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The hit rate's half-life, in judged calls. */
    halfLifeCalls: z.number().positive().default(DEFAULT_REINFORCEMENT.halfLifeCalls),
    /** How far a hit rate moves the multiplier: `1 + gain × (hitRate − 0.5) × 2`. */
    gain: z.number().min(0).max(2).default(DEFAULT_REINFORCEMENT.gain),
    minMultiplier: z.number().min(0).max(1).default(DEFAULT_REINFORCEMENT.minMultiplier),
    maxMultiplier: z.number().min(1).max(10).default(DEFAULT_REINFORCEMENT.maxMultiplier),
    /** Inputs smaller than this in absolute value make no call. */
    minAbsInput: z.number().min(0).max(1).default(DEFAULT_REINFORCEMENT.minAbsInput),
    /** The smallest step of a multiplier; each step is published and audited. */
    recordAbove: z.number().min(0).max(1).default(DEFAULT_REINFORCEMENT.recordAbove),
    /**
     * Wall-clock milliseconds between two checkpoints of the state (written when it changed), on top of the one
     * at stop; 0: only at stop. What a crash loses since the last one is the drift of the hit rates below a
     * recorded step, and the convictions recorded since.
     */
    checkpointMs: ms(0, 60_000),
  })
  .strict();

export const ModelOpsConfigSchema = z
  .object({
    /** Off: the shipped ensemble scores as loaded, with no registry, drift or promotion. */
    enabled: z.boolean().default(true),
    /** Bundles (`vanta train` output) whose feature models score live traffic in shadow, registered at start. */
    shadowBundles: z.array(z.string().min(1)).default([]),
    drift: DriftSchema.prefault({}),
    promotion: PromotionSchema.prefault({}),
    reinforcement: ReinforcementSchema.prefault({}),
  })
  .strict();

export type ModelOpsConfig = z.infer<typeof ModelOpsConfigSchema>;
