/**
 * S3-compatible object storage through the AWS SDK v3 (signing, retries, multipart uploads: never hand-written).
 * Credentials come from the SDK's default chain (environment, shared profile, instance or pod role) and are never
 * read, logged or printed here. Failures become FeedctlErrors: LAKE_UNREACHABLE (retriable) when the server cannot
 * be reached or answers 5xx/throttling, LAKE_WRITE_FAILED otherwise (access denied, no such bucket: a person must
 * act). Callers test {@link isPreconditionFailed} and {@link isNotFound} before wrapping.
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { S3LakeConfig } from '../config/lake.js';
import { FeedctlError } from '../errors.js';

export { S3Client } from '@aws-sdk/client-s3';

/** Explicit static credentials: only the local stack's bootstrap passes them (the product uses the default chain). */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A client for the lake's bucket; one per process is enough (it pools connections). */
export function createS3(
  cfg: Pick<S3LakeConfig, 'region' | 'forcePathStyle' | 'endpoint'>,
  opts: { credentials?: StaticCredentials; maxAttempts?: number } = {},
): S3Client {
  const options: S3ClientConfig = {
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle,
    maxAttempts: opts.maxAttempts ?? 4,
    // Checksums only where the operation requires them: S3-compatible servers (S3Proxy, older MinIO and Ceph)
    // reject the SDK's newer default trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (cfg.endpoint) options.endpoint = cfg.endpoint;
  // a copy: the SDK marks the credentials object it is given
  if (opts.credentials) options.credentials = { ...opts.credentials };
  return new S3Client(options);
}

/** The HTTP status of a failed request, when the server answered. */
export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** A conditional write refused because its condition does not hold (412), e.g. `If-None-Match: *` on a key that exists. */
export function isPreconditionFailed(err: unknown): boolean {
  return httpStatus(err) === 412 || (err as { name?: string } | null)?.name === 'PreconditionFailed';
}

/** A concurrent conditional write on the same key is in flight (AWS answers 409): retry it. */
export function isConditionalConflict(err: unknown): boolean {
  return httpStatus(err) === 409 && (err as { name?: string }).name !== 'BucketAlreadyOwnedByYou';
}

export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return httpStatus(err) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** Wraps an SDK failure: retriable when the server is unreachable, overloaded or failing. */
export function s3Error(err: unknown, action: string, key: string): FeedctlError {
  const status = httpStatus(err);
  const answered = err instanceof S3ServiceException && status !== undefined;
  const retriable = !answered || status >= 500 || status === 429 || status === 408;
  const e = err as { name?: string; message?: string } | null;
  const detail = [e?.name, e?.message].filter(Boolean).join(': ') || 'failed';
  return new FeedctlError(retriable ? 'LAKE_UNREACHABLE' : 'LAKE_WRITE_FAILED', detail, {
    subsystem: 'lake',
    action,
    id: key,
    retriable,
    context: { status: status ?? null },
    cause: err,
  });
}

/** Creates the bucket unless it exists (the local stack's S3 server; a real lake's bucket is made by its owners). */
export async function ensureBucket(client: S3Client, bucket: string): Promise<'exists' | 'created'> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'exists';
  } catch (err) {
    if (!isNotFound(err)) throw s3Error(err, 'check bucket', bucket);
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists')
      throw s3Error(err, 'create bucket', bucket);
  }
  return 'created';
}
