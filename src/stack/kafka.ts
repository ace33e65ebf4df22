/**
 * The local Apache Kafka broker: jars from Maven Central (stack/kafka/pom.xml, cached under stackHome), KRaft
 * storage formatted once, one combined broker+controller on 127.0.0.1 started in the background with its log in
 * a file. Idempotent: `start` finds a broker that already answers and leaves it alone.
 */
import { openSync, closeSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { FeedctlError } from '../errors.js';
import { pingKafka } from '../clients/kafka.js';
import { logger } from '../log.js';
import { provisionMavenJars } from './maven.js';
import { isAlive, readPidFile, runCommand, tailFile, waitFor } from './process.js';

export const KAFKA_VERSION = '3.9.1';
const CLUSTER_ID = Buffer.from('feedctl-local-01').toString('base64url');
const POM = fileURLToPath(new URL('../../stack/kafka/pom.xml', import.meta.url));
const log = logger('stack.kafka');

/** Where the local broker keeps its files. */
export interface KafkaPaths {
  lib: string;
  dir: string;
  data: string;
  properties: string;
  log4j: string;
  pidFile: string;
  logFile: string;
}

export function kafkaPaths(config: Config): KafkaPaths {
  const dir = path.join(config.stackHome, 'kafka');
  return {
    lib: path.join(config.stackHome, `kafka-${KAFKA_VERSION}-lib`),
    dir,
    data: path.join(dir, 'data'),
    properties: path.join(dir, 'server.properties'),
    log4j: path.join(dir, 'log4j.properties'),
    pidFile: path.join(dir, 'broker.pid'),
    logFile: path.join(dir, 'broker.log'),
  };
}

export type KafkaStartResult = {
  state: 'already-running' | 'started';
  pid: number | null;
  downloaded: boolean;
};

/** The broker's host and port, when the config points at a broker this machine can run (loopback only). */
export function localBrokerAddress(config: Config): { host: string; port: number } | undefined {
  if (config.kafka.brokers.length !== 1) return undefined;
  const [host, port] = (config.kafka.brokers[0] ?? '').split(':');
  if (host !== '127.0.0.1' && host !== 'localhost') return undefined;
  return { host: '127.0.0.1', port: Number(port) };
}

/** Starts the local broker unless one already answers; downloads jars on first use. */
export async function startKafka(config: Config): Promise<KafkaStartResult> {
  const p = kafkaPaths(config);
  if (await answers(config)) return { state: 'already-running', pid: readPid(p), downloaded: false };
  const addr = localBrokerAddress(config);
  if (!addr)
    throw stackError(
      `${config.kafka.brokers.join(',')} is not reachable and is not a local address feedctl can start`,
    );
  const downloaded = await provisionJars(p);
  writeBrokerConfig(p, addr.port);
  await formatStorage(p);
  const pid = spawnBroker(p);
  const outcome = await waitFor(
    () => answers(config),
    90_000,
    () => (isAlive(pid) ? undefined : 'exited'),
  );
  if (outcome !== 'ready') {
    throw stackError(
      `broker ${outcome === 'exited' ? 'exited during startup' : 'did not answer within 90 s'}; see ${p.logFile}:\n${tailFile(p.logFile)}`,
    );
  }
  log.info({ pid, brokers: config.kafka.brokers }, 'kafka broker started');
  return { state: 'started', pid, downloaded };
}

/** Stops the broker started by `startKafka` (by its pid file): SIGTERM, then SIGKILL after 30 s. */
export async function stopKafka(config: Config): Promise<'stopped' | 'not-running'> {
  const p = kafkaPaths(config);
  const pid = readPid(p);
  if (pid === null || !isAlive(pid)) {
    rmSync(p.pidFile, { force: true });
    return 'not-running';
  }
  process.kill(pid, 'SIGTERM');
  const outcome = await waitFor(async () => !isAlive(pid), 30_000);
  if (outcome !== 'ready') process.kill(pid, 'SIGKILL');
  rmSync(p.pidFile, { force: true });
  return 'stopped';
}

/** Whether the broker answers a metadata request, and the pid of ours if we started it. */
export async function kafkaStatus(
  config: Config,
): Promise<{ reachable: boolean; pid: number | null; logFile: string }> {
  const p = kafkaPaths(config);
  const pid = readPid(p);
  return {
    reachable: await answers(config),
    pid: pid !== null && isAlive(pid) ? pid : null,
    logFile: p.logFile,
  };
}

async function answers(config: Config): Promise<boolean> {
  try {
    await pingKafka(config, 1500);
    return true;
  } catch {
    return false;
  }
}

function readPid(p: KafkaPaths): number | null {
  return readPidFile(p.pidFile);
}

/** Copies the broker's runtime jars from Maven (cached in ~/.m2) into a versioned folder, once. */
function provisionJars(p: KafkaPaths): Promise<boolean> {
  return provisionMavenJars({
    name: 'Kafka broker',
    version: KAFKA_VERSION,
    pom: POM,
    lib: p.lib,
    alternative: 'set FEEDCTL_KAFKA_BROKERS to an existing broker',
    action: 'start kafka',
  });
}

function writeBrokerConfig(p: KafkaPaths, port: number): void {
  mkdirSync(p.data, { recursive: true });
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${port + 1}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': p.data,
    'num.partitions': '1',
    'default.replication.factor': '1',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'delete.topic.enable': 'true',
    'num.network.threads': '2',
    'num.io.threads': '2',
  };
  writeFileSync(
    p.properties,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  writeFileSync(
    p.log4j,
    [
      'log4j.rootLogger=WARN, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${p.logFile}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.server.KafkaRaftServer=INFO',
      '',
    ].join('\n'),
  );
}

async function formatStorage(p: KafkaPaths): Promise<void> {
  const res = await runCommand('java', [
    ...jvmArgs(p),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    CLUSTER_ID,
    '-c',
    p.properties,
    '--ignore-formatted',
  ]);
  if (res.code !== 0)
    throw stackError(`formatting KRaft storage in ${p.data} failed:\n${res.output.slice(-2000)}`);
}

function jvmArgs(p: KafkaPaths): string[] {
  return ['-Djava.awt.headless=true', `-Dlog4j.configuration=file:${p.log4j}`, '-cp', `${p.lib}/*`];
}

function spawnBroker(p: KafkaPaths): number {
  const out = openSync(p.logFile, 'a');
  const child = spawn(
    'java',
    ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', ...jvmArgs(p), 'kafka.Kafka', p.properties],
    {
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw stackError('could not spawn java');
  writeFileSync(p.pidFile, `${child.pid}\n`);
  return child.pid;
}

function stackError(detail: string): FeedctlError {
  return new FeedctlError('STACK_PROVISION_FAILED', detail, { subsystem: 'stack', action: 'start kafka' });
}
