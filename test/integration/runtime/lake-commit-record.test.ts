import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordName, statePaths } from '../../../src/runtime/lake/paths.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { consume, expectExactlyOnce, filesUnder, openSink, TOPIC } from './lake-harness.js';

const env = useTestEnv('lake-commit-record');
const feed = feedSpec('orders');
const rootFor = (name: string): string => path.join(env.config.lake.root, name);

/** Absolute state locations of partition p of the fixture feed. */
function state(root: string, p = 0): { staging: string; commits: string; legacy: string } {
  const rel = statePaths('orders', TOPIC, p);
  return {
    staging: path.join(root, rel.staging),
    commits: path.join(root, rel.commits),
    legacy: path.join(root, rel.legacy),
  };
}

const corrupt = { code: 'LAKE_STATE_INVALID', context: expect.objectContaining({ reason: 'corrupt' }) };

describe('lake commit records', () => {
  it('refuses to recover from an unreadable legacy record instead of guessing an offset', async () => {
    const root = rootFor('corrupt-legacy');
    const { legacy } = state(root);
    mkdirSync(path.dirname(legacy), { recursive: true });
    writeFileSync(legacy, '{"topic": "orders.v1", "partition": 0, "nextOff');
    await expect(openSink(root, feed).recover(0)).rejects.toMatchObject(corrupt);
  });

  it('refuses to recover from an unreadable newest record instead of falling back to an older one', async () => {
    const root = rootFor('corrupt-newest');
    await consume(openSink(root, feed), 0, 20, 10);
    const { commits } = state(root);
    const newest = readdirSync(commits).sort().at(-1)!;
    writeFileSync(path.join(commits, newest), '{"half": ');
    await expect(openSink(root, feed).recover(0)).rejects.toMatchObject(corrupt);
  });

  it('refuses a record that belongs to another partition', async () => {
    const root = rootFor('misplaced');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 5));
    await sink.flush(0, 5);
    const [p0, p1] = [state(root, 0).commits, state(root, 1).commits];
    mkdirSync(p1, { recursive: true });
    const newest = readdirSync(p0).sort().at(-1)!;
    copyFileSync(path.join(p0, newest), path.join(p1, newest));
    await expect(openSink(root, feed).recover(1)).rejects.toMatchObject(corrupt);
    expect(readdirSync(p1)).toEqual([newest]);
  });

  it('removes leftover temporaries of records and of legacy records during recovery', async () => {
    const root = rootFor('tmp-leftovers');
    const { commits, legacy } = state(root);
    mkdirSync(commits, { recursive: true });
    writeFileSync(`${legacy}.0123abcd.tmp`, '{"half": ');
    writeFileSync(path.join(commits, `${recordName(1)}.0123abcd.tmp`), '{"half": ');
    expect(await openSink(root, feed).recover(0)).toBeNull();
    expect(readdirSync(path.dirname(legacy))).toEqual([path.basename(commits)]);
    expect(readdirSync(commits)).toEqual([recordName(1)]); // the claim
  });

  it('keeps only the newest two records', async () => {
    const root = rootFor('garbage');
    await consume(openSink(root, feed), 0, 100, 10);
    const { commits } = state(root);
    expect(readdirSync(commits).sort()).toEqual([recordName(10), recordName(11)]); // claim, then 10 flushes
    expect(await openSink(root, feed).recover(0)).toBe(100);
    expect(readdirSync(commits).sort()).toEqual([recordName(11), recordName(12)]);
  });

  it('upgrades a lake with a legacy record: keeps its offset and rolls its staged files forward', async () => {
    const root = rootFor('legacy');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 100));
    const { files } = await sink.flush(0, 100);
    // Rewrite that state as the previous version leaves it after a crash right after its commit point.
    const { staging, commits, legacy } = state(root);
    const writer = 'a1b2c3d4e5f6';
    mkdirSync(path.join(staging, writer), { recursive: true });
    for (const f of files) {
      renameSync(path.join(root, f), path.join(staging, writer, `${path.basename(f)}.staged`));
    }
    writeFileSync(legacy, JSON.stringify({ topic: TOPIC, partition: 0, nextOffset: 100, files, writer }));
    rmSync(commits, { recursive: true });

    expect(await consume(openSink(root, feed), 0, 250, 50)).toBe(100);
    expect(existsSync(legacy)).toBe(false);
    expect(filesUnder(commits).every((f) => /^\d{12}\.json$/.test(f))).toBe(true);
    await expectExactlyOnce(root, 'orders', { 0: 250 });
  });
});
