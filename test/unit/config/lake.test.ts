import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { loopbackEndpoint } from '../../../src/config/lake.js';

const lake = (env: Record<string, string>) => loadConfig({ env, cwd: '/srv/x' }).config.lake;

describe('lake settings', () => {
  it('resolves a folder root against the working folder, with no S3 settings', () => {
    expect(lake({ FEEDCTL_LAKE_ROOT: 'lake' })).toEqual({ root: '/srv/x/lake', s3: null });
  });

  it('reads s3://bucket/prefix, path-style on when an endpoint is set', () => {
    const l = lake({
      FEEDCTL_LAKE_ROOT: 's3://my-lake/a/b/',
      FEEDCTL_LAKE_S3_ENDPOINT: 'http://127.0.0.1:9300/',
    });
    expect(l).toEqual({
      root: 's3://my-lake/a/b',
      s3: {
        bucket: 'my-lake',
        prefix: 'a/b',
        endpoint: 'http://127.0.0.1:9300',
        region: 'us-east-1',
        forcePathStyle: true,
      },
    });
    expect(loopbackEndpoint(l.s3)).toEqual({ host: '127.0.0.1', port: 9300 });
  });

  it('uses virtual-hosted AWS addressing without an endpoint', () => {
    const l = lake({ FEEDCTL_LAKE_ROOT: 's3://my-lake', FEEDCTL_LAKE_S3_REGION: 'eu-west-3' });
    expect(l.s3).toMatchObject({ prefix: '', endpoint: null, region: 'eu-west-3', forcePathStyle: false });
    expect(loopbackEndpoint(l.s3)).toBeNull();
  });

  it('refuses a bad bucket, prefix, endpoint or path style, all at once', () => {
    expect(() =>
      lake({
        FEEDCTL_LAKE_ROOT: 's3://Bad_Bucket/a/../b',
        FEEDCTL_LAKE_S3_ENDPOINT: 'ftp://x',
        FEEDCTL_LAKE_S3_PATH_STYLE: 'maybe',
      }),
    ).toThrow(/not an S3 bucket name.*must not hold empty.*lake\.s3\.endpoint must be.*pathStyle must be/s);
  });
});
