import { describe, expect, it } from 'vitest';
import { DEFAULT_FETCH, fetchLimits } from '../../../../src/runtime/consumer/settings.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('fetchLimits: a consumer’s share of the process’s fetch window', () => {
  it('keeps kafkajs’s defaults while the window allows them', () => {
    expect(fetchLimits(64 * MIB, 1, 3)).toEqual(DEFAULT_FETCH);
    expect(fetchLimits(6 * MIB, 2, 3)).toEqual({ maxBytes: 3 * MIB, maxBytesPerPartition: MIB });
  });

  it('shares the window among consumers and spreads a share over the partitions', () => {
    expect(fetchLimits(6 * MIB, 2, 6)).toEqual({ maxBytes: 3 * MIB, maxBytesPerPartition: 512 * KIB });
    expect(fetchLimits(6 * MIB, 6, 12)).toEqual({ maxBytes: MIB, maxBytesPerPartition: 85 * KIB + 341 });
  });

  it('never goes below 256 KiB a consumer and 64 KiB a partition', () => {
    expect(fetchLimits(6 * MIB, 200, 50)).toEqual({ maxBytes: 256 * KIB, maxBytesPerPartition: 64 * KIB });
    expect(fetchLimits(6 * MIB, 0, 0)).toEqual({ maxBytes: 6 * MIB, maxBytesPerPartition: MIB });
  });
});
