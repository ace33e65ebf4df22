/**
 * The runbook's own installation, for `feedctl import` tests: its SQL statements taken from the seed runbook
 * (`/work/shared/seed/*.md`, or FEEDCTL_RUNBOOK_DIR) and run through the `mariadb` client, its topics, and what
 * counts as a data-changing change in a plan.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../../src/config/config.js';
import type { Change } from '../../../src/reconciler/plan/types.js';

const RUNBOOK_DIR = process.env.FEEDCTL_RUNBOOK_DIR ?? '/work/shared/seed';

/** The runbook's text (every markdown file of its folder). */
export function runbookText(): string {
  return readdirSync(RUNBOOK_DIR)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(path.join(RUNBOOK_DIR, f), 'utf8'))
    .join('\n');
}

/** The runbook's topic names, fixed in its text, and the isolated names a test uses instead. */
export interface TopicNames {
  nouveau: string;
  customerEvents: string;
}

/**
 * The runbook's statements that register its two feeds and create `fact_nouveau_feed`, in its order, with `USE
 * data_warehouse;` aimed at `database` and its topic names replaced by `topics`. The `customer_events` feed keeps
 * its name; only its `kafka_topic` value (the fourth value of its registry INSERT) is renamed.
 */
export function runbookSql(database: string, topics: TopicNames): string[] {
  const text = runbookText();
  const inserts = [...text.matchAll(/INSERT INTO (feed_registry|data_retention_policies)\b[^;]*;/g)].map(
    (m) => m[0],
  );
  const create =
    /```sql\n(USE data_warehouse;[\s\S]*?CREATE TABLE IF NOT EXISTS fact_nouveau_feed[\s\S]*?)```/.exec(text);
  if (inserts.length !== 4 || !create?.[1]) {
    throw new Error(
      `runbook changed: ${inserts.length} registry INSERTs, CREATE TABLE found: ${Boolean(create)}`,
    );
  }
  const rename = (s: string) =>
    s
      .replace(/'nouveau_topic_kafka'/g, `'${topics.nouveau}'`)
      .replace(/('customer_events', 'stream', 'kafka', )'customer_events'/, `$1'${topics.customerEvents}'`);
  return [...inserts.map(rename), create[1].replace('USE data_warehouse;', `USE \`${database}\`;`)];
}

const execFileP = promisify(execFile);

/** Runs SQL text through the `mariadb` command-line client (as the runbook does with `mysql`), in `database`. */
export async function mariadbClient(config: Config, database: string, sql: string): Promise<string> {
  const u = new URL(config.mysql.url);
  const args = [
    '-h',
    u.hostname,
    '-P',
    u.port || '3306',
    '-u',
    decodeURIComponent(u.username || 'root'),
    database,
  ];
  const password = decodeURIComponent(u.password);
  const child = execFileP('mariadb', args, { env: { ...process.env, MYSQL_PWD: password } });
  child.child.stdin?.end(sql);
  return (await child).stdout;
}

const LINEAGE = new Set(['_event_time', '_kafka_partition', '_kafka_offset']);

/**
 * True when applying `c` could change data or access: anything destructive; a topic change other than adopting it
 * as it is (same partitions, same configs) or creating the feed's new dead-letter topic; a table change other than
 * adopting it; a column change other than adding feedctl's lineage columns; any index change (feedctl adds no
 * index of its own to the runbook's shape); a role or grant. Registry, retention and consumer rows are the control
 * plane's bookkeeping; a new `_latest` view holds no data.
 */
export function isDataChanging(c: Change): boolean {
  if (c.destructive) return true;
  switch (c.kind) {
    case 'topic':
      return !(c.action === 'adopt' ? sameTopic(c) : c.action === 'create' && c.id.endsWith('-dlq'));
    case 'table':
      return c.action !== 'adopt';
    case 'column':
      return !(c.action === 'create' && LINEAGE.has(c.id.slice(c.id.indexOf('.') + 1)));
    case 'view':
      return c.action !== 'create';
    case 'registry':
    case 'retention':
    case 'consumer':
      return false;
    default:
      return true;
  }
}

function sameTopic(c: Change): boolean {
  const b = c.before as { partitions?: number; configs?: object };
  const a = c.after as { partitions?: number; configs?: object };
  return b.partitions === a.partitions && JSON.stringify(b.configs ?? {}) === JSON.stringify(a.configs ?? {});
}
