/**
 * Kafka compression codecs for kafkajs, which only knows gzip by itself: snappy (including the xerial framing the
 * Java client and brokers write), LZ4 (frame format) and zstd. A topic with `compression.type: snappy`, or any
 * producer that compresses, would otherwise crash every consumer. All are pure JavaScript (no native builds).
 * feedctl only produces dead letters, uncompressed; zstd is read-only here.
 */
import { FeedctlError } from '../errors.js';
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';

// kafkajs is CommonJS: Node's ESM loader does not see these two as named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Encoder {
  buffer: Buffer;
}

const lz4Codec = () => ({
  compress: async (encoder: Encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
});

const zstdCodec = () => ({
  compress: async (): Promise<Buffer> => {
    throw new FeedctlError('CONFIG_INVALID', 'feedctl reads zstd but does not produce it', {
      subsystem: 'kafka',
      action: 'compress with zstd',
    });
  },
  decompress: async (buffer: Buffer) => Buffer.from(zstdDecompress(buffer)),
});

/** Registers the codecs once; safe to call again. */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = zstdCodec;
}
