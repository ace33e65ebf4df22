import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { consume, expectExactlyOnce, filesUnder, openSink } from './lake-harness.js';

const env = useTestEnv('lake-fencing');
const feed = feedSpec('orders');

describe('lake sink fencing of a zombie worker', () => {
  it('refuses the commit of a worker whose partition a new owner has committed since', async () => {
    const root = path.join(env.config.lake.root, 'zombie');
    const zombie = openSink(root, feed);
    await zombie.recover(0);
    zombie.append(0, records(0, 0, 300)); // then a rebalance moves partition 0 away, unnoticed

    const owner = openSink(root, feed);
    await consume(owner, 0, 300, 100);

    await expect(zombie.flush(0, 300)).rejects.toMatchObject({
      code: 'LAKE_STATE_INVALID',
      context: expect.objectContaining({ reason: 'fenced' }),
    });
    expect(filesUnder(path.join(root, '_feedctl/staging')).length).toBeGreaterThan(0); // its staged leftovers
    expect(await openSink(root, feed).recover(0)).toBe(300); // the next recovery removes them
    await expectExactlyOnce(root, 'orders', { 0: 300 });
  });
});
