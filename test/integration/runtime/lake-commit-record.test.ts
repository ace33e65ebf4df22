import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statePaths } from '../../../src/runtime/lake/paths.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { openSink, TOPIC } from './lake-harness.js';

const env = useTestEnv('lake-commit-record');
const feed = feedSpec('orders');

describe('lake commit record', () => {
  it('refuses to recover from an unreadable commit record instead of guessing an offset', async () => {
    const root = path.join(env.config.lake.root, 'corrupt');
    const file = path.join(root, statePaths('orders', TOPIC, 0).commit);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"topic": "orders.v1", "partition": 0, "nextOff');
    await expect(openSink(root, feed).recover(0)).rejects.toMatchObject({
      code: 'LAKE_STATE_INVALID',
      context: expect.objectContaining({ reason: 'corrupt' }),
    });
  });

  it('refuses a record that belongs to another partition', async () => {
    const root = path.join(env.config.lake.root, 'misplaced');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 5));
    await sink.flush(0, 5);
    const commits = path.join(root, '_feedctl/commits/orders');
    copyFileSync(
      path.join(root, statePaths('orders', TOPIC, 0).commit),
      path.join(root, statePaths('orders', TOPIC, 1).commit),
    );
    await expect(openSink(root, feed).recover(1)).rejects.toMatchObject({ code: 'LAKE_STATE_INVALID' });
    expect(readdirSync(commits).sort()).toHaveLength(2);
  });

  it('removes leftover temporary records of any writer during recovery', async () => {
    const root = path.join(env.config.lake.root, 'tmp-leftovers');
    const file = path.join(root, statePaths('orders', TOPIC, 0).commit);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.0123abcd.tmp`, '{"half": ');
    expect(await openSink(root, feed).recover(0)).toBeNull();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });
});
