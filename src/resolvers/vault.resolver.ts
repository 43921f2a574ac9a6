/**
 * Vaults: their books marked at the latest prices, history and growth, the changes admins make to them, and
 * the live `vaultUpdated` feed. Every change is published on the bus's vault topic, where it is audited.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic, type VaultOwnEvent } from '../api/pubsub.js';
import type { Bus } from '../engine/bus/bus.js';
import { Topics } from '../engine/bus/topics.js';
import type { TradingDesk } from '../engine/trading-desk.js';
import { VaultError } from '../engine/vaults/errors.js';
import type { VaultEvent } from '../engine/vaults/events.js';
import { markToMarket } from '../engine/vaults/ledger.js';
import type { VaultState } from '../engine/vaults/state.js';
import { OrderType, toOrderType } from '../schema/order.type.js';
import { PersonaType } from '../schema/persona.type.js';
import { DateTimeScalar, JSONScalar } from '../schema/scalars.js';
import { toVaultUpdateType, VaultUpdateType } from '../schema/vault-update.type.js';
import {
  CreateVaultPayload,
  GrowthPointType,
  SetPersonaPayload,
  SetVaultOverlayPayload,
  toGrowthPointType,
  toVaultType,
  toVaultVersionType,
  VaultType,
  VaultVersionType,
} from '../schema/vault.type.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { badUserInput, TranslateErrors } from './errors.js';
import { attempt } from './mutation.js';
import { loadPersona } from './persona.resolver.js';
import { checkGrowthRange, checkReason, checkVersion } from './trading-args.js';

/** The latest price of each instrument the vault holds, where the market book has one. */
function latestPrices(desk: TradingDesk, state: VaultState): Record<string, string> {
  const prices: Record<string, string> = {};
  for (const p of state.positions) {
    const price = desk.market.price(p.instrument);
    if (price !== null) prices[p.instrument] = price;
  }
  return prices;
}

/** A vault with its books marked at the latest prices. */
export async function loadVault(desk: TradingDesk, vaultId: string): Promise<VaultType> {
  const [view, state] = await Promise.all([desk.service.getVault(vaultId), desk.service.state(vaultId)]);
  return toVaultType(view, state, markToMarket(state, latestPrices(desk, state)));
}

const isNotFound = (error: unknown): boolean => error instanceof VaultError && error.code === 'VAULT_NOT_FOUND';

/** `work`'s result, or null when the vault does not exist. */
async function orNull<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function publish(bus: Bus, events: readonly VaultEvent[]): Promise<void> {
  if (events.length > 0) await bus.publishMany(Topics.vaultEvents, events);
}

interface VaultIdArgs {
  readonly vaultId?: string | null;
}

const vaultIdOf = (args: VaultIdArgs): string | null => (args.vaultId == null ? null : checkId('vaultId', args.vaultId));

@Resolver(() => VaultType)
@UseMiddleware(TranslateErrors)
export class VaultResolver {
  @Authorized(Role.Alpha, Role.Viewer)
  @Query(() => [VaultType], { description: 'Every vault, by id, marked at the latest prices. Empty when trading is off.' })
  async vaults(@Ctx() ctx: ApiContext): Promise<VaultType[]> {
    const desk = ctx.deps.trading;
    if (!desk) return [];
    const records = await desk.service.listVaults();
    return Promise.all(records.map((r) => loadVault(desk, r.id)));
  }

