/** The content of a lake commit record (commit.ts), and its parser (pure). */

/** A partition's durable lake progress. Invariant: every file in `files` is final or still staged, never lost. */
export interface CommitRecord {
  topic: string;
  partition: number;
  /** The next offset to consume: every record below it is in a final (or listed, staged) file, or dead-lettered.
   *  Null only in the claim of a partition that never committed. */
  nextOffset: number | null;
  /** Final paths of the last flush, relative to the lake root. */
  files: string[];
  /** The writer whose staging folder holds `files` until they are published. */
  writer: string;
  /**
   * Table feeds: rows written so far per partition key (snapshot version) still being counted, committed with the
   * offset they reach, so a count is exact whatever crashes. Absent for streams.
   */
  counts?: Record<string, number>;
}

/** A record as parsed, or null when it is not one. */
export function parseRecord(text: string): CommitRecord | null {
  try {
    const r = JSON.parse(text) as Partial<CommitRecord> | null;
    const ok =
      typeof r?.topic === 'string' &&
      Number.isSafeInteger(r.partition) &&
      (r.nextOffset === null || Number.isSafeInteger(r.nextOffset)) &&
      Array.isArray(r.files) &&
      r.files.every((f) => typeof f === 'string') &&
      typeof r.writer === 'string' &&
      /^[0-9a-z]+$/.test(r.writer) &&
      (r.counts === undefined || validCounts(r.counts));
    return ok ? (r as CommitRecord) : null;
  } catch {
    return null;
  }
}

function validCounts(c: unknown): boolean {
  return (
    c !== null &&
    typeof c === 'object' &&
    !Array.isArray(c) &&
    Object.entries(c).every(([k, v]) => /^\d+$/.test(k) && Number.isSafeInteger(v) && (v as number) >= 0)
  );
}
