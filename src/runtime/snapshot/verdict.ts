/**
 * When an open snapshot version is sealed, and whether it is complete (pure). Inputs are the ledger's rows; the
 * ledger (ledger.ts) applies the verdicts.
 *
 * - `marker` seal: version N is sealed when every partition 0..P-1 has sealed N itself (its end marker).
 * - `nextVersion` / `idle` seal: a partition seals *through* a version (everything up to it is done there), so N is
 *   sealed when every partition has sealed some version ≥ N.
 * A sealed version is incomplete when a partition's end marker gave a row count that differs from the rows
 * written for it there (rows dead-lettered on the way count as missing).
 */
export type SealMode = 'marker' | 'nextVersion' | 'idle';

/** One row of feedctl_snapshot_partitions. */
export interface PartitionRow {
  version: number;
  partition: number;
  rowsWritten: number;
  rowsExpected: number | null;
  sealed: boolean;
}

export type Verdict =
  | { version: number; state: 'open' }
  | { version: number; state: 'sealed'; rows: number }
  | { version: number; state: 'incomplete'; rows: number; reason: string };

/** The verdict of each open version (ascending), given every partition row of versions ≥ the lowest open one. */
export function verdicts(
  open: readonly number[],
  rows: readonly PartitionRow[],
  partitions: number,
  mode: SealMode,
): Verdict[] {
  const through = new Map<number, number>();
  for (const r of rows) {
    if (r.sealed) through.set(r.partition, Math.max(through.get(r.partition) ?? 0, r.version));
  }
  return [...open]
    .sort((a, b) => a - b)
    .map((version) => {
      const mine = rows.filter((r) => r.version === version);
      const sealedBy =
        mode === 'marker'
          ? new Set(mine.filter((r) => r.sealed).map((r) => r.partition))
          : new Set([...through].filter(([, v]) => v >= version).map(([p]) => p));
      for (let p = 0; p < partitions; p++) if (!sealedBy.has(p)) return { version, state: 'open' };
      const total = mine.reduce((sum, r) => sum + r.rowsWritten, 0);
      const wrong = mine.filter((r) => r.rowsExpected !== null && r.rowsExpected !== r.rowsWritten);
      if (wrong.length === 0) return { version, state: 'sealed', rows: total };
      const reason = wrong
        .sort((a, b) => a.partition - b.partition)
        .map(
          (r) => `partition ${r.partition}: ${r.rowsWritten} rows written, end marker says ${r.rowsExpected}`,
        )
        .join('; ');
      return { version, state: 'incomplete', rows: total, reason };
    });
}
