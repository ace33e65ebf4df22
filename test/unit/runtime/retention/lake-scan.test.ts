import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsStore } from '../../../../src/runtime/lake/store-fs.js';
import {
  flushInProgress,
  safeRoot,
  streamDays,
  versionFolder,
} from '../../../../src/runtime/retention/lake-scan.js';

describe('retention lake scan', () => {
  it('refuses a lake root of / or the home folder', async () => {
    await expect(safeRoot('/')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(safeRoot(homedir())).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const ok = mkdtempSync(path.join(tmpdir(), 'feedctl-scan-'));
    expect(await safeRoot(ok)).toBe(ok);
  });

  it('lists day folders with their size, reporting links instead of following them', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'feedctl-scan-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'feedctl-outside-'));
    writeFileSync(path.join(outside, 'big.bin'), Buffer.alloc(1000));
    const day = path.join(root, 'streams/f/year=2026/month=01/day=02');
    mkdirSync(day, { recursive: true });
    writeFileSync(path.join(day, 'a.parquet'), Buffer.alloc(10));
    symlinkSync(outside, path.join(day, 'link'));
    symlinkSync(outside, path.join(root, 'streams/f/year=2026/month=01/day=03'));
    mkdirSync(path.join(root, 'streams/f/year=2026/month=01/not-a-day'));
    const skipped: string[] = [];
    const days = await streamDays(fsStore(root), 'f', skipped);
    expect(days.map((d) => [d.rel, d.day, d.files])).toEqual([
      ['streams/f/year=2026/month=01/day=02', Date.UTC(2026, 0, 2) / 86_400_000, 2],
    ]);
    expect(days[0]!.bytes).toBeLessThan(1000); // the link's own size, not its target's
    expect(skipped).toEqual([
      'streams/f/year=2026/month=01/day=03: not a folder (a symbolic link?), left alone',
    ]);
  });

  it('finds a version folder, staged or published, and refuses a link in its place', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'feedctl-scan-'));
    mkdirSync(path.join(root, 'tables/t/version=1'), { recursive: true });
    writeFileSync(path.join(root, 'tables/t/version=1/x.parquet'), 'abc');
    mkdirSync(path.join(root, 'tables/t/_staging'), { recursive: true });
    symlinkSync(tmpdir(), path.join(root, 'tables/t/_staging/version=2'));
    const skipped: string[] = [];
    expect(await versionFolder(fsStore(root), 't', 1, false, skipped)).toMatchObject({
      rel: 'tables/t/version=1',
      files: 1,
      bytes: 3,
    });
    expect(await versionFolder(fsStore(root), 't', 2, true, skipped)).toBeNull();
    expect(await versionFolder(fsStore(root), 't', 3, false, skipped)).toBeNull();
    expect(skipped).toEqual(['tables/t/_staging/version=2: not a folder (a symbolic link?), left alone']);
  });

  it('sees a flush in progress from a staged file of the feed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'feedctl-scan-'));
    expect(await flushInProgress(fsStore(root), 'f')).toBe(false);
    const flush = path.join(root, '_feedctl/staging/f/0123abcd-p0/000000000007-w1');
    mkdirSync(flush, { recursive: true });
    expect(await flushInProgress(fsStore(root), 'f')).toBe(false);
    writeFileSync(path.join(flush, 'p0-1-9-0123abcd.parquet.staged'), 'x');
    expect(await flushInProgress(fsStore(root), 'f')).toBe(true);
    expect(await flushInProgress(fsStore(root), 'g')).toBe(false);
  });
});
