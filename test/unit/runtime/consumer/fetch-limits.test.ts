import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config/config.js';
import {
  consumerSettings,
  DEFAULT_FETCH,
  fetchLimits,
  LAKE_FETCH_WAIT_MS,
} from '../../../../src/runtime/consumer/settings.js';

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

describe('consumerSettings', () => {
  const config = loadConfig({ env: {} }).config;

  it('lets a lake consumer wait for data to batch, a warehouse consumer not', () => {
    const lake = consumerSettings(config, 'g', { maxBytes: 3 * MIB, maxBytesPerPartition: 512 * KIB }, true);
    expect(lake).toMatchObject({ maxBytes: 3 * MIB, maxBytesPerPartition: 512 * KIB, minBytes: 256 * KIB });
    expect(lake.maxWaitTimeInMs).toBe(LAKE_FETCH_WAIT_MS);
    const small = consumerSettings(
      config,
      'g',
      { maxBytes: 256 * KIB, maxBytesPerPartition: 64 * KIB },
      true,
    );
    expect(small.minBytes).toBe(128 * KIB);
    const warehouse = consumerSettings(config, 'g', DEFAULT_FETCH);
    expect(warehouse.minBytes).toBeUndefined();
    expect(warehouse.maxWaitTimeInMs).toBeUndefined();
  });
});
