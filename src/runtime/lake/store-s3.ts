/**
 * The lake store on S3-compatible object storage, under `s3://bucket/prefix`. Each object write is atomic (a
 * reader sees the whole object or none), so nothing here writes temporaries: `createExclusive` is one PUT with
 * `If-None-Match: *` (the server refuses it with 412 when the key exists — the commit point of commit.ts),
 * `replace` one PUT, `move` a server-side copy then a delete, `sync` nothing (a successful PUT is durable).
 * Folders are key prefixes. Listing is strongly consistent on AWS S3 since 2020, and on S3Proxy, MinIO and Ceph.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type _Object,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { Upload } from '@aws-sdk/lib-storage';
import {
  isConditionalConflict,
  isNotFound,
  isPreconditionFailed,
  s3Error,
  type S3Client,
} from '../../clients/s3.js';
import type { S3LakeConfig } from '../../config/lake.js';
import { FeedctlError } from '../../errors.js';
import type { FolderSize, LakeStore } from './store.js';

/** Objects at least this big go up in parts (lib-storage), several at once. */
const PART_BYTES = 8 * 1024 * 1024;
/** A conditional PUT racing another on the same key may get 409 (AWS): tried again this many times. */
const CONFLICT_RETRIES = 5;

export function s3Store(cfg: S3LakeConfig, client: S3Client): LakeStore {
  const o = new Objects(cfg, client);
  return {
    async createExclusive(file, bytes, afterTemp) {
      await afterTemp?.(); // nothing is written before the commit point: there is no temporary to leave
      return o.putIfAbsent(o.key(file), bytes);
    },
    put: (file, bytes) => o.put(o.key(file), bytes),
    replace: (file, bytes) => o.put(o.key(file), bytes),
    read: (file) => o.get(o.key(file)),
    list: async (dir) => {
      const { folders, others } = await o.level(o.dirKey(dir));
      return [...folders, ...others].sort();
    },
    exists: async (file) => (await o.head(o.key(file))) || (await o.under(o.dirKey(file), 1)).length > 0,
    move: (from, to) => o.move(from, to),
    remove: (target) => o.remove(target),
    sync: async () => undefined,
    entries: (dir) => o.level(o.dirKey(dir)),
    measure: async (dir) => sizeOf(await o.under(o.dirKey(dir))),
    selfCheck: () => o.checkConditionalPut(),
  };
}

function sizeOf(objects: _Object[]): FolderSize | null {
  if (objects.length === 0) return null;
  const size: FolderSize = { files: 0, bytes: 0, newestMs: 0 };
  for (const ob of objects) {
    size.files += 1;
    size.bytes += ob.Size ?? 0;
    size.newestMs = Math.max(size.newestMs, ob.LastModified?.getTime() ?? 0);
  }
  return size;
}

/** The object operations, with keys resolved against the lake's prefix and failures as FeedctlErrors. */
class Objects {
  readonly bucket: string;

  constructor(
    private readonly cfg: S3LakeConfig,
    private readonly client: S3Client,
  ) {
    this.bucket = cfg.bucket;
  }

  key(rel: string): string {
    return [this.cfg.prefix, rel].filter(Boolean).join('/');
  }

  /** The prefix of a folder's objects (with its trailing `/`; '' for the bucket's root). */
  dirKey(rel: string): string {
    const k = this.key(rel.replace(/\/+$/, ''));
    return k ? `${k}/` : '';
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, IfNoneMatch: '*' }),
        );
        return true;
      } catch (err) {
        if (isPreconditionFailed(err)) return false;
        if (!isConditionalConflict(err) || attempt >= CONFLICT_RETRIES) throw s3Error(err, 'create', key);
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /**
   * A server that ignores `If-None-Match: *` would let two workers both commit the same record: exactly once would
   * silently break. Two creates of one fresh key: the second must be refused.
   */
  async checkConditionalPut(): Promise<void> {
    const key = this.key(`_feedctl/probe/${randomBytes(8).toString('hex')}`);
    const first = await this.putIfAbsent(key, new Uint8Array([1]));
    const second = await this.putIfAbsent(key, new Uint8Array([2]));
    await this.delete(key);
    if (first && !second) return;
    throw new FeedctlError(
      'LAKE_STATE_INVALID',
      `s3://${this.bucket}: the server ${first ? 'ignores' : 'refuses'} conditional writes (If-None-Match: *), which the lake's exactly-once commit needs`,
      {
        subsystem: 'lake',
        action: 'check object store',
        id: this.bucket,
        context: { reason: 'no-conditional-put' },
      },
    );
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    try {
      if (bytes.byteLength < PART_BYTES) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes }));
        return;
      }
      const params = { Bucket: this.bucket, Key: key, Body: bytes };
      await new Upload({ client: this.client, params, partSize: PART_BYTES, queueSize: 4 }).done();
    } catch (err) {
      throw s3Error(err, 'put', key);
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return r.Body ? await r.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw s3Error(err, 'get', key);
    }
  }

  async head(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw s3Error(err, 'head', key);
    }
  }

  /** Every object under a prefix (all of them, or the first `max`). */
  async under(prefix: string, max = Number.POSITIVE_INFINITY): Promise<_Object[]> {
    const out: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await this.list({
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: Math.min(max, 1000),
      });
      out.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && out.length < max);
    return out;
  }

  /** The sub-folders and objects directly under a prefix, by name. */
  async level(prefix: string): Promise<{ folders: string[]; others: string[] }> {
    const folders: string[] = [];
    const others: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.list({ Prefix: prefix, Delimiter: '/', ContinuationToken: token });
      for (const p of page.CommonPrefixes ?? []) folders.push((p.Prefix ?? '').slice(prefix.length, -1));
      for (const c of page.Contents ?? []) others.push((c.Key ?? '').slice(prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { folders: folders.filter(Boolean).sort(), others: others.filter(Boolean).sort() };
  }

  private async list(input: {
    Prefix: string;
    Delimiter?: string;
    ContinuationToken?: string;
    MaxKeys?: number;
  }) {
    try {
      return await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ...input }));
    } catch (err) {
      throw s3Error(err, 'list', input.Prefix);
    }
  }

  /** A file (one object), or a folder object by object: each copied, then deleted, so a rerun moves the rest. */
  async move(from: string, to: string): Promise<boolean> {
    if (await this.copyDelete(this.key(from), this.key(to))) return true;
    const src = this.dirKey(from);
    const objects = await this.under(src);
    for (const ob of objects) {
      const key = ob.Key ?? '';
      await this.copyDelete(key, `${this.dirKey(to)}${key.slice(src.length)}`);
    }
    return objects.length > 0;
  }

  /** Copies an object server-side, then deletes the original; false when it does not exist. */
  private async copyDelete(from: string, to: string): Promise<boolean> {
    const source = `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
    try {
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }));
    } catch (err) {
      if (isNotFound(err)) return false;
      throw s3Error(err, 'copy', from);
    }
    await this.delete(from);
    return true;
  }

  async remove(target: string): Promise<void> {
    if (target !== '') await this.delete(this.key(target));
    for (const ob of await this.under(this.dirKey(target))) await this.delete(ob.Key ?? '');
  }

  private async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (!isNotFound(err)) throw s3Error(err, 'delete', key);
    }
  }
}
