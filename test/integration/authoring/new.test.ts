/**
 * `feedctl new` as a user runs it: the built CLI (bin/feedctl.js, after `npm run build`) as a child process, in a
 * throw-away feeds folder; every written manifest must pass `feedctl validate`. `--from-topic` samples a topic
 * filled by kcat (librdkafka, a client independent of kafkajs) with test/fixtures/authoring/every-type.jsonl.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { produceWithKcat } from '../../helpers/runtime.js';

const env = useTestEnv('authoring_new');
const h = useFeedctl(env);
const FIXTURE = readFileSync(new URL('../../fixtures/authoring/every-type.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

interface Manifest {
  spec: {
    topic?: { name?: string; partitions?: number; adopt?: boolean };
    schema: { fields: Array<Record<string, unknown>>; key?: string[]; eventTime?: string };
  };
}

function manifest(name: string): { text: string; data: Manifest } {
  const text = readFileSync(path.join(h.feedsDir, `${name}.yaml`), 'utf8');
  return { text, data: parse(text) as Manifest };
}

async function expectValid(): Promise<void> {
  const r = await h.spawn('validate');
  expect(r.stdout).not.toMatch(/error/);
  expect(r.code).toBe(0);
}

describe('feedctl new from flags', () => {
  it('writes a stream manifest that validates, mapping a field that cannot be a column', async () => {
    const r = await h.spawn(
      'new',
      'clicks',
      '--type',
      'stream',
      '--field',
      'id:string(36)',
      '--field',
      'page:string',
      '--field',
      'amount:decimal(12,2)?',
      '--field',
      'occurred_at:timestamp',
      '--key',
      'id',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*clicks\.yaml \(4 fields\)[\s\S]*1 feed\(s\) valid[\s\S]*Next steps/);
    const { text, data } = manifest('clicks');
    expect(data.spec.schema.fields).toEqual([
      { name: 'id', column: 'source_id', type: 'string', maxLength: 36 },
      { name: 'page', type: 'string', maxLength: 255 },
      { name: 'amount', type: 'decimal', precision: 12, scale: 2, nullable: true },
      { name: 'occurred_at', type: 'timestamp' },
    ]);
    expect(text).toMatch(/# "id" is a column feedctl adds: stored as column source_id/);
    expect(data.spec.schema.eventTime).toBe('occurred_at');
    expect(text).toMatch(/# Event time guessed: occurred_at \(by its name\)/);
    await expectValid();
  });

  it('writes a table manifest with its warehouse and the snapshot contract as a comment', async () => {
    const r = await h.spawn(
      'new',
      'catalog',
      '--type',
      'table',
      '--field',
      'sku:string(32)',
      '--field',
      'price:decimal(10,2)',
      '--field',
      'attributes:json?',
      '--key',
      'sku',
      '--warehouse-table',
      'dim_catalog',
    );
    expect(r.code).toBe(0);
    const { text, data } = manifest('catalog');
    expect(text).toMatch(/# A table feed publishes full snapshots/);
    expect(text).toMatch(/header snapshot_end=N/);
    expect(data.spec.schema.key).toEqual(['sku']);
    expect(parse(text)).toMatchObject({
      spec: { type: 'table', destinations: { warehouse: { table: 'dim_catalog' } } },
    });
    await expectValid();
  });

  it('refuses to overwrite a manifest, leaving it unchanged', async () => {
    const before = manifest('clicks').text;
    const r = await h.spawn('new', 'clicks', '--type', 'stream', '--field', 'x:int');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clicks\.yaml: the file already exists; feedctl new never overwrites/);
    expect(manifest('clicks').text).toBe(before);
  });

  it('creates the folder it writes to', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'feedctl-new-')), 'repo', 'feeds');
    const r = await h.spawn('new', 'pings', '--type', 'stream', '--field', 'host:string(64)', '--dir', dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'pings.yaml'), 'utf8')).toContain('name: pings');
  });

  it('refuses a bad --field, naming it, and writes nothing', async () => {
    const r = await h.spawn('new', 'bad', '--type', 'stream', '--field', 'price:money');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/read --field price:money: expected name:type/);
    expect(existsSync(path.join(h.feedsDir, 'bad.yaml'))).toBe(false);
  });
});

describe('feedctl new --from-topic', () => {
  const topic = env.topic('new_sample');

  beforeAll(async () => {
    await env.createTopic(topic, 2);
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-new-'));
    produceWithKcat(
      env.config,
      topic,
      FIXTURE.map((value, i) => ({ key: `k${i}`, value })),
      dir,
    );
  });

  it('infers every type from the sample, adopts the topic, and validates', async () => {
    const r = await h.spawn(
      'new',
      'sampled',
      '--type',
      'stream',
      '--from-topic',
      topic,
      '--sample',
      '100',
      '--warehouse-table',
      'fact_sampled',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { text, data } = manifest('sampled');
    expect(data.spec.topic).toEqual({ name: topic, partitions: 2, adopt: true });
    expect(text).toMatch(/# The topic already exists \(2 partitions, as observed\)/);
    expect(text).toMatch(/from 3 sampled messages/);
    expect(text).toMatch(/# 1 of 3 sampled messages were not JSON objects/);
    const byName = Object.fromEntries(data.spec.schema.fields.map(({ name, ...rest }) => [name, rest]));
    expect(byName).toEqual({
      id: { column: 'source_id', type: 'string', maxLength: 16 },
      order: { column: 'source_order', type: 'int' },
      customerId: { column: 'customer_id', type: 'string', maxLength: 16 },
      name: { type: 'string', maxLength: 64 },
      qty: { type: 'int' },
      big: { type: 'bigint' },
      huge: { type: 'decimal', precision: 20, scale: 0 },
      ratio: { type: 'double' },
      price: { type: 'decimal', precision: 6, scale: 2 },
      amount_text: { type: 'decimal', precision: 4, scale: 2 },
      active: { type: 'boolean' },
      birthday: { type: 'date' },
      occurred_at: { type: 'timestamp' },
      attrs: { type: 'json' },
      tags: { type: 'json' },
      note: { type: 'string', maxLength: 16, nullable: true },
      coupon: { type: 'string', maxLength: 16, nullable: true },
      always_null: { type: 'string', maxLength: 255, nullable: true },
      mixed_num: { type: 'decimal', precision: 2, scale: 1 },
      mixed_any: { type: 'string', maxLength: 16 },
    });
    expect(data.spec.schema.key).toEqual(['id']);
    expect(data.spec.schema.eventTime).toBe('occurred_at');
    await expectValid();
  });

  it('reads at most --sample messages', async () => {
    const r = await h.spawn('new', 'sampled_two', '--type', 'stream', '--from-topic', topic, '--sample', '2');
    expect(r.code).toBe(0);
    expect(manifest('sampled_two').text).toMatch(/from 2 sampled messages/);
  });

  it('names a topic that does not exist', async () => {
    const missing = env.topic('missing');
    const r = await h.spawn('new', 'nothing', '--type', 'stream', '--from-topic', missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sample topic ${missing}: the topic does not exist`);
    expect(existsSync(path.join(h.feedsDir, 'nothing.yaml'))).toBe(false);
  });
});
