/**
 * Last good state in watch mode: a broken manifest refuses nothing else. The other feeds' changes are applied;
 * the broken file's feed keeps running on its last valid spec (not disabled, not changed), and the file shows in
 * the output and `feedctl status` until it is fixed. A controller started while the file is broken leaves that
 * feed exactly as it is (the registry says which feed the file declared).
 */
import { describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { metricsText, metricSum } from '../../helpers/health.js';
import { startWatch } from '../../helpers/watch.js';

const env = useTestEnv('rc_last_good');
const fc = useFeedctl(env);

/** Enabled feeds, and the feeds consumers run (feedctl_consumers), each `name@generation`. */
const running = () =>
  withMysql(env.config, async (c) => {
    const [reg] = await c.query<RowDataPacket[]>(
      'SELECT feed_name FROM feed_registry WHERE enabled ORDER BY 1',
    );
    const [cons] = await c.query<RowDataPacket[]>(
      'SELECT feed_name, generation FROM feedctl_consumers ORDER BY 1',
    );
    return {
      enabled: reg.map((r) => String(r.feed_name)),
      consumers: cons.map((r) => `${String(r.feed_name)}@${String(r.generation)}`),
    };
  });

const columns = (table: string) =>
  withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
      [table],
    );
    return r.map((x) => String(x.c));
  });

describe('the watch controller with a broken manifest', () => {
  it('reconciles the other feeds and keeps the broken one as it was', { timeout: 180_000 }, async () => {
    const topics: Record<string, string> = { ga: env.topic('ga'), gb: env.topic('gb') };
    const yaml = (n: string, extra: string[] = []) =>
      feedYaml({ name: n, topic: topics[n] ?? '', table: `fact_${n}`, fields: extra });
    fc.writeFeed('ga', yaml('ga'));
    fc.writeFeed('gb', yaml('gb'));
    let watch = startWatch(fc, { FEEDCTL_RESYNC_SECONDS: '3' });
    await watch.after(0, 'the first apply', /Apply complete: \d+ applied/);
    const before = await running();
    expect(before.enabled).toEqual(['ga', 'gb']);

    // ga's file breaks while gb gains a column: gb's change is applied, ga stays as it was.
    let mark = watch.out().length;
    fc.writeFeed('ga', 'apiVersion: feedctl/v1\nkind: Feed\nmetadata: {name: ga\n');
    fc.writeFeed('gb', yaml('gb', ['{name: note, type: string, maxLength: 20, nullable: true}']));
    await watch.after(
      mark,
      'gb applied with ga broken',
      /create column fact_gb\.note[\s\S]*Apply complete[\s\S]*Invalid manifest \S*ga\.yaml \(\d+:\d+ [^)]+\): ga keeps its last valid spec/,
    );
    expect(await columns('fact_gb')).toContain('note');
    const broken = await running();
    expect(broken.enabled).toEqual(['ga', 'gb']);
    expect(broken.consumers).toContain(before.consumers[0]); // ga at the same generation
    expect((await fc.spawn('status')).stdout).toMatch(
      /INVALID MANIFEST \S*ga\.yaml \(\d+:\d+ [^)]+\): ga keeps its last valid spec/,
    );
    const metrics = await metricsText(await watch.healthUrl());
    expect(metricSum(metrics, 'feedctl_manifests_invalid')).toBe(1);
    expect(metrics).toMatch(/feedctl_manifest_invalid\{file="\S*ga\.yaml"\} 1/);
    // The resync keeps it so: nothing to do while the file stays broken.
    mark = watch.out().length;
    await watch.after(
      mark,
      'a quiet resync',
      /reconcile \(resync\)\nNo changes: in sync\.\nInvalid manifest/,
    );
    expect(await watch.stop()).toBe(0);

    // A controller started while ga's file is broken does not know its last spec: ga is left as it is.
    watch = startWatch(fc, { FEEDCTL_RESYNC_SECONDS: '3' });
    await watch.after(
      0,
      'the first run',
      /No changes: in sync\.\nInvalid manifest \S*ga\.yaml [^\n]*ga left as it is/,
    );
    expect(await running()).toEqual(broken);

    // Fixed (with a change of its own): applied.
    mark = watch.out().length;
    fc.writeFeed('ga', yaml('ga', ['{name: note, type: string, maxLength: 20, nullable: true}']));
    await watch.after(mark, 'the fix applied', /create column fact_ga\.note[\s\S]*Apply complete/);
    expect(watch.out().slice(mark)).not.toMatch(/Invalid manifest/);
    expect(await watch.stop()).toBe(0);
    expect((await fc.spawn('status')).stdout).not.toMatch(/INVALID MANIFEST/);
    await fc.expectConverged();
  });
});
