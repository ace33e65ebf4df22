/**
 * The audit journal: one append-only `audit_log` row per change applied or failed. before/after are the plan's
 * values (no secrets: plans never hold any); the error text is masked.
 */
import type { Connection } from '../clients/mysql.js';
import { maskSecrets } from '../errors.js';
import type { Json } from './plan/types.js';

export interface AuditEntry {
  actor: string;
  action: string;
  kind: string;
  id: string;
  before: Json;
  after: Json;
  planId: string;
  sourceRevision: string | null;
  outcome: 'applied' | 'failed';
  error: string | null;
}

export async function writeAudit(db: Connection, e: AuditEntry): Promise<void> {
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
