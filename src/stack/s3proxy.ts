/**
 * The local S3-compatible server for an `s3://` lake whose endpoint is on this machine: S3Proxy (one jar from
 * Maven Central, stack/s3proxy/pom.xml, cached under stackHome) with its filesystem backend, bound to the
 * endpoint's loopback host and port, checking request signatures against fixed local development credentials.
 * Each port has its own folder `<stackHome>/s3proxy/<port>/` (properties, data, pid and log file), so the
 * development lake and the test suite's server do not share data. Idempotent: `start` finds an S3 server that
 * already answers on the endpoint and leaves it alone; it then makes sure the lake's bucket exists.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { loopbackEndpoint, type S3LakeConfig } from '../config/lake.js';
import { createS3, ensureBucket } from '../clients/s3.js';
import { FeedctlError } from '../errors.js';
import { logger } from '../log.js';
import { provisionMavenJars } from './maven.js';
import { isAlive, readPidFile, tailFile, waitFor } from './process.js';

export const S3PROXY_VERSION = '4.0.0';
const POM = fileURLToPath(new URL('../../stack/s3proxy/pom.xml', import.meta.url));
const log = logger('stack.s3proxy');

/**
 * The local S3Proxy's access key and secret. Local development only, not secrets: the server listens on loopback
 * and holds throwaway data. feedctl itself never reads them from here for the lake (the AWS SDK's default chain
 * does, e.g. from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); only `stack up` uses them to create the bucket.
 */
export const LOCAL_S3_CREDENTIALS = Object.freeze({
  accessKeyId: 'feedctl-local',
  secretAccessKey: 'feedctl-local-secret',
});

/** Where the S3Proxy of one loopback port keeps its files. */
export interface S3ProxyPaths {
  lib: string;
  jar: string;
  dir: string;
  data: string;
  properties: string;
  pidFile: string;
  logFile: string;
}

export function s3proxyPaths(stackHome: string, port: number): S3ProxyPaths {
  const lib = path.join(stackHome, `s3proxy-${S3PROXY_VERSION}-lib`);
  const dir = path.join(stackHome, 's3proxy', String(port));
  return {
    lib,
    jar: path.join(lib, `s3proxy-${S3PROXY_VERSION}-jar-with-dependencies.jar`),
    dir,
    data: path.join(dir, 'data'),
    properties: path.join(dir, 's3proxy.properties'),
    pidFile: path.join(dir, 's3proxy.pid'),
    logFile: path.join(dir, 's3proxy.log'),
  };
}

/** The S3Proxy properties file (pure): filesystem backend, loopback endpoint, AWS v2/v4 signature checks. */
export function renderS3ProxyProperties(opts: { host: string; port: number; basedir: string }): string {
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const props = {
    's3proxy.endpoint': `http://${host}:${opts.port}`,
    's3proxy.authorization': 'aws-v2-or-v4',
    's3proxy.identity': LOCAL_S3_CREDENTIALS.accessKeyId,
    's3proxy.credential': LOCAL_S3_CREDENTIALS.secretAccessKey,
    'jclouds.provider': 'filesystem-nio2',
    'jclouds.filesystem.basedir': opts.basedir,
  };
  return (
    '# Written by `feedctl stack up`: the local S3 server for an s3:// lake (local development credentials).\n' +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
      .join('\n') +
    '\n'
  );
}

export type S3ProxyStartResult = {
  state: 'already-running' | 'started';
  pid: number | null;
  downloaded: boolean;
  bucket: 'exists' | 'created';
};

/** The loopback endpoint of the config's s3:// lake, or a clear error when there is none to serve. */
function localEndpoint(config: Config): { s3: S3LakeConfig & { endpoint: string }; port: number } {
  const s3 = config.lake.s3;
  const addr = loopbackEndpoint(s3);
  if (!s3?.endpoint || !addr)
    throw stackError(
      'start s3proxy',
      `the lake (${config.lake.root}) is not on a loopback lake.s3.endpoint: there is no local S3 server to start`,
    );
  return { s3: { ...s3, endpoint: s3.endpoint }, port: addr.port };
}

/** Starts S3Proxy on the lake's loopback endpoint unless an S3 server answers there; then ensures the bucket. */
export async function startS3Proxy(config: Config): Promise<S3ProxyStartResult> {
  const { s3, port } = localEndpoint(config);
  const p = s3proxyPaths(config.stackHome, port);
  let started: { pid: number; downloaded: boolean } | undefined;
  if (!(await s3Answers(s3.endpoint))) started = await launch(config, p);
  const bucket = await ensureLocalBucket(s3, p);
  if (started) log.info({ pid: started.pid, endpoint: s3.endpoint, bucket: s3.bucket }, 's3proxy started');
  return {
    state: started ? 'started' : 'already-running',
    pid: started?.pid ?? livePid(p),
    downloaded: started?.downloaded ?? false,
    bucket,
  };
}

