/**
 * Consumer group ids `<kafka.groupPrefix>.<feed>.<destination>`: the setting's default, sources and validation,
 * and the one builder every caller uses.
 */
import { describe, expect, it } from 'vitest';
import {
  consumerGroupId,
  feedGroupIds,
  GROUP_PREFIX_MAX,
  groupPrefixProblem,
} from '../../../src/config/consumer-groups.js';
import { loadConfig } from '../../../src/config/config.js';
import { describeConfig } from '../../../src/config/describe.js';

describe('kafka.groupPrefix', () => {
  it('defaults to feedctl, so existing installations keep their groups', () => {
    const loaded = loadConfig({ env: {} });
    expect(loaded.config.kafka.groupPrefix).toBe('feedctl');
    expect(describeConfig(loaded).find((r) => r.key === 'kafka.groupPrefix')).toEqual({
      key: 'kafka.groupPrefix',
      value: 'feedctl',
      source: 'default',
    });
  });

  it('comes from FEEDCTL_KAFKA_GROUP_PREFIX or a flag', () => {
    const env = { FEEDCTL_KAFKA_GROUP_PREFIX: 'feedctl.staging' };
    expect(loadConfig({ env }).config.kafka.groupPrefix).toBe('feedctl.staging');
    const flagged = loadConfig({ env, overrides: { 'kafka.groupPrefix': 'team-b_2' } });
    expect(flagged.config.kafka.groupPrefix).toBe('team-b_2');
  });

  it('refuses an empty prefix, other characters, stray dots and an overlong one, naming the setting', () => {
    const load = (p: string) => () => loadConfig({ env: {}, overrides: { 'kafka.groupPrefix': p } });
    expect(load('')).toThrow(/kafka\.groupPrefix must not be empty/);
    for (const bad of ['feed ctl', 'feedctl/prod', 'é', '.feedctl', 'feedctl.', 'feedctl..prod']) {
      expect(load(bad), bad).toThrow(/kafka\.groupPrefix .* must use letters, digits/);
    }
    expect(load('a'.repeat(GROUP_PREFIX_MAX + 1))).toThrow(/at most 180 characters/);
    expect(groupPrefixProblem('a'.repeat(GROUP_PREFIX_MAX))).toBeNull();
    expect(groupPrefixProblem('feedctl.ft_rt_resume_0a1b2c_4242')).toBeNull();
  });
});

describe('consumerGroupId', () => {
  it('is <prefix>.<feed>.<destination>', () => {
    const config = { kafka: { groupPrefix: 'feedctl' } };
    expect(consumerGroupId(config, 'orders', 'lake')).toBe('feedctl.orders.lake');
    expect(consumerGroupId({ kafka: { groupPrefix: 'feedctl.dw_b' } }, 'orders', 'warehouse')).toBe(
      'feedctl.dw_b.orders.warehouse',
    );
  });

  it('lists a feed’s groups in destination order, one per destination', () => {
    expect(feedGroupIds({ kafka: { groupPrefix: 'p' } }, 'orders')).toEqual([
      'p.orders.lake',
      'p.orders.warehouse',
    ]);
  });
});
