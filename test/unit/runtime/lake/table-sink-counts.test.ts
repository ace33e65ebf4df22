import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedSpec } from '../../../../src/feeds/types.js';
import { readHead, type CommitRecord } from '../../../../src/runtime/lake/commit.js';
import { versionPartitioner } from '../../../../src/runtime/lake/partitioner.js';
import { statePaths } from '../../../../src/runtime/lake/paths.js';
import { LakeSink } from '../../../../src/runtime/lake/sink.js';
import { fsStore } from '../../../../src/runtime/lake/store-fs.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';

const TOPIC = 'prices.v1';
let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'feedctl-table-sink-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const fields = [field('id', { kind: 'int' }), field('name', { kind: 'string', maxLength: 16 })];
const tableFeed = feedSpec({ name: 'prices', type: 'table', fields, key: ['id'], eventTimeField: null });

function openSink(feed: FeedSpec = tableFeed): LakeSink {
  const partitioner = feed.type === 'table' ? versionPartitioner(feed.name) : undefined;
  return new LakeSink({ root, feed, generation: 1, specHash: 'spec', topic: TOPIC, partitioner });
}

/** Rows of `version` at offsets from..to-1 of partition 0. */
function rows(version: number, from: number, to: number): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  for (let offset = from; offset < to; offset++) {
    const at = { partition: 0, offset, timestampMs: 1000, eventTimeMs: 1000 };
    out.push({ ...at, values: [offset, `n${offset}`], snapshot: { end: false, version, date: null } });
  }
  return out;
}

/** The partition's newest commit record, read back from the lake. */
async function head(feed = 'prices'): Promise<CommitRecord | null> {
  const state = {
    store: fsStore(root),
    topic: TOPIC,
    partition: 0,
    writer: 'test',
    ...statePaths(feed, TOPIC, 0),
  };
  return (await readHead(state)).record;
}

const counted = (sink: LakeSink) => Object.fromEntries(sink.counted(0));

describe('a table feed lake sink', () => {
  it('writes each version into its staging folder and counts its rows across flushes', async () => {
    const sink = openSink();
    expect(await sink.recover(0)).toBeNull();
    expect(counted(sink)).toEqual({});
    sink.append(0, rows(1, 0, 3));
    await sink.flush(0, 3);
    expect(counted(sink)).toEqual({ 1: 3 });
    sink.append(0, [...rows(1, 3, 5), ...rows(2, 5, 6)]);
    const { files } = await sink.flush(0, 6);
    expect(files.map((f) => path.posix.dirname(f))).toEqual([
      'tables/prices/_staging/version=1',
      'tables/prices/_staging/version=2',
    ]);
    expect(counted(sink)).toEqual({ 1: 5, 2: 1 });
    expect((await head())?.counts).toEqual({ 1: 5, 2: 1 });
    expect(readdirSync(path.join(root, 'tables/prices/_staging/version=1'))).toHaveLength(2);
  });

  it('leaves settled versions out of the next commit record, and counts what is flushed after', async () => {
    const sink = openSink();
    await sink.recover(0);
    sink.append(0, [...rows(1, 0, 2), ...rows(2, 2, 3)]);
    await sink.flush(0, 3);
    sink.settle(0, 1);
    // a settled count stays readable until the next flush commits without it
    expect(counted(sink)).toEqual({ 1: 2, 2: 1 });
    await sink.flush(0, 4); // the offset past an end marker: no rows, a new record
    expect(counted(sink)).toEqual({ 2: 1 });
    expect(await head()).toMatchObject({ nextOffset: 4, files: [], counts: { 2: 1 } });
    sink.append(0, rows(2, 4, 6));
    await sink.flush(0, 6);
    expect(counted(sink)).toEqual({ 2: 3 });
    sink.settle(0, 2);
    sink.settle(0, 1); // settling never goes back
    sink.append(0, rows(3, 6, 7));
    await sink.flush(0, 7);
    expect(counted(sink)).toEqual({ 3: 1 });
    expect((await head())?.counts).toEqual({ 3: 1 });
  });

  it('restores the counts of the newest commit record after a restart', async () => {
    const first = openSink();
    await first.recover(0);
    first.append(0, [...rows(4, 0, 3), ...rows(5, 3, 4)]);
    await first.flush(0, 4);
    first.append(0, rows(5, 4, 5)); // buffered only: lost in the crash, re-read from offset 4
    const second = openSink();
    expect(await second.recover(0)).toBe(4);
    expect(counted(second)).toEqual({ 4: 3, 5: 1 });
    // the claim carries the counts on, so a second restart sees them too
    expect((await head())?.counts).toEqual({ 4: 3, 5: 1 });
    second.append(0, rows(5, 4, 6));
    await second.flush(0, 6);
    expect(counted(second)).toEqual({ 4: 3, 5: 3 });
    const third = openSink();
    expect(await third.recover(0)).toBe(6);
    expect(counted(third)).toEqual({ 4: 3, 5: 3 });
  });

  it('refuses an end marker or an untagged record', async () => {
    const sink = openSink();
    await sink.recover(0);
    const marker: DecodedRecord = {
      partition: 0,
      offset: 0,
      timestampMs: 0,
      eventTimeMs: 0,
      values: [],
      snapshot: { end: true, version: 1, rows: null },
    };
    expect(() => sink.append(0, [marker])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    await sink.recover(0);
    const untagged = { ...marker, values: [1, 'a'], snapshot: undefined };
    expect(() => sink.append(0, [untagged])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('cannot be opened without its version partitioner', () => {
    expect(() => new LakeSink({ root, feed: tableFeed, generation: 1, specHash: 's', topic: TOPIC })).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });
});

describe('a stream lake sink', () => {
  it('commits no counts', async () => {
    const stream = feedSpec({ name: 'events', fields, key: ['id'], eventTimeField: null });
    const sink = openSink(stream);
    await sink.recover(0);
    sink.append(0, rows(1, 0, 2));
    await sink.flush(0, 2);
    expect(counted(sink)).toEqual({});
    const record = await head('events');
    expect(record?.nextOffset).toBe(2);
    expect(record).not.toHaveProperty('counts');
  });
});
