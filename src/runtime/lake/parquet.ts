/**
 * Arrow table → Parquet bytes (pure, in memory) through parquet-wasm, with the feed's compression and feedctl's
 * key-value metadata. parquet-wasm's `writeParquet` consumes its WriterProperties (and its table): reusing a
 * properties object silently writes UNCOMPRESSED, so both are built anew for every file.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import type { LakeCompression } from '../../feeds/types.js';

const CODECS: Record<LakeCompression, Compression> = {
  snappy: Compression.SNAPPY,
  zstd: Compression.ZSTD,
  gzip: Compression.GZIP,
  lz4: Compression.LZ4_RAW,
  none: Compression.UNCOMPRESSED,
};

/** Key-value metadata keys of every lake file; values are strings. */
export const METADATA_KEYS = {
  feed: 'feedctl.feed',
  generation: 'feedctl.generation',
  specHash: 'feedctl.spec_hash',
  schemaHash: 'feedctl.schema_hash',
  topic: 'feedctl.topic',
  partition: 'feedctl.partition',
  firstOffset: 'feedctl.first_offset',
  lastOffset: 'feedctl.last_offset',
} as const;

/** One Parquet file holding `table`, every column compressed with `compression`. */
export function parquetBytes(
  table: Table,
  compression: LakeCompression,
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new WriterPropertiesBuilder()
    .setCompression(CODECS[compression])
    .setKeyValueMetadata(new Map(Object.entries(metadata)))
    .setCreatedBy('feedctl')
    .build();
  return writeParquet(wasmTable, properties);
}
