/**
 * The vault engine's VaultRepository over drizzle, on both drivers (it runs vaults/repository.contract.ts).
 *
 * Every change is one transaction. Version and revision checks are `UPDATE … WHERE version = <the one read>`,
 * which also locks the row: of concurrent writers from one version the first wins and the others find it moved
 * on. A vault's config, overlay and a persona are the JSON documents the vaults module validated; money and
 * quantities are `numeric` columns, read back in the ledger's canonical text (`'10'`, not `'10.000'`) so that
 * what comes out compares equal to what went in. Values handed out are frozen copies.
 */
import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { dec, str } from '../vaults/decimal.js';
import { VaultError } from '../vaults/errors.js';
import type { GrowthPoint } from '../vaults/ledger.js';
import type { Persona } from '../vaults/persona-schema.js';
import { deepFreeze } from '../vaults/personas.js';
import type { ChangeMeta, GrowthRange, PersonaRecord, VaultChangeKind, VaultRecord, VaultRepository, VaultVersion } from '../vaults/ports.js';
import type { Position, VaultState } from '../vaults/state.js';
import type { VaultConfig, VaultOverlay } from '../vaults/vault-schema.js';
import type { VantaDb } from './db.js';
import { personas, personaVersions, positions, vaultFills, vaultGrowth, vaults, vaultStates, vaultVersions } from './schema.js';

type VaultRow = typeof vaults.$inferSelect;
type VersionRow = typeof vaultVersions.$inferSelect;
type PersonaRow = typeof personas.$inferSelect;
type StateRow = typeof vaultStates.$inferSelect;
type StateInsert = typeof vaultStates.$inferInsert;
type PositionRow = typeof positions.$inferSelect;
type PositionInsert = typeof positions.$inferInsert;
type GrowthRow = typeof vaultGrowth.$inferSelect;

export class DrizzleVaultRepository implements VaultRepository {
  constructor(private readonly db: VantaDb) {}

