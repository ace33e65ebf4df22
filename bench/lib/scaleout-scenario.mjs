// Pieces of the scaleout bench (bench/scaleout.bench.mjs) on top of the runtime bench's scenarios: its messages,
// kcat producing without blocking the bench, the consumer groups' membership, and a sweep after a failed scenario.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { consumerGroupId, feedGroupIds } from '../../dist/config/consumer-groups.js';
import { withAdmin } from '../../dist/clients/kafka.js';

const T0 = Date.UTC(2025, 2, 1);
export const WIDE = ['order_id', 'customer', 'amount', 'occurred_at'];
const pad = (n, w) => String(n).padStart(w, '0');
const amount = (i) => `${Math.floor(((i * 7919) % 100_000_000) / 100)}.${pad((i * 7919) % 100, 2)}`;
/** ≈105-byte message i as a kcat line, as the runtime bench's scenario A (event times 10 ms apart). */
export const wide = (i) =>
  `o${i}\t{"order_id":"o${pad(i, 7)}","customer":"c-${pad(i % 50_000, 5)}","amount":"${amount(i)}",` +
  `"occurred_at":"${new Date(T0 + i * 10).toISOString()}"}\n`;

/** Whether the feed's consumer group of every sink is Stable with one member per worker. */
export async function groupsFormed(s, sinks, k) {
  const ids = sinks.map((d) => consumerGroupId(s.config, s.feed, d));
  const { groups } = await withAdmin(s.config, (a) => a.describeGroups(ids));
  return groups.every((g) => g.state === 'Stable' && g.members.length === k);
}

/** Writes `n` messages as kcat lines into a file of the scenario's folder; returns its path. */
export async function writeMessages(s, n) {
  const file = path.join(s.dir, 'messages.tsv');
  const out = createWriteStream(file);
  for (let i = 0; i < n;) {
    const chunk = [];
    for (const end = Math.min(n, i + 10_000); i < end; i++) chunk.push(wide(i));
    if (!out.write(chunk.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** Produces the file's messages with kcat (as produceWithKcat, but without blocking the bench); returns ms. */
export async function kcatFile(s, file) {
  const t0 = performance.now();
  const brokers = s.config.kafka.brokers.join(',');
  const args = ['-b', brokers, '-P', '-t', s.topic, '-K', '\t', '-l', file, '-X', 'linger.ms=50'];
  const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`bench: kcat exited with ${code}`);
  return performance.now() - t0;
}

/**
 * After a failed scenario: withScenario's cleanup leaves the topics when a crashed worker's member still holds a
 * consumer group (NON_EMPTY_GROUP). Deletes them, and the groups once that member's session has timed out.
 */
export async function sweep(s) {
  await withAdmin(s.config, async (a) => {
    const topics = (await a.listTopics()).filter((t) => t.startsWith(s.topic));
    if (topics.length > 0) await a.deleteTopics({ topics, timeout: 120_000 });
  });
  await new Promise((resolve) => setTimeout(resolve, s.config.kafka.sessionTimeoutMs + 2000));
  await withAdmin(s.config, async (a) => {
    const mine = new Set(feedGroupIds(s.config, s.feed));
    const ours = (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => mine.has(g));
    if (ours.length > 0) await a.deleteGroups(ours);
  });
}
