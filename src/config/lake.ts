/**
 * The `lake.*` settings (pure): the lake root is a local folder, or `s3://bucket/prefix` on S3-compatible object
 * storage (AWS S3, MinIO, Ceph, GCS's and Azure's S3 endpoints, the local S3Proxy). Credentials never pass
 * through here: the AWS SDK's default chain finds them (environment, shared profile, instance role).
 */
import path from 'node:path';

/** Where an `s3://` lake lives. */
export interface S3LakeConfig {
  bucket: string;
  /** Key prefix of the lake root, without leading or trailing `/` ('' for the whole bucket). */
  prefix: string;
  /** Null: the AWS endpoint of `region`. */
  endpoint: string | null;
  region: string;
  /** Path-style addressing (`endpoint/bucket/key`), which S3Proxy, MinIO and most local servers need. */
  forcePathStyle: boolean;
}

export interface LakeConfig {
  /** An absolute folder, or `s3://bucket/prefix` as given (normalized: no trailing `/`). */
  root: string;
  /** Set when the root is `s3://`. */
  s3: S3LakeConfig | null;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function lakeConfig(raw: Record<string, string>, cwd: string, problems: string[]): LakeConfig {
  const root = (raw['lake.root'] ?? '').trim() || './data_lake';
  if (!/^s3:\/\//i.test(root)) return { root: path.resolve(cwd, root), s3: null };
  const rest = root.slice('s3://'.length);
  const [bucket = '', ...parts] = rest.split('/');
  const prefix = parts.filter(Boolean).join('/');
  if (!BUCKET.test(bucket)) problems.push(`lake.root: ${JSON.stringify(bucket)} is not an S3 bucket name`);
  if (parts.some((p, i) => p === '' && i < parts.length - 1) || /(^|\/)\.\.?(\/|$)/.test(prefix))
    problems.push('lake.root: an s3:// prefix must not hold empty, `.` or `..` segments');
  const endpoint = (raw['lake.s3.endpoint'] ?? '').trim() || null;
  if (endpoint !== null && !/^https?:\/\/[^\s/]+\/?$/.test(endpoint))
    problems.push(`lake.s3.endpoint must be http(s)://host[:port], got ${JSON.stringify(endpoint)}`);
  const region = (raw['lake.s3.region'] ?? '').trim() || 'us-east-1';
  const style = (raw['lake.s3.pathStyle'] ?? 'auto').trim();
  if (!['auto', 'true', 'false'].includes(style))
    problems.push(`lake.s3.pathStyle must be auto, true or false, got ${JSON.stringify(style)}`);
  const forcePathStyle = style === 'auto' ? endpoint !== null : style === 'true';
  const normalized = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  return {
    root: normalized,
    s3: { bucket, prefix, endpoint: endpoint?.replace(/\/$/, '') ?? null, region, forcePathStyle },
  };
}

/** The endpoint's host and port when it is on this machine (the local stack may start an S3 server there). */
export function loopbackEndpoint(s3: S3LakeConfig | null): { host: string; port: number } | null {
  if (!s3?.endpoint) return null;
  const u = new URL(s3.endpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return { host: u.hostname === '[::1]' ? '::1' : u.hostname, port };
}
