/** Personas: how a vault reads conviction, as parameters; the built-in ones and custom ones alike. */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ConvictionBand } from '../engine/types.js';
import type { FlipMode, Persona } from '../engine/vaults/persona-schema.js';
import { isBuiltInPersona } from '../engine/vaults/personas.js';
import type { PersonaRecord } from '../engine/vaults/ports.js';
import { ConvictionBandEnum } from './conviction.type.js';
import { MutationErrorType } from './mutation.type.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

export const PersonaKindEnum = {
  RISK_AVERSE: 'risk_averse',
  CONTRARIAN: 'contrarian',
  AGGRESSIVE: 'aggressive',
  CUSTOM: 'custom',
} as const satisfies Record<string, Persona['kind']>;
registerEnumType(PersonaKindEnum, { name: 'PersonaKind', description: 'The built-in persona a persona is, or `CUSTOM`.' });

export const FlipModeEnum = { NONE: 'none', CROWD: 'crowd', CROWD_ONLY: 'crowd_only' } as const satisfies Record<string, FlipMode>;
registerEnumType(FlipModeEnum, {
  name: 'FlipMode',
  description:
    '`NONE`: trade every conviction its own way; `CROWD`: trade against crowd-driven convictions, with the others; `CROWD_ONLY`: trade against crowd-driven convictions and ignore the others.',
});

@ObjectType('PersonaFlip', { description: 'How the persona treats crowd-driven conviction.' })
export class PersonaFlipType {
  @Field(() => FlipModeEnum)
  mode!: FlipMode;

  @Field(() => Float, { description: 'Share of |reason contributions| from social evidence at which a conviction is crowd-driven.' })
  crowdShareMin!: number;

  @Field(() => Float, { description: 'Bot-swarm evidence at which a conviction is crowd-driven.' })
  swarmMin!: number;
}

@ObjectType('Persona', { description: 'How a vault reads conviction. Ratios are fractions (0.05 = 5%).' })
export class PersonaType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PersonaKindEnum)
  kind!: Persona['kind'];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Boolean, { description: 'Built in (not editable) rather than defined with `definePersona`.' })
  builtIn!: boolean;

  @Field(() => Int, { nullable: true, description: 'A custom persona\'s version, to pass as `expectedVersion` when redefining it; null for a built-in one.' })
  version!: number | null;

  @Field(() => Float, { description: 'Convictions with |score| below this are ignored.' })
  minAbsConviction!: number;

  @Field(() => Float, { description: 'Largest |weight| of one instrument, of equity.' })
  maxPositionWeight!: number;

  @Field(() => Float, { description: 'Largest gross exposure, as a multiple of equity.' })
  leverage!: number;

  @Field(() => Float, { nullable: true, description: 'Adverse move from the average price that closes a position; null for none.' })
  stopLoss!: number | null;

  @Field(() => Float, { description: 'Annualized volatility each position is scaled toward.' })
  volatilityTarget!: number;

  @Field(() => PersonaFlipType)
  flip!: PersonaFlipType;

  @Field(() => [ConvictionBandEnum], { description: 'The conviction bands it trades.' })
  bands!: ConvictionBand[];

  @Field(() => JSONScalar, { description: 'The persona document, as `definePersona` takes it.' })
  definition!: unknown;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When a custom persona was last defined.' })
  updatedAt!: Date | null;
}

export function toPersonaType(persona: Persona, record: PersonaRecord | null): PersonaType {
  return {
    id: persona.id,
    name: persona.name,
    kind: persona.kind,
    description: persona.description ?? null,
    builtIn: isBuiltInPersona(persona.id),
    version: record?.version ?? null,
    minAbsConviction: persona.minAbsConviction,
    maxPositionWeight: persona.maxPositionWeight,
    leverage: persona.leverage,
    stopLoss: persona.stopLoss,
    volatilityTarget: persona.volatilityTarget,
    flip: { ...persona.flip },
    bands: [...persona.bands],
    definition: persona,
    updatedAt: record ? toDate(record.updatedAt) : null,
  };
}

@ObjectType({ description: 'The persona as defined, or the errors that kept it from being defined.' })
export class DefinePersonaPayload {
  @Field(() => PersonaType, { nullable: true })
  persona!: PersonaType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}