async function launch(config: Config, p: S3ProxyPaths): Promise<{ pid: number; downloaded: boolean }> {
  const { s3, port } = localEndpoint(config);
  const downloaded = await provisionMavenJars({
    name: 'S3 server (S3Proxy)',
    version: S3PROXY_VERSION,
    pom: POM,
    lib: p.lib,
    alternative: 'point lake.s3.endpoint at a running S3-compatible server',
    action: 'start s3proxy',
  });
  mkdirSync(p.data, { recursive: true });
  const host = loopbackEndpoint(s3)?.host ?? '127.0.0.1';
  writeFileSync(p.properties, renderS3ProxyProperties({ host, port, basedir: p.data }));
  const pid = spawnS3Proxy(p);
  const outcome = await waitFor(
    () => s3Answers(s3.endpoint),
    60_000,
    () => (isAlive(pid) ? undefined : 'exited'),
  );
  if (outcome !== 'ready') {
    const why = outcome === 'exited' ? 'exited during startup' : 'did not answer within 60 s';
    throw stackError('start s3proxy', `S3Proxy ${why}; see ${p.logFile}:\n${tailFile(p.logFile)}`);
  }
  return { pid, downloaded };
}

function spawnS3Proxy(p: S3ProxyPaths): number {
  const out = openSync(p.logFile, 'a');
  const args = [
    '-Xms64m',
    '-Xmx512m',
    '-Djava.awt.headless=true',
    '-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener',
    '-jar',
    p.jar,
    '--properties',
    p.properties,
  ];
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw stackError('start s3proxy', 'could not spawn java');
  writeFileSync(p.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** Creates the lake's bucket with the local credentials, given explicitly (this bootstrap only). */
async function ensureLocalBucket(s3: S3LakeConfig & { endpoint: string }, p: S3ProxyPaths) {
  const client = createS3(
    { ...s3, forcePathStyle: true },
    { credentials: LOCAL_S3_CREDENTIALS, maxAttempts: 3 },
  );
  try {
    return await ensureBucket(client, s3.bucket);
  } catch (err) {
    throw stackError(
      'create bucket',
      `bucket ${s3.bucket} at ${s3.endpoint} with the local credentials: ${(err as Error).message} (is it feedctl's S3Proxy? its log: ${p.logFile})`,
      err,
    );
  } finally {
    client.destroy();
  }
}

/** Whether an S3 server answers at `endpoint`: any HTTP answer carrying an S3 request id (403 included). */
export async function s3Answers(endpoint: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.headers.has('x-amz-request-id');
  } catch {
    return false;
  }
}

/** Stops the S3Proxy `startS3Proxy` started for the lake's endpoint (by its pid file): SIGTERM, then SIGKILL. */
export async function stopS3Proxy(config: Config): Promise<'stopped' | 'not-running'> {
  const { port } = localEndpoint(config);
  const p = s3proxyPaths(config.stackHome, port);
  const pid = livePid(p);
  if (pid === null) {
    rmSync(p.pidFile, { force: true });
    return 'not-running';
  }
  process.kill(pid, 'SIGTERM');
  if ((await waitFor(async () => !isAlive(pid), 30_000)) !== 'ready') process.kill(pid, 'SIGKILL');
  rmSync(p.pidFile, { force: true });
  log.info({ pid, port }, 's3proxy stopped');
  return 'stopped';
}

/** Whether an S3 server answers at the lake's endpoint, and the pid of ours if we started it. */
export async function s3proxyStatus(
  config: Config,
): Promise<{ endpoint: string; reachable: boolean; pid: number | null; logFile: string }> {
  const { s3, port } = localEndpoint(config);
  const p = s3proxyPaths(config.stackHome, port);
  return {
    endpoint: s3.endpoint,
    reachable: await s3Answers(s3.endpoint),
    pid: livePid(p),
    logFile: p.logFile,
  };
}

/** The pid in the pid file when that process is alive and is an S3Proxy (a reused pid is not ours). */
function livePid(p: S3ProxyPaths): number | null {
  const pid = readPidFile(p.pidFile);
  if (pid === null || !isAlive(pid)) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(p.jar) ? pid : null;
  } catch {
    return pid; // no /proc (macOS): trust the pid file, as for the broker
  }
}

function stackError(action: string, detail: string, cause?: unknown): FeedctlError {
  return new FeedctlError('STACK_PROVISION_FAILED', detail, { subsystem: 'stack', action, cause });
}
