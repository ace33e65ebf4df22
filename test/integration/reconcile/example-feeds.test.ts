/**
 * The repository's example manifests (feeds/) on a fresh system: reconcile creates everything, and a second
 * dry-run reports no changes. Topic and role names are made unique for this run (they are server-wide); everything
 * else is the example as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';

const env = useTestEnv('rc_examples');
const fc = useFeedctl(env);
const FEEDS = path.resolve(import.meta.dirname, '../../../feeds');

describe('the example feeds', () => {
  it('are created from scratch and then converge', async () => {
    const files = readdirSync(FEEDS).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const doc = parseDocument(readFileSync(path.join(FEEDS, file), 'utf8'));
      const name = String(doc.getIn(['metadata', 'name']));
      doc.setIn(['spec', 'topic', 'name'], env.topic(name));
      const roles =
        (doc.getIn(['spec', 'access', 'roles']) as { toJSON(): string[] } | undefined)?.toJSON() ?? [];
      doc.setIn(
        ['spec', 'access', 'roles'],
        roles.map((r) => env.role(r.slice(0, 12))),
      );
      fc.writeFeed(name, doc.toString());
    }
    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
    expect(dry.code).toBe(2);
    const kinds = new Set(
      (JSON.parse(dry.stdout) as { changes: Array<{ kind: string }> }).changes.map((c) => c.kind),
    );
    expect([...kinds].sort()).toEqual([
      'consumer',
      'grant',
      'registry',
      'retention',
      'role',
      'table',
      'topic',
      'view',
    ]);
    const applied = await fc.cli('reconcile');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: \d+ applied\./);
    await fc.expectConverged();
  });
});
