/**
 * The storage operations the lake needs (its commit protocol, table versions, retention, status), rooted at the
 * lake root: paths are relative, with `/`. Two implementations: a local (or NFS) filesystem (store-fs.ts: every
 * call durable before it returns, except where a caller batches with `sync`) and S3-compatible object storage
 * (store-s3.ts: `createExclusive` is a PUT with `If-None-Match: *`, `move` a copy then a delete, `sync` nothing).
 * A "folder" on an object store is a key prefix: it exists while an object is under it.
 */

export interface LakeStore {
  /**
   * Creates `file` with `bytes` unless it exists; false when it exists. Atomic: of concurrent creators exactly one
   * wins, and nobody ever sees a partial file. `afterTemp` (tests) runs where a crash leaves only a temporary.
   */
  createExclusive(file: string, bytes: Uint8Array, afterTemp?: () => Promise<void>): Promise<boolean>;
  /** Writes `file` (replacing it); its folder entry is durable only after `sync` of the folder. */
  put(file: string, bytes: Uint8Array): Promise<void>;
  /** The file's bytes, or null when it does not exist. */
  read(file: string): Promise<Uint8Array | null>;
  /** Names of the entries of a folder; none when it does not exist. */
  list(dir: string): Promise<string[]>;
  exists(file: string): Promise<boolean>;
  /**
   * Moves a file to `to`, replacing it, durably; false when `from` does not exist. A folder moves whole: in one
   * step on a filesystem (`to` must not exist), object by object on an object store (so a reader may see part of
   * it: publish a marker after it), where a move interrupted and run again moves the rest.
   */
  move(from: string, to: string): Promise<boolean>;
  /** Writes `file` so that readers see its old bytes or its new ones, never a mix or nothing. */
  replace(file: string, bytes: Uint8Array): Promise<void>;
  /** Removes a file, or a folder with everything in it; nothing when it does not exist. */
  remove(target: string): Promise<void>;
  /** Makes the changes of a folder's entries (puts, removals) durable. */
  sync(dir: string): Promise<void>;
  /** A folder's sub-folders and its other entries (files; on a filesystem also links, never followed), sorted. */
  entries(dir: string): Promise<{ folders: string[]; others: string[] }>;
  /** Files, bytes and newest modification time of everything under a folder (links not followed); null if absent. */
  measure(dir: string): Promise<FolderSize | null>;
  /** Checks, once, that the storage keeps the promise `createExclusive` relies on; throws LAKE_STATE_INVALID if not. */
  selfCheck(): Promise<void>;
}

export interface FolderSize {
  files: number;
  bytes: number;
  /** Newest modification time of the folder or anything in it (ms since the epoch). */
  newestMs: number;
}
