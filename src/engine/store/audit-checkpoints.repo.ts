/**
 * The audit log's Merkle checkpoints over drizzle, on both drivers. The table is append-only in the database
 * (migration 0006), like the log: a checkpoint is inserted once per block and never changed.
 */
import { asc, desc, gte } from 'drizzle-orm';
import type { AuditCheckpoint, AuditCheckpointStore } from '../audit/checkpoints.js';
import type { VantaDb } from './db.js';
import { auditCheckpoints } from './schema.js';

type CheckpointRow = typeof auditCheckpoints.$inferSelect;

export class DrizzleAuditCheckpointStore implements AuditCheckpointStore {
  constructor(private readonly db: VantaDb) {}

  async append(checkpoint: AuditCheckpoint): Promise<boolean> {
    const inserted = await this.db
      .insert(auditCheckpoints)
      .values({ ...checkpoint })
      .onConflictDoNothing({ target: auditCheckpoints.fromSeq })
      .returning({ fromSeq: auditCheckpoints.fromSeq });
    return inserted.length > 0;
  }

  async latest(): Promise<AuditCheckpoint | null> {
    const rows = await this.db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.fromSeq)).limit(1);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async list(from: number, limit: number): Promise<readonly AuditCheckpoint[]> {
    const rows = await this.db
      .select()
      .from(auditCheckpoints)
      .where(gte(auditCheckpoints.fromSeq, from))
      .orderBy(asc(auditCheckpoints.fromSeq))
      .limit(limit);
    return rows.map(toCheckpoint);
  }
}

function toCheckpoint(row: CheckpointRow): AuditCheckpoint {
  return Object.freeze({ fromSeq: row.fromSeq, toSeq: row.toSeq, root: row.root, createdAt: row.createdAt });
}
