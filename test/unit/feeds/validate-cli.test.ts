/**
 * `feedctl validate`, run in-process: golden output (text and JSON) on a folder mixing valid manifests, invalid
 * ones, a cross-file duplicate, a warning and a non-manifest file; the one-line summary and exit 0 on the example
 * feeds. `UPDATE_GOLDEN=1 npx vitest run test/unit/feeds/validate-cli.test.ts` rewrites the golden files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main.js';

const MIXED = 'test/fixtures/manifests/mixed';

async function feedctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await run(['node', 'feedctl', ...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function golden(file: string, actual: string): string {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}

afterEach(() => vi.unstubAllEnvs());

describe('feedctl validate', () => {
  it('prints every diagnostic and a summary, and exits 1, on a folder mixing good and bad manifests', async () => {
    const r = await feedctl('validate', MIXED);
    expect(r.stdout).toBe(golden('test/golden/validate-mixed.txt', r.stdout));
    expect(r.stdout).toMatch(/^9 error\(s\), 1 warning\(s\) in 7 file\(s\)$/m);
    expect(r.code).toBe(1);
  });

  it('prints the same findings as JSON with -o json', async () => {
    const r = await feedctl('validate', '-o', 'json', MIXED);
    expect(r.stdout).toBe(golden('test/golden/validate-mixed.json', r.stdout));
    const report = JSON.parse(r.stdout) as { valid: boolean; feeds: string[]; files: string[] };
    expect(report.valid).toBe(false);
    expect(report.feeds).toEqual(['catalog', 'clicks']);
    expect(report.files).not.toContain(`${MIXED}/notes.txt`);
    expect(r.code).toBe(1);
  });

  it('prints one summary line and exits 0 when every manifest is valid', async () => {
    const r = await feedctl('validate', 'feeds');
    expect(r.stdout).toBe('2 feed(s) valid in 2 file(s)\n');
    expect(r.code).toBe(0);
  });

  it('prints warnings but still exits 0 when there are only warnings', async () => {
    const r = await feedctl('validate', `${MIXED}/warning-only.yaml`);
    expect(r.stdout).toMatch(/^test\/fixtures\/manifests\/mixed\/warning-only\.yaml:12:12: warning: /);
    expect(r.stdout).toMatch(/\n1 feed\(s\) valid in 1 file\(s\)\n$/);
    expect(r.code).toBe(0);
  });

  it('validates the configured feeds folder when no path is given', async () => {
    vi.stubEnv('FEEDCTL_FEEDS_DIR', 'feeds');
    const r = await feedctl('validate');
    expect(r.stdout).toBe('2 feed(s) valid in 2 file(s)\n');
    expect(r.code).toBe(0);
  });

  it('reports a path that does not exist', async () => {
    const r = await feedctl('validate', 'no/such/folder');
    expect(r.stdout).toContain('no/such/folder:1:1: cannot read: no such file or directory');
    expect(r.code).toBe(1);
  });
});
