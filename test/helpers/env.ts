/**
 * Per-test-file isolation on the shared servers: a fresh database and unique topic names, all removed afterwards.
 * Usage: `const env = useTestEnv('migrations')` at the top of a test file; use `env.config` inside tests.
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

export interface TestEnv {
  /** Config pointing at this file's own database and lake folder. Valid inside tests and hooks. */
  readonly config: Config;
  /** A topic name unique to this run; it and its `-dlq` dead-letter topic are deleted in teardown. */
  topic(prefix: string): string;
  /** A MySQL role name unique to this run (roles are server-wide); dropped in teardown. */
  role(prefix: string): string;
  /** Create topics (waiting for leaders) that teardown deletes. */
  createTopic(name: string, partitions?: number, configs?: Record<string, string>): Promise<void>;
  kafka(): ReturnType<typeof createKafka>;
}

const RUN = randomBytes(3).toString('hex');

export function useTestEnv(name: string): TestEnv {
  const base = loadConfig().config;
  const database = `ft_${name.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${RUN}_${process.pid}`.toLowerCase();
  const lake = mkdtempSync(path.join(tmpdir(), `feedctl-${name}-`));
  const config: Config = { ...base, mysql: { ...base.mysql, database }, lake: { root: lake, s3: null } };
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
    if (topics.size > 0) {
      await withAdmin(config, async (a) => {
        const existing = new Set(await a.listTopics());
        const mine = [...topics].filter((t) => existing.has(t));
        if (mine.length > 0) await a.deleteTopics({ topics: mine, timeout: 30_000 });
      });
    }
    rmSync(lake, { recursive: true, force: true });
  });

  return {
    config,
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
