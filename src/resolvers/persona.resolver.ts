/** Personas: the built-in ones and those defined through the API. */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { Topics } from '../engine/bus/topics.js';
import type { TradingDesk } from '../engine/trading-desk.js';
import { BUILT_IN_PERSONAS, builtInPersona } from '../engine/vaults/personas.js';
import { DefinePersonaPayload, PersonaType, toPersonaType } from '../schema/persona.type.js';
import { JSONScalar } from '../schema/scalars.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { attempt } from './mutation.js';
import { checkReason, checkVersion } from './trading-args.js';

/** A built-in persona, or a custom one with its stored version; null when neither has this id. */
export async function loadPersona(desk: TradingDesk, id: string): Promise<PersonaType | null> {
  const builtIn = builtInPersona(id);
  if (builtIn) return toPersonaType(builtIn, null);
  const record = (await desk.customPersonas()).find((r) => r.persona.id === id);
  return record ? toPersonaType(record.persona, record) : null;
}

@Resolver(() => PersonaType)
@UseMiddleware(TranslateErrors)
export class PersonaResolver {
  @Authorized(Role.Alpha)
  @Query(() => [PersonaType], { description: 'The built-in personas, then the custom ones by id. Empty when trading is off.' })
  async personas(@Ctx() ctx: ApiContext): Promise<PersonaType[]> {
    const desk = ctx.deps.trading;
    if (!desk) return [];
    const custom = await desk.customPersonas();
    return [...BUILT_IN_PERSONAS.map((p) => toPersonaType(p, null)), ...custom.map((r) => toPersonaType(r.persona, r))];
  }

  @Authorized(Role.Alpha)
  @Query(() => PersonaType, { nullable: true, description: 'Null when no persona has this id.' })
  async persona(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<PersonaType | null> {
    const personaId = checkId('id', id);
    return ctx.deps.trading ? loadPersona(ctx.deps.trading, personaId) : null;
  }

  @Authorized(Role.Alpha)
  @Mutation(() => DefinePersonaPayload, {
    description:
      'Defines a custom persona from a persona document (kind `custom`), or redefines one at `expectedVersion`. Built-in ids are refused (PERSONA_EXISTS); vaults trading with a redefined persona use the new definition from their next allocation.',
  })
  async definePersona(
    @Ctx() ctx: ApiContext,
    @Arg('input', () => JSONScalar, { description: 'The persona document.' }) input: unknown,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'Left out to define a new persona; the version read to redefine one.' })
    expectedVersion: number | null,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<DefinePersonaPayload> {
    const version = expectedVersion === null || expectedVersion === undefined ? null : checkVersion('expectedVersion', expectedVersion);
    const why = checkReason(reason);
    const { result, errors } = await attempt(ctx, async (desk, actor) => {
      const defined = await desk.service.definePersona(actor, input, version, why);
      await ctx.deps.bus.publishMany(Topics.vaultEvents, defined.events);
      return toPersonaType(defined.persona.persona, defined.persona);
    });
    return { persona: result, errors };
  }
}
