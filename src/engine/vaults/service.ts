/**
 * The vault service: validation, the repository, the ledger, the allocator and compounding composed into
 * the operations the API, the pipeline and jobs call. It changes nothing when any check fails, and returns
 * the events its changes produce for the caller to publish.
 */
import type { Clock } from '../clock.js';
import type { OrderIntent } from '../execution/broker.js';
import type { ConvictionVector, Instrument } from '../types.js';
import { type AllocationPlan, allocate, type MarketSnapshot } from './allocator.js';
import { compound, type CompoundingResult } from './compounding.js';
import { VaultError } from './errors.js';
import {
  envelope,
  type PersonaDefined,
  type PersonaSet,
  type VaultCompounded,
  type VaultConfigReplaced,
  type VaultCreated,
  vaultEventId,
  type VaultFillApplied,
  type VaultOverlaySet,
} from './events.js';
import { applyFill, type GrowthPoint, growthPoint, markToMarket, type VaultFill } from './ledger.js';
import { applyOverlay, type EffectiveVault } from './overlay.js';
import type { Persona } from './persona-schema.js';
import { builtInPersona, isBuiltInPersona } from './personas.js';
import type { GrowthRange, PersonaRecord, VaultRecord, VaultRepository, VaultVersion } from './ports.js';
import { initialState, type VaultState } from './state.js';
import { instrumentMap, parseOverlay, parsePersona, parseVaultConfig, type ValidationContext } from './validate.js';

export interface VaultServiceDeps {
  readonly repository: VaultRepository;
  readonly clock: Clock;
  /** The instruments Vanta knows: vault universes and overlays may name only these. */
  readonly instruments: readonly Instrument[];
}

export interface VaultView {
  readonly vault: VaultRecord;
  /** The config with the overlay applied: what the vault trades by. */
  readonly effective: EffectiveVault;
  readonly persona: Persona;
}

/** How often a state save is retried after another writer moved the revision (a fill and a compounding at once). */
const STATE_ATTEMPTS = 5;

export class VaultService {
  readonly #repo: VaultRepository;
  readonly #clock: Clock;
  readonly #instruments: ReadonlyMap<string, Instrument>;

  constructor(deps: VaultServiceDeps) {
    this.#repo = deps.repository;
    this.#clock = deps.clock;
    this.#instruments = instrumentMap(deps.instruments);
  }

