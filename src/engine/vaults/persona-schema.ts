/**
 * A persona: how a vault reads conviction, as parameters. Built-in personas (personas.ts) and custom ones
 * are the same data and pass the same schema.
 */
import { z } from 'zod';
import type { ConvictionBand } from '../types.js';

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export const BANDS = ['WEAK', 'MODERATE', 'STRONG', 'EXTREME'] as const satisfies readonly ConvictionBand[];
export const PERSONA_KINDS = ['risk_averse', 'contrarian', 'aggressive', 'custom'] as const;

/**
 * How a persona treats crowd-driven conviction (see crowd.ts for what counts as crowd-driven):
 * - `none`: trade every conviction in its own direction;
 * - `crowd`: trade against crowd-driven convictions, with the others;
 * - `crowd_only`: trade against crowd-driven convictions and ignore the others.
 */
export const FLIP_MODES = ['none', 'crowd', 'crowd_only'] as const;
export type FlipMode = (typeof FLIP_MODES)[number];

export const SLUG_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const slug = () => z.string().regex(SLUG_RE, 'must be a lower-case slug (a-z, 0-9, _ and -, at most 64)');
const unit = () => z.number().min(0).max(1);

export const FlipSchema = z.strictObject({
  mode: z.enum(FLIP_MODES).meta({ description: 'none | crowd (fade crowd-driven, follow the rest) | crowd_only' }),
  crowdShareMin: z
    .number()
    .gt(0)
    .max(1)
    .default(0.6)
    .meta({ description: 'Share of |reason contributions| from social evidence at which a conviction is crowd-driven' }),
  swarmMin: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .meta({ description: 'Bot-swarm evidence (a bot_swarm reason value) at which a conviction is crowd-driven' }),
});

export const PersonaSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: slug(),
    name: z.string().min(1).max(120),
    kind: z.enum(PERSONA_KINDS),
    description: z.string().max(1000).optional(),
    minAbsConviction: unit().meta({ description: 'Convictions with |score| below this are ignored' }),
    maxPositionWeight: z.number().gt(0).max(1).meta({ description: 'Largest |weight| of one instrument, of equity' }),
    leverage: z.number().min(0).max(10).meta({ description: 'Largest gross exposure, as a multiple of equity' }),
    stopLoss: z
      .number()
      .gt(0)
      .lt(1)
      .nullable()
      .meta({ description: 'Adverse move from the average price that closes a position (0.05 = 5%); null for none' }),
    volatilityTarget: z.number().gt(0).max(5).meta({ description: 'Annualized volatility each position is scaled toward' }),
    flip: FlipSchema,
    bands: z.array(z.enum(BANDS)).min(1).meta({ description: 'Conviction bands the persona trades' }),
  })
  .meta({ title: 'Vanta persona' });

export type Persona = DeepReadonly<z.output<typeof PersonaSchema>>;
export type PersonaInput = z.input<typeof PersonaSchema>;
