/**
 * The local stack's S3Proxy, for real: the suite's shared one (left running) and one of this file's own on a free
 * port (started, found again, stopped). Signatures are checked: the local credentials pass, a wrong secret does
 * not; a conditional create (`If-None-Match: *`) of an existing key is refused with 412.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { createS3, httpStatus, isPreconditionFailed } from '../../../src/clients/s3.js';
import { lakeConfig, type S3LakeConfig } from '../../../src/config/lake.js';
import {
  LOCAL_S3_CREDENTIALS,
  s3proxyPaths,
  s3proxyStatus,
  startS3Proxy,
  stopS3Proxy,
} from '../../../src/stack/s3proxy.js';
import { describeStack, stackUp } from '../../../src/stack/stack.js';
import { useTestEnv } from '../../helpers/env.js';
import { listLakeObjects, readLakeObject } from '../../helpers/s3.js';

const env = useTestEnv('stack_s3proxy', { lake: 's3' });

function clientWith(s3: S3LakeConfig, secretAccessKey: string): S3Client {
  return new S3Client({
    region: s3.region,
    endpoint: s3.endpoint ?? undefined,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: LOCAL_S3_CREDENTIALS.accessKeyId, secretAccessKey },
  });
}

function s3(): S3LakeConfig {
  return env.config.lake.s3!;
}

function key(name: string): string {
  return `${s3().prefix}/${name}`;
}

describe('the shared test S3Proxy', () => {
  it('stackUp finds it running and leaves it so, twice, with the bucket in place', async () => {
    const first = await stackUp(env.config);
    const second = await stackUp(env.config);
    expect(first.s3?.state).toBe('already-running');
    expect(second.s3).toMatchObject({ state: 'already-running', pid: first.s3?.pid, bucket: 'exists' });
    expect((await s3proxyStatus(env.config)).reachable).toBe(true);
    const head = await createS3(s3()).send(new HeadBucketCommand({ Bucket: s3().bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
  });

  it('accepts the local credentials from the environment (SDK default chain) and reads back what it stored', async () => {
    const client = createS3(s3());
    await client.send(new PutObjectCommand({ Bucket: s3().bucket, Key: key('a/one.txt'), Body: 'one' }));
    const got = await client.send(new GetObjectCommand({ Bucket: s3().bucket, Key: key('a/one.txt') }));
    expect(await got.Body!.transformToString()).toBe('one');
    expect(await listLakeObjects(env.config, 'a/')).toEqual([{ key: 'a/one.txt', size: 3 }]);
    expect((await readLakeObject(env.config, 'a/one.txt')).toString()).toBe('one');
  });

  it('refuses a request signed with a wrong secret (403)', async () => {
    const bad = clientWith(s3(), 'not-the-secret');
    const put = bad.send(new PutObjectCommand({ Bucket: s3().bucket, Key: key('a/bad.txt'), Body: 'x' }));
    const err = await put.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(httpStatus(err)).toBe(403);
    expect(await listLakeObjects(env.config, 'a/bad')).toEqual([]);
  });

  it('refuses a conditional create of an existing key (If-None-Match: *) with 412 and keeps the first body', async () => {
    const client = clientWith(s3(), LOCAL_S3_CREDENTIALS.secretAccessKey);
    const create = (body: string) =>
      client.send(
        new PutObjectCommand({ Bucket: s3().bucket, Key: key('b/once.txt'), Body: body, IfNoneMatch: '*' }),
      );
    expect((await create('first')).$metadata.httpStatusCode).toBe(200);
    const err = await create('second').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(httpStatus(err)).toBe(412);
    expect(isPreconditionFailed(err)).toBe(true);
    expect((await readLakeObject(env.config, 'b/once.txt')).toString()).toBe('first');
  });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe("this file's own S3Proxy on a free port", () => {
  let own: Config | undefined;
  afterAll(async () => {
    if (!own) return;
    await stopS3Proxy(own);
    rmSync(s3proxyPaths(own.stackHome, Number(new URL(own.lake.s3!.endpoint!).port)).dir, {
      recursive: true,
      force: true,
    });
  });

  it('starts once, is found again, reports its state and stops', async () => {
    const port = await freePort();
    const raw = { 'lake.root': 's3://feedctl-own', 'lake.s3.endpoint': `http://127.0.0.1:${port}` };
    own = { ...env.config, lake: lakeConfig(raw, process.cwd(), []) };
    const first = await startS3Proxy(own);
    expect(first).toMatchObject({ state: 'started', bucket: 'created' });
    expect(first.pid).toBeGreaterThan(0);
    const again = await startS3Proxy(own);
    expect(again).toEqual({ state: 'already-running', pid: first.pid, downloaded: false, bucket: 'exists' });
    expect(describeStack(own, await stackUp(own))).toContain(
      `s3      http://127.0.0.1:${port} bucket feedctl-own  (already-running, pid ${first.pid}, bucket exists)`,
    );
    expect(await s3proxyStatus(own)).toMatchObject({ reachable: true, pid: first.pid });
    expect(await stopS3Proxy(own)).toBe('stopped');
    expect(await s3proxyStatus(own)).toMatchObject({ reachable: false, pid: null });
    expect(await stopS3Proxy(own)).toBe('not-running');
  });
});
