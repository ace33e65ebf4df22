/** Builds the consumer of one (feed, destination) with its sink; says which ones cannot run yet. */
import type { Pool } from '../../clients/mysql.js';
import { FeedConsumer, type ConsumerDeps } from '../consumer/feed-consumer.js';
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

export function consumerFor(
  d: DesiredConsumer,
  deps: ConsumerDeps & { pool: Pool; budget: BufferBudget },
): FeedConsumer {
  const { feed, generation, specHash } = d.target;
  const topic = feed.topic.name;
  const handler =
    d.destination === 'lake'
      ? new LakeHandler(
          new LakeSink({ root: deps.config.lake.root, feed, generation, specHash, topic }),
          feed,
          deps.metrics,
          deps.budget,
        )
      : new WarehouseHandler(
          new WarehouseSink({ pool: deps.pool, feed, generation, topic }),
          feed,
          deps.metrics,
        );
  return new FeedConsumer(deps, d.target, handler);
}
