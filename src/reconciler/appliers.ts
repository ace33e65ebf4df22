/** Which applier handles which resource kind, and which kinds apply a run of changes as one batch. */
import type { Applier, BatchAppliers } from './apply.js';
import { applyConsumer, batchConsumers } from './consumers/apply.js';
import { applyGrant, applyRole } from './grants/apply.js';
import type { ResourceKind } from './plan/types.js';
import { applyRegistry, applyRetention, batchRegistry, batchRetention } from './registry/apply.js';
import { applyTable, batchTables } from './tables/apply.js';
import { applyTopic, batchTopics } from './topics/apply.js';
import { applyView, batchViews } from './views/apply.js';

export const APPLIERS: Record<ResourceKind, Applier> = {
  topic: applyTopic,
  table: applyTable,
  column: applyTable,
  index: applyTable,
  view: applyView,
  role: applyRole,
  grant: applyGrant,
  registry: applyRegistry,
  retention: applyRetention,
  consumer: applyConsumer,
};

export const BATCHERS: BatchAppliers = {
  topic: batchTopics,
  table: batchTables,
  view: batchViews,
  registry: batchRegistry,
  retention: batchRetention,
  consumer: batchConsumers,
};
