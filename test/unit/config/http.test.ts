/** The health server's settings: loopback and 9464 by default, from the file, the environment or a flag. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { describeConfig } from '../../../src/config/describe.js';

describe('http settings', () => {
  it('default to 127.0.0.1:9464', () => {
    expect(loadConfig({ env: {} }).config.http).toEqual({ host: '127.0.0.1', port: 9464, token: null });
  });

  it('come from the file, then the environment, then flags', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-http-'));
    const file = path.join(dir, 'feedctl.config.yaml');
    writeFileSync(file, 'http:\n  host: 0.0.0.0\n  port: 9100\n');
    expect(loadConfig({ configFile: file, env: {} }).config.http).toEqual({
      host: '0.0.0.0',
      port: 9100,
      token: null,
    });
    const env = { FEEDCTL_HTTP_PORT: '0' };
    expect(loadConfig({ configFile: file, env }).config.http).toEqual({
      host: '0.0.0.0',
      port: 0,
      token: null,
    });
    const loaded = loadConfig({
      configFile: file,
      env,
      overrides: { 'http.host': '::1', 'http.port': '9200' },
    });
    expect(loaded.config.http).toEqual({ host: '::1', port: 9200, token: null });
    expect(describeConfig(loaded).filter((r) => r.key.startsWith('http.'))).toEqual([
      { key: 'http.host', value: '::1', source: 'flag' },
      { key: 'http.port', value: '9200', source: 'flag' },
      { key: 'http.token', value: '(none)', source: 'default' },
    ]);
  });

  it('refuses a port out of range and a host that is a URL, naming the setting', () => {
    expect(() => loadConfig({ env: { FEEDCTL_HTTP_PORT: '70000' } })).toThrow(
      /http\.port must be an integer from 0 to 65535/,
    );
    expect(() => loadConfig({ env: { FEEDCTL_HTTP_HOST: 'http://x' } })).toThrow(/http\.host must be/);
  });

  it('takes a bearer token of 16 printable characters or more, and never shows it', () => {
    const token = 'abcdefghijklmnop-0123';
    const loaded = loadConfig({ env: { FEEDCTL_HTTP_TOKEN: token } });
    expect(loaded.config.http.token).toBe(token);
    const shown = describeConfig(loaded).find((r) => r.key === 'http.token');
    expect(shown).toMatchObject({ value: '***', source: 'env' });
    expect(JSON.stringify(describeConfig(loaded))).not.toContain(token);
    expect(() => loadConfig({ env: { FEEDCTL_HTTP_TOKEN: 'short' } })).toThrow(
      /http\.token must be at least 16/,
    );
    expect(() => loadConfig({ env: { FEEDCTL_HTTP_TOKEN: 'has a space in it here' } })).toThrow(
      /http\.token/,
    );
  });

  it('shows every setting with a value in feedctl config', () => {
    const rows = describeConfig(loadConfig({ env: {} }));
    expect(rows.filter((r) => r.value === '').map((r) => r.key)).toEqual([]);
  });
});
