/**
 * `feedctl validate -o github`: the workflow commands GitHub turns into annotations on a pull request's lines —
 * escaping of messages and properties, paths relative to the repository root, warnings, the summary line and the
 * exit code (same as text). `UPDATE_GOLDEN=1 npx vitest run test/unit/feeds/report-github.test.ts` rewrites the
 * golden file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main.js';
import type { Diagnostic } from '../../../src/errors.js';
import type { LoadResult } from '../../../src/feeds/load.js';
import {
  escapeData,
  escapeProperty,
  githubCommand,
  renderValidateGithub,
  repoPath,
} from '../../../src/feeds/report.js';

const MIXED = 'test/fixtures/manifests/mixed';

const diag = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  file: 'feeds/orders.yaml',
  line: 12,
  col: 7,
  severity: 'error',
  message: 'spec.type "steam" must be one of: stream, table',
  ...over,
});

async function feedctl(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  try {
    return { code: await run(['node', 'feedctl', ...args]), stdout };
  } finally {
    out.mockRestore();
  }
}

afterEach(() => vi.unstubAllEnvs());

describe('GitHub workflow commands', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% sure\r\nnext: a, b')).toBe('100%25 sure%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });

  it('formats an error and a warning with file, line, col and title', () => {
    expect(githubCommand(diag(), 'feeds/orders.yaml')).toBe(
      '::error file=feeds/orders.yaml,line=12,col=7,title=feedctl validate::spec.type "steam" must be one of: stream, table',
    );
    const warning = diag({ severity: 'warning', message: 'no effect\nat all' });
    expect(githubCommand(warning, 'feeds/a,b:c.yaml')).toBe(
      '::warning file=feeds/a%2Cb%3Ac.yaml,line=12,col=7,title=feedctl validate::no effect%0Aat all',
    );
  });

  it('makes paths relative to the repository root, with / separators', () => {
    const root = path.resolve('/repo');
    expect(repoPath('feeds/a.yaml', { cwd: root, root })).toBe('feeds/a.yaml');
    expect(repoPath('a.yaml', { cwd: path.join(root, 'feeds'), root })).toBe('feeds/a.yaml');
    expect(repoPath('../feeds/a.yaml', { cwd: path.join(root, 'tools'), root })).toBe('feeds/a.yaml');
  });

  it('ends with the same summary line as the text report', () => {
    const result: LoadResult = { feeds: [], files: ['feeds/orders.yaml'], diagnostics: [diag()] };
    const cwd = path.resolve('/repo');
    expect(renderValidateGithub(result, { cwd, root: cwd })).toBe(
      `${githubCommand(diag(), 'feeds/orders.yaml')}\n1 error(s), 0 warning(s) in 1 file(s)\n`,
    );
  });
});

describe('feedctl validate -o github', () => {
  it('prints one command per diagnostic and exits 1 on the mixed folder, as -o text does', async () => {
    vi.stubEnv('GITHUB_WORKSPACE', ''); // as outside GitHub Actions: paths relative to the current directory
    const r = await feedctl('validate', '-o', 'github', MIXED);
    const file = 'test/golden/validate-mixed.github.txt';
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, r.stdout);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error file='))).toHaveLength(9);
    expect(lines.filter((l) => l.startsWith('::warning file='))).toHaveLength(1);
    expect(lines.at(-1)).toBe('9 error(s), 1 warning(s) in 7 file(s)');
    expect(r.code).toBe(1);
    const text = await feedctl('validate', MIXED);
    expect(text.code).toBe(r.code);
  });

  it('names files relative to GITHUB_WORKSPACE when it is set', async () => {
    vi.stubEnv('GITHUB_WORKSPACE', path.dirname(process.cwd()));
    const r = await feedctl('validate', '-o', 'github', `${MIXED}/typos.yaml`);
    const prefix = `${path.basename(process.cwd())}/${MIXED}/typos.yaml`;
    expect(r.stdout).toContain(
      `::error file=${prefix},line=6,col=9,title=feedctl validate::spec.type "steam"`,
    );
    expect(r.code).toBe(1);
  });

  it('prints only the summary and exits 0 on valid manifests', async () => {
    const r = await feedctl('validate', '-o', 'github', 'feeds');
    expect(r.stdout).toBe('2 feed(s) valid in 2 file(s)\n');
    expect(r.code).toBe(0);
  });
});
