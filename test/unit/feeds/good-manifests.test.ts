/**
 * Valid manifests load without a single diagnostic, and normalization applies every default: the minimal
 * manifest's FeedSpec is spelled out in full here, so a changed default fails this test.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFeeds } from '../../../src/feeds/load.js';
import type { FeedSpec } from '../../../src/feeds/types.js';

const GOOD = 'test/fixtures/manifests/good';

async function loadOne(file: string): Promise<FeedSpec> {
  const { feeds, diagnostics } = await loadFeeds([file]);
  expect(diagnostics).toEqual([]);
  expect(feeds).toHaveLength(1);
  return feeds[0] as FeedSpec;
}

describe('valid manifests', () => {
  it.each(readdirSync(GOOD).map((f) => `${GOOD}/${f}`))('%s loads cleanly', async (file) => {
    await loadOne(file);
  });

  it('loads the example feeds together, in file order', async () => {
    const { feeds, diagnostics } = await loadFeeds(['feeds']);
    expect(diagnostics).toEqual([]);
    expect(feeds.map((f) => [f.name, f.type, f.destinations.warehouse.table])).toEqual([
      ['customer_events', 'stream', 'fact_customer_events'],
      ['product_catalog', 'table', 'dim_product_catalog'],
    ]);
    expect(feeds[0]?.retention).toEqual({ days: 180, versions: null, autoDelete: true });
  });

  it('fills every default of a minimal manifest', async () => {
    const expected: FeedSpec = {
      name: 'page_views',
      manifestPath: `${GOOD}/minimal.yaml`,
      metadata: { owner: null, description: null, labels: {} },
      type: 'stream',
      enabled: true,
      topic: { name: 'page_views', partitions: 3, replicationFactor: null, configs: {}, adopt: false },
      schema: {
        fields: [
          {
            name: 'url',
            property: 'url',
            type: { kind: 'string', maxLength: null },
            nullable: false,
            description: null,
            collation: null,
          },
          {
            name: 'viewed_at',
            property: 'viewed_at',
            type: { kind: 'timestamp' },
            nullable: false,
            description: null,
            collation: null,
          },
        ],
        key: [],
        eventTime: { source: 'field', field: 'viewed_at' },
        invalidUnicode: 'reject',
      },
      destinations: {
        lake: {
          enabled: true,
          compression: 'snappy',
          flush: { maxRows: 100000, maxBytes: 67108864, idleSeconds: 5 },
        },
        warehouse: { enabled: false, table: null, adopt: false },
      },
      retention: { days: 90, versions: null, autoDelete: true },
      access: { roles: [] },
      deadLetter: { enabled: true, topic: 'page_views-dlq' },
      snapshot: null,
    };
    expect(await loadOne(`${GOOD}/minimal.yaml`)).toEqual(expected);
  });

  it('normalizes configs to strings with sorted keys, and roles to a sorted set', async () => {
    const feed = await loadOne(`${GOOD}/full.yaml`);
    expect(Object.entries(feed.topic.configs)).toEqual([
      ['cleanup.policy', 'delete'],
      ['compression.type', 'zstd'],
      ['max.message.bytes', '2097152'],
      ['min.cleanable.dirty.ratio', '0.25'],
      ['min.insync.replicas', '2'],
      ['retention.bytes', '-1'],
      ['retention.ms', '1209600000'],
      ['unclean.leader.election.enable', 'false'],
    ]);
    expect(feed.access.roles).toEqual(['analyst', 'risk_analyst']);
    expect(feed.schema.key).toEqual(['payment_id', 'merchant_id']);
    expect(feed.schema.fields.find((f) => f.name === 'amount')?.type).toEqual({
      kind: 'decimal',
      precision: 15,
      scale: 2,
    });
    expect(feed.deadLetter).toEqual({ enabled: true, topic: 'payments.dead-letters' });
    expect([feed.enabled, feed.topic.adopt, feed.destinations.warehouse.adopt]).toEqual([false, true, true]);
  });

  it('applies table defaults: versions instead of days, a key given as one string', async () => {
    const feed = await loadOne(`${GOOD}/table-feed.yaml`);
    expect(feed.retention).toEqual({ days: null, versions: 30, autoDelete: true });
    expect(feed.schema.key).toEqual(['currency']);
    expect(feed.deadLetter).toEqual({ enabled: false, topic: 'exchange_rates-dlq' });
  });
});
