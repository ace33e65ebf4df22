/**
 * Desired state of every resource kind, derived from the feed manifests alone (pure). Each kind's own
 * `desired.ts` owns the mapping; this only gathers them.
 */
import type { Config } from '../config/config.js';
import type { FeedSpec } from '../feeds/types.js';
import { desiredConsumers, type ConsumerDef } from './consumers/desired.js';
import { desiredGrants, type DesiredGrants } from './grants/desired.js';
import { desiredRegistry, type DesiredRegistry } from './registry/desired.js';
import { desiredTables, type TableDef } from './tables/desired.js';
import { desiredTopics, type TopicDef } from './topics/desired.js';
import { desiredViews, type ViewDef } from './views/desired.js';

export interface DesiredState {
  feeds: FeedSpec[];
  topics: TopicDef[];
  tables: TableDef[];
  views: ViewDef[];
  grants: DesiredGrants;
  registry: DesiredRegistry;
  consumers: ConsumerDef[];
}

export function desiredState(feeds: FeedSpec[], config: Config): DesiredState {
  return {
    feeds,
    topics: desiredTopics(feeds, config),
    tables: desiredTables(feeds, config),
    views: desiredViews(feeds),
    grants: desiredGrants(feeds, config),
    registry: desiredRegistry(feeds),
    consumers: desiredConsumers(feeds),
  };
}
