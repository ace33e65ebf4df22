import { describe, expect, it } from 'vitest';
import { desiredRegistry, registryRow, retentionRow } from '../../../src/reconciler/registry/desired.js';
import { diffRegistry } from '../../../src/reconciler/registry/diff.js';
import type { ObservedRegistry, ObservedRegistryRow } from '../../../src/reconciler/registry/observe.js';
import { CUSTOMER_EVENT_FIELDS, feedSpec, field } from '../../helpers/feed-spec.js';

const feed = feedSpec({ name: 'events', table: 'fact_events' });
const opts = (names = ['events']) => ({
  allowDestructive: false,
  prune: false,
  desiredFeeds: new Set(names),
});
const stored = (row = registryRow(feed), extra: Partial<ObservedRegistryRow> = {}): ObservedRegistry => ({
  registry: new Map([[row.feedName, { ...row, managedBy: 'feedctl', generation: 4, ...extra }]]),
  retention: new Map([[row.feedName, retentionRow(feed)]]),
});
const empty: ObservedRegistry = { registry: new Map(), retention: new Map() };

describe('registry diff', () => {
  it('registers a new feed at generation 1 with the seed columns and its retention policy', () => {
    const { changes } = diffRegistry(desiredRegistry([feed]), empty, opts());
    expect(changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['create registry', 'create retention']);
    expect(changes[0]?.after).toMatchObject({
      feedType: 'stream',
      partitioningStrategy: 'date',
      destination: 'both',
      storageMode: 'append',
      generation: 1,
    });
    expect(changes[1]?.after).toMatchObject({ retentionDays: 90, retentionVersions: null, autoDelete: true });
  });

  it('is empty when the rows match', () => {
    expect(diffRegistry(desiredRegistry([feed]), stored(), opts()).changes).toEqual([]);
  });

  it('raises the generation exactly when the runtime spec changes', () => {
    const evolved = feedSpec({
      name: 'events',
      table: 'fact_events',
      fields: [...CUSTOMER_EVENT_FIELDS, field('x', { kind: 'int' }, true)],
    });
    const [c] = diffRegistry(desiredRegistry([evolved]), stored(), opts()).changes;
    expect(c?.before).toMatchObject({ generation: 4 });
    expect(c?.after).toMatchObject({ generation: 5, specHash: registryRow(evolved).specHash });
    const moved = { ...feed, manifestPath: 'feeds/other/events.yaml' };
    const [m] = diffRegistry(desiredRegistry([moved]), stored(), opts()).changes;
    expect(m).toMatchObject({
      before: { manifestPath: 'feeds/events.yaml', generation: 4 },
      after: { manifestPath: 'feeds/other/events.yaml', generation: 4 },
    });
  });

  it('adopts a row registered by hand (the seed runbook) instead of duplicating it', () => {
    const seeded = stored(registryRow(feed), { managedBy: null, specHash: '', generation: 1 });
    const [c] = diffRegistry(desiredRegistry([feed]), seeded, opts()).changes;
    expect(c).toMatchObject({ action: 'adopt', after: { generation: 2 } });
  });

  it('disables a managed feed whose manifest is gone and ignores rows it does not manage', () => {
    const { changes } = diffRegistry(desiredRegistry([]), stored(), opts([]));
    expect(changes).toEqual([
      expect.objectContaining({ action: 'update', before: { enabled: true }, after: { enabled: false } }),
    ]);
    expect(
      diffRegistry(desiredRegistry([]), stored(registryRow(feed), { managedBy: null }), opts([])).changes,
    ).toEqual([]);
    expect(
      diffRegistry(desiredRegistry([]), stored(registryRow(feed), { enabled: false }), opts([])).changes,
    ).toEqual([]);
  });
});
