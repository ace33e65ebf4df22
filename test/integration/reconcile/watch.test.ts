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

const partitions = (topic: string) =>
  withAdmin(
    env.config,
    async (a) => (await a.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length,
  );

describe('reconcile --watch', () => {
  it('applies every manifest change until SIGTERM', { timeout: 120_000 }, async () => {
    const first = env.topic('w1');
    const second = env.topic('w2');
    fc.writeFeed('w1', feedYaml({ name: 'w1', topic: first }));
    const child = spawn(
      process.execPath,
      ['bin/feedctl.js', '--config', fc.configFile, 'reconcile', '--watch', '--no-worker'],
      {
        env: fc.childEnv({ NO_COLOR: '1', FEEDCTL_LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    /**
     * Waits until output printed after `mark` shows `change` applied and its apply complete: earlier reconciles
     * already printed "Apply complete", so only new output counts.
     */
    const applied = async (what: string, mark: number, change: string) => {
      const done = new RegExp(
        `^applied {2}${change.replace(/\./g, '\\.')} [^\n]*\n(?:applied [^\n]*\n)*\n*Apply complete: \\d+ applied`,
        'm',
      );
      await waitUntil(what, async () => done.test(out.slice(mark)), 60_000);
    };
    await applied('the first feed applied at start', 0, `create topic ${first}`);
    expect(await topicExists(first)).toBe(true);

    let mark = out.length;
    fc.writeFeed('w2', feedYaml({ name: 'w2', topic: second }));
    await applied('the added manifest applied', mark, `create topic ${second}`);
    expect(out.slice(mark)).toMatch(/reconcile \(changed: .*w2\.yaml\)/);
    expect(await partitions(second)).toBe(2);

    mark = out.length;
    fc.writeFeed('w2', feedYaml({ name: 'w2', topic: second, partitions: 4 }));
    await applied('the changed manifest applied', mark, `update topic ${second}`);
    expect(out.slice(mark)).toMatch(/reconcile \(changed: .*w2\.yaml\)/);
    expect(await partitions(second)).toBe(4);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await fc.expectConverged();
  });
});
