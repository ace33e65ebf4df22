/**
 * Which files are manifests: folders are searched recursively for *.yaml and *.yml (hidden folders skipped),
 * given files are taken as they are, paths come out relative to the current directory and sorted, and a path that
 * cannot be read is a diagnostic rather than a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findManifests } from '../../../src/feeds/files.js';

mkdirSync('test/.tmp', { recursive: true });
const root = mkdtempSync('test/.tmp/files-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const f of ['b.yaml', 'a.yml', 'notes.md', 'sub/c.YAML', 'sub/deeper/d.yaml', '.hidden/e.yaml']) {
  mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
  writeFileSync(path.join(root, f), 'x: 1\n');
}

describe('manifest discovery', () => {
  it('finds yaml files recursively, sorted, relative to the current directory', async () => {
    const { files, diagnostics } = await findManifests([root]);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.display)).toEqual(
      ['a.yml', 'b.yaml', 'sub/c.YAML', 'sub/deeper/d.yaml'].map((f) => `${root}/${f}`),
    );
  });

  it('takes a given file as is and counts a file named twice once', async () => {
    const abs = path.resolve(root, 'notes.md');
    const { files } = await findManifests([abs, path.join(root, 'notes.md')]);
    expect(files).toEqual([{ abs, display: `${root}/notes.md` }]);
  });

  it('reports a missing path and warns about a folder without manifests', async () => {
    mkdirSync(path.join(root, 'empty'));
    const { files, diagnostics } = await findManifests([
      path.join(root, 'missing'),
      path.join(root, 'empty'),
    ]);
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => [d.file, d.severity, d.message])).toEqual([
      [`${root}/missing`, 'error', 'cannot read: no such file or directory'],
      [`${root}/empty`, 'warning', 'no manifests here (looked for *.yaml and *.yml)'],
    ]);
  });
});
