/** Jars of a local service from Maven Central (cached in ~/.m2), copied once into a versioned folder under stackHome. */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FeedctlError } from '../errors.js';
import { logger } from '../log.js';
import { findBinary, runCommand } from './process.js';

const log = logger('stack.maven');

export interface MavenJars {
  /** The service, for messages ("Kafka", "S3Proxy"). */
  name: string;
  version: string;
  /** The pom listing the jars as dependencies (stack/<service>/pom.xml). */
  pom: string;
  /** The folder the jars end up in; complete once it holds a `.complete` marker. */
  lib: string;
  /** What to do instead of installing Java and Maven, appended to the error. */
  alternative: string;
  /** The action named in errors (e.g. `start kafka`). */
  action: string;
}

/** Copies the runtime jars into `lib` unless already there; true when it had to fetch them. */
export async function provisionMavenJars(m: MavenJars): Promise<boolean> {
  if (existsSync(path.join(m.lib, '.complete'))) return false;
  const java = findBinary(['java']);
  const mvn = findBinary(['mvn']);
  if (!java || !mvn) {
    const missing = [!java ? 'Java 17+ (java)' : '', !mvn ? 'Maven (mvn)' : ''].filter(Boolean).join(' and ');
    throw provisionError(
      m,
      `the local ${m.name} needs ${missing} on PATH: install them (e.g. apt-get install openjdk-17-jre-headless maven), or ${m.alternative}`,
    );
  }
  const tmp = `${m.lib}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  log.info({ service: m.name, version: m.version, lib: m.lib }, 'downloading jars with maven');
  const res = await runCommand(mvn, [
    '-B',
    '-q',
    '-f',
    m.pom,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${tmp}`,
  ]);
  if (res.code !== 0)
    throw provisionError(m, `maven could not fetch ${m.name} ${m.version}:\n${res.output.slice(-2000)}`);
  writeFileSync(path.join(tmp, '.complete'), `${m.version}\n`);
  rmSync(m.lib, { recursive: true, force: true });
  renameSync(tmp, m.lib);
  return true;
}

function provisionError(m: MavenJars, detail: string): FeedctlError {
  return new FeedctlError('STACK_PROVISION_FAILED', detail, { subsystem: 'stack', action: m.action });
}
