import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';

const env = useTestEnv('rc_unreachable');
const fc = useFeedctl(env);

describe('reconcile --dry-run without its services', () => {
  it('fails clearly when the broker is unreachable, and never claims "no changes"', async () => {
    fc.writeFeed('u', feedYaml({ name: 'u', topic: env.topic('u') }));
    fc.writeConfig(
      `kafka:\n  brokers: [127.0.0.1:1]\nmysql:\n  database: ${env.config.mysql.database}\nfeedsDir: ${fc.feedsDir}\n`,
    );
    const r = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: kafka: connect 127\.0\.0\.1:1: /m);
    expect(r.stdout + r.stderr).not.toMatch(/No changes/);
  });

  it('fails clearly when MySQL is unreachable', async () => {
    fc.writeConfig(
      `mysql:\n  url: mysql://root@127.0.0.1:1\n  database: ${env.config.mysql.database}\nfeedsDir: ${fc.feedsDir}\n`,
    );
    const r = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: mysql: connect 127\.0\.0\.1:1: /m);
    expect(r.stdout + r.stderr).not.toMatch(/No changes/);
  });

  it('plans and applies once the services are reachable again', async () => {
    fc.writeConfig();
    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
  });
});
