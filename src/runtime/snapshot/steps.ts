/**
 * A table feed partition's batch as snapshot steps (pure): runs of rows of one version to write, seals to record
 * at an offset, and stale rows to dead-letter. The handlers (consumer/table-*.ts) execute the steps in order.
 *
 * Rules, per partition, given the highest version it sealed and the highest published:
 * - a row of a version at or below either is stale (`snapshot` stage, never written): versions only go forward;
 * - an end marker of version V seals V (`marker` seal) or everything up to V (`nextVersion`, `idle`); a marker at
 *   or below the published version is a replay and is skipped;
 * - `nextVersion`: a row of version V first seals everything up to V − 1 at its own offset.
 */
import type { DecodeFailure, DecodedRecord } from '../record.js';
import type { SealMode } from './verdict.js';

/** What a partition has sealed (highest version) and its destination has published (highest version), 0 = none. */
export interface SnapshotPosition {
  sealed: number;
  published: number;
}

/** Rows of one version; every offset below `end` is handled once the run is written. */
export interface RowsStep {
  kind: 'rows';
  version: number;
  /** The producer's snapshot date of the run's first row (a day number), or null. */
  date: number | null;
  records: DecodedRecord[];
  end: number;
}

/**
 * A seal: everything below `at` must be durable first; then the seal is recorded and `next` becomes the partition's
 * offset (`at + 1` after an end marker, `at` when a row of a later version seals).
 */
export interface SealStep {
  kind: 'seal';
  version: number;
  through: boolean;
  expected: number | null;
  at: number;
  next: number;
  /** Whether the version was announced by an end marker (it is opened in the ledger if nobody saw a row of it). */
  marker: boolean;
}

export type SnapshotStep = RowsStep | SealStep;

export interface StaleRecord {
  record: DecodedRecord;
  failure: DecodeFailure;
}

export interface SnapshotPlan {
  steps: SnapshotStep[];
  stale: StaleRecord[];
}

/** The steps of one batch (records in offset order, covering offsets up to `nextOffset`). */
export function snapshotSteps(
  position: SnapshotPosition,
  records: readonly DecodedRecord[],
  nextOffset: number,
  mode: SealMode,
): SnapshotPlan {
  const out: SnapshotPlan = { steps: [], stale: [] };
  let { sealed } = position;
  const { published } = position;
  let run: RowsStep | null = null;
  const close = (end: number) => {
    if (run) run.end = end;
    run = null;
  };
  for (const r of records) {
    const tag = r.snapshot;
    if (tag === undefined) continue; // streams never get here; the decoder tags every table record
    if (tag.end) {
      if (tag.version <= published) continue;
      close(r.offset);
      const through = mode !== 'marker';
      out.steps.push(seal(tag.version, through, tag.rows, r.offset, r.offset + 1, true));
      sealed = Math.max(sealed, tag.version);
      continue;
    }
    if (tag.version <= Math.max(sealed, published)) {
      out.stale.push({ record: r, failure: staleFailure(tag.version, sealed, published) });
      continue;
    }
    if (mode === 'nextVersion' && tag.version - 1 > sealed) {
      close(r.offset);
      out.steps.push(seal(tag.version - 1, true, null, r.offset, r.offset, false));
      sealed = tag.version - 1;
    }
    if (run === null || run.version !== tag.version) {
      close(r.offset);
      run = { kind: 'rows', version: tag.version, date: tag.date, records: [], end: nextOffset };
      out.steps.push(run);
    }
    run.records.push(r);
  }
  close(nextOffset);
  return out;
}

function seal(
  version: number,
  through: boolean,
  expected: number | null,
  at: number,
  next: number,
  marker: boolean,
): SealStep {
  return { kind: 'seal', version, through, expected, at, next, marker };
}

function staleFailure(version: number, sealed: number, published: number): DecodeFailure {
  const why =
    version <= published
      ? `version ${published} is already published`
      : `this partition already sealed version ${sealed}`;
  return {
    stage: 'snapshot',
    errorClass: 'StaleVersion',
    message: `a row of snapshot version ${version} arrived after its end: ${why}`,
  };
}