  async createVault(config: VaultConfig, state: VaultState, change: ChangeMeta): Promise<VaultRecord> {
    const first: VaultState = { ...state, vaultId: config.id, revision: 0 };
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(vaults)
        .values({ id: config.id, version: 1, config, overlay: null, createdAt: change.at, updatedAt: change.at })
        .onConflictDoNothing({ target: vaults.id })
        .returning();
      if (!inserted[0]) throw new VaultError('VAULT_EXISTS', `vault ${config.id} already exists`);
      await tx.insert(vaultVersions).values(versionRow(config.id, 1, 'created', config, null, change));
      await tx.insert(vaultStates).values(stateRow(first));
      if (first.positions.length > 0) await tx.insert(positions).values(first.positions.map((p) => positionRow(first.vaultId, p)));
      return toVault(inserted[0]);
    });
  }

  async getVault(id: string): Promise<VaultRecord | null> {
    const rows = await this.db.select().from(vaults).where(eq(vaults.id, id)).limit(1);
    return rows[0] ? toVault(rows[0]) : null;
  }

  async listVaults(): Promise<readonly VaultRecord[]> {
    const rows = await this.db.select().from(vaults).orderBy(asc(bytewise(vaults.id)));
    return rows.map(toVault);
  }

  async updateVault(
    id: string,
    expectedVersion: number,
    next: { readonly config: VaultConfig; readonly overlay: VaultOverlay | null },
    kind: Exclude<VaultChangeKind, 'created'>,
    change: ChangeMeta,
  ): Promise<VaultRecord> {
    return this.db.transaction(async (tx) => {
      const updated = await tx
        .update(vaults)
        .set({ version: expectedVersion + 1, config: next.config, overlay: next.overlay, updatedAt: change.at })
        .where(and(eq(vaults.id, id), eq(vaults.version, expectedVersion)))
        .returning();
      if (!updated[0]) {
        const stored = await tx.select({ version: vaults.version }).from(vaults).where(eq(vaults.id, id));
        if (!stored[0]) throw new VaultError('VAULT_NOT_FOUND', `vault ${id} does not exist`);
        throw new VaultError('VAULT_VERSION_CONFLICT', `vault ${id} is at version ${stored[0].version}, not ${expectedVersion}`);
      }
      await tx.insert(vaultVersions).values(versionRow(id, expectedVersion + 1, kind, next.config, next.overlay, change));
      return toVault(updated[0]);
    });
  }

  async history(id: string): Promise<readonly VaultVersion[]> {
    const rows = await this.db.select().from(vaultVersions).where(eq(vaultVersions.vaultId, id)).orderBy(asc(vaultVersions.version));
    return rows.map(toVersion);
  }

  async versionOf(id: string, version: number): Promise<VaultVersion | null> {
    const rows = await this.db
      .select()
      .from(vaultVersions)
      .where(and(eq(vaultVersions.vaultId, id), eq(vaultVersions.version, version)))
      .limit(1);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async savePersona(persona: Persona, expectedVersion: number | null, change: ChangeMeta): Promise<PersonaRecord> {
    return this.db.transaction(async (tx) => {
      let row: PersonaRow | undefined;
      if (expectedVersion === null) {
        [row] = await tx
          .insert(personas)
          .values({ id: persona.id, version: 1, persona, actor: change.actor, createdAt: change.at, updatedAt: change.at })
          .onConflictDoNothing({ target: personas.id })
          .returning();
        if (!row) throw new VaultError('PERSONA_EXISTS', `persona ${persona.id} already exists`);
      } else {
        [row] = await tx
          .update(personas)
          .set({ version: expectedVersion + 1, persona, actor: change.actor, updatedAt: change.at })
          .where(and(eq(personas.id, persona.id), eq(personas.version, expectedVersion)))
          .returning();
        if (!row) {
          const stored = await tx.select({ version: personas.version }).from(personas).where(eq(personas.id, persona.id));
          if (!stored[0]) throw new VaultError('PERSONA_NOT_FOUND', `persona ${persona.id} does not exist`);
          throw new VaultError(
            'PERSONA_VERSION_CONFLICT',
            `persona ${persona.id} is at version ${stored[0].version}, not ${expectedVersion}`,
          );
        }
      }
      await tx.insert(personaVersions).values({
        personaId: persona.id,
        version: row.version,
        persona,
        actor: change.actor,
        reason: change.reason,
        at: change.at,
        eventId: change.eventId,
      });
      return toPersona(row);
    });
  }

  async getPersona(id: string): Promise<PersonaRecord | null> {
    const rows = await this.db.select().from(personas).where(eq(personas.id, id)).limit(1);
    return rows[0] ? toPersona(rows[0]) : null;
  }

  async listPersonas(): Promise<readonly PersonaRecord[]> {
    const rows = await this.db.select().from(personas).orderBy(asc(bytewise(personas.id)));
    return rows.map(toPersona);
  }

  async getState(vaultId: string): Promise<VaultState | null> {
    // One snapshot for both reads, so that the positions are those of the state row read (a save may commit between them).
    return this.db.transaction(
      async (tx) => {
        const rows = await tx.select().from(vaultStates).where(eq(vaultStates.vaultId, vaultId)).limit(1);
        if (!rows[0]) return null;
        const held = await tx.select().from(positions).where(eq(positions.vaultId, vaultId)).orderBy(asc(bytewise(positions.instrument)));
        return toState(rows[0], held);
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  async saveState(state: VaultState, expectedRevision: number, fillId?: string): Promise<VaultState> {
    const id = state.vaultId;
    const saved: VaultState = { ...state, revision: expectedRevision + 1 };
    const { vaultId: _key, ...columns } = stateRow(saved);
    return this.db.transaction(async (tx) => {
      const updated = await tx
        .update(vaultStates)
        .set(columns)
        .where(and(eq(vaultStates.vaultId, id), eq(vaultStates.revision, expectedRevision)))
        .returning();
      if (!updated[0]) {
        const stored = await tx.select({ revision: vaultStates.revision }).from(vaultStates).where(eq(vaultStates.vaultId, id));
        if (!stored[0]) throw new VaultError('VAULT_NOT_FOUND', `vault ${id} does not exist`);
        throw new VaultError('VAULT_STATE_CONFLICT', `vault ${id} state is at revision ${stored[0].revision}, not ${expectedRevision}`);
      }
      if (fillId !== undefined) {
        const recorded = await tx
          .insert(vaultFills)
          .values({ vaultId: id, fillId, revision: saved.revision })
          .onConflictDoNothing()
          .returning({ fillId: vaultFills.fillId });
        if (recorded.length === 0) throw new VaultError('FILL_DUPLICATE', `fill ${fillId} was already applied to vault ${id}`);
      }
      // The positions are the state's: replaced whole, under the row lock the update above holds.
      await tx.delete(positions).where(eq(positions.vaultId, id));
      const held = saved.positions.length > 0 ? await tx.insert(positions).values(saved.positions.map((p) => positionRow(id, p))).returning() : [];
      return toState(updated[0], sortPositions(held));
    });
  }

  async hasFill(vaultId: string, fillId: string): Promise<boolean> {
    const rows = await this.db
      .select({ fillId: vaultFills.fillId })
      .from(vaultFills)
      .where(and(eq(vaultFills.vaultId, vaultId), eq(vaultFills.fillId, fillId)))
      .limit(1);
    return rows.length > 0;
  }

  async appendGrowthPoint(point: GrowthPoint): Promise<boolean> {
    const row = {
      vaultId: point.vaultId,
      ts: point.ts,
      equity: point.equity,
      nav: point.nav,
      cash: point.cash,
      reserve: point.reserve,
      withdrawn: point.withdrawn,
      realizedPnl: point.realizedPnl,
      unrealizedPnl: point.unrealizedPnl,
      totalValue: point.totalValue,
    };
    try {
      const inserted = await this.db.insert(vaultGrowth).values(row).onConflictDoNothing().returning({ ts: vaultGrowth.ts });
      return inserted.length > 0;
    } catch (error) {
      if (pgCodeOf(error) === FOREIGN_KEY_VIOLATION) {
        throw new VaultError('VAULT_NOT_FOUND', `vault ${point.vaultId} does not exist`);
      }
      throw error;
    }
  }

  async growthCurve(vaultId: string, range: GrowthRange = {}): Promise<readonly GrowthPoint[]> {
    const conditions: SQL[] = [eq(vaultGrowth.vaultId, vaultId)];
    if (range.from !== undefined) conditions.push(gte(vaultGrowth.ts, range.from));
    if (range.to !== undefined) conditions.push(lte(vaultGrowth.ts, range.to));
    const rows = await this.db
      .select()
      .from(vaultGrowth)
      .where(and(...conditions))
      .orderBy(asc(vaultGrowth.ts));
    return rows.map(toGrowthPoint);
  }
}

/** Ids in bytewise order, as the in-memory repository's string comparison sorts them, whatever the collation. */
const bytewise = (column: typeof vaults.id | typeof personas.id | typeof positions.instrument): SQL => sql`${column} collate "C"`;

/** The canonical text of a stored `numeric` (PostgreSQL writes it with the scale it was given). */
const canonical = (value: string): string => str(dec(value));

const FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE of a database error, found under drizzle's wrapper. */
function pgCodeOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

function versionRow(vaultId: string, version: number, kind: VaultChangeKind, config: VaultConfig, overlay: VaultOverlay | null, change: ChangeMeta) {
  return { vaultId, version, kind, config, overlay, actor: change.actor, reason: change.reason, at: change.at, eventId: change.eventId };
}

function stateRow(state: VaultState): StateInsert {
  const loan = state.loan;
  return {
    vaultId: state.vaultId,
    revision: state.revision,
    cash: state.cash,
    reserve: state.reserve,
    withdrawn: state.withdrawn,
    realizedPnl: state.realizedPnl,
    uncompoundedPnl: state.uncompoundedPnl,
    pendingSweep: state.pendingSweep,
    fees: state.fees,
    stoppedConvictions: [...state.stoppedConvictions],
    lastCompoundedAt: state.lastCompoundedAt,
    updatedAt: state.updatedAt,
    loanLender: loan?.lender ?? null,
    loanPrincipal: loan?.principal ?? null,
    loanHighWaterMark: loan?.highWaterMark ?? null,
    loanInterestOwed: loan?.interestOwed ?? null,
    loanInterestPaid: loan?.interestPaid ?? null,
    loanLenderOwed: loan?.lenderOwed ?? null,
    loanLenderPaid: loan?.lenderPaid ?? null,
    loanVaultShare: loan?.vaultShare ?? null,
    loanAccruedThrough: loan?.accruedThrough ?? null,
  };
}

function positionRow(vaultId: string, p: Position): PositionInsert {
  return {
    vaultId,
    instrument: p.instrument,
    quantity: p.quantity,
    costBasis: p.costBasis,
    avgPrice: p.avgPrice,
    realizedPnl: p.realizedPnl,
    openedAt: p.openedAt,
    convictionId: p.convictionId,
    convictionExpiresAt: p.convictionExpiresAt,
    nextLeg: p.nextLeg,
    expiryHandled: p.expiryHandled,
  };
}

const sortPositions = (rows: PositionRow[]): PositionRow[] =>
  rows.sort((a, b) => (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : 0));

function toVault(row: VaultRow): VaultRecord {
  return deepFreeze({
    id: row.id,
    version: row.version,
    config: row.config as VaultConfig,
    overlay: (row.overlay ?? null) as VaultOverlay | null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

function toVersion(row: VersionRow): VaultVersion {
  return deepFreeze({
    vaultId: row.vaultId,
    version: row.version,
    kind: row.kind as VaultChangeKind,
    config: row.config as VaultConfig,
    overlay: (row.overlay ?? null) as VaultOverlay | null,
    actor: row.actor,
    reason: row.reason,
    at: row.at,
    eventId: row.eventId,
  });
}

function toPersona(row: PersonaRow): PersonaRecord {
  return deepFreeze({
    persona: row.persona as Persona,
    version: row.version,
    actor: row.actor,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

function toPosition(row: PositionRow): Position {
  return {
    instrument: row.instrument,
    quantity: canonical(row.quantity),
    costBasis: canonical(row.costBasis),
    avgPrice: canonical(row.avgPrice),
    realizedPnl: canonical(row.realizedPnl),
    openedAt: row.openedAt,
    convictionId: row.convictionId,
    convictionExpiresAt: row.convictionExpiresAt,
    nextLeg: row.nextLeg,
    expiryHandled: row.expiryHandled,
  };
}

function toState(row: StateRow, held: readonly PositionRow[]): VaultState {
  const loan =
    row.loanLender === null
      ? null
      : {
          lender: row.loanLender,
          principal: canonical(row.loanPrincipal!),
          highWaterMark: canonical(row.loanHighWaterMark!),
          interestOwed: canonical(row.loanInterestOwed!),
          interestPaid: canonical(row.loanInterestPaid!),
          lenderOwed: canonical(row.loanLenderOwed!),
          lenderPaid: canonical(row.loanLenderPaid!),
          vaultShare: canonical(row.loanVaultShare!),
          // The table's check constraint sets every loan column or none.
          accruedThrough: row.loanAccruedThrough!,
        };
  return deepFreeze({
    vaultId: row.vaultId,
    revision: row.revision,
    cash: canonical(row.cash),
    reserve: canonical(row.reserve),
    withdrawn: canonical(row.withdrawn),
    realizedPnl: canonical(row.realizedPnl),
    uncompoundedPnl: canonical(row.uncompoundedPnl),
    pendingSweep: canonical(row.pendingSweep),
    fees: canonical(row.fees),
    positions: held.map(toPosition),
    stoppedConvictions: [...row.stoppedConvictions],
    lastCompoundedAt: row.lastCompoundedAt,
    loan,
    updatedAt: row.updatedAt,
  });
}

function toGrowthPoint(row: GrowthRow): GrowthPoint {
  return deepFreeze({
    vaultId: row.vaultId,
    ts: row.ts,
    equity: canonical(row.equity),
    nav: canonical(row.nav),
    cash: canonical(row.cash),
    reserve: canonical(row.reserve),
    withdrawn: canonical(row.withdrawn),
    realizedPnl: canonical(row.realizedPnl),
    unrealizedPnl: canonical(row.unrealizedPnl),
    totalValue: canonical(row.totalValue),
  });
}
