/** Builds the consumer of one (feed, destination) with its sink; says which ones cannot run yet. */
import type { Pool } from '../../clients/mysql.js';
import type { Destination } from '../../feeds/types.js';
import { FeedConsumer, type ConsumerDeps, type ConsumerTarget } from '../consumer/feed-consumer.js';
import type { SinkHandler } from '../consumer/handler.js';
import type { BufferBudget } from '../consumer/budget.js';
import { LakeHandler } from '../consumer/lake-handler.js';
import { WarehouseHandler } from '../consumer/warehouse-handler.js';
import { LakeSink } from '../lake/sink.js';
import { WarehouseSink } from '../warehouse/sink.js';
import type { DesiredConsumer } from './targets.js';

/** Why this consumer cannot run in this version, or null when it can. */
export function unsupported(d: DesiredConsumer): string | null {
  if (d.target.feed.type === 'table') {
    return 'table feeds (snapshot versions) are reconciled but not consumed yet: their runtime comes with the table-feed work';
  }
  return null;
}

type BuildDeps = ConsumerDeps & { pool: Pool; budget: BufferBudget };

/** One handler builder per destination: a new destination is one more entry. */
const HANDLERS: Record<Destination, (t: ConsumerTarget, deps: BuildDeps) => SinkHandler> = {
  lake: ({ feed, generation, specHash }, deps) =>
    new LakeHandler(
      new LakeSink({ root: deps.config.lake.root, feed, generation, specHash, topic: feed.topic.name }),
      feed,
      deps.metrics,
      deps.budget,
    ),
  warehouse: ({ feed, generation }, deps) =>
    new WarehouseHandler(
      new WarehouseSink({ pool: deps.pool, feed, generation, topic: feed.topic.name }),
      feed,
      deps.metrics,
    ),
};

export function consumerFor(d: DesiredConsumer, deps: BuildDeps): FeedConsumer {
  return new FeedConsumer(deps, d.target, HANDLERS[d.destination](d.target, deps));
}
