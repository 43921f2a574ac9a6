/** The benchmark's output: a markdown table on stdout, the raw results as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Percentiles } from '../../src/engine/metrics.js';
import type { TrialResult } from './trial.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(1) : int(n));
const pct = (p: Percentiles | null): string => (p ? `${ms(p.p50)} / ${ms(p.p99)}` : 'n/a');

export function markdownTable(rows: readonly (TrialResult & { readonly label?: string })[]): string {
  const header = [
    'mode',
    'run',
    'target /s',
    'offered /s',
    'achieved /s',
    'backlog at end',
    'drained after',
    'kept up',
    'ingest→conviction p50 / p99 ms',
    'ingest→signal stored p50 / p99 ms',
    'convictions',
    'load',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(
      `| ${[
        r.mode,
        r.label ?? '',
        int(r.targetRate),
        int(r.offeredRate),
        int(r.achievedRate),
        int(r.backlogAtEnd),
        r.drainMs === null ? 'not within cap' : `${ms(r.drainMs)} ms`,
        r.sustained ? 'yes' : 'no',
        pct(r.ingestToConviction),
        pct(r.ingestToSignalStored),
        int(r.ingestToConviction?.count ?? 0),
        r.loadAverage.toFixed(1),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Writes `report` as `bench/results/<name>-<timestamp>.json` and returns the path. */
export function writeResults(dir: string, name: string, report: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
