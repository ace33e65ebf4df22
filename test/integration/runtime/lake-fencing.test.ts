import { describe, expect, it } from 'vitest';
import type { FaultHook } from '../../../src/runtime/lake/commit.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { BACKENDS, testLake } from '../../helpers/lake-backends.js';
import { consume, expectLakeExactlyOnce } from './lake-harness.js';

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

/** A promise with its resolve function, to hold one worker at a step until the test lets it go on. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const fenced = {
  code: 'LAKE_STATE_INVALID',
  context: expect.objectContaining({ reason: 'fenced' }),
};

describe.each(BACKENDS)('lake sink fencing of a zombie worker (%s)', (backend) => {
  it('refuses the commit of a worker whose partition a new owner has committed since', async () => {
    const lake = testLake(env, backend, 'zombie');
    const openSink = lake.openSink;
    const zombie = openSink(feed);
    await zombie.recover(0);
    zombie.append(0, records(0, 0, 300)); // then a rebalance moves partition 0 away, unnoticed

    const owner = openSink(feed);
    await consume(owner, 0, 300, 100);

    await expect(zombie.flush(0, 300)).rejects.toMatchObject(fenced);
    expect((await lake.files('_feedctl/staging')).length).toBeGreaterThan(0); // its staged leftovers
    expect(await openSink(feed).recover(0)).toBe(300); // the next recovery removes them
    await expectLakeExactlyOnce(lake, 'orders', { 0: 300 });
  });

  it('refuses the commit of a zombie that staged before the new owner recovered but committed after', async () => {
    const lake = testLake(env, backend, 'recovered-not-committed');
    const openSink = lake.openSink;
    await consume(openSink(feed), 0, 100, 100);
    const owner = openSink(feed);
    // The zombie stages 100..300; the new owner recovers (deleting staged leftovers) before the zombie commits.
    const zombie = openSink(
      feed,
      interleave('staged', () => owner.recover(0)),
    );
    await zombie.recover(0);
    zombie.append(0, records(0, 100, 300));

    await expect(zombie.flush(0, 300)).rejects.toMatchObject(fenced);
    owner.append(0, records(0, 100, 300));
    await owner.flush(0, 300);
    expect(await openSink(feed).recover(0)).toBe(300);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 300 });
  });

  it('rolls forward the files of a zombie whose commit lands before the new owner claims the partition', async () => {
    const lake = testLake(env, backend, 'zombie-first');
    const openSink = lake.openSink;
    await consume(openSink(feed), 0, 100, 100);
    const [committed, release] = [gate(), gate()];
    const zombie = openSink(
      feed,
      interleave('committed', async () => {
        committed.open();
        await release.opened; // the zombie stalls between its commit point and publishing
      }),
    );
    await zombie.recover(0);
    zombie.append(0, records(0, 100, 300));
    let zombieFlush: Promise<unknown> = Promise.resolve();
    const owner = openSink(
      feed,
      interleave('claim-tmp', async () => {
        zombieFlush = zombie.flush(0, 300);
        await committed.opened;
      }),
    );

    expect(await owner.recover(0)).toBe(300);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 300 }); // the owner published the zombie's files itself
    release.open();
    await expect(zombieFlush).resolves.toMatchObject({ rows: 200 });
    owner.append(0, records(0, 300, 400));
    await owner.flush(0, 400);
    zombie.append(0, records(0, 300, 350));
    await expect(zombie.flush(0, 350)).rejects.toMatchObject(fenced);
    expect(await openSink(feed).recover(0)).toBe(400);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 400 });
  });

  it('keeps the staged files of a later owner when a superseded recovery cleans up', async () => {
    const lake = testLake(env, backend, 'superseded-recovery');
    const openSink = lake.openSink;
    await consume(openSink(feed), 0, 100, 100);
    const [staged, release] = [gate(), gate()];
    const later = openSink(
      feed,
      interleave('staged', async () => {
        staged.open();
        await release.opened;
      }),
    );
    let laterFlush: Promise<unknown> = Promise.resolve();
    // The first owner stalls right after its claim; meanwhile a later owner recovers and stages its first flush.
    const first = openSink(
      feed,
      interleave('claimed', async () => {
        laterFlush = later.recover(0).then(() => {
          later.append(0, records(0, 100, 300));
          return later.flush(0, 300);
        });
        await staged.opened;
      }),
    );

    expect(await first.recover(0)).toBe(100);
    release.open();
    await expect(laterFlush).resolves.toMatchObject({ rows: 200 });
    first.append(0, records(0, 100, 200));
    await expect(first.flush(0, 200)).rejects.toMatchObject(fenced);
    expect(await openSink(feed).recover(0)).toBe(300);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 300 });
  });

  it('fences a zombie so late that the record number it creates was deleted as garbage', async () => {
    const lake = testLake(env, backend, 'very-late');
    const openSink = lake.openSink;
    const zombie = openSink(feed);
    await zombie.recover(0); // record 1
    zombie.append(0, records(0, 0, 150)); // file names unlike the owner's: a duplicate would show
    await consume(openSink(feed), 0, 300, 100); // records 2 to 5; 1 to 3 are deleted

    await expect(zombie.flush(0, 150)).rejects.toMatchObject(fenced); // it creates record 2 again
    expect(await openSink(feed).recover(0)).toBe(300);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 300 });
  });
});
