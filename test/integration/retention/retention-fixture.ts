/** Retention test fixture: manifests with a retention policy, back-dated messages, and the audit rows of a run. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../../../src/config/config.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { FeedctlHarness } from '../../helpers/cli.js';
import type { TestMessage } from '../../helpers/runtime.js';

export const DAY_MS = 86_400_000;

/** A stream feed `{ref, at}` into the lake and `fact_<name>`, with `retention: {days, autoDelete}`. */
export function agingFeedYaml(name: string, topic: string, days: number, autoDelete = true): string {
  return [
    'apiVersion: feedctl/v1',
    'kind: Feed',
    `metadata: {name: ${name}, owner: tests}`,
    'spec:',
    '  type: stream',
    `  topic: {name: ${topic}, partitions: 2}`,
    '  schema:',
    '    fields:',
    '      - {name: ref, type: string, maxLength: 20}',
    '      - {name: at, type: timestamp}',
    '    key: [ref]',
    '    eventTime: at',
    '  destinations:',
    '    lake: {flush: {idleSeconds: 1}}',
    `    warehouse: {enabled: true, table: fact_${name}}`,
    `  retention: {days: ${days}, autoDelete: ${autoDelete}}`,
    '',
  ].join('\n');
}

/** `perDay` messages for each of the `days` UTC days up to today (01:00 UTC each), keys unique. */
export function agedMessages(days: number, perDay: number, nowMs = Date.now()): TestMessage[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const out: TestMessage[] = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const ref = `d${d}-${i}`;
      out.push({
        key: ref,
        value: JSON.stringify({ ref, at: new Date(today - d * DAY_MS + 3_600_000).toISOString() }),
      });
    }
  }
  return out;
}

/** The UTC date `n` days before today. */
export const daysAgo = (n: number, nowMs = Date.now()): string =>
  new Date((Math.floor(nowMs / DAY_MS) - n) * DAY_MS).toISOString().slice(0, 10);

/** Adds settings to the harness's config file (YAML lines, e.g. `retention:\n  graceSeconds: 0`). */
export function addConfig(fc: FeedctlHarness, yaml: string): void {
  writeFileSync(fc.configFile, `${readFileSync(fc.configFile, 'utf8')}${yaml}\n`);
}

/** The audit rows retention wrote: kind, target and what it says it deleted. */
export async function retentionAudit(
  config: Config,
): Promise<
  Array<{ kind: string; id: string; outcome: string; rows: number; files: number; batches: number }>
> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      "SELECT resource_kind, resource_id, outcome, after_state FROM audit_log WHERE actor = 'retention' ORDER BY id",
    );
    return r.map((x) => {
      const a = (typeof x.after_state === 'string' ? JSON.parse(x.after_state) : x.after_state) as Record<
        string,
        number
      >;
      return {
        kind: String(x.resource_kind),
        id: String(x.resource_id),
        outcome: String(x.outcome),
        rows: a.rows ?? 0,
        files: a.files ?? 0,
        batches: a.batches ?? 0,
      };
    });
  });
}
