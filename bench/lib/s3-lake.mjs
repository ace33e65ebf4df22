// The bench's lake on S3: the local S3Proxy on a loopback endpoint (default 127.0.0.1:9311, the one the test suite
// uses; BENCH_S3_ENDPOINT overrides it), brought up — or found running — by the product's own `startS3Proxy`, with
// the bench's bucket `feedctl-bench`; each scenario gets a key prefix of its own, emptied afterwards. The bench's
// own client signs with the local credentials given explicitly; worker children find them in their environment
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, set here for this process and so inherited), as a deployed worker
// finds real ones through the AWS SDK's default chain.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3 } from '../../dist/clients/s3.js';
import { lakeConfig } from '../../dist/config/lake.js';
import { statePaths } from '../../dist/runtime/lake/paths.js';
import { LOCAL_S3_CREDENTIALS, startS3Proxy } from '../../dist/stack/s3proxy.js';

export const BENCH_S3_ENDPOINT = process.env.BENCH_S3_ENDPOINT || 'http://127.0.0.1:9311';
export const BENCH_S3_BUCKET = 'feedctl-bench';

/** A lake config on the bench bucket under `prefix`, read the way the product reads `lake.*` settings. */
export function benchS3Lake(prefix) {
  const problems = [];
  const raw = { 'lake.root': `s3://${BENCH_S3_BUCKET}/${prefix}`, 'lake.s3.endpoint': BENCH_S3_ENDPOINT };
  const lake = lakeConfig(raw, process.cwd(), problems);
  if (problems.length > 0) throw new Error(`bench: S3 lake: ${problems.join('; ')}`);
  return lake;
}

/**
 * Starts the local S3Proxy unless one answers on the endpoint (idempotent, shared with the tests), makes sure the
 * bench bucket exists and puts the local credentials into this process's environment for the worker children.
 */
export async function ensureBenchS3(base) {
  const result = await startS3Proxy({ ...base, lake: benchS3Lake('') });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_S3_CREDENTIALS.secretAccessKey;
  return result;
}

/** A client for the bench bucket (one per scenario; `destroy()` it). */
export const benchS3Client = (lake) => createS3(lake.s3, { credentials: LOCAL_S3_CREDENTIALS });

const rootOf = (s3) => (s3.prefix ? `${s3.prefix}/` : '');

/** Every object under `under` (relative to the lake root): `[{ key (relative), size }]`. */
async function listKeys(client, s3, under) {
  const out = [];
  let token;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: rootOf(s3) + under, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) out.push({ key: o.Key.slice(rootOf(s3).length), size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * Next offset per partition in the S3 lake's commit records (0 where none yet): one listing of the feed's commit
 * records, then a GET of each partition's highest numbered record unless `cache` already read that one.
 */
export async function s3LakeDurable(s, client, cache = new Map()) {
  const s3 = s.config.lake.s3;
  const out = new Array(s.partitions).fill(0);
  const newest = new Map();
  const folders = Array.from({ length: s.partitions }, (_, p) => statePaths(s.feed, s.topic, p).commits);
  for (const { key } of await listKeys(client, s3, `_feedctl/commits/${s.feed}/`)) {
    const p = folders.findIndex((f) => key.startsWith(`${f}/`));
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (p >= 0 && /^\d{12,}\.json$/.test(name) && name > (newest.get(p) ?? '')) newest.set(p, name);
  }
  for (const [p, name] of newest) {
    const key = `${folders[p]}/${name}`;
    if (!cache.has(key)) {
      const record = await readObject(client, s3, key);
      if (record === null) continue; // pruned since the listing: the next poll sees the newer one
      cache.set(key, JSON.parse(Buffer.from(record).toString('utf8')).nextOffset ?? 0);
    }
    out[p] = cache.get(key);
  }
  return out;
}

async function readObject(client, s3, key) {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: rootOf(s3) + key }));
    return await res.Body.transformToByteArray();
  } catch (err) {
    if (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
}

/** Downloads the feed's data files (`streams/<feed>/…`) into `dir`, same layout; returns files and bytes. */
export async function downloadStreams(s, client, dir) {
  const s3 = s.config.lake.s3;
  const keys = await listKeys(client, s3, `streams/${s.feed}/`);
  let bytes = 0;
  for (const { key } of keys) {
    const body = await readObject(client, s3, key);
    if (body === null) throw new Error(`bench: lake object ${key} vanished while downloading`);
    mkdirSync(path.join(dir, path.dirname(key)), { recursive: true });
    writeFileSync(path.join(dir, key), body);
    bytes += body.length;
  }
  return { files: keys.length, bytes };
}

/** Deletes every object under the lake's prefix (never a whole bucket); returns how many. */
export async function emptyS3Lake(lake) {
  const s3 = lake.s3;
  if (!s3.prefix) throw new Error('bench: refusing to empty the whole bench bucket (no prefix)');
  const client = benchS3Client(lake);
  try {
    const keys = await listKeys(client, s3, '');
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((o) => ({ Key: rootOf(s3) + o.key }));
      const res = await client.send(
        new DeleteObjectsCommand({ Bucket: s3.bucket, Delete: { Objects, Quiet: true } }),
      );
      if (res.Errors?.length)
        throw new Error(`bench: deleting lake objects: ${JSON.stringify(res.Errors[0])}`);
    }
    return keys.length;
  } finally {
    client.destroy();
  }
}
