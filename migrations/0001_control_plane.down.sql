-- For tests only: migrations are forward-only in production.
DROP TRIGGER IF EXISTS audit_log_no_delete;
DROP TRIGGER IF EXISTS audit_log_no_update;
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS data_retention_policies;
DROP TABLE IF EXISTS feed_registry;
