-- Control plane of feedctl: the feed registry and retention policies (the seed runbook's tables, with the columns
-- reconciling needs), and the append-only audit journal. Portable to MySQL 8 and MariaDB 10.6+.

CREATE TABLE feed_registry (
  id INT AUTO_INCREMENT PRIMARY KEY,
  feed_name VARCHAR(64) NOT NULL,
  feed_type ENUM('stream', 'table') NOT NULL,
  source_type VARCHAR(32) NOT NULL DEFAULT 'kafka',
  kafka_topic VARCHAR(249) NOT NULL,
  partitioning_strategy ENUM('date', 'version') NOT NULL,
  storage_format VARCHAR(16) NOT NULL DEFAULT 'parquet',
  compression VARCHAR(16) NOT NULL DEFAULT 'snappy',
  schema_definition JSON NULL,
  created_by VARCHAR(128) NULL,
  destination ENUM('data_lake', 'data_warehouse', 'both') NOT NULL DEFAULT 'data_lake',
  warehouse_table VARCHAR(64) NULL,
  storage_mode ENUM('append', 'overwrite') NOT NULL DEFAULT 'append',
  dead_letter_topic VARCHAR(249) NULL,
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  managed_by VARCHAR(32) NULL COMMENT 'feedctl when the row is reconciled from a manifest',
  spec_hash CHAR(64) NULL COMMENT 'sha256 of the normalized runtime-relevant spec',
  generation BIGINT NOT NULL DEFAULT 1 COMMENT 'increases whenever spec_hash changes; consumers restart on it',
  manifest_path VARCHAR(512) NULL,
  source_revision VARCHAR(64) NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  updated_by VARCHAR(128) NULL,
  UNIQUE KEY uq_feed_registry_feed_name (feed_name),
  KEY idx_feed_registry_kafka_topic (kafka_topic),
  KEY idx_feed_registry_enabled (enabled)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Feeds known to the platform';

CREATE TABLE data_retention_policies (
  id INT AUTO_INCREMENT PRIMARY KEY,
  feed_name VARCHAR(64) NOT NULL,
  feed_type ENUM('stream', 'table') NOT NULL,
  retention_days INT NULL COMMENT 'streams: days of partitions kept',
  retention_versions INT NULL COMMENT 'tables: snapshot versions kept',
  auto_delete BOOLEAN NOT NULL DEFAULT TRUE,
  created_by VARCHAR(128) NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  updated_by VARCHAR(128) NULL,
  UNIQUE KEY uq_data_retention_policies_feed_name (feed_name),
  CONSTRAINT fk_data_retention_policies_feed FOREIGN KEY (feed_name) REFERENCES feed_registry (feed_name)
    ON UPDATE CASCADE ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Retention rule per feed';

CREATE TABLE audit_log (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  occurred_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  actor VARCHAR(128) NOT NULL,
  action VARCHAR(32) NOT NULL,
  resource_kind VARCHAR(32) NOT NULL,
  resource_id VARCHAR(255) NOT NULL,
  before_state JSON NULL,
  after_state JSON NULL,
  plan_id CHAR(36) NULL,
  source_revision VARCHAR(64) NULL,
  outcome ENUM('applied', 'failed') NOT NULL,
  error TEXT NULL,
  KEY idx_audit_log_resource (resource_kind, resource_id),
  KEY idx_audit_log_occurred_at (occurred_at),
  KEY idx_audit_log_plan_id (plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Append-only journal of applied changes';

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
