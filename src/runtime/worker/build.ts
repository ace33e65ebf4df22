/** Builds the consumer of one (feed, destination) with its sink; says which ones cannot run yet. */
import type { Pool } from '../../clients/mysql.js';
import type { Destination, FeedSpec } from '../../feeds/types.js';
import { FeedConsumer, type ConsumerDeps, type ConsumerTarget } from '../consumer/feed-consumer.js';
import type { SinkHandler } from '../consumer/handler.js';
import type { BufferBudget } from '../consumer/budget.js';
import { LakeHandler } from '../consumer/lake-handler.js';
import { WarehouseHandler } from '../consumer/warehouse-handler.js';
import { TableHandler, type SnapshotTarget } from '../consumer/table-handler.js';
import { LakeSnapshots, WarehouseSnapshots } from '../consumer/table-targets.js';
import { versionPartitioner } from '../lake/partitioner.js';
import { LakeSink } from '../lake/sink.js';
import type { LakeStore } from '../lake/store.js';
import { SnapshotLedger } from '../snapshot/ledger.js';
import type { ThreadPool } from '../threads/pool.js';
import { WarehouseSink } from '../warehouse/sink.js';
import type { DesiredConsumer } from './targets.js';

/** Why this consumer cannot run in this version, or null when it can. */
export function unsupported(d: DesiredConsumer): string | null {
  if (d.target.feed.type === 'table' && !d.target.feed.snapshot) {
    return 'a table feed without its snapshot contract (spec.snapshot): reconcile with this version first';
  }
  return null;
}

type BuildDeps = ConsumerDeps & {
  pool: Pool;
  budget: BufferBudget;
  lanes: ThreadPool | undefined;
  store: LakeStore;
};

/** The warehouse sink of a feed's consumer (streams and table feeds alike). */
function warehouseSink(feed: FeedSpec, generation: number, deps: BuildDeps): WarehouseSink {
  const localInfile = deps.config.warehouse.localInfile;
  return new WarehouseSink({ pool: deps.pool, feed, generation, topic: feed.topic.name, localInfile });
}

/** One handler builder per destination: a new destination is one more entry. */
const HANDLERS: Record<Destination, (t: ConsumerTarget, deps: BuildDeps) => SinkHandler> = {
  lake: ({ feed, generation, specHash }, deps) =>
    new LakeHandler(
      new LakeSink({
        root: deps.config.lake.root,
        ...{ feed, generation, specHash, topic: feed.topic.name },
        store: deps.store,
        lanes: deps.lanes,
      }),
      feed,
      deps.metrics,
      deps.budget,
    ),
  warehouse: ({ feed, generation }, deps) =>
    new WarehouseHandler(warehouseSink(feed, generation, deps), feed, deps.metrics),
};

/** Table feeds: the same sinks, driven by the snapshot steps of a table handler. */
const TABLE_TARGETS: Record<
  Destination,
  (t: ConsumerTarget, deps: BuildDeps, l: SnapshotLedger) => SnapshotTarget
> = {
  lake: ({ feed, generation, specHash }, deps, ledger) => {
    const store = deps.store;
    const partitioner = versionPartitioner(feed.name);
    const sink = new LakeSink({
      root: deps.config.lake.root,
      feed,
      generation,
      specHash,
      topic: feed.topic.name,
      store,
      partitioner,
    });
    const handler = new LakeHandler(sink, feed, deps.metrics, deps.budget);
    return new LakeSnapshots(handler, sink, store, ledger, feed);
  },
  warehouse: ({ feed, generation }, deps, ledger) =>
    new WarehouseSnapshots(warehouseSink(feed, generation, deps), ledger, feed, deps.metrics),
};

function tableHandler(d: DesiredConsumer, deps: BuildDeps): SinkHandler {
  const { feed, generation } = d.target;
  const mode = feed.snapshot?.seal.mode ?? 'marker';
  const partitions = feed.topic.partitions;
  const database = deps.config.mysql.database;
  const scope = { database, feed: feed.name, destination: d.destination, partitions, mode, generation };
  const ledger = new SnapshotLedger(deps.pool, scope);
  return new TableHandler(TABLE_TARGETS[d.destination](d.target, deps, ledger), ledger, feed, deps.metrics);
}

export function consumerFor(d: DesiredConsumer, deps: BuildDeps): FeedConsumer {
  const handler =
    d.target.feed.type === 'table' ? tableHandler(d, deps) : HANDLERS[d.destination](d.target, deps);
  return new FeedConsumer(deps, d.target, handler);
}
