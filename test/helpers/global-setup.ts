/**
 * Runs once before the integration suite: fails fast, with the command to run, when Kafka, MySQL or the test
 * S3Proxy (with its bucket) is unreachable.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { createS3 } from '../../src/clients/s3.js';
import { loadConfig } from '../../src/config/config.js';
import { pingKafka } from '../../src/clients/kafka.js';
import { answers as mysqlAnswers } from '../../src/stack/mysql.js';
import { LOCAL_S3_CREDENTIALS } from '../../src/stack/s3proxy.js';
import { maskedMysqlUrl } from '../../src/config/describe.js';
import { TEST_S3_BUCKET, TEST_S3_ENDPOINT } from './s3.js';

/** Whether the test bucket answers with the local credentials. */
async function testBucketAnswers(): Promise<boolean> {
  const client = createS3(
    { region: 'us-east-1', endpoint: TEST_S3_ENDPOINT, forcePathStyle: true },
    { credentials: LOCAL_S3_CREDENTIALS, maxAttempts: 1 },
  );
  try {
    await client.send(new HeadBucketCommand({ Bucket: TEST_S3_BUCKET }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

export default async function setup(): Promise<void> {
  const { config } = loadConfig();
  const [kafka, mysql, s3] = await Promise.all([
    pingKafka(config, 3000).then(
      () => true,
      () => false,
    ),
    mysqlAnswers(config),
    testBucketAnswers(),
  ]);
  const down = [
    kafka ? null : `Kafka at ${config.kafka.brokers.join(',')}`,
    mysql ? null : `MySQL at ${maskedMysqlUrl(config)}`,
  ].filter(Boolean);
  if (down.length > 0) {
    throw new Error(
      `integration tests need ${down.join(' and ')}: run \`npm test\` (it starts the local stack) ` +
        'or `node bin/feedctl.js stack up`, or point FEEDCTL_KAFKA_BROKERS / FEEDCTL_MYSQL_URL at running servers',
    );
  }
  if (!s3) {
    throw new Error(
      `integration tests need the test S3Proxy at ${TEST_S3_ENDPOINT} with bucket ${TEST_S3_BUCKET}: run \`npm test\` ` +
        `(it starts it) or \`FEEDCTL_LAKE_ROOT=s3://${TEST_S3_BUCKET} FEEDCTL_LAKE_S3_ENDPOINT=${TEST_S3_ENDPOINT} ` +
        'node bin/feedctl.js stack up --no-migrate`, or set FEEDCTL_TEST_S3_ENDPOINT to where it runs',
    );
  }
}
