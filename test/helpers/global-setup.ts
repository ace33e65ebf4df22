/**
 * Runs once before the integration suite: fails fast, with the command to run, when Kafka or MySQL is unreachable.
 */
import { loadConfig } from '../../src/config/config.js';
import { pingKafka } from '../../src/clients/kafka.js';
import { answers as mysqlAnswers } from '../../src/stack/mysql.js';
import { maskedMysqlUrl } from '../../src/config/describe.js';

export default async function setup(): Promise<void> {
  const { config } = loadConfig();
  const [kafka, mysql] = await Promise.all([
    pingKafka(config, 3000).then(
      () => true,
      () => false,
    ),
    mysqlAnswers(config),
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
}
