/**
 * `feedctl reconcile --watch`: applies at start, re-applies when a manifest is added or changed, and exits 0 on
 * SIGTERM.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { waitUntil } from '../../helpers/runtime.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_watch');
const fc = useFeedctl(env);

const topicExists = (topic: string) =>
  withAdmin(env.config, async (a) => (await a.listTopics()).includes(topic));

describe('reconcile --watch', () => {
  it('applies every manifest change until SIGTERM', { timeout: 120_000 }, async () => {
    const first = env.topic('w1');
    const second = env.topic('w2');
    fc.writeFeed('w1', feedYaml({ name: 'w1', topic: first }));
    const child = spawn(
      process.execPath,
      ['bin/feedctl.js', '--config', fc.configFile, 'reconcile', '--watch', '--no-worker'],
      {
        env: { ...process.env, NO_COLOR: '1', FEEDCTL_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await waitUntil('the first feed applied at start', () => topicExists(first), 60_000);
    fc.writeFeed('w2', feedYaml({ name: 'w2', topic: second }));
    await waitUntil('the added manifest applied', () => topicExists(second), 60_000);
    fc.writeFeed('w2', feedYaml({ name: 'w2', topic: second, partitions: 4 }));
    await waitUntil(
      'the changed manifest applied',
      async () => /update topic .*w2/.test(out) && /Apply complete/.test(out),
      60_000,
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/reconcile \(changed: .*w2\.yaml\)/);
    await fc.expectConverged();
  });
});
