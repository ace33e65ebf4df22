import { defineConfig } from 'vitest/config';
import { LOCAL_S3_CREDENTIALS } from './src/stack/s3proxy.js';

/**
 * Three projects: `unit` (no services), `integration` (real Kafka, MySQL and S3Proxy, two files at a time, each
 * isolated by test/helpers/env.ts) and `disruptive` (tests that stop a shared server, e.g. restart MariaDB): these run alone,
 * one file at a time, after everything else (groupOrder 1).
 */
const services = {
  globalSetup: ['test/helpers/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  env: {
    // Every `feedctl run` or `reconcile --watch` a test starts (in parallel) serves its health on a free port.
    FEEDCTL_HTTP_PORT: '0',
    // The test S3Proxy's local credentials, for the AWS SDK's default chain (also in spawned `feedctl`s); a
    // developer's own AWS session or profile must not replace them.
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: '',
    // The SDK's notice that its 2027 versions need Node 22 (we run on 20 and 22): not news in test output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  },
};

export default defineConfig({
  test: {
    // Two test files at a time: files share one broker and one MySQL server, each with its own database, consumer
    // groups (kafka.groupPrefix `feedctl.<database>`, test/helpers/env.ts), topics and locks (named per database).
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...services } },
      {
        test: {
          name: 'disruptive',
          include: ['test/disruptive/**/*.test.ts'],
          ...services,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
