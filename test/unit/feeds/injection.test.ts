/**
 * No name can carry SQL or a path: for every kind of name a manifest declares (feed, topic, dead-letter topic,
 * table, column, role, key, eventTime), every hostile value is refused with one clear diagnostic, and no feed
 * comes out.
 */
import { describe, expect, it } from 'vitest';
import { checkManifest } from '../../../src/feeds/load.js';

type Slot = 'feed' | 'topic' | 'dlq' | 'table' | 'column' | 'role' | 'key' | 'eventTime';

const SAFE: Record<Slot, string> = {
  feed: 'orders',
  topic: 'orders',
  dlq: 'orders-dlq',
  table: 'fact_orders',
  column: 'code',
  role: 'analyst',
  key: 'code',
  eventTime: 'at',
};

const LABEL: Record<Slot, string> = {
  feed: 'metadata.name',
  topic: 'spec.topic.name',
  dlq: 'spec.deadLetter.topic',
  table: 'spec.destinations.warehouse.table',
  column: 'spec.schema.fields[0].name',
  role: 'spec.access.roles[0]',
  // Key and event time name a declared field: anything else is refused as not a field.
  key: 'spec.schema.key',
  eventTime: 'spec.schema.eventTime',
};

const HOSTILE = [
  "x'; DROP TABLE t; --",
  'x` OR 1=1',
  'x"y',
  'a;b',
  'a b',
  '../../etc/passwd',
  'a/b',
  'a\\b',
  'a..b',
  '..',
  'a\0b',
  'a\nb',
  'naïve',
  'ｏrders',
  '*',
  '',
];

function manifest(slot: Slot, value: string): string {
  const v = { ...SAFE, [slot]: value } as Record<Slot, string>;
  const q = (s: string) => JSON.stringify(s);
  return `apiVersion: feedctl/v1
kind: Feed
metadata:
  name: ${q(v.feed)}
spec:
  type: stream
  topic: { name: ${q(v.topic)} }
  schema:
    fields:
      - { name: ${q(v.column)}, type: string, maxLength: 10 }
      - { name: at, type: timestamp }
    key: [${q(v.key)}]
    eventTime: ${q(v.eventTime)}
  destinations:
    warehouse: { enabled: true, table: ${q(v.table)} }
  access: { roles: [${q(v.role)}] }
  deadLetter: { topic: ${q(v.dlq)} }
`;
}

const check = (text: string) => checkManifest('feed.yaml', new TextEncoder().encode(text));

describe('names cannot inject SQL or paths', () => {
  it('accepts the safe baseline', () => {
    const r = check(manifest('feed', SAFE.feed));
    expect(r.diagnostics).toEqual([]);
    expect(r.feed?.name).toBe('orders');
  });

  const cases = (Object.keys(SAFE) as Slot[]).flatMap((slot) =>
    HOSTILE.map((v): [Slot, string] => [slot, v]),
  );

  it.each(cases)('%s = %j is refused', (slot, value) => {
    const r = check(manifest(slot, value));
    // Names are refused by the schema, before any FeedSpec exists. Key and event time may name any message
    // property (mapped to a column by its field), so one that names no field is a semantic error: its file gives
    // no feed either (loadFeeds drops files with errors).
    if (slot !== 'key' && slot !== 'eventTime') expect(r.feed).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0];
    expect(d?.severity).toBe('error');
    expect(d?.message.startsWith(LABEL[slot]), d?.message).toBe(true);
    expect(d?.message).toMatch(
      / (is not a safe name|is not a valid Kafka topic name|must not be empty|is not a field of spec\.schema\.fields)/,
    );
  });
});
