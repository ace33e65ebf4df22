/**
 * The audit journal: one append-only `audit_log` row per change applied or failed — by the reconciler (before/after
 * are the plan's values; plans never hold secrets) and by retention (after: what it deleted). The error text is
 * masked. A batch of changes writes its rows in one multi-row INSERT.
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

const AUDIT_COLUMNS =
  'actor, action, resource_kind, resource_id, before_state, after_state, plan_id, source_revision, outcome, error';

function auditValues(e: AuditEntry): unknown[] {
  return [
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
  ];
}

export async function writeAudit(db: Connection | Pool, e: AuditEntry): Promise<void> {
  await writeAudits(db, [e]);
}

/** Rows per multi-row INSERT (10 values each): far below max_allowed_packet and the 65,535 placeholders. */
const AUDIT_CHUNK = 500;

/** Several audit rows, one multi-row INSERT per 500 (inside the caller's transaction when it has one). */
export async function writeAudits(db: Connection | Pool, entries: readonly AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += AUDIT_CHUNK) {
    const chunk = entries.slice(i, i + AUDIT_CHUNK);
    const row = `(${Array.from({ length: 10 }, () => '?').join(', ')})`;
    await db.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${chunk.map(() => row).join(', ')}`,
      chunk.flatMap(auditValues),
    );
  }
}
