/**
 * The storage operations the lake's commit protocol needs, rooted at the lake root (paths relative, with `/`).
 * Kept this small on purpose so an object store can implement it later: `createExclusive` is a PUT with
 * `If-None-Match: *`, `move` a copy then delete, `sync` a no-op. The filesystem implementation below makes each
 * call durable (fsync of files and of the folders whose entries changed) before it returns, except where a caller
 * batches with `sync`.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

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
  /** Moves a file to `to`, replacing it, durably; false when `from` does not exist. */
  move(from: string, to: string): Promise<boolean>;
  /** Removes a file, or a folder with everything in it; nothing when it does not exist. */
  remove(target: string): Promise<void>;
  /** Makes the changes of a folder's entries (puts, removals) durable. */
  sync(dir: string): Promise<void>;
}

/** The lake store on a local (or NFS) filesystem. */
export function fsStore(root: string): LakeStore {
  const at = (rel: string): string => path.join(root, ...rel.split('/'));
  return {
    async createExclusive(file, bytes, afterTemp) {
      const final = at(file);
      const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
      await mkdirDurable(path.dirname(final));
      await writeDurable(tmp, bytes);
      await afterTemp?.();
      // link() fails with EEXIST atomically (open with O_EXCL would too, but a crash could leave it half-written)
      const created = await link(tmp, final).then(
        () => true,
        (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
      );
      await rm(tmp, { force: true });
      await fsyncDir(path.dirname(final));
      return created;
    },
    async put(file, bytes) {
      await mkdirDurable(path.dirname(at(file)));
      await writeDurable(at(file), bytes);
    },
    read: (file) => readFile(at(file)).catch(orIfMissing(null)),
    list: (dir) => readdir(at(dir)).catch(orIfMissing([])),
    exists: (file) => stat(at(file)).then(() => true, orIfMissing(false)),
    async move(from, to) {
      await mkdirDurable(path.dirname(at(to)));
      if (!(await rename(at(from), at(to)).then(() => true, orIfMissing(false)))) return false;
      await fsyncDir(path.dirname(at(to)));
      return true;
    },
    remove: (target) => rm(at(target), { force: true, recursive: true }),
    sync: (dir) => fsyncDir(at(dir)).catch(orIfMissing(undefined)),
  };
}

/** A rejection handler: `value` for ENOENT, rethrow anything else. */
function orIfMissing<T>(value: T): (err: NodeJS.ErrnoException) => Promise<T> {
  return (err) => (err.code === 'ENOENT' ? Promise.resolve(value) : Promise.reject(err));
}

async function writeDurable(file: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** mkdir -p, then fsyncs the parent of every folder it created so the new entries survive a power loss. */
async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fsyncDir(path.dirname(d));
    if (d === first || d === path.dirname(d)) break;
  }
}
