/** The whole local stack: Kafka broker + MySQL server + database, and S3Proxy for an s3:// lake on loopback. */
import type { Config } from '../config/config.js';
import { loopbackEndpoint } from '../config/lake.js';
import { maskedMysqlUrl } from '../config/describe.js';
import { kafkaPaths, kafkaStatus, startKafka, stopKafka, type KafkaStartResult } from './kafka.js';
import { answers as mysqlAnswers, ensureMysql, type MysqlEnsureResult } from './mysql.js';
import {
  s3proxyPaths,
  s3proxyStatus,
  startS3Proxy,
  stopS3Proxy,
  type S3ProxyStartResult,
} from './s3proxy.js';

export interface StackUpResult {
  kafka: KafkaStartResult;
  mysql: MysqlEnsureResult;
  /** Null when the lake is a folder or on a remote endpoint (nothing local to start). */
  s3: S3ProxyStartResult | null;
}

/** Whether the config's lake is on an S3 endpoint of this machine, which the stack serves with S3Proxy. */
export function hasLocalS3(config: Config): boolean {
  return loopbackEndpoint(config.lake.s3) !== null;
}

/** Brings the services up (each idempotent) in parallel. */
export async function stackUp(config: Config): Promise<StackUpResult> {
  const [kafka, mysql, s3] = await Promise.all([
    startKafka(config),
    ensureMysql(config),
    hasLocalS3(config) ? startS3Proxy(config) : Promise.resolve(null),
  ]);
  return { kafka, mysql, s3 };
}

/** Lines telling a person where everything is. Passwords masked. */
export function describeStack(config: Config, r?: StackUpResult): string[] {
  const k = kafkaPaths(config);
  return [
    `kafka   ${config.kafka.brokers.join(',')}${r ? `  (${startState(r.kafka)})` : ''}`,
    `        log ${k.logFile}`,
    `mysql   ${maskedMysqlUrl(config)}/${config.mysql.database}${r ? `  (${r.mysql.state}, ${r.mysql.version})` : ''}`,
    ...describeS3(config, r?.s3 ?? undefined),
    `lake    ${config.lake.root}`,
    `feeds   ${config.feedsDir}`,
  ];
}

function describeS3(config: Config, s3: S3ProxyStartResult | undefined): string[] {
  const addr = loopbackEndpoint(config.lake.s3);
  if (!addr || !config.lake.s3?.endpoint) return [];
  const state = s3 ? `  (${startState(s3)}, bucket ${s3.bucket})` : '';
  return [
    `s3      ${config.lake.s3.endpoint} bucket ${config.lake.s3.bucket}${state}`,
    `        log ${s3proxyPaths(config.stackHome, addr.port).logFile}`,
  ];
}

function startState(k: { state: string; pid: number | null; downloaded: boolean }): string {
  return [k.state, k.pid ? `pid ${k.pid}` : '', k.downloaded ? 'jars downloaded from Maven Central' : '']
    .filter(Boolean)
    .join(', ');
}

export interface StackStatus {
  kafka: Awaited<ReturnType<typeof kafkaStatus>>;
  mysql: boolean;
  /** Null when the lake is not on a loopback S3 endpoint. */
  s3: Awaited<ReturnType<typeof s3proxyStatus>> | null;
}

export async function stackStatus(config: Config): Promise<StackStatus> {
  const [kafka, mysql, s3] = await Promise.all([
    kafkaStatus(config),
    mysqlAnswers(config),
    hasLocalS3(config) ? s3proxyStatus(config) : Promise.resolve(null),
  ]);
  return { kafka, mysql, s3 };
}

type Stopped = 'stopped' | 'not-running';

/**
 * Stops the broker feedctl started, and the S3Proxy of the lake's loopback endpoint. The MySQL server is shared
 * with other users and is left running.
 */
export async function stackDown(config: Config): Promise<{ kafka: Stopped; s3: Stopped | null }> {
  const [kafka, s3] = await Promise.all([
    stopKafka(config),
    hasLocalS3(config) ? stopS3Proxy(config) : Promise.resolve(null),
  ]);
  return { kafka, s3 };
}