  @Authorized(Role.Alpha, Role.Viewer)
  @Query(() => VaultType, { nullable: true, description: 'Null when no vault has this id.' })
  async vault(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<VaultType | null> {
    const vaultId = checkId('id', id);
    const desk = ctx.deps.trading;
    return desk ? orNull(loadVault(desk, vaultId)) : null;
  }

  @Authorized(Role.Alpha, Role.Viewer)
  @Query(() => [VaultVersionType], { nullable: true, description: 'Every version of the vault, oldest first; null when no vault has this id.' })
  async vaultHistory(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<VaultVersionType[] | null> {
    const vaultId = checkId('id', id);
    const desk = ctx.deps.trading;
    const history = desk ? await orNull(desk.service.history(vaultId)) : null;
    return history ? history.map(toVaultVersionType) : null;
  }

  @FieldResolver(() => PersonaType, { description: 'The persona it trades with.' })
  async persona(@Root() vault: VaultType, @Ctx() ctx: ApiContext): Promise<PersonaType> {
    const persona = ctx.deps.trading ? await loadPersona(ctx.deps.trading, vault.settings.personaId) : null;
    // Validation keeps a vault's persona in existence; a missing one is a broken store, not a client's doing.
    if (!persona) throw new Error(`persona ${vault.settings.personaId} of vault ${vault.id} is missing`);
    return persona;
  }

  @FieldResolver(() => [OrderType], { description: 'Its orders that may still trade, newest first.' })
  async openOrders(@Root() vault: VaultType, @Ctx() ctx: ApiContext): Promise<OrderType[]> {
    const orders = (await ctx.deps.trading?.executor.journal.orders.list({ vaultId: vault.id, open: true })) ?? [];
    return [...orders].reverse().map(toOrderType);
  }

  @FieldResolver(() => [GrowthPointType], { description: 'Its growth curve, oldest first; both ends inclusive.' })
  async growthCurve(
    @Root() vault: VaultType,
    @Ctx() ctx: ApiContext,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
  ): Promise<GrowthPointType[]> {
    const range = checkGrowthRange(from, to);
    const points = (await ctx.deps.trading?.service.growthCurve(vault.id, range)) ?? [];
    return points.map(toGrowthPointType);
  }

  @Authorized(Role.Alpha)
  @Mutation(() => CreateVaultPayload, {
    description: 'Creates a vault from a vault document (`vault.json`), validated whole: every problem comes back at once, and on any nothing is created.',
  })
  async createVault(
    @Ctx() ctx: ApiContext,
    @Arg('input', () => JSONScalar, { description: 'The vault document.' }) input: unknown,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<CreateVaultPayload> {
    const why = checkReason(reason);
    const { result, errors } = await attempt(ctx, async (desk, actor) => {
      const created = await desk.service.createVault(actor, input, why);
      await publish(ctx.deps.bus, created.events);
      return loadVault(desk, created.vault.id);
    });
    return { vault: result, errors };
  }

  @Authorized(Role.Alpha)
  @Mutation(() => SetVaultOverlayPayload, {
    description:
      "Replaces the vault's overlay (null clears it), if the vault is still at `expectedVersion`. An overlay that does not validate, alone or applied to the vault, changes nothing.",
  })
  async setVaultOverlay(
    @Ctx() ctx: ApiContext,
    @Arg('vaultId', () => ID) vaultId: string,
    @Arg('overlay', () => JSONScalar, { nullable: true, description: 'The overlay document (`vault_overlay.json`), or null to clear it.' })
    overlay: unknown,
    @Arg('expectedVersion', () => Int, { description: 'The version read; a vault changed since gives VAULT_VERSION_CONFLICT.' })
    expectedVersion: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<SetVaultOverlayPayload> {
    const id = checkId('vaultId', vaultId);
    // Left out is not "clear it": clearing an overlay by omission would be too easy a mistake.
    if (overlay === undefined) throw badUserInput('overlay', 'must be given: an overlay document, or null to clear the overlay');
    const version = checkVersion('expectedVersion', expectedVersion);
    const why = checkReason(reason);
    const { result, errors } = await attempt(ctx, async (desk, actor) => {
      const changed = await desk.service.setOverlay(actor, id, overlay, version, why);
      await publish(ctx.deps.bus, changed.events);
      return loadVault(desk, id);
    });
    return { vault: result, errors };
  }

  @Authorized(Role.Alpha)
  @Mutation(() => SetPersonaPayload, {
    description: "Switches the vault's own persona, if the vault is still at `expectedVersion` (an overlay's persona still takes precedence).",
  })
  async setPersona(
    @Ctx() ctx: ApiContext,
    @Arg('vaultId', () => ID) vaultId: string,
    @Arg('personaId', () => ID) personaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<SetPersonaPayload> {
    const id = checkId('vaultId', vaultId);
    const persona = checkId('personaId', personaId);
    const version = checkVersion('expectedVersion', expectedVersion);
    const why = checkReason(reason);
    const { result, errors } = await attempt(ctx, async (desk, actor) => {
      const changed = await desk.service.setPersona(actor, id, persona, version, why);
      await publish(ctx.deps.bus, changed.events);
      return loadVault(desk, id);
    });
    return { vault: result, errors };
  }

  @Authorized(Role.Alpha, Role.Viewer)
  @Subscription(() => VaultUpdateType, {
    description: "Each event of a vault (created, config or overlay or persona changed, a fill booked, compounded), for one vault when `vaultId` is given.",
    topics: ({ args }) => {
      vaultIdOf(args as VaultIdArgs);
      return SubscriptionTopic.VaultUpdated;
    },
    filter: ({ payload, args }) => {
      const vaultId = vaultIdOf(args as VaultIdArgs);
      return vaultId === null || (payload as VaultOwnEvent).payload.vaultId === vaultId;
    },
  })
  vaultUpdated(
    @Root() event: VaultOwnEvent,
    @Arg('vaultId', () => ID, { nullable: true }) _vaultId: string | null,
  ): VaultUpdateType {
    return toVaultUpdateType(event);
  }
}

@Resolver(() => VaultUpdateType)
@UseMiddleware(TranslateErrors)
export class VaultUpdateResolver {
  @FieldResolver(() => VaultType, { nullable: true, description: 'The vault as it is now, marked at the latest prices; null once it is gone.' })
  async vault(@Root() update: VaultUpdateType, @Ctx() ctx: ApiContext): Promise<VaultType | null> {
    const desk = ctx.deps.trading;
    return desk ? orNull(loadVault(desk, update.vaultId)) : null;
  }
}
