import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../src/reconciler/inventory/observe.js';
import { desiredTopics, type TopicDef } from '../../../src/reconciler/topics/desired.js';
import { diffTopics, normalizeConfigValue } from '../../../src/reconciler/topics/diff.js';
import type { ObservedTopic } from '../../../src/reconciler/topics/observe.js';
import type { Config } from '../../../src/config/config.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const config = { kafka: { defaultReplicationFactor: 1 } } as Config;
const opts = { allowDestructive: false, prune: false, desiredFeeds: new Set(['orders']) };
const topic = (o: Partial<TopicDef> = {}): TopicDef => ({
  name: 'orders',
  feed: 'orders',
  role: 'data',
  partitions: 3,
  replicationFactor: 1,
  configs: { 'retention.ms': '604800000' },
  adopt: false,
  ...o,
});
const seen = (o: Partial<ObservedTopic> = {}): Map<string, ObservedTopic> =>
  new Map([
    [
      'orders',
      {
        name: 'orders',
        partitions: 3,
        replicationFactor: 1,
        configs: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
        overrides: { 'retention.ms': '604800000' },
        ...o,
      },
    ],
  ]);
const owned = inventoryOf([{ kind: 'topic', id: 'orders', feed: 'orders', adopted: false }]);

describe('topic desired state', () => {
  it('adds a one-partition dead-letter topic and resolves the replication factor from the config', () => {
    const [data, dlq] = desiredTopics([feedSpec({ name: 'orders', topic: 'orders' })], config);
    expect(data).toMatchObject({ name: 'orders', role: 'data', replicationFactor: 1, partitions: 3 });
    expect(dlq).toMatchObject({ name: 'orders-dlq', role: 'dead-letter', partitions: 1, configs: {} });
  });
});

describe('topic diff', () => {
  it('creates a missing topic with its partitions and configs', () => {
    const { changes } = diffTopics([topic()], new Map(), inventoryOf([]), opts);
    expect(changes).toEqual([
      expect.objectContaining({
        action: 'create',
        before: null,
        after: { partitions: 3, replicationFactor: 1, configs: { 'retention.ms': '604800000' } },
      }),
    ]);
  });

  it('is empty for an owned topic that matches, whatever other configs the broker reports', () => {
    expect(diffTopics([topic()], seen(), owned, opts)).toEqual({ changes: [], errors: [] });
  });

  it('shows only the drifted config, before and after', () => {
    const { changes } = diffTopics([topic()], seen({ configs: { 'retention.ms': '3600000' } }), owned, opts);
    expect(changes).toEqual([
      expect.objectContaining({
        action: 'update',
        before: { configs: { 'retention.ms': '3600000' } },
        after: { configs: { 'retention.ms': '604800000' } },
      }),
    ]);
  });

  it('raises partitions but refuses to lower them or change the replication factor', () => {
    expect(diffTopics([topic({ partitions: 6 })], seen(), owned, opts).changes[0]).toMatchObject({
      before: { partitions: 3 },
      after: { partitions: 6 },
    });
    const { changes, errors } = diffTopics(
      [topic({ partitions: 2, replicationFactor: 3 })],
      seen(),
      owned,
      opts,
    );
    expect(changes).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('cannot decrease partitions of orders from 3 to 2'),
      expect.stringContaining('cannot change the replication factor of orders from 1 to 3'),
    ]);
    expect(errors[0]?.remedy).toContain('partitions: 3');
  });

  it('never touches a topic it does not own, unless the manifest adopts it', () => {
    const refused = diffTopics([topic()], seen({ configs: {} }), inventoryOf([]), opts);
    expect(refused.changes).toEqual([]);
    expect(refused.errors[0]?.remedy).toContain('adopt: true');
    const adopted = diffTopics([topic({ adopt: true })], seen(), inventoryOf([]), opts);
    expect(adopted.changes).toEqual([expect.objectContaining({ action: 'adopt', destructive: false })]);
  });

  it('prunes owned topics no manifest declares only with --prune, as a destructive change', () => {
    const gone = inventoryOf([{ kind: 'topic', id: 'orders', feed: 'old', adopted: false }]);
    expect(diffTopics([], seen(), gone, opts).changes).toEqual([]);
    const { changes } = diffTopics([], seen(), gone, { ...opts, prune: true });
    expect(changes).toEqual([expect.objectContaining({ action: 'delete', destructive: true, after: null })]);
  });

  it('compares config values in normal form', () => {
    expect(normalizeConfigValue('cleanup.policy', 'delete, compact')).toBe('compact,delete');
    expect(normalizeConfigValue('unclean.leader.election.enable', 'TRUE')).toBe('true');
    const { changes } = diffTopics(
      [topic({ configs: { 'cleanup.policy': 'delete,compact' } })],
      seen({ configs: { 'cleanup.policy': 'compact,delete' } }),
      owned,
      opts,
    );
    expect(changes).toEqual([]);
  });
});
