/** Status model fixtures for the status and web unit tests: two feeds, one with a hostile description. */
import type { FeedSync } from '../../../src/control/feed-sync.js';
import type { ConsumerView, StatusView } from '../../../src/control/status.js';
import { buildModel } from '../../../src/status/feeds.js';
import type { StatusModel } from '../../../src/status/model.js';

export const HOSTILE = `<script>alert(1)</script><img src=x onerror="alert(2)"> & 'q'`;

export function consumer(
  feed: string,
  destination: 'lake' | 'warehouse',
  o: Partial<ConsumerView> = {},
): ConsumerView {
  return {
    feed,
    destination,
    generation: 2,
    runningGenerations: [2],
    verdict: 'running',
    workers: ['w1'],
    lag: 7,
    partitions: [0, 1],
    stalled: [],
    halted: [],
    lastProgressAt: '2026-11-27T10:00:00.000Z',
    lagByPartition: { '0': 3, '1': 4 },
    perSecond1m: 12.5,
    perSecond5m: 3.1,
    lastWrite: {
      at: '2026-11-27T10:00:01.000Z',
      file: destination === 'lake' ? `streams/${feed}/a.parquet` : null,
    },
    deadLetters: 1,
    recentDeadLetters: [
      { at: '2026-11-27T09:59:00.000Z', partition: 1, offset: '42', stage: 'decode', reason: 'not JSON' },
    ],
    detail: null,
    ...o,
  };
}

export function sync(feed: string, o: Partial<FeedSync> = {}): FeedSync {
  return {
    feed,
    state: 'in sync',
    detail: null,
    plan: {
      formatVersion: 1,
      id: 'p',
      createdAt: '',
      sourceRevision: null,
      options: { allowDestructive: false, prune: false },
      changes: [],
      errors: [],
      complete: true,
      blocked: false,
      applyable: true,
    },
    manifestPath: `feeds/${feed}.yaml`,
    manifest: `metadata:\n  name: ${feed}\n`,
    manifestHash: 'h1',
    appliedHash: 'h1',
    summary: {
      type: 'stream',
      owner: 'team',
      description: null,
      labels: {},
      topic: feed,
      destinations: ['lake'],
      retention: '30 days',
    },
    observedAt: '2026-11-27T10:00:00.000Z',
    since: '2026-11-27T09:00:00.000Z',
    recordedBy: 'ctl-1',
    ...o,
  };
}

/** Feeds `a` (drifted, running, hostile description) and `b` (registry only: no recorded sync state). */
export function model(): StatusModel {
  const status: StatusView = {
    workers: [
      {
        instanceId: 'w1',
        host: 'h',
        destinations: 'all',
        heartbeatAt: '2026-11-27T10:00:00.000Z',
        warehouseLoadPath: null,
      },
    ],
    consumers: [consumer('a', 'lake'), consumer('a', 'warehouse', { deadLetters: 2 })],
    snapshots: [],
    controllers: [],
  };
  return buildModel({
    status,
    syncs: [
      sync('a', {
        state: 'drift',
        detail: 'topic a: retention.ms 1 → 2',
        summary: { ...sync('a').summary, description: HOSTILE },
      }),
    ],
    registry: [
      { feed: 'a', type: 'stream', topic: 'a', enabled: true },
      { feed: 'b', type: 'table', topic: 'b-topic', enabled: false },
    ],
    retention: [{ feed: 'a', policy: '30 days', lastDeletedAt: null, lastDeleted: null }],
    now: new Date('2026-11-27T10:00:05.000Z'),
  });
}
