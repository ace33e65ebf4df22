/**
 * A plan is data: plain, JSON-serialisable values and nothing else. `diff()` functions produce Changes and
 * PlanErrors; renderers (text, JSON, Markdown) show them; appliers act on them. `reason` is for humans only and
 * must never steer apply.
 *
 * | action  | before                    | after                       |
 * | ------- | ------------------------- | --------------------------- |
 * | create  | null                      | the desired resource        |
 * | update  | observed (normalized)     | desired (normalized)        |
 * | adopt   | observed, not yet owned   | desired (may equal before)  |
 * | delete  | observed                  | null                        |
 */

/**
 * What a change is about. Columns and indexes are their own kinds so a plan shows one ADD COLUMN, not a table;
 * `view` is a table feed's `<table>_latest` view.
 */
export type ResourceKind =
  'topic' | 'table' | 'column' | 'index' | 'view' | 'role' | 'grant' | 'registry' | 'retention' | 'consumer';

export type Action = 'create' | 'update' | 'adopt' | 'delete';

/** JSON value: what before/after may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One change to one resource. Invariants: `before` is null exactly for create, `after` exactly for delete;
 * `id` is unique within (kind) in a plan; `destructive` is true when applying it can lose data or access.
 */
export interface Change {
  kind: ResourceKind;
  /** topic name; table name; `table.column`; `table.index`; view name; role name; `role@table` (or `role@view`); feed name for registry, retention, consumer. */
  id: string;
  /** The feed this change is for (null for shared resources, e.g. a role used by several feeds). */
  feed: string | null;
  action: Action;
  before: Json;
  after: Json;
  destructive: boolean;
  reason: string;
}

/** Something the plan cannot do (impossible or unsafe change); an errored plan is not applyable. */
export interface PlanError {
  kind: ResourceKind;
  id: string;
  feed: string | null;
  message: string;
  /** The way out, for a person: e.g. "create a new topic and migrate consumers". */
  remedy: string;
}

/** Options that change what the plan contains or permits. */
export interface PlanOptions {
  /** Permit destructive changes (drops, narrowing, revokes of data access). */
  allowDestructive: boolean;
  /** Delete topics and tables of feeds whose manifest is gone (destructive: also needs allowDestructive). */
  prune: boolean;
}

/**
 * A complete plan. Invariants: `applyable` ⇔ complete ∧ errors = ∅ ∧ ¬blocked; `blocked` ⇔ some change is
 * destructive ∧ ¬options.allowDestructive; changes are in apply order (creates/updates by dependency, deletes in
 * reverse).
 */
export interface Plan {
  formatVersion: 1;
  id: string;
  createdAt: string;
  /** git revision of the manifests, when they live in a git checkout. */
  sourceRevision: string | null;
  options: PlanOptions;
  changes: Change[];
  errors: PlanError[];
  /** Every resource kind was observed (false when observation failed part-way). */
  complete: boolean;
  blocked: boolean;
  applyable: boolean;
}

/** What every kind's diff returns. */
export interface DiffResult {
  changes: Change[];
  errors: PlanError[];
}

/** What every kind's diff receives besides desired and observed state. */
export interface DiffOptions extends PlanOptions {
  /** Names of the feeds that have a manifest; inventory entries of other feeds belong to removed feeds. */
  desiredFeeds: ReadonlySet<string>;
}
