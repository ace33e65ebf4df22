/**
 * Per-test-file isolation on the shared servers: a fresh database and unique topic names, all removed afterwards,
 * and consumer groups of its own (`kafka.groupPrefix` `feedctl.<database>`, in `config` and, through `vars`, in
 * every `feedctl` the file spawns), so two files with a feed of the same name never join each other's groups.
 * Usage: `const env = useTestEnv('migrations')` at the top of a test file; use `env.config` inside tests.
 * The lake is a fresh temporary folder, or with `{ lake: 's3' }` a unique prefix of the shared test S3Proxy's
 * bucket (test/helpers/s3.ts: listLakeObjects, readLakeObject), emptied afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createKafka, withAdmin } from '../../src/clients/kafka.js';
import { withMysql } from '../../src/clients/mysql.js';
import { quoteIdent } from '../../src/sql/ident.js';
import { deleteLakeObjects, testS3Lake } from './s3.js';

export interface TestEnv {
  /** Config pointing at this file's own database, lake and consumer group prefix. Valid inside tests and hooks. */
  readonly config: Config;
  /** Environment variables every `feedctl` this file spawns must get (its group prefix, which beats config files). */
  readonly vars: Readonly<Record<string, string>>;
  /** A local folder for logs and scratch files: the lake folder itself, or (S3 lake) its own temporary folder. */
  readonly scratch: string;
  /** A topic name unique to this run; it and its `-dlq` dead-letter topic are deleted in teardown. */
  topic(prefix: string): string;
  /** A MySQL role name unique to this run (roles are server-wide); dropped in teardown. */
  role(prefix: string): string;
  /** Create topics (waiting for leaders) that teardown deletes. */
  createTopic(name: string, partitions?: number, configs?: Record<string, string>): Promise<void>;
  kafka(): ReturnType<typeof createKafka>;
}

export interface TestEnvOptions {
  /** `folder` (default): a temporary folder; `s3`: `s3://feedctl-test/<unique prefix>` on the test S3Proxy. */
  lake?: 'folder' | 's3';
}

const RUN = randomBytes(3).toString('hex');

export function useTestEnv(name: string, opts: TestEnvOptions = {}): TestEnv {
  const base = loadConfig().config;
  const unique = `${name.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${RUN}_${process.pid}`.toLowerCase();
  const database = `ft_${unique}`;
  const scratch = mkdtempSync(path.join(tmpdir(), `feedctl-${name}-`));
  const folder = opts.lake === 's3' ? null : scratch;
  const lake = folder === null ? testS3Lake(`ft-${unique.replace(/_/g, '-')}`) : { root: folder, s3: null };
  const kafka = { ...base.kafka, groupPrefix: `feedctl.${database}` };
  const config: Config = { ...base, kafka, mysql: { ...base.mysql, database }, lake };
  const vars = { FEEDCTL_KAFKA_GROUP_PREFIX: kafka.groupPrefix };
  const topics = new Set<string>();
  const roles = new Set<string>();

  beforeAll(async () => {
    await withMysql(
      config,
      (c) =>
        c.query(`CREATE DATABASE ${quoteIdent(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
      { withDatabase: false },
    );
  });
  afterAll(async () => {
    await withMysql(
      config,
      async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
        for (const r of roles) await c.query(`DROP ROLE IF EXISTS ${quoteIdent(r)}`);
      },
      { withDatabase: false },
    );
    await deleteGroups(config);
    if (topics.size > 0) {
      await withAdmin(config, async (a) => {
        const existing = new Set(await a.listTopics());
        const mine = [...topics].filter((t) => existing.has(t));
        if (mine.length > 0) await a.deleteTopics({ topics: mine, timeout: 30_000 });
      });
    }
    if (folder === null) await deleteLakeObjects(config);
    rmSync(scratch, { recursive: true, force: true });
  });

  return {
    config,
    vars,
    scratch,
    role(prefix) {
      const r = `ft_${prefix}_${RUN}_${randomBytes(2).toString('hex')}`;
      roles.add(r);
      return r;
    },
    topic(prefix) {
      const t = `ft.${prefix}.${RUN}.${randomBytes(3).toString('hex')}`;
      topics.add(t).add(`${t}-dlq`);
      return t;
    },
    async createTopic(topic, partitions = 1, configs = {}) {
      topics.add(topic);
      await withAdmin(config, (a) =>
        a.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: partitions,
              configEntries: Object.entries(configs).map(([n, v]) => ({ name: n, value: v })),
            },
          ],
        }),
      );
    },
    kafka: () => createKafka(config, { clientId: `feedctl-test-${name}` }),
  };
}

/**
 * Deletes the consumer groups of this file's prefix (each run has its own, so they would pile up on the broker);
 * a group a stray worker still holds is left to expire, with a warning.
 */
async function deleteGroups(config: Config): Promise<void> {
  await withAdmin(config, async (a) => {
    const ours = (await a.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${config.kafka.groupPrefix}.`));
    if (ours.length > 0) await a.deleteGroups(ours);
  }).catch((err: unknown) => console.warn(`test teardown: consumer groups not deleted: ${String(err)}`));
}
