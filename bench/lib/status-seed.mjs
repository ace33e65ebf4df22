// The status-page bench's control plane: for each topic a feed (every 4th a table feed) with its registry row,
// retention policy, declared lake and warehouse consumers, a recorded sync state (every 10th drifted) with its
// manifest, and one live worker whose heartbeat reports all the consumers (rates, lag per partition, last writes,
// dead letters). Multi-row INSERTs of 100 rows.
import { saveFeedSyncs } from '../../dist/control/feed-sync.js';

const CHUNK = 100;

async function insert(c, table, columns, rows) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const row = `(${columns.map(() => '?').join(', ')})`;
    await c.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`,
      chunk.flat(),
    );
  }
}

const feedOf = (i) => ({ name: `bench_feed_${i}`, table: i % 4 === 0 });

function manifest(f, topic) {
  return `apiVersion: feedctl/v1
kind: Feed
metadata:
  name: ${f.name}
  owner: team-${f.name.length % 7}
  description: Bench feed ${f.name}
spec:
  type: ${f.table ? 'table' : 'stream'}
  topic: {name: ${topic}, partitions: 3}
  schema:
    fields:
      - {name: id, type: string, maxLength: 64}
      - {name: amount, type: decimal, precision: 12, scale: 2}
      - {name: at, type: timestamp}
    key: [id]
    eventTime: at
  destinations:
    warehouse: {enabled: true, table: t_${f.name}}
  retention: {${f.table ? 'versions: 5' : 'days: 30'}}
`;
}

function report(f, topic, destination, partitions) {
  const now = new Date().toISOString();
  const lagByPartition = Object.fromEntries(Array.from({ length: partitions }, (_, p) => [String(p), p * 3]));
  return {
    feed: f.name,
    topic,
    destination,
    generation: 1,
    state: 'running',
    startedAt: now,
    partitions: Array.from({ length: partitions }, (_, p) => p),
    topicPartitions: partitions,
    messages: 12345,
    deadLetters: 2,
    lag: 9,
    lagByPartition,
    committed: Object.fromEntries(Array.from({ length: partitions }, (_, p) => [String(p), 0])),
    stalled: [],
    halted: [],
    lastProgressAt: now,
    lastError: null,
    rate: { perSecond1m: 41.5, perSecond5m: 39.2 },
    lastWrite: {
      at: now,
      file: destination === 'lake' ? `streams/${f.name}/year=2026/month=11/day=27/p0-0-99.parquet` : null,
    },
    recentDeadLetters: [
      { at: now, partition: 1, offset: '77', stage: 'decode', reason: 'value is not JSON' },
    ],
  };
}

function sync(f, topic) {
  const now = new Date().toISOString();
  return {
    feed: f.name,
    state: Number(f.name.split('_').at(-1)) % 10 === 0 ? 'drift' : 'in sync',
    detail: null,
    plan: {
      formatVersion: 1,
      id: 'bench',
      createdAt: now,
      sourceRevision: null,
      options: { allowDestructive: false, prune: false },
      changes: [],
      errors: [],
      complete: true,
      blocked: false,
      applyable: true,
    },
    manifestPath: `feeds/${f.name}.yaml`,
    manifest: manifest(f, topic),
    manifestHash: 'a'.repeat(64),
    appliedHash: 'a'.repeat(64),
    summary: {
      type: f.table ? 'table' : 'stream',
      owner: 'team-a',
      description: `Bench feed ${f.name}`,
      labels: { tier: 'gold' },
      topic,
      destinations: ['lake', 'warehouse'],
      retention: f.table ? '5 versions' : '30 days',
    },
    observedAt: now,
    since: now,
    recordedBy: 'bench',
  };
}

/** Writes the control plane of one feed per topic (see the file's header). */
export async function seedStatus(c, topics, partitions) {
  const feeds = topics.map((t, i) => ({ ...feedOf(i), topic: t }));
  await insert(
    c,
    'feed_registry',
    [
      'feed_name',
      'feed_type',
      'kafka_topic',
      'partitioning_strategy',
      'destination',
      'warehouse_table',
      'dead_letter_topic',
      'managed_by',
    ],
    feeds.map((f) => [
      f.name,
      f.table ? 'table' : 'stream',
      f.topic,
      f.table ? 'version' : 'date',
      'both',
      `t_${f.name}`,
      `${f.topic}-dlq`,
      'feedctl',
    ]),
  );
  await insert(
    c,
    'data_retention_policies',
    ['feed_name', 'feed_type', 'retention_days', 'retention_versions'],
    feeds.map((f) => [f.name, f.table ? 'table' : 'stream', f.table ? null : 30, f.table ? 5 : null]),
  );
  await insert(
    c,
    'feedctl_consumers',
    ['feed_name', 'generation', 'spec_hash', 'spec', 'lake_enabled', 'warehouse_enabled'],
    feeds.map((f) => [f.name, 1, 'x'.repeat(64), '{}', true, true]),
  );
  await saveFeedSyncs(
    c,
    feeds.map((f) => sync(f, f.topic)),
  );
  const consumers = feeds.flatMap((f) => ['lake', 'warehouse'].map((d) => report(f, f.topic, d, partitions)));
  await c.query(
    `INSERT INTO feedctl_workers (instance_id, host, pid, destinations, status) VALUES (?, ?, ?, ?, ?)`,
    [
      'bench-worker-1',
      'bench',
      process.pid,
      'all',
      JSON.stringify({ consumers, skipped: [], warehouseLoadPath: null }),
    ],
  );
}
