/** The lake store a lake root names: a folder, or `s3://bucket/prefix` (one S3 client per store). */
import { createS3 } from '../../clients/s3.js';
import type { LakeConfig } from '../../config/lake.js';
import { fsStore } from './store-fs.js';
import { s3Store } from './store-s3.js';
import type { LakeStore } from './store.js';

export function openStore(lake: LakeConfig): LakeStore {
  return lake.s3 ? s3Store(lake.s3, createS3(lake.s3)) : fsStore(lake.root);
}
