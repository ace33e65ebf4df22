import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { LOCAL_S3_CREDENTIALS, renderS3ProxyProperties, s3proxyPaths } from '../../../src/stack/s3proxy.js';
import { describeStack, hasLocalS3 } from '../../../src/stack/stack.js';

/** Reads a Java properties text the simple way S3Proxy's files are written (key=value, # comments). */
function parse(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

function configWith(env: Record<string, string>) {
  return loadConfig({ env: { FEEDCTL_HOME: '/srv/stack', ...env }, cwd: '/work' }).config;
}

describe('renderS3ProxyProperties', () => {
  it('binds the loopback endpoint, checks signatures with the local credentials, stores files under basedir', () => {
    const props = parse(renderS3ProxyProperties({ host: '127.0.0.1', port: 9311, basedir: '/srv/s3/data' }));
    expect(props).toEqual({
      's3proxy.endpoint': 'http://127.0.0.1:9311',
      's3proxy.authorization': 'aws-v2-or-v4',
      's3proxy.identity': 'feedctl-local',
      's3proxy.credential': 'feedctl-local-secret',
      'jclouds.provider': 'filesystem-nio2',
      'jclouds.filesystem.basedir': '/srv/s3/data',
    });
    expect(LOCAL_S3_CREDENTIALS).toEqual({
      accessKeyId: 'feedctl-local',
      secretAccessKey: 'feedctl-local-secret',
    });
  });

  it('brackets an IPv6 host and escapes backslashes (Java properties)', () => {
    const props = parse(renderS3ProxyProperties({ host: '::1', port: 9000, basedir: 'C:\\s3\\data' }));
    expect(props['s3proxy.endpoint']).toBe('http://[::1]:9000');
    expect(props['jclouds.filesystem.basedir']).toBe('C:\\\\s3\\\\data');
  });
});

describe('s3proxyPaths', () => {
  it('keeps one folder per port under <stackHome>/s3proxy and the jar in a versioned folder', () => {
    const p = s3proxyPaths('/srv/stack', 9311);
    expect(p.dir).toBe(path.join('/srv/stack', 's3proxy', '9311'));
    expect(p.data).toBe(path.join(p.dir, 'data'));
    expect(p.pidFile.startsWith(p.dir)).toBe(true);
    expect(p.logFile.startsWith(p.dir)).toBe(true);
    expect(p.jar).toBe('/srv/stack/s3proxy-4.0.0-lib/s3proxy-4.0.0-jar-with-dependencies.jar');
    expect(s3proxyPaths('/srv/stack', 9000).dir).not.toBe(p.dir);
  });
});

describe('the stack and the lake', () => {
  it('serves an s3:// lake on a loopback endpoint, and describes it with its log file', () => {
    const config = configWith({
      FEEDCTL_LAKE_ROOT: 's3://lake/feeds',
      FEEDCTL_LAKE_S3_ENDPOINT: 'http://127.0.0.1:9311',
    });
    expect(hasLocalS3(config)).toBe(true);
    const lines = describeStack(config);
    expect(lines).toContain('s3      http://127.0.0.1:9311 bucket lake');
    expect(lines).toContain('        log /srv/stack/s3proxy/9311/s3proxy.log');
  });

  it('starts nothing for a folder lake or a remote endpoint', () => {
    const envs: Record<string, string>[] = [
      {},
      { FEEDCTL_LAKE_ROOT: 's3://lake' },
      { FEEDCTL_LAKE_ROOT: 's3://lake', FEEDCTL_LAKE_S3_ENDPOINT: 'https://minio.example.com:9000' },
    ];
    for (const env of envs) {
      const config = configWith(env);
      expect(hasLocalS3(config)).toBe(false);
      expect(describeStack(config).some((l) => l.startsWith('s3 '))).toBe(false);
    }
  });
});
