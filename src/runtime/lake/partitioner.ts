/**
 * How the lake splits a partition's records into files: a partitioner names each record's partition key and the
 * folder of a key's files. Streams split by UTC event day (`streams/<feed>/year=/month=/day=`); table feeds will
 * split by snapshot version (`tables/<feed>/version=N`). The sink writes one file per key and flush.
 */
import type { DecodedRecord } from '../record.js';
import { streamDir, utcDay } from './paths.js';

export interface Partitioner {
  /** The record's partition key (a UTC day number, a snapshot version …). */
  keyOf(record: DecodedRecord): number;
  /** The folder of one key's files, relative to the lake root. */
  dir(key: number): string;
}

/** Streams: by the UTC day of the event time. */
export function dayPartitioner(feed: string): Partitioner {
  return { keyOf: (r) => utcDay(r.eventTimeMs), dir: (day) => streamDir(feed, day) };
}
