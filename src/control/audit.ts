/**
 * The audit journal: one append-only `audit_log` row per change applied or failed — by the reconciler (before/after
 * are the plan's values; plans never hold secrets) and by retention (after: what it deleted). The error text is
 * masked.
 */
import type { Connection, Pool } from '../clients/mysql.js';
import { maskSecrets } from '../errors.js';

export interface AuditEntry {
  actor: string;
  action: string;
  kind: string;
  id: string;
  /** JSON-serialisable; null for none. */
  before: unknown;
  after: unknown;
  planId: string;
  sourceRevision: string | null;
  outcome: 'applied' | 'failed';
  error: string | null;
}

export async function writeAudit(db: Connection | Pool, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, action, resource_kind, resource_id, before_state, after_state, plan_id,
     source_revision, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      e.actor,
      e.action,
      e.kind,
      e.id,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : JSON.stringify(e.after),
      e.planId,
      e.sourceRevision,
      e.outcome,
      e.error === null ? null : maskSecrets(e.error),
    ],
  );
}
