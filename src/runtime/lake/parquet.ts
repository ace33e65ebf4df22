/**
 * Arrow table → Parquet bytes (pure, in memory) through parquet-wasm, with the feed's compression and feedctl's
 * key-value metadata. parquet-wasm's `writeParquet` consumes its WriterProperties (and its table): reusing a
 * properties object silently writes UNCOMPRESSED, so both are built anew for every file.
 *
 * parquet-wasm costs a thread some 30 MB once loaded, so it is loaded by {@link loadParquet} where files are
 * encoded (the lane threads; the runtime thread only for table feeds, or without lanes), not on import.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import type { Compression } from 'parquet-wasm';
import { internalError } from '../../errors.js';
import type { LakeCompression } from '../../feeds/types.js';

type ParquetWasm = typeof import('parquet-wasm');
let wasm: ParquetWasm | null = null;

/** Loads parquet-wasm in this thread (once); {@link parquetBytes} needs it. */
export async function loadParquet(): Promise<void> {
  wasm ??= await import('parquet-wasm');
}

/** parquet-wasm's codec of each lake compression, by its name in `Compression`. */
const CODECS = {
  snappy: 'SNAPPY',
  zstd: 'ZSTD',
  gzip: 'GZIP',
  lz4: 'LZ4_RAW',
  none: 'UNCOMPRESSED',
} as const satisfies Record<LakeCompression, keyof typeof Compression>;

/**
 * The most a column's dictionary page may hold before the writer falls back to plain encoding for the rest of the
 * column chunk. parquet-wasm's default (1 MiB) dictionary-encodes a unique column (ids, event times, amounts) of a
 * whole file before giving up: measured on 80,000 bench rows (4 fields), 64 KiB encoded 2.4× faster and wrote a
 * 26 % smaller file, and a column of 3,000 distinct customers kept its dictionary (the file 29 % smaller).
 */
const DICTIONARY_PAGE_BYTES = 64 * 1024;

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
  const w = wasm;
  if (w === null)
    throw internalError('lake', 'encode Parquet', 'loadParquet() was not awaited in this thread');
  const wasmTable = w.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new w.WriterPropertiesBuilder()
    .setCompression(w.Compression[CODECS[compression]])
    .setDictionaryPageSizeLimit(DICTIONARY_PAGE_BYTES)
    .setKeyValueMetadata(new Map(Object.entries(metadata)))
    .setCreatedBy('feedctl')
    .build();
  return w.writeParquet(wasmTable, properties);
}
