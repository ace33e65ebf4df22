/**
 * The test suite's S3: one shared S3Proxy on a fixed loopback port (FEEDCTL_TEST_S3_ENDPOINT overrides it) with
 * bucket `feedctl-test`, started by scripts/test.sh. Each test file gets its own key prefix (test/helpers/env.ts).
 * Clients use the SDK's default chain, which finds the local credentials in AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (set for test processes by vitest.config.ts, and so inherited by spawned `feedctl`s).
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../../src/config/config.js';
import { lakeConfig, type LakeConfig, type S3LakeConfig } from '../../src/config/lake.js';
import { createS3 } from '../../src/clients/s3.js';

export const TEST_S3_ENDPOINT = process.env.FEEDCTL_TEST_S3_ENDPOINT || 'http://127.0.0.1:9311';
export const TEST_S3_BUCKET = 'feedctl-test';

/** A lake config on the test bucket under `prefix`, read the way the product reads `lake.*` settings. */
export function testS3Lake(prefix: string): LakeConfig {
  const problems: string[] = [];
  const lake = lakeConfig(
    { 'lake.root': `s3://${TEST_S3_BUCKET}/${prefix}`, 'lake.s3.endpoint': TEST_S3_ENDPOINT },
    process.cwd(),
    problems,
  );
  if (problems.length > 0) throw new Error(`test S3 lake: ${problems.join('; ')}`);
  return lake;
}

/** An object of the env's lake: `key` relative to the lake root (e.g. `streams/t/year=2024/...`). */
export interface LakeObject {
  key: string;
  size: number;
}

function s3Of(config: Config): S3LakeConfig {
  if (!config.lake.s3) throw new Error(`the test env's lake is not on S3: ${config.lake.root}`);
  return config.lake.s3;
}

function fullKey(s3: S3LakeConfig, key: string): string {
  return s3.prefix ? `${s3.prefix}/${key}` : key;
}

async function withClient<T>(s3: S3LakeConfig, fn: (c: S3Client) => Promise<T>): Promise<T> {
  const client = createS3(s3);
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

async function listKeys(client: S3Client, s3: S3LakeConfig, under: string): Promise<LakeObject[]> {
  const root = s3.prefix ? `${s3.prefix}/` : '';
  const out: LakeObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: root + under, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? [])
      if (o.Key) out.push({ key: o.Key.slice(root.length), size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Every object of the env's S3 lake whose key (relative to the lake root) starts with `under`, sorted by key. */
export function listLakeObjects(config: Config, under = ''): Promise<LakeObject[]> {
  const s3 = s3Of(config);
  return withClient(s3, (c) => listKeys(c, s3, under));
}

/** The bytes of one object of the env's S3 lake (`key` relative to the lake root). */
export function readLakeObject(config: Config, key: string): Promise<Buffer> {
  const s3 = s3Of(config);
  return withClient(s3, async (c) => {
    const res = await c.send(new GetObjectCommand({ Bucket: s3.bucket, Key: fullKey(s3, key) }));
    return Buffer.from(await res.Body!.transformToByteArray());
  });
}

/** Deletes every object under the env's lake prefix; returns how many. */
export function deleteLakeObjects(config: Config): Promise<number> {
  const s3 = s3Of(config);
  if (!s3.prefix) throw new Error('refusing to empty the whole test bucket: the env has no lake prefix');
  return withClient(s3, async (c) => {
    const keys = await listKeys(c, s3, '');
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((o) => ({ Key: fullKey(s3, o.key) }));
      const res = await c.send(
        new DeleteObjectsCommand({ Bucket: s3.bucket, Delete: { Objects: batch, Quiet: true } }),
      );
      if (res.Errors?.length) throw new Error(`deleting test lake objects: ${JSON.stringify(res.Errors[0])}`);
    }
    return keys.length;
  });
}
