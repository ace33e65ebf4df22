/**
 * Where a partition reads from (pure). Kafka's committed offset is only a hint — it may be missing, behind, ahead,
 * past the log end or before the log start — while the sink's durable offset is the truth. When a partition is
 * (re)started the consumer seeks to the durable offset (or to the log start when the sink holds nothing yet); the
 * first batch after that seek is accepted wherever it starts, and every batch is resolved, so no partition can
 * loop on a batch for ever.
 */

/** A started partition's read position. */
export interface ReadPosition {
  /** The sink's durable next offset when the partition was started; null when it holds nothing. */
  durable: number | null;
  /** Next offset to hand to the sink; null until the first batch after the start was accepted. */
  next: number | null;
  /** Where the consumer last sought since the start (-2: the log start); null when it did not seek. */
  soughtTo: number | null;
}

/** What to do with a batch. */
export type BatchStep =
  /** Drop the batch and seek; the batch after the seek decides again. */
  | { kind: 'seek'; to: number }
  /**
   * Hand the messages from `next` on to the sink (those below are durable or buffered already). `gap`: offsets
   * before the batch are no longer in Kafka (retention); `ahead`: the sink holds offsets the log no longer has
   * (the topic was recreated or truncated) — both are logged.
   */
  | { kind: 'accept'; next: number; note: 'gap' | 'ahead' | null };

/** Kafka's "earliest" for a seek: the log start. */
export const EARLIEST = -2;

/** Where a (re)started partition must read from: its durable offset, else the log start (when known). */
export function startTarget(durable: number | null, logStart: number | null): number {
  return durable ?? logStart ?? EARLIEST;
}

/**
 * @param pos the partition's position
 * @param first the batch's first message offset
 * @param fetched the offset the batch was fetched from (kafkajs' `batch.fetchedOffset`)
 */
export function batchStep(pos: ReadPosition, first: number, fetched: number): BatchStep {
  if (pos.next !== null) {
    // Running. Gaps inside a fetch are compaction or transaction markers; a fetch from beyond our position is
    // Kafka's position running ahead of ours (e.g. after a rebalance): go back, once.
    if (fetched <= pos.next) return { kind: 'accept', next: pos.next, note: null };
    if (pos.soughtTo === pos.next) return { kind: 'accept', next: first, note: 'gap' };
    return { kind: 'seek', to: pos.next };
  }
  if (pos.soughtTo === null) {
    const target = pos.durable ?? 0;
    return first === target
      ? { kind: 'accept', next: first, note: null }
      : { kind: 'seek', to: pos.durable ?? EARLIEST };
  }
  if (pos.durable === null || first === pos.durable) return { kind: 'accept', next: first, note: null };
  return first > pos.durable
    ? { kind: 'accept', next: first, note: 'gap' }
    : { kind: 'accept', next: pos.durable, note: 'ahead' };
}
