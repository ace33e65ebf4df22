/**
 * The lake store a lake root names: a folder, or `s3://bucket/prefix` (one S3 client per store). The S3 client
 * (the AWS SDK, some 20 MB of a thread's memory) is loaded on the store's first call, so a process with a folder
 * lake never loads it.
 */
import type { LakeConfig, S3LakeConfig } from '../../config/lake.js';
import { fsStore } from './store-fs.js';
import type { LakeStore } from './store.js';

export function openStore(lake: LakeConfig): LakeStore {
  return lake.s3 ? lazyS3Store(lake.s3) : fsStore(lake.root);
}

const METHODS = [
  'createExclusive',
  'put',
  'read',
  'list',
  'exists',
  'move',
  'replace',
  'remove',
  'sync',
  'entries',
  'measure',
  'selfCheck',
] as const satisfies readonly (keyof LakeStore)[];
// every method of the interface is forwarded: adding one to LakeStore without listing it here fails to compile
const complete: Exclude<keyof LakeStore, (typeof METHODS)[number]> extends never ? true : never = true;
void complete;

function lazyS3Store(s3: S3LakeConfig): LakeStore {
  let store: Promise<LakeStore> | undefined;
  const load = async (): Promise<LakeStore> => {
    const [{ createS3 }, { s3Store }] = await Promise.all([
      import('../../clients/s3.js'),
      import('./store-s3.js'),
    ]);
    return s3Store(s3, createS3(s3));
  };
  const forward =
    (name: (typeof METHODS)[number]) =>
    async (...args: unknown[]): Promise<unknown> => {
      const target = await (store ??= load());
      return (target[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  return Object.fromEntries(METHODS.map((m) => [m, forward(m)])) as unknown as LakeStore;
}
