/** The lake store on a local (or NFS) filesystem: each call durable (fsync of files and changed folders). */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderSize, LakeStore } from './store.js';

/** The lake store on a local (or NFS) filesystem. */
export function fsStore(root: string): LakeStore {
  const at = (rel: string): string => path.join(root, ...rel.split('/'));
  return {
    createExclusive: (file, bytes, afterTemp) => createExclusive(at(file), bytes, afterTemp),
    async put(file, bytes) {
      await mkdirDurable(path.dirname(at(file)));
      await writeDurable(at(file), bytes);
    },
    read: (file) => readFile(at(file)).catch(orIfMissing(null)),
    list: (dir) => readdir(at(dir)).catch(orIfMissing([])),
    exists: (file) => stat(at(file)).then(() => true, orIfMissing(false)),
    move: (from, to) => moveDurable(at(from), at(to)),
    replace: (file, bytes) => replaceDurable(at(file), bytes),
    remove: (target) => rm(at(target), { force: true, recursive: true }),
    sync: (dir) => fsyncDir(at(dir)).catch(orIfMissing(undefined)),
    entries: (dir) => entries(at(dir)),
    measure: (dir) => measure(at(dir)),
    selfCheck: async () => undefined, // link() fails with EEXIST on every POSIX filesystem
  };
}

/** Creates `final` unless it exists: a durable temporary, then link(), which fails with EEXIST atomically. */
async function createExclusive(
  final: string,
  bytes: Uint8Array,
  afterTemp?: () => Promise<void>,
): Promise<boolean> {
  const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdirDurable(path.dirname(final));
  await writeDurable(tmp, bytes);
  await afterTemp?.();
  // (open with O_EXCL would fail atomically too, but a crash could leave the record half-written)
  const created = await link(tmp, final).then(
    () => true,
    (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
  );
  await rm(tmp, { force: true });
  await fsyncDir(path.dirname(final));
  return created;
}

/** Replaces `final` atomically: a durable temporary beside it, renamed over it. */
async function replaceDurable(final: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(
    path.dirname(final),
    `.${path.basename(final)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  await mkdirDurable(path.dirname(final));
  await writeDurable(tmp, bytes);
  await rename(tmp, final);
  await fsyncDir(path.dirname(final));
}

/** A folder's sub-folders and other entries (files, links), sorted; none when it does not exist. */
async function entries(abs: string): Promise<{ folders: string[]; others: string[] }> {
  const all = await readdir(abs, { withFileTypes: true }).catch(orIfMissing([]));
  const folders = all.filter((e) => e.isDirectory()).map((e) => e.name);
  const others = all.filter((e) => !e.isDirectory()).map((e) => e.name);
  return { folders: folders.sort(), others: others.sort() };
}

/** Files, bytes and newest modification time under a folder, without following links; null when absent. */
async function measure(abs: string): Promise<FolderSize | null> {
  const size: FolderSize = { files: 0, bytes: 0, newestMs: 0 };
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    size.newestMs = Math.max(size.newestMs, st.mtimeMs);
    if (!st.isDirectory()) {
      size.files += 1;
      size.bytes += st.size;
      return;
    }
    for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  return walk(abs).then(() => size, orIfMissing(null));
}

/**
 * rename(), durably; false when `from` does not exist. A folder whose destination already holds entries (a
 * version folder someone began to fill) is merged into it entry by entry, so a rerun finishes any move.
 */
async function moveDurable(from: string, to: string): Promise<boolean> {
  await mkdirDurable(path.dirname(to));
  const moved = await rename(from, to).then(
    () => true,
    (err: NodeJS.ErrnoException) =>
      err.code === 'ENOTEMPTY' || err.code === 'EEXIST' ? mergeInto(from, to) : orIfMissing(false)(err),
  );
  if (moved) await fsyncDir(path.dirname(to));
  return moved;
}

async function mergeInto(from: string, to: string): Promise<boolean> {
  for (const name of await readdir(from)) await moveDurable(path.join(from, name), path.join(to, name));
  await rm(from, { recursive: true, force: true });
  await fsyncDir(path.dirname(from));
  return true;
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
