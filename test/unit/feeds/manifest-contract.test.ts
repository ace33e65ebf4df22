/**
 * The manifests other parts of feedctl write must load: `feedYaml()` (test/helpers/cli.ts), which every reconcile
 * integration test uses, in all its variants.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feedYaml, type FeedYamlOptions } from '../../helpers/cli.js';
import { loadFeeds } from '../../../src/feeds/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variants: [string, FeedYamlOptions][] = [
  ['stream without warehouse', { name: 'events', topic: 'ft.events.abc123.0a1b2c' }],
  [
    'stream with table and roles',
    { name: 'events', topic: 'ft.events.x', table: 'fact_events', roles: ['ft_analyst_abc123_0a1b'] },
  ],
  ['table feed', { name: 'catalog', type: 'table', topic: 'ft.catalog.x', table: 'dim_catalog' }],
  [
    'extra fields, no configs, no dead letters',
    {
      name: 'evo',
      topic: 'ft.evo.x',
      table: 'fact_evo',
      configs: {},
      fields: [
        '{name: channel, type: string, maxLength: 32, nullable: true}',
        '{name: extra, type: int, nullable: true}',
      ],
      emailLength: 100,
      deadLetter: false,
    },
  ],
  [
    'more partitions, other configs',
    { name: 'shrink', topic: 'ft.shrink.x', partitions: 4, configs: { 'retention.ms': '86400000' } },
  ],
];

describe('manifests written by feedYaml()', () => {
  it.each(variants)('%s', async (_label, options) => {
    const file = path.join(dir, `${options.name}.yaml`);
    writeFileSync(file, feedYaml(options));
    const { feeds, diagnostics } = await loadFeeds([file]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(feeds.map((f) => [f.name, f.topic.name, f.destinations.warehouse.table])).toEqual([
      [options.name, options.topic, options.table ?? null],
    ]);
  });
});
