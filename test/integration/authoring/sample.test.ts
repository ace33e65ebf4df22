/**
 * The topic sampler against the real broker: it stops at N messages or at the end the topic had when it started,
 * draws its progress on a terminal, and deletes its throw-away consumer group.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTopic } from '../../../src/authoring/sample.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import { useTestEnv } from '../../helpers/env.js';
import { produceWithKcat } from '../../helpers/runtime.js';

const env = useTestEnv('authoring_sample');
const topic = env.topic('sample');
const empty = env.topic('sample_empty');

beforeAll(async () => {
  await env.createTopic(topic, 3);
  await env.createTopic(empty, 1);
  const messages = Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: `{"n":${i}}` }));
  produceWithKcat(env.config, topic, messages, mkdtempSync(path.join(tmpdir(), 'feedctl-sample-')));
});

async function groups(): Promise<string[]> {
  return withAdmin(env.config, async (a) => (await a.listGroups()).groups.map((g) => g.groupId));
}

describe('sampleTopic', () => {
  it('reads every message up to the end it saw at start, and deletes its group', async () => {
    const s = await sampleTopic(env.config, topic, 100, { timeoutMs: 30_000 });
    expect(s.complete).toBe(true);
    expect(s.partitions).toBe(3);
    const values = s.values.map((v) => JSON.parse(String(v)) as { n: number });
    expect(values.map((v) => v.n).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(s.group).toMatch(/^feedctl-sample-[0-9a-f]{12}$/);
    expect(await groups()).not.toContain(s.group);
  });

  it('stops at N messages and draws its progress on a terminal', async () => {
    const out: string[] = [];
    const stream = { isTTY: true, write: (t: string) => out.push(t) };
    const prev = { ci: process.env.CI, off: process.env.FEEDCTL_NO_PROGRESS };
    delete process.env.CI;
    delete process.env.FEEDCTL_NO_PROGRESS;
    try {
      const s = await sampleTopic(env.config, topic, 5, { progressStream: stream });
      expect(s.values).toHaveLength(5);
      expect(s.complete).toBe(true);
    } finally {
      if (prev.ci !== undefined) process.env.CI = prev.ci;
      if (prev.off !== undefined) process.env.FEEDCTL_NO_PROGRESS = prev.off;
    }
    expect(out.at(-1)).toBe(`\r\u001b[2Ksampling ${topic}: 5 messages read\n`);
    expect(out[0]).toMatch(new RegExp(`sampling ${topic.replace(/\./g, '\\.')}: 1/5 \\(20%\\)`));
  });

  it('returns at once from an empty topic, without a consumer group', async () => {
    const s = await sampleTopic(env.config, empty, 10);
    expect(s).toEqual({ values: [], partitions: 1, complete: true, group: '' });
  });
});
