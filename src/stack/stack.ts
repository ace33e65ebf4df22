/** The whole local stack: Kafka broker + MySQL server + database, brought up together. */
import type { Config } from '../config/config.js';
import { maskedMysqlUrl } from '../config/describe.js';
import { kafkaPaths, kafkaStatus, startKafka, stopKafka, type KafkaStartResult } from './kafka.js';
import { answers as mysqlAnswers, ensureMysql, type MysqlEnsureResult } from './mysql.js';

export interface StackUpResult {
  kafka: KafkaStartResult;
  mysql: MysqlEnsureResult;
}

/** Brings both services up (each idempotent) in parallel. */
export async function stackUp(config: Config): Promise<StackUpResult> {
  const [kafka, mysql] = await Promise.all([startKafka(config), ensureMysql(config)]);
  return { kafka, mysql };
}

/** Lines telling a person where everything is. Passwords masked. */
export function describeStack(config: Config, r?: StackUpResult): string[] {
  const k = kafkaPaths(config);
  return [
    `kafka   ${config.kafka.brokers.join(',')}${r ? `  (${kafkaState(r.kafka)})` : ''}`,
    `        log ${k.logFile}`,
    `mysql   ${maskedMysqlUrl(config)}/${config.mysql.database}${r ? `  (${r.mysql.state}, ${r.mysql.version})` : ''}`,
    `lake    ${config.lake.root}`,
    `feeds   ${config.feedsDir}`,
  ];
}

function kafkaState(k: KafkaStartResult): string {
  return [k.state, k.pid ? `pid ${k.pid}` : '', k.downloaded ? 'jars downloaded from Maven Central' : '']
    .filter(Boolean)
    .join(', ');
}

export async function stackStatus(
  config: Config,
): Promise<{ kafka: Awaited<ReturnType<typeof kafkaStatus>>; mysql: boolean }> {
  const [kafka, mysql] = await Promise.all([kafkaStatus(config), mysqlAnswers(config)]);
  return { kafka, mysql };
}

/** Stops the broker feedctl started. The MySQL server is shared with other users and is left running. */
export async function stackDown(config: Config): Promise<'stopped' | 'not-running'> {
  return stopKafka(config);
}
