/** Which applier handles which resource kind. */
import type { Applier } from './apply.js';
import { applyConsumer } from './consumers/apply.js';
import { applyGrant, applyRole } from './grants/apply.js';
import type { ResourceKind } from './plan/types.js';
import { applyRegistry, applyRetention } from './registry/apply.js';
import { applyTable } from './tables/apply.js';
import { applyTopic } from './topics/apply.js';
import { applyView } from './views/apply.js';

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
