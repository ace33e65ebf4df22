/** `warehouse.localInfile`: auto by default, from the file or the environment, and nothing but auto, on or off. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';

describe('warehouse settings', () => {
  it('default to localInfile auto, and take on or off from the environment', () => {
    expect(loadConfig({ env: {} }).config.warehouse).toEqual({ localInfile: 'auto' });
    const env = { FEEDCTL_WAREHOUSE_LOCAL_INFILE: 'off' };
    expect(loadConfig({ env }).config.warehouse).toEqual({ localInfile: 'off' });
    const flag = loadConfig({ env, overrides: { 'warehouse.localInfile': 'on' } });
    expect(flag.config.warehouse).toEqual({ localInfile: 'on' });
  });

  it('refuses another value, naming the setting', () => {
    expect(() => loadConfig({ env: { FEEDCTL_WAREHOUSE_LOCAL_INFILE: 'yes' } })).toThrow(
      /warehouse\.localInfile must be auto, on or off, got "yes"/,
    );
  });
});
