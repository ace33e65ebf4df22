/**
 * Child process of lake-sigkill.test.ts (loaded through Vite's module runner, so it runs this TypeScript
 * directly): a worker that owns partitions 0 and 1, recovers them, prints `ready`, then appends and flushes chunks
 * of random size (from `seed`) until both reach `total`. The test SIGKILLs it at random moments.
 * Arguments: <lake root: a folder or s3://…> <total per partition> <seed>; an S3 lake's endpoint comes from the
 * environment (FEEDCTL_LAKE_S3_ENDPOINT), as for feedctl.
 */
import { loadConfig } from '../../../src/config/config.js';
import { openStore } from '../../../src/runtime/lake/open-store.js';
import { LakeSink } from '../../../src/runtime/lake/sink.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { mulberry32 } from '../../helpers/seed.js';

const [root, totalText, seedText] = process.argv.slice(-3);
const total = Number(totalText);
const random = mulberry32(Number(seedText));
const lake = loadConfig({ env: { ...process.env, FEEDCTL_LAKE_ROOT: root! } }).config.lake;
const sink = new LakeSink({
  root: lake.root,
  store: openStore(lake),
  feed: feedSpec('orders'),
  generation: 1,
  specHash: 'h',
  topic: 'orders.v1',
});
const next = [(await sink.recover(0)) ?? 0, (await sink.recover(1)) ?? 0];
process.stdout.write(`ready ${next.join(' ')}\n`);
for (let p = 0; next[0]! < total || next[1]! < total; p = 1 - p) {
  const from = next[p]!;
  if (from >= total) continue;
  const to = Math.min(total, from + 1 + Math.floor(random() * 150));
  sink.append(p, records(p, from, to));
  await sink.flush(p, to);
  next[p] = to;
}
process.exit(0);
