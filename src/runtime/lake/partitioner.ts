/**
 * How the lake splits a partition's records into files: a partitioner names each record's partition key and the
 * folder of a key's files. Streams split by UTC event day (`streams/<feed>/year=/month=/day=`); table feeds
 * split by snapshot version (`tables/<feed>/version=N`). The sink writes one file per key and flush.
 */
import type { DecodedRecord } from '../record.js';
import { FeedctlError } from '../../errors.js';
import { stagedTableDir, streamDir, utcDay } from './paths.js';

export interface Partitioner {
  /** The record's partition key (a UTC day number, a snapshot version …). */
  keyOf(record: DecodedRecord): number;
  /** The key of a record by its event time alone, for partitioners that need nothing else (the lanes' fast path). */
  readonly keyOfEventTime?: (eventTimeMs: number) => number;
  /** The folder of one key's files, relative to the lake root. */
  dir(key: number): string;
  /** Whether commit records count the rows of each key (table feeds check them against end markers). */
  readonly counts: boolean;
}

/** Streams: by the UTC day of the event time. */
export function dayPartitioner(feed: string): Partitioner {
  return {
    keyOf: (r) => utcDay(r.eventTimeMs),
    keyOfEventTime: utcDay,
    dir: (day) => streamDir(feed, day),
    counts: false,
  };
}

/**
 * Table feeds: by snapshot version, into the version's staging folder `tables/<feed>/_staging/version=N/`, which
 * no reader glob matches; the whole folder is renamed into place when the version is published (version.ts).
 */
export function versionPartitioner(feed: string): Partitioner {
  return {
    keyOf: (r) => {
      if (r.snapshot === undefined || r.snapshot.end) {
        throw new FeedctlError('INTERNAL', 'a table feed record without its snapshot version', {
          subsystem: 'lake',
          action: 'partition record',
          id: `${feed}/p${r.partition}@${r.offset}`,
        });
      }
      return r.snapshot.version;
    },
    dir: (version) => stagedTableDir(feed, version),
    counts: true,
  };
}
