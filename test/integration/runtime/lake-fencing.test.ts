import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultHook } from '../../../src/runtime/lake/commit.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { consume, expectExactlyOnce, filesUnder, openSink } from './lake-harness.js';

const env = useTestEnv('lake-fencing');
const feed = feedSpec('orders');

/** A fault hook that runs `action` (once) when `step` is reached: another worker's move at that exact point. */
function interleave(step: string, action: () => Promise<unknown>): FaultHook {
  let done = false;
  return async (s) => {
    if (s !== step || done) return;
    done = true;
    await action();
  };
}

const fenced = {
  code: 'LAKE_STATE_INVALID',
  context: expect.objectContaining({ reason: 'fenced' }),
};

describe('lake sink fencing of a zombie worker', () => {
  it('refuses the commit of a worker whose partition a new owner has committed since', async () => {
    const root = path.join(env.config.lake.root, 'zombie');
    const zombie = openSink(root, feed);
    await zombie.recover(0);
    zombie.append(0, records(0, 0, 300)); // then a rebalance moves partition 0 away, unnoticed

    const owner = openSink(root, feed);
    await consume(owner, 0, 300, 100);

    await expect(zombie.flush(0, 300)).rejects.toMatchObject(fenced);
    expect(filesUnder(path.join(root, '_feedctl/staging')).length).toBeGreaterThan(0); // its staged leftovers
    expect(await openSink(root, feed).recover(0)).toBe(300); // the next recovery removes them
    await expectExactlyOnce(root, 'orders', { 0: 300 });
  });

  it('refuses the commit of a zombie that staged before the new owner recovered but committed after', async () => {
    const root = path.join(env.config.lake.root, 'recovered-not-committed');
    await consume(openSink(root, feed), 0, 100, 100);
    const owner = openSink(root, feed);
    // The zombie stages 100..300; the new owner recovers (deleting staged leftovers) before the zombie commits.
    const zombie = openSink(
      root,
      feed,
      interleave('staged', () => owner.recover(0)),
    );
    await zombie.recover(0);
    zombie.append(0, records(0, 100, 300));

    await expect(zombie.flush(0, 300)).rejects.toMatchObject(fenced);
    owner.append(0, records(0, 100, 300));
    await owner.flush(0, 300);
    expect(await openSink(root, feed).recover(0)).toBe(300);
    await expectExactlyOnce(root, 'orders', { 0: 300 });
  });
});
