/** The readiness probes against servers that refuse connections: not ok at once, and never showing a password. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { CheckRunner } from '../../../src/health/checks.js';
import { readinessProbes } from '../../../src/health/probes.js';

describe('readiness probes', () => {
  it('fail within their timeout when Kafka and MySQL refuse connections', async () => {
    const { config } = loadConfig({
      env: { FEEDCTL_KAFKA_BROKERS: '127.0.0.1:1', FEEDCTL_MYSQL_URL: 'mysql://app:hunter2@127.0.0.1:1' },
    });
    const probes = readinessProbes(config, 1000);
    try {
      const started = Date.now();
      const reports = await new CheckRunner(2000).runAll(probes.checks);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(reports.map((r) => `${r.name} ${r.ok}`)).toEqual([
        'kafka false',
        'mysql false',
        'migrations false',
      ]);
      expect(reports[0]?.detail).toMatch(/^kafka: connect 127\.0\.0\.1:1: .*ECONNREFUSED/);
      expect(reports[1]?.detail).toMatch(/^mysql: probe 127\.0\.0\.1:1: .*ECONNREFUSED/);
      expect(reports[2]?.detail).toMatch(/^mysql: probe 127\.0\.0\.1:1: .*ECONNREFUSED/);
      expect(JSON.stringify(reports)).not.toContain('hunter2');
    } finally {
      await probes.close();
    }
  });
});
