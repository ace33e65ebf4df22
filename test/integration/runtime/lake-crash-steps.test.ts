import { describe, expect, it } from 'vitest';
import type { FaultHook, FlushStep } from '../../../src/runtime/lake/commit.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { BACKENDS, testLake, type TestLake } from '../../helpers/lake-backends.js';
import { consume, crashAt, expectLakeExactlyOnce } from './lake-harness.js';

const env = useTestEnv('lake-crash-steps');
const feed = feedSpec('orders');
const END = 600;
const CHUNK = 200; // each chunk spans two or three UTC days: several files per flush

/** Wraps a fault hook to remember the error it injects, so that only that error is taken for the crash. */
function remembering(faults: FaultHook): { hook: FaultHook; injected: () => unknown } {
  let injected: unknown;
  const hook: FaultHook = (step) => {
    try {
      faults(step);
    } catch (err) {
      injected = err;
      throw err;
    }
  };
  return { hook, injected: () => injected };
}

/**
 * Consumes with a crashing sink; returns the nextOffset of the flush that crashed. A flush failure other than the
 * injected crash (wrapped by the sink as a retriable LAKE_WRITE_FAILED) fails the test.
 */
async function crashingRun(lake: TestLake, faults: FaultHook): Promise<number> {
  const fault = remembering(faults);
  const sink = lake.openSink(feed, fault.hook);
  await sink.recover(0);
  for (let at = 0; at < END; at += CHUNK) {
    sink.append(0, records(0, at, at + CHUNK));
    const failure = await sink.flush(0, at + CHUNK).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (failure === undefined) continue;
    if (fault.injected() === undefined || (failure as { cause?: unknown }).cause !== fault.injected()) {
      throw failure;
    }
    expect(failure).toMatchObject({ code: 'LAKE_WRITE_FAILED', retriable: true });
    return at + CHUNK;
  }
  throw new Error('the fault never fired');
}

const BEFORE_COMMIT: FlushStep[] = ['stage-file', 'staged', 'commit-tmp'];

describe.each(BACKENDS)('lake sink crash at each protocol step (%s)', (backend) => {
  it.each([
    ['stage-file', 1],
    ['stage-file', 2],
    ['stage-file', 4],
    ['staged', 1],
    ['staged', 2],
    ['commit-tmp', 1],
    ['commit-tmp', 3],
    ['committed', 1],
    ['committed', 2],
    ['publish-file', 1],
    ['publish-file', 2],
    ['publish-file', 5],
    ['published', 1],
    ['published', 3],
  ] as const)('after %s #%i: recovery and replay leave every record exactly once', async (step, nth) => {
    const lake = testLake(env, backend, `${step}-${nth}`);
    const crashedFlush = await crashingRun(lake, crashAt(step, nth));

    const resumed = await consume(lake.openSink(feed), 0, END, CHUNK);
    expect(resumed).toBe(BEFORE_COMMIT.includes(step) ? crashedFlush - CHUNK : crashedFlush);
    await expectLakeExactlyOnce(lake, 'orders', { 0: END });
  });

  const RECOVERY_STEPS: FlushStep[] = ['publish-file', 'published', 'claim-tmp', 'claimed'];

  it.each(RECOVERY_STEPS)('recovers from a crash during recovery itself, after %s', async (step) => {
    const lake = testLake(env, backend, `recovery-${step}`);
    const crashedFlush = await crashingRun(lake, crashAt('committed', 2)); // its files are all still staged
    await expect(lake.openSink(feed, crashAt(step, 1)).recover(0)).rejects.toThrow(/simulated crash/);
    expect(await consume(lake.openSink(feed), 0, END, CHUNK)).toBe(crashedFlush);
    await expectLakeExactlyOnce(lake, 'orders', { 0: END });
  });

  it.each(['claim-tmp', 'claimed'] as const)(
    'recovers from a crash after %s in the first recovery of a partition',
    async (step) => {
      const lake = testLake(env, backend, `first-${step}`);
      await expect(lake.openSink(feed, crashAt(step, 1)).recover(0)).rejects.toThrow(/simulated crash/);
      expect(await consume(lake.openSink(feed), 0, END, CHUNK)).toBe(0);
      await expectLakeExactlyOnce(lake, 'orders', { 0: END });
    },
  );

  it('needs recover() after a failed flush before it accepts records again', async () => {
    const lake = testLake(env, backend, 'same-process');
    const sink = lake.openSink(feed, crashAt('staged', 1));
    await sink.recover(0);
    sink.append(0, records(0, 0, 50));
    await expect(sink.flush(0, 50)).rejects.toMatchObject({ code: 'LAKE_WRITE_FAILED', retriable: true });
    expect(() => sink.append(0, records(0, 0, 50))).toThrow(/call recover\(\)/);
    expect(await consume(sink, 0, 50, 50)).toBe(0);
    await expectLakeExactlyOnce(lake, 'orders', { 0: 50 });
  });
});
