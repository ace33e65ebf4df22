/**
 * Which files are manifests: the given files, and every `*.yaml` / `*.yml` under the given folders (recursively,
 * skipping hidden folders). Paths are reported relative to the current directory so output is stable.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { causeText, type Diagnostic } from '../errors.js';

export interface ManifestFiles {
  /** Absolute path → display path (relative to cwd), sorted by display path. */
  files: { abs: string; display: string }[];
  /** Paths that could not be read. */
  diagnostics: Diagnostic[];
}

const MANIFEST = /\.ya?ml$/i;

/** The manifest files named by `paths` (files or folders). */
export async function findManifests(paths: string[]): Promise<ManifestFiles> {
  const found = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    try {
      const list = (await stat(abs)).isDirectory() ? await walk(abs) : [abs];
      for (const f of list) found.set(f, displayPath(f));
      if (list.length === 0)
        diagnostics.push(problem(p, 'warning', 'no manifests here (looked for *.yaml and *.yml)'));
    } catch (err) {
      diagnostics.push(problem(p, 'error', `cannot read: ${readError(err)}`));
    }
  }
  const files = [...found].map(([abs, display]) => ({ abs, display }));
  files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files, diagnostics };
}

/** `file` relative to the current directory, with `/` separators. */
export function displayPath(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.'))
      .map(async (e) => {
        const full = path.join(dir, e.name);
        const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full)).isDirectory());
        if (isDir) return walk(full);
        return MANIFEST.test(e.name) ? [full] : [];
      }),
  );
  return nested.flat();
}

/** The reason without the absolute path Node puts in its messages. */
export function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return causeText(err);
}

function problem(p: string, severity: Diagnostic['severity'], message: string): Diagnostic {
  return { file: displayPath(path.resolve(p)), line: 1, col: 1, severity, message };
}
