/** What a lake file is called and carries (pure): its path from its key and offsets, its key-value metadata. */
import type { FeedSpec } from '../../feeds/types.js';
import type { StagedFile } from './commit.js';
import type { EncodedGroup } from './lane-protocol.js';
import { METADATA_KEYS } from './parquet.js';
import type { Partitioner } from './partitioner.js';
import { dataFileName } from './paths.js';

/** The metadata every file of a partition carries (the encoder adds each file's first and last offsets). */
export function fileMetadata(
  opts: { feed: FeedSpec; topic: string; generation: number; specHash: string },
  schemaHash: string,
  partition: number,
): Record<string, string> {
  const k = METADATA_KEYS;
  return {
    [k.feed]: opts.feed.name,
    [k.generation]: String(opts.generation),
    [k.specHash]: opts.specHash,
    [k.schemaHash]: schemaHash,
    [k.topic]: opts.topic,
    [k.partition]: String(partition),
  };
}

/** One key's Parquet file at its final relative path. */
export function stagedFile(
  partitioner: Partitioner,
  topic: string,
  partition: number,
  g: EncodedGroup,
): StagedFile {
  const name = dataFileName(topic, partition, g.firstOffset, g.lastOffset);
  return { path: `${partitioner.dir(g.key)}/${name}`, bytes: g.bytes };
}
