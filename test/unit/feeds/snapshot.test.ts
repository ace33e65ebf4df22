/**
 * `spec.snapshot`, the snapshot contract of table feeds: every written form normalizes to its SnapshotSpec
 * (defaults when omitted, null for streams), the example feed spells the defaults out, the snapshot takes part in
 * a table feed's runtime spec only, and the cross-file check keeps `<table>_latest` views to themselves. The bad
 * forms, with their messages and positions, are fixtures of the corpus (test/fixtures/manifests/bad/snapshot-*).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossChecks } from '../../../src/feeds/cross.js';
import { loadFeeds } from '../../../src/feeds/load.js';
import { runtimeSpec } from '../../../src/feeds/runtime-spec.js';
import type { FeedSpec, SnapshotSpec } from '../../../src/feeds/types.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const GOOD = 'test/fixtures/manifests/good';
const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULT: SnapshotSpec = {
  version: { source: 'header', name: 'snapshot_version' },
  seal: { mode: 'marker' },
};

async function loadOne(file: string): Promise<FeedSpec> {
  const { feeds, diagnostics } = await loadFeeds([file]);
  expect(diagnostics).toEqual([]);
  expect(feeds).toHaveLength(1);
  return feeds[0] as FeedSpec;
}

/** A table feed with an int field `version_no` and the given `spec.snapshot` (YAML flow), or none. */
function tableFeed(snapshot: string | null): string {
  const file = path.join(dir, `feed-${Math.random().toString(36).slice(2)}.yaml`);
  const lines = [
    'apiVersion: feedctl/v1',
    'kind: Feed',
    'metadata: { name: catalog }',
    'spec:',
    '  type: table',
    '  schema:',
    '    fields:',
    '      - { name: product_id, type: string, maxLength: 36 }',
    '      - { name: version_no, type: int }',
    '    key: [product_id]',
    ...(snapshot === null ? [] : [`  snapshot: ${snapshot}`]),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('spec.snapshot normalization', () => {
  it.each<[string, string | null, SnapshotSpec]>([
    ['omitted', null, DEFAULT],
    ['empty', '{}', DEFAULT],
    ['seal only', '{ seal: nextVersion }', { ...DEFAULT, seal: { mode: 'nextVersion' } }],
    ['version only', '{ version: { header: v } }', { ...DEFAULT, version: { source: 'header', name: 'v' } }],
    [
      'field form, idle seal at its maximum',
      '{ version: { field: version_no }, seal: { idleSeconds: 86400 } }',
      { version: { source: 'field', name: 'version_no' }, seal: { mode: 'idle', idleSeconds: 86400 } },
    ],
    [
      'idle seal at its minimum',
      '{ seal: { idleSeconds: 1 } }',
      { ...DEFAULT, seal: { mode: 'idle', idleSeconds: 1 } },
    ],
    ['defaults spelled out', '{ version: { header: snapshot_version }, seal: marker }', DEFAULT],
  ])('%s', async (_label, snapshot, expected) => {
    expect((await loadOne(tableFeed(snapshot))).snapshot).toEqual(expected);
  });

  it('gives table feeds the default contract and streams none', async () => {
    expect((await loadOne(`${GOOD}/table-feed.yaml`)).snapshot).toEqual(DEFAULT);
    expect((await loadOne(`${GOOD}/minimal.yaml`)).snapshot).toBeNull();
  });

  it('reads a custom version header and the nextVersion seal', async () => {
    expect((await loadOne(`${GOOD}/table-snapshot-header.yaml`)).snapshot).toEqual({
      version: { source: 'header', name: 'X-Price-List.Version' },
      seal: { mode: 'nextVersion' },
    });
  });

  it('reads a bigint version field and the idle seal', async () => {
    expect((await loadOne(`${GOOD}/table-snapshot-field.yaml`)).snapshot).toEqual({
      version: { source: 'field', name: 'stock_version' },
      seal: { mode: 'idle', idleSeconds: 300 },
    });
  });
});

describe('the example table feed', () => {
  it('spells out the default contract on an uncompacted 3-partition topic', async () => {
    const feed = await loadOne('feeds/product_catalog.yaml');
    expect(feed.snapshot).toEqual(DEFAULT);
    expect(feed.topic.partitions).toBe(3);
    expect(feed.topic.configs).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '604800000' });
    expect(feed.destinations.warehouse.table).toBe('dim_product_catalog');
  });
});

describe('snapshot in the runtime spec', () => {
  it('is part of a table feed only', () => {
    expect(runtimeSpec(feedSpec())).not.toHaveProperty('snapshot');
    const table = feedSpec({ type: 'table', snapshot: { ...DEFAULT, seal: { mode: 'nextVersion' } } });
    expect(runtimeSpec(table)).toHaveProperty('snapshot.seal', { mode: 'nextVersion' });
  });
});

describe('cross-file: <table>_latest views', () => {
  it('refuses a table named like another table feed’s view, in both files', () => {
    const a = { ...feedSpec({ name: 'a', type: 'table', table: 'dim_a' }), manifestPath: 'a.yaml' };
    const b = { ...feedSpec({ name: 'b', type: 'table', table: 'dim_a_latest' }), manifestPath: 'b.yaml' };
    expect(crossChecks([a, b]).map((i) => [i.file, i.message])).toEqual([
      [
        'a.yaml',
        'spec.destinations.warehouse.table "dim_a" needs a view "dim_a_latest", which is also the warehouse table in b.yaml',
      ],
      [
        'b.yaml',
        'spec.destinations.warehouse.table "dim_a_latest" is also the "_latest" view of the table in a.yaml',
      ],
    ]);
  });

  it('claims no view for a stream feed or a table feed without warehouse', () => {
    const stream = { ...feedSpec({ name: 'a', table: 'dim_a' }), manifestPath: 'a.yaml' };
    const noWarehouse = { ...feedSpec({ name: 'c', type: 'table', table: null }), manifestPath: 'c.yaml' };
    const b = { ...feedSpec({ name: 'b', table: 'dim_a_latest' }), manifestPath: 'b.yaml' };
    expect(crossChecks([stream, noWarehouse, b])).toEqual([]);
  });
});
