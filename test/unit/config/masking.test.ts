import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { describeConfig } from '../../../src/config/describe.js';
import { FeedctlError, maskSecrets } from '../../../src/errors.js';
import { mysqlConnectionOptions } from '../../../src/clients/mysql.js';
import { createLogger, logger, rootLogger, setRootLogger } from '../../../src/log.js';

const SECRET = 'pa55-w0rd!';

describe('secrets never leave the config in clear text', () => {
  it('masks a password given in the URL and keeps it for the driver', () => {
    const loaded = loadConfig({ env: { FEEDCTL_MYSQL_URL: `mysql://app:${SECRET}@db.internal:3307` } });
    const shown = JSON.stringify(describeConfig(loaded));
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain('mysql://app:***@db.internal:3307');
    expect(mysqlConnectionOptions(loaded.config)).toMatchObject({
      user: 'app',
      password: SECRET,
      host: 'db.internal',
      port: 3307,
    });
  });

  it('masks FEEDCTL_MYSQL_PASSWORD, which overrides the URL password', () => {
    const loaded = loadConfig({
      env: { FEEDCTL_MYSQL_URL: 'mysql://app:old@h:3306', FEEDCTL_MYSQL_PASSWORD: SECRET },
    });
    expect(JSON.stringify(describeConfig(loaded))).not.toContain(SECRET);
    expect(mysqlConnectionOptions(loaded.config).password).toBe(SECRET);
  });

  it('masks passwords in error messages', () => {
    const err = new FeedctlError(
      'MYSQL_UNREACHABLE',
      `cannot reach mysql://u:${SECRET}@h:3306 password=${SECRET}`,
      {
        subsystem: 'mysql',
        action: 'connect',
      },
    );
    expect(err.message).not.toContain(SECRET);
    expect(err.message).toBe('mysql: connect: cannot reach mysql://u:***@h:3306 password=***');
    expect(maskSecrets(`pwd: ${SECRET}`)).toBe('pwd: ***');
  });

  it('redacts url, password and sasl fields in logs, with the logger configuration of src/log.ts', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const original = rootLogger();
    const capture = createLogger(sink);
    capture.level = 'warn'; // FEEDCTL_LOG_LEVEL in the environment must not silence this test
    setRootLogger(capture);
    try {
      logger('test').warn(
        {
          url: `mysql://u:${SECRET}@h`,
          password: SECRET,
          host: 'db.internal',
          mysql: { password: SECRET, url: `mysql://u:${SECRET}@h` },
          kafka: { sasl: { mechanism: 'plain', password: SECRET } },
          deep: { conn: { password: SECRET } },
        },
        'connecting',
      );
    } finally {
      setRootLogger(original);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'connecting',
      subsystem: 'test',
      app: 'feedctl',
      host: 'db.internal',
      url: '***',
      password: '***',
      mysql: { password: '***', url: '***' },
      kafka: { sasl: '***' },
      deep: { conn: { password: '***' } },
    });
  });
});

describe('configuration sources', () => {
  it('defaults point at the local stack', () => {
    const { config, sources } = loadConfig({ env: {}, cwd: '/srv/feeds-repo' });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.mysql.database).toBe('data_warehouse');
    expect(config.lake.root).toBe('/srv/feeds-repo/data_lake');
    expect(sources['kafka.brokers']).toBe('default');
  });

  it('env beats the config file, flags beat env', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-cfg-'));
    writeFileSync(
      path.join(dir, 'feedctl.config.yaml'),
      'kafka:\n  brokers: [k1:9092, k2:9092]\nmysql:\n  database: dw_file\nlake:\n  root: /lake\n',
    );
    const loaded = loadConfig({
      cwd: dir,
      env: { FEEDCTL_MYSQL_DATABASE: 'dw_env' },
      overrides: { 'lake.root': '/flag-lake' },
    });
    expect(loaded.config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(loaded.config.mysql.database).toBe('dw_env');
    expect(loaded.config.lake.root).toBe('/flag-lake');
    expect(loaded.sources).toMatchObject({
      'kafka.brokers': 'file',
      'mysql.database': 'env',
      'lake.root': 'flag',
    });
  });

  it('reports every invalid setting at once, without the password', () => {
    const bad = () =>
      loadConfig({
        env: {
          FEEDCTL_KAFKA_BROKERS: 'nohostport',
          FEEDCTL_MYSQL_DATABASE: 'dw; DROP',
          FEEDCTL_MYSQL_URL: `http://u:${SECRET}@h/db`,
        },
      });
    expect(bad).toThrow(FeedctlError);
    expect(bad).toThrow(
      /kafka\.brokers.*mysql\.url must start with mysql:\/\/.*must not name a database.*mysql\.database/,
    );
    expect(bad).not.toThrow(new RegExp(SECRET));
  });

  it('rejects unknown keys in the config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-cfg-'));
    writeFileSync(path.join(dir, 'feedctl.config.yaml'), 'kafka:\n  brokerz: x:1\n');
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/unknown setting\(s\): kafka\.brokerz/);
  });
});
