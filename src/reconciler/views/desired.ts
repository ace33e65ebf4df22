/**
 * Desired `<table>_latest` views (pure): one per table feed whose warehouse destination is on, showing exactly the
 * rows of the latest version the snapshot ledger marks published for the warehouse. The view lists the table's
 * columns explicitly (so it must be replaced when they change) and runs as its definer, so readers need a grant on
 * the view only, not on the ledger.
 */
import { latestViewName, SNAPSHOT_LEDGER, SYSTEM_COLUMNS, type SnapshotState } from '../../shape.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { Json } from '../plan/types.js';
import { desiredTable } from '../tables/desired.js';

/** Which rows a latest view shows: `column` = the highest ledger `version` with these feed, destination, state. */
export interface VersionFilter {
  [key: string]: Json;
  column: string;
  ledger: string;
  feed: string;
  destination: string;
  state: string;
}

/**
 * A view in comparable form: what desired() produces and what observe() reads back (normalized), and what plans
 * carry as before/after. `table` and `version` are null when the observed definition is not one feedctl writes.
 */
export interface ViewState {
  [key: string]: Json;
  /** The table it selects from. */
  table: string | null;
  /** The columns it shows, in order. */
  columns: string[];
  version: VersionFilter | null;
  /** `DEFINER` or `INVOKER`. */
  security: string;
}

/** A desired view. Invariant: `name` is `latestViewName(state.table)`. */
export interface ViewDef {
  name: string;
  feed: string;
  /** The manifest adopts its warehouse table: an existing view of this name is taken over too. */
  adopt: boolean;
  state: ViewState;
}

export const PUBLISHED: SnapshotState = 'published';
export const VIEW_SECURITY = 'DEFINER';

/** The view of one table feed whose warehouse is on (callers filter). */
export function desiredView(feed: FeedSpec): ViewDef {
  const table = desiredTable(feed);
  return {
    name: latestViewName(table.name),
    feed: feed.name,
    adopt: table.adopt,
    state: {
      table: table.name,
      columns: table.columns.map((c) => c.name),
      version: {
        column: SYSTEM_COLUMNS.snapshotVersion,
        ledger: SNAPSHOT_LEDGER.snapshots,
        feed: feed.name,
        destination: 'warehouse',
        state: PUBLISHED,
      },
      security: VIEW_SECURITY,
    },
  };
}

/** True when the feed gets a latest view: a table feed whose warehouse destination is on. */
export function hasLatestView(feed: FeedSpec): boolean {
  return (
    feed.type === 'table' && feed.destinations.warehouse.enabled && feed.destinations.warehouse.table !== null
  );
}

/** Every desired view, in manifest order. */
export function desiredViews(feeds: readonly FeedSpec[]): ViewDef[] {
  return feeds.filter(hasLatestView).map(desiredView);
}
