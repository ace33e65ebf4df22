/**
 * The health server of `feedctl run` and `reconcile --watch`, black-box: a spawned worker (port 0, learnt from its
 * stderr line) answers /healthz and /readyz with every check ok during ingestion, and its per-feed counters move on
 * /metrics between two scrapes; `reconcile --watch --no-worker` serves too, with the process metrics; a port in use
 * ends `run` with the setting to change.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { checkEndpoint, checkOf, metricSum, metricsText } from '../../helpers/health.js';
import { produce, refMessages, streamFeedYaml, waitUntil } from '../../helpers/runtime.js';
import { exited, healthUrl, spawnWorker, waitRunning } from '../../helpers/workers.js';

const env = useTestEnv('rt_health');
const fc = useFeedctl(env);
const FEED = 'healthy';
const TOPIC = env.topic('health');

describe('the health server', () => {
  beforeAll(async () => {
    fc.writeFeed(FEED, streamFeedYaml({ name: FEED, topic: TOPIC }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('of feedctl run: alive, ready, and counting each feed', { timeout: 120_000 }, async () => {
    const worker = spawnWorker(env, fc, 'w');
    const url = await healthUrl(env, 'w');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitRunning(env, 'w');

    const live = await checkEndpoint(url, '/healthz');
    expect(live.status).toBe(200);
    expect(checkOf(live, 'worker')).toMatchObject({ ok: true, detail: expect.stringMatching(/^last round/) });

    const ready = await checkEndpoint(url, '/readyz');
    expect(ready.body.checks.map((c) => `${c.name} ${c.ok}`)).toEqual([
      'kafka true',
      'mysql true',
      'migrations true',
    ]);
    expect(ready.status).toBe(200);

    const counted = async (n: number) => {
      const text = await metricsText(url);
      return metricSum(text, 'feedctl_messages_total', { feed: FEED }) >= n ? text : null;
    };
    await produce(env.config, TOPIC, refMessages('a', 0, 300));
    let first: string | null = null;
    await waitUntil('300 messages counted per destination', async () =>
      Boolean((first = await counted(600))),
    );
    await produce(env.config, TOPIC, refMessages('a', 300, 200));
    let second: string | null = null;
    await waitUntil('500 messages counted per destination', async () =>
      Boolean((second = await counted(1000))),
    );
    for (const destination of ['lake', 'warehouse']) {
      const labels = { feed: FEED, destination };
      expect(metricSum(first ?? '', 'feedctl_messages_total', labels)).toBe(300);
      expect(metricSum(second ?? '', 'feedctl_messages_total', labels)).toBe(500);
    }
    await waitUntil('a heartbeat written', async () => {
      const beat = metricSum(await metricsText(url), 'feedctl_worker_heartbeat_timestamp_seconds');
      return beat > Date.now() / 1000 - 30;
    });
    expect((second ?? '').match(/^# TYPE feedctl_process_resident_memory_bytes /gm)).toHaveLength(1);

    worker.kill('SIGTERM');
    expect(await exited(worker)).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await fc.expectConverged();
  });

  it(
    'of reconcile --watch --no-worker: alive, ready, with the process metrics',
    { timeout: 60_000 },
    async () => {
      const child = spawn(
        process.execPath,
        [
          'bin/feedctl.js',
          '--config',
          fc.configFile,
          'reconcile',
          '--watch',
          '--no-worker',
          '--http-port',
          '0',
        ],
        { env: fc.childEnv({ FEEDCTL_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = exited(child);
      let url = '';
      await waitUntil('the health server URL', async () => {
        url = /health and metrics on (http:\/\/\S+)/.exec(stderr)?.[1] ?? '';
        return url !== '';
      });
      expect((await checkEndpoint(url, '/healthz')).status).toBe(200);
      await waitUntil('ready', async () => (await checkEndpoint(url, '/readyz')).status === 200);
      expect(metricSum(await metricsText(url), 'feedctl_process_resident_memory_bytes')).toBeGreaterThan(0);
      child.kill('SIGTERM');
      expect(await done).toEqual({ code: 0, signal: null });
      expect(stderr.match(/health and metrics on/g)).toHaveLength(1);
    },
  );

  describe('with its port taken', () => {
    let taken: Server;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    });
    afterAll(() => new Promise<void>((r) => taken.close(() => r())));

    it('ends feedctl run at once, naming the setting to change', async () => {
      const port = (taken.address() as AddressInfo).port;
      const r = await fc.spawn('run', '--http-port', String(port));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `error: health: listen 127.0.0.1:${port}: port ${port} is in use: choose another with http.port`,
      );
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });
  });
});
