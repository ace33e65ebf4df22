import { describe, expect, it } from 'vitest';
import { packBatch, receivedMessage, unpackMessage } from '../../../../src/runtime/lake/lane-protocol.js';
import { memoryPlan } from '../../../../src/runtime/memory.js';

const fetched = [
  { offset: '10', timestamp: '1000', key: Buffer.from('a'), value: Buffer.from('{"x":1}'), headers: {} },
  {
    offset: '11',
    timestamp: '1001',
    key: null,
    value: null,
    headers: { h: Buffer.from('v'), l: ['1', Buffer.from('2')] },
  },
  { offset: '12', timestamp: '1002', value: Buffer.from('é') },
];

describe('packed batches', () => {
  it('carry every message at or past the offset asked, values as views and whole messages as copies', () => {
    const b = packBatch(4, fetched, 11);
    expect(b?.count).toBe(2);
    const [first, second] = [unpackMessage(b!, 0), unpackMessage(b!, 1)];
    expect(first).toMatchObject({
      partition: 4,
      offset: 11,
      timestampMs: 1001,
      key: null,
      value: null,
      headers: {},
    });
    expect(second.value?.toString()).toBe('é');
    const whole = receivedMessage(structuredClone(unpackMessage(b!, 0, true)));
    expect(whole.headers.h).toEqual(Buffer.from('v'));
    expect(whole.headers.l).toEqual(['1', Buffer.from('2')]);
    expect(
      Buffer.isBuffer(
        receivedMessage(structuredClone(unpackMessage(packBatch(0, fetched, 0)!, 0, true))).key,
      ),
    ).toBe(true);
  });

  it('is null when nothing is left past the offset', () => {
    expect(packBatch(0, fetched, 13)).toBeNull();
  });
});

describe('memoryPlan', () => {
  it('fits as many lanes as the budget holds, one per core at most, and the setting wins', () => {
    expect(memoryPlan(256, null, 2)).toEqual({
      runtimeHeapMb: 64,
      lanes: 1,
      laneHeapMb: 32,
      fetchWindowBytes: 1024 * 1024,
    });
    expect(memoryPlan(128, null, 2).runtimeHeapMb).toBe(48);
    expect(memoryPlan(352, null, 2).lanes).toBe(2);
    expect(memoryPlan(2048, null, 4).lanes).toBe(4);
    expect(memoryPlan(64, null, 8).lanes).toBe(1);
    expect(memoryPlan(256, 0, 2).lanes).toBe(0);
  });
});
