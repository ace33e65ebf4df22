import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3Store } from '../../../../src/runtime/lake/store-s3.js';

const cfg = { bucket: 'lake', prefix: 'p', endpoint: null, region: 'us-east-1', forcePathStyle: false };

/** An in-memory stand-in for the server's PUT/DELETE: `honours` says whether it keeps `If-None-Match: *`. */
function server(honours: boolean): S3Client {
  const keys = new Set<string>();
  const send = async (cmd: { input: { Key: string; IfNoneMatch?: string } }) => {
    const { Key, IfNoneMatch } = cmd.input;
    if (cmd instanceof PutObjectCommand) {
      if (honours && IfNoneMatch === '*' && keys.has(Key)) {
        throw Object.assign(new Error('precondition'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      }
      keys.add(Key);
    } else keys.delete(Key);
    return {};
  };
  return { send } as unknown as S3Client;
}

describe('S3 store self-check', () => {
  it('passes on a server that refuses a second create of a key', async () => {
    await expect(s3Store(cfg, server(true)).selfCheck()).resolves.toBeUndefined();
  });

  it('refuses to run on a server that ignores If-None-Match: exactly once would silently break', async () => {
    await expect(s3Store(cfg, server(false)).selfCheck()).rejects.toMatchObject({
      code: 'LAKE_STATE_INVALID',
      message: expect.stringMatching(/ignores conditional writes/),
      context: expect.objectContaining({ reason: 'no-conditional-put' }),
    });
  });
});
