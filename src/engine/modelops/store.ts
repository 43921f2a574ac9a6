/**
 * What model operations keep beyond the registry itself: each version's drift reference (computed once, see
 * reference.ts), the drift reports of the scheduled evaluations, and each reinforced stacker version's last
 * checkpoint (reinforcement.ts). Implemented in SQL by
 * `store/model-registry.repo.ts`, in memory here for tests and tools.
 */
import type { DriftKey, DriftLevel, DriftStat } from './drift.js';
import { ModelOpsError } from './errors.js';
import { MemoryModelRegistry, type ModelRegistryRepository } from './registry.js';
import type { ReinforcementCheckpoint } from './reinforcement.js';

/** One version's drift at one evaluation. */
export interface DriftReportRecord {
  /** Derived from the version and the evaluation time. */
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly asOf: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly level: DriftLevel;
  readonly alarmed: boolean;
  readonly raisedBy: string | null;
  readonly weightMultiplier: number;
  /** The statistics of the version's keys (its features and its output). */
  readonly keys: readonly DriftStat[];
}

export interface ModelOpsStore extends ModelRegistryRepository {
  /** Stores a version's drift reference; refused for an unknown version. */
  setReference(versionId: string, keys: readonly DriftKey[]): Promise<void>;
  reference(versionId: string): Promise<readonly DriftKey[] | null>;
  /** Appends reports; a report whose id is stored already is skipped. */
  appendDriftReports(reports: readonly DriftReportRecord[]): Promise<void>;
  /** A model's reports with `from <= asOf <= to`, oldest first, at most `limit`. */
  driftReports(model: string, from: number, to: number, limit: number): Promise<readonly DriftReportRecord[]>;
  /** A version's latest report (by `asOf`), what a restart restores a standing alarm from; null when none. */
  latestDriftReport(model: string, version: string): Promise<DriftReportRecord | null>;
  /** Replaces a stacker version's reinforcement checkpoint; refused for an unknown version. */
  setReinforcementState(versionId: string, checkpoint: ReinforcementCheckpoint): Promise<void>;
  /** The last checkpoint stored for the version; null when none (or no such version). */
  reinforcementState(versionId: string): Promise<ReinforcementCheckpoint | null>;
}

export class MemoryModelOpsStore extends MemoryModelRegistry implements ModelOpsStore {
  readonly #references = new Map<string, readonly DriftKey[]>();
  readonly #reports = new Map<string, DriftReportRecord>();
  readonly #reinforcement = new Map<string, ReinforcementCheckpoint>();

  async setReference(versionId: string, keys: readonly DriftKey[]): Promise<void> {
    if (!(await this.get(versionId))) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
    this.#references.set(versionId, keys);
  }

  async reference(versionId: string): Promise<readonly DriftKey[] | null> {
    return this.#references.get(versionId) ?? null;
  }

  async appendDriftReports(reports: readonly DriftReportRecord[]): Promise<void> {
    for (const r of reports) if (!this.#reports.has(r.id)) this.#reports.set(r.id, r);
  }

  async latestDriftReport(model: string, version: string): Promise<DriftReportRecord | null> {
    let latest: DriftReportRecord | null = null;
    for (const r of this.#reports.values()) {
      if (r.model === model && r.version === version && (!latest || r.asOf > latest.asOf || (r.asOf === latest.asOf && r.id > latest.id))) latest = r;
    }
    return latest;
  }

  async driftReports(model: string, from: number, to: number, limit: number): Promise<readonly DriftReportRecord[]> {
    return [...this.#reports.values()]
      .filter((r) => r.model === model && r.asOf >= from && r.asOf <= to)
      .sort((a, b) => a.asOf - b.asOf || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async setReinforcementState(versionId: string, checkpoint: ReinforcementCheckpoint): Promise<void> {
    if (!(await this.get(versionId))) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
    this.#reinforcement.set(versionId, checkpoint);
  }

  async reinforcementState(versionId: string): Promise<ReinforcementCheckpoint | null> {
    return this.#reinforcement.get(versionId) ?? null;
  }
}