  /** Validates a vault file or input whole and stores it as version 1 with its first state. */
  async createVault(actor: string, input: unknown, reason = 'created'): Promise<{ vault: VaultRecord; state: VaultState; events: [VaultCreated] }> {
    const config = parseVaultConfig(input, await this.#context());
    const now = this.#clock.now();
    const id = vaultEventId('VaultCreated', config.id, 1);
    const vault = await this.#repo.createVault(config, initialState(config, now), { actor, reason, at: now, eventId: id });
    const state = (await this.#repo.getState(config.id)) as VaultState;
    const event = envelope<VaultCreated>('VaultCreated', id, now, now, { vaultId: config.id, version: 1, actor, reason, config });
    return { vault, state, events: [event] };
  }

  /** Replaces the vault's base config (its id may not change); the current overlay must still apply. */
  async replaceConfig(
    actor: string,
    vaultId: string,
    input: unknown,
    expectedVersion: number,
    reason = 'config replaced',
  ): Promise<{ vault: VaultRecord; events: [VaultConfigReplaced] }> {
    const current = await this.#record(vaultId);
    const ctx = await this.#context();
    const config = parseVaultConfig(input, ctx);
    if (config.id !== vaultId) throw new VaultError('VAULT_INVALID', 'vault invalid', [{ path: 'id', message: `must stay ${vaultId}` }]);
    if (current.overlay) parseOverlay(current.overlay, config, ctx);
    return this.#update(actor, vaultId, expectedVersion, { config, overlay: current.overlay }, 'config_replaced', reason, (version, common) =>
      envelope<VaultConfigReplaced>('VaultConfigReplaced', common.id, common.at, common.at, { vaultId, version, actor, reason, config }),
    );
  }

  /** Sets (replaces) the vault's overlay; `null` clears it. Validated with the vault it makes. */
  async setOverlay(
    actor: string,
    vaultId: string,
    input: unknown,
    expectedVersion: number,
    reason = 'overlay set',
  ): Promise<{ vault: VaultRecord; effective: EffectiveVault; events: [VaultOverlaySet] }> {
    const current = await this.#record(vaultId);
    const overlay = input === null ? null : parseOverlay(input, current.config, await this.#context()).overlay;
    const result = await this.#update(actor, vaultId, expectedVersion, { config: current.config, overlay }, 'overlay_set', reason, (version, common) =>
      envelope<VaultOverlaySet>('VaultOverlaySet', common.id, common.at, common.at, { vaultId, version, actor, reason, overlay }),
    );
    return { ...result, effective: applyOverlay(result.vault.config, result.vault.overlay) };
  }

  /** Switches the vault's own persona (an overlay's persona, if any, still takes precedence). */
  async setPersona(
    actor: string,
    vaultId: string,
    personaId: string,
    expectedVersion: number,
    reason = 'persona set',
  ): Promise<{ vault: VaultRecord; events: [PersonaSet] }> {
    const current = await this.#record(vaultId);
    await this.persona(personaId);
    const config = parseVaultConfig({ ...current.config, personaId }, await this.#context());
    const previousPersonaId = current.config.personaId;
    return this.#update(actor, vaultId, expectedVersion, { config, overlay: current.overlay }, 'persona_set', reason, (version, common) =>
      envelope<PersonaSet>('PersonaSet', common.id, common.at, common.at, { vaultId, version, actor, reason, personaId, previousPersonaId }),
    );
  }

  /** Defines (expectedVersion null) or redefines a custom persona. Built-in ids are refused. */
  async definePersona(
    actor: string,
    input: unknown,
    expectedVersion: number | null = null,
    reason = 'persona defined',
  ): Promise<{ persona: PersonaRecord; events: [PersonaDefined] }> {
    const persona = parsePersona(input);
    if (isBuiltInPersona(persona.id)) throw new VaultError('PERSONA_EXISTS', `persona ${persona.id} is built in`);
    if (persona.kind !== 'custom') {
      throw new VaultError('PERSONA_INVALID', 'persona invalid', [{ path: 'kind', message: 'must be custom for a persona that is not built in' }]);
    }
    const now = this.#clock.now();
    const version = (expectedVersion ?? 0) + 1;
    const id = vaultEventId('PersonaDefined', persona.id, version);
    const record = await this.#repo.savePersona(persona, expectedVersion, { actor, reason, at: now, eventId: id });
    const event = envelope<PersonaDefined>('PersonaDefined', id, now, now, { persona, version: record.version, actor, reason });
    return { persona: record, events: [event] };
  }

  async persona(id: string): Promise<Persona> {
    const persona = builtInPersona(id) ?? (await this.#repo.getPersona(id))?.persona;
    if (!persona) throw new VaultError('PERSONA_NOT_FOUND', `persona ${id} does not exist`);
    return persona;
  }

  async getVault(vaultId: string): Promise<VaultView> {
    const vault = await this.#record(vaultId);
    const effective = applyOverlay(vault.config, vault.overlay);
    return { vault, effective, persona: await this.persona(effective.personaId) };
  }

  async listVaults(): Promise<readonly VaultRecord[]> {
    return this.#repo.listVaults();
  }

  async history(vaultId: string): Promise<readonly VaultVersion[]> {
    await this.#record(vaultId);
    return this.#repo.history(vaultId);
  }

  async state(vaultId: string): Promise<VaultState> {
    const state = await this.#repo.getState(vaultId);
    if (!state) throw new VaultError('VAULT_NOT_FOUND', `vault ${vaultId} does not exist`);
    return state;
  }

  /**
   * Applies a fill to the vault's books, once: a fill id seen before answers `applied: false` and changes
   * nothing. A loan vault's fill its own cash cannot pay is refused (`LOAN_ISOLATION`).
   */
  async applyFill(fill: VaultFill): Promise<{ applied: boolean; state: VaultState; realizedPnl: string; events: VaultFillApplied[] }> {
    const { effective } = await this.getVault(fill.vaultId);
    if (effective.status === 'closed') throw new VaultError('VAULT_CLOSED', `vault ${fill.vaultId} is closed`);
    for (let attempt = 1; ; attempt++) {
      const current = await this.state(fill.vaultId);
      if (await this.#repo.hasFill(fill.vaultId, fill.fillId)) return { applied: false, state: current, realizedPnl: '0', events: [] };
      const outcome = applyFill(current, fill, { allowShort: effective.caps.allowShort, isolated: effective.loan !== undefined });
      try {
        const state = await this.#repo.saveState(outcome.state, current.revision, fill.fillId);
        const event = envelope<VaultFillApplied>(
          'VaultFillApplied',
          vaultEventId('VaultFillApplied', fill.vaultId, fill.fillId),
          fill.ts,
          this.#clock.now(),
          {
            vaultId: fill.vaultId,
            fillId: fill.fillId,
            instrument: fill.instrument,
            side: fill.side,
            quantity: fill.quantity,
            price: fill.price,
            fee: fill.fee,
            realizedPnl: outcome.realizedPnl,
            position: outcome.position?.quantity ?? '0',
            cash: state.cash,
            revision: state.revision,
          },
          fill.eventId ? [fill.eventId] : [],
        );
        return { applied: true, state, realizedPnl: outcome.realizedPnl, events: [event] };
      } catch (err) {
        if (err instanceof VaultError && err.code === 'FILL_DUPLICATE') {
          return { applied: false, state: await this.state(fill.vaultId), realizedPnl: '0', events: [] };
        }
        if (!(err instanceof VaultError && err.code === 'VAULT_STATE_CONFLICT') || attempt >= STATE_ATTEMPTS) throw err;
      }
    }
  }

  /** Plans the vault's orders from the active convictions and market data. Reads only; changes nothing. */
  async allocate(
    vaultId: string,
    convictions: readonly ConvictionVector[],
    market: MarketSnapshot,
    now = this.#clock.now(),
  ): Promise<{ plan: AllocationPlan; intents: readonly OrderIntent[] }> {
    const { effective, persona } = await this.getVault(vaultId);
    const state = await this.state(vaultId);
    const plan = allocate({ vault: effective, persona, state, convictions, market, instruments: this.#instruments, now });
    return { plan, intents: plan.intents };
  }

  /**
   * Compounds realized PnL by the vault's rule when its schedule says it is due (a loan vault settles with
   * its lender first) and records a growth point. `prices` mark positions for the loan's NAV; positions
   * without a price are marked at their average price.
   */
  async compound(
    vaultId: string,
    now: number,
    prices: Readonly<Record<string, string>> = {},
  ): Promise<
    | { due: false; nextAt: number | null; state: VaultState; events: [] }
    | { due: true; state: VaultState; result: CompoundingResult; point: GrowthPoint; events: [VaultCompounded] }
  > {
    const { effective } = await this.getVault(vaultId);
    if (effective.status === 'closed') throw new VaultError('VAULT_CLOSED', `vault ${vaultId} is closed`);
    for (let attempt = 1; ; attempt++) {
      const current = await this.state(vaultId);
      const outcome = compound(current, effective, prices, now);
      if (!outcome.due) return { due: false, nextAt: outcome.nextAt, state: current, events: [] };
      try {
        const state = await this.#repo.saveState(outcome.state, current.revision);
        const point = growthPoint(state, markToMarket(state, prices), now);
        await this.#repo.appendGrowthPoint(point);
        const event = envelope<VaultCompounded>(
          'VaultCompounded',
          vaultEventId('VaultCompounded', vaultId, now, state.revision),
          now,
          this.#clock.now(),
          { vaultId, revision: state.revision, result: outcome.result, point },
        );
        return { due: true, state, result: outcome.result, point, events: [event] };
      } catch (err) {
        if (!(err instanceof VaultError && err.code === 'VAULT_STATE_CONFLICT') || attempt >= STATE_ATTEMPTS) throw err;
      }
    }
  }

  /** Marks the vault to market and appends the point to its growth curve (once per timestamp). */
  async recordGrowth(
    vaultId: string,
    prices: Readonly<Record<string, string>>,
    ts = this.#clock.now(),
  ): Promise<{ point: GrowthPoint; recorded: boolean }> {
    const state = await this.state(vaultId);
    const point = growthPoint(state, markToMarket(state, prices), ts);
    return { point, recorded: await this.#repo.appendGrowthPoint(point) };
  }

  async growthCurve(vaultId: string, range?: GrowthRange): Promise<readonly GrowthPoint[]> {
    await this.#record(vaultId);
    return this.#repo.growthCurve(vaultId, range);
  }

  async #record(vaultId: string): Promise<VaultRecord> {
    const vault = await this.#repo.getVault(vaultId);
    if (!vault) throw new VaultError('VAULT_NOT_FOUND', `vault ${vaultId} does not exist`);
    return vault;
  }

  async #context(): Promise<ValidationContext> {
    const custom = new Set((await this.#repo.listPersonas()).map((p) => p.persona.id));
    return { instruments: this.#instruments, personaExists: (id) => isBuiltInPersona(id) || custom.has(id) };
  }

  async #update<E>(
    actor: string,
    vaultId: string,
    expectedVersion: number,
    next: Pick<VaultRecord, 'config' | 'overlay'>,
    kind: 'config_replaced' | 'overlay_set' | 'persona_set',
    reason: string,
    event: (version: number, common: { id: string; at: number }) => E,
  ): Promise<{ vault: VaultRecord; events: [E] }> {
    const at = this.#clock.now();
    const version = expectedVersion + 1;
    const type = kind === 'config_replaced' ? 'VaultConfigReplaced' : kind === 'overlay_set' ? 'VaultOverlaySet' : 'PersonaSet';
    const id = vaultEventId(type, vaultId, version);
    const vault = await this.#repo.updateVault(vaultId, expectedVersion, next, kind, { actor, reason, at, eventId: id });
    return { vault, events: [event(version, { id, at })] };
  }
}
